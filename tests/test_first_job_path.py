"""The first-job path: a marked minimum set per track, counted as its own readiness."""

import re

import pytest
from django.urls import reverse

from careers.content_io import (
    ContentError,
    export_content,
    import_content,
    read_content,
)
from careers.content_types import SkillInfo, StepInfo, TrackInfo
from careers.content_types import SkillSlot as Link
from careers.models import Skill, StepSkill
from profiles.gap import Status, analyse
from profiles.models import SkillProgress

from .content_samples import valid_files, write_files

SKILLS = {
    slug: SkillInfo(slug, slug.title(), hours)
    for slug, hours in (("a", 10), ("b", 30), ("c", 60), ("d", 5))
}
TRACK = TrackInfo(
    "t",
    "T",
    (
        StepInfo("one", "One", (Link("a", True, first_job=True), Link("b", True, first_job=True))),
        StepInfo("two", "Two", (Link("c", True), Link("d", False))),
    ),
)


def test_first_job_readiness_is_the_share_of_first_job_hours_done():
    report = analyse(TRACK, SKILLS, {"a": Status.DONE, "c": Status.DONE})
    assert report.first_job_readiness == 25.0
    assert (report.first_job_done, report.first_job_total) == (1, 2)
    assert (report.first_job_hours_total, report.first_job_hours_left) == (40, 30)
    assert report.readiness == 70.0  # 70 of 100 core hours: the two figures are separate


def test_first_job_ready_at_100_only_when_the_whole_path_is_done():
    assert analyse(TRACK, SKILLS, {"a": Status.DONE, "b": Status.DONE}).first_job_readiness == 100.0
    assert (
        analyse(TRACK, SKILLS, {"a": Status.DONE, "b": Status.SKIPPED}).first_job_readiness == 25.0
    )


def test_a_track_without_a_first_job_path_has_no_figure():
    plain = TrackInfo("p", "P", (StepInfo("one", "One", (Link("a", True),)),))
    report = analyse(plain, SKILLS, {"a": Status.DONE})
    assert report.first_job_readiness is None and report.first_job_total == 0


def _with_path():
    files = valid_files()
    for link in files["tracks/data.yaml"]["steps"][0]["skills"]:  # python, sql
        link["first_job"] = True
    return files


def test_import_and_export_keep_the_path(db, tmp_path):
    import_content(write_files(tmp_path / "in", _with_path()))
    marked = StepSkill.objects.filter(first_job=True).values_list("skill__slug", flat=True)
    assert sorted(marked) == ["python", "sql"]
    export_content(tmp_path / "out")
    data = read_content(tmp_path / "out").tracks
    assert next(t for t in data if t.slug == "data").steps[0].first_job == ["python", "sql"]
    assert not import_content(tmp_path / "out").changed


def test_first_job_must_be_true_or_false(db, tmp_path):
    files = _with_path()
    files["tracks/data.yaml"]["steps"][0]["skills"][0]["first_job"] = "yes"
    with pytest.raises(ContentError, match=r"skills\[0\].first_job: expected true or false"):
        read_content(write_files(tmp_path, files))


@pytest.mark.parametrize(
    "slug",
    [
        "llm-data-engineer",
        "llm-platform-engineer",
        "llm-application-engineer",
        "llm-deployment-engineer",
    ],
)
def test_each_bundled_track_has_a_first_job_path_of_a_few_hundred_hours(slug):
    content = read_content()
    hours = {skill.slug: skill.hours for skill in content.skills}
    track = next(t for t in content.tracks if t.slug == slug)
    path = [s for step in track.steps for s in step.first_job]
    core = [s for step in track.steps for s, imp in step.skills if imp == "core"]
    total = sum(hours[s] for s in path)
    assert 300 <= total <= 450, total
    assert total < sum(hours[s] for s in core) * 0.6
    # The learner meets the track's own work early: a first-job skill in the first three steps
    # that is not a shared foundation.
    foundations = {"python", "linux-shell", "git", "sql", "docker"}
    early = {s for step in track.steps[:3] for s in step.first_job} - foundations
    assert early, slug


def test_data_track_starts_data_work_before_ml_theory():
    track = next(t for t in read_content().tracks if t.slug == "llm-data-engineer")
    order = [s for step in track.steps for s, _ in step.skills]
    for data_skill in ("llm-data-analysis", "web-text-extraction", "text-deduplication"):
        assert order.index(data_skill) < order.index("deep-learning-fundamentals")


def test_the_track_page_shows_first_job_readiness_to_the_learner(client, mentee, tmp_path):
    import_content(write_files(tmp_path, _with_path()))
    SkillProgress.objects.create(
        user=mentee, skill=Skill.objects.get(slug="python"), status=Status.DONE
    )
    client.force_login(mentee)
    page = client.get(reverse("careers:track", args=["data"])).content.decode()
    assert "first-job ready: 50%" in page
    client.logout()
    page = client.get(reverse("careers:track", args=["data"])).content.decode()
    assert "first-job ready" not in page


def test_the_roadmap_shows_the_first_job_path_as_its_own_layer(client, db, tmp_path):
    import_content(write_files(tmp_path, _with_path()))
    page = client.get(reverse("careers:track", args=["data"])).content.decode()
    marked = re.findall(r'<li class="map-node [^"]*is-first-job[^"]*" id="node-([a-z-]+)"', page)
    assert marked == ["python", "sql"]
    assert page.count('class="node-first-job"') == 3  # two skills and the legend
    assert "the minimum for a first job" in page

    page = client.get(reverse("careers:track", args=["platform"])).content.decode()
    assert "node-first-job" not in page  # a track without a path shows no layer
