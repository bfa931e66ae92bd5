"""Each step ends with a project: what to build, on what data, how to know it works, no-GPU."""

import copy
import datetime

import pytest
from django.urls import reverse

from careers.content_io import (
    PROJECT_PARTS,
    ContentError,
    export_content,
    import_content,
    read_content,
)
from careers.models import Resource, RoadmapStep

from .content_samples import text, valid_files, write_files

PROJECT = {
    "build": text("A dedup script"),
    "data": text("FineWeb sample"),
    "check": text("Planted duplicates are found"),
    "no_gpu": text("It runs on a CPU"),
}


def _with_project():
    files = valid_files()
    files["tracks/data.yaml"]["steps"][1]["project"] = copy.deepcopy(PROJECT)
    files["skills.yaml"]["skills"][0]["resources"][0]["checked"] = datetime.date(2026, 11, 30)
    return files


def test_project_and_checked_date_are_imported_and_round_trip(db, tmp_path):
    import_content(write_files(tmp_path / "in", _with_project()))
    step = RoadmapStep.objects.get(track__slug="data", slug="cleaning")
    assert step.project_build_en == "A dedup script"
    assert step.project_no_gpu_zh_hans == "It runs on a CPU(中文)"
    resource = Resource.objects.get(url="https://example.com/python")
    assert resource.checked == datetime.date(2026, 11, 30)
    export_content(tmp_path / "out")
    exported = read_content(tmp_path / "out")
    cleaning = next(t for t in exported.tracks if t.slug == "data").steps[1]
    assert cleaning.project == PROJECT
    assert "checked: 2026-11-30" in (tmp_path / "out" / "skills.yaml").read_text()
    assert not import_content(tmp_path / "out").changed


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda p: p.pop("no_gpu"), "project: missing field 'no_gpu'"),
        (lambda p: p.update(price="free"), "project: unknown field 'price'"),
        (lambda p: p.update(check={"zh": "只有中文"}), "project.check: English text"),
    ],
)
def test_an_incomplete_project_is_refused(db, tmp_path, change, message):
    files = _with_project()
    change(files["tracks/data.yaml"]["steps"][1]["project"])
    with pytest.raises(ContentError) as excinfo:
        read_content(write_files(tmp_path, files))
    assert any(message in error for error in excinfo.value.errors), excinfo.value.errors


def test_a_bad_checked_date_is_refused(db, tmp_path):
    files = valid_files()
    files["skills.yaml"]["skills"][0]["resources"][0]["checked"] = "last week"
    with pytest.raises(ContentError, match="checked: expected a date as YYYY-MM-DD"):
        read_content(write_files(tmp_path, files))


def test_every_bundled_step_has_a_bilingual_project():
    for track in read_content().tracks:
        for step in track.steps:
            assert set(step.project) == set(PROJECT_PARTS), (track.slug, step.slug)
            for part, value in step.project.items():
                assert value.get("en") and value.get("zh"), (track.slug, step.slug, part)


def test_the_track_page_ends_each_step_with_its_project(client, db, tmp_path):
    import_content(write_files(tmp_path, _with_project()))
    page = client.get(reverse("careers:track", args=["data"])).content.decode()
    assert page.count('class="project"') == 1
    assert "A dedup script" in page and "It runs on a CPU" in page
    assert page.index("A dedup script") > page.index("What you can do.")
