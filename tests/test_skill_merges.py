"""Merged skills: the merged-away skill is archived, and progress on it counts for the survivor."""

import json

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from careers.content_io import ContentError, export_content, import_content, read_content
from careers.content_types import SkillInfo, SkillSlot, StepInfo, TrackInfo
from careers.models import Skill
from profiles.gap import Status, analyse, credited_statuses, fit
from profiles.models import SkillProgress
from profiles.progress_on_tracks import track_progress

from .content_samples import skill, valid_files, write_files
from .factories import SkillFactory

SKILLS = {
    "old": SkillInfo("old", "Old", 10, archived=True, replaced_by="new"),
    "older": SkillInfo("older", "Older", 10, archived=True, replaced_by="old"),
    "twin": SkillInfo("twin", "Twin", 10, archived=True, replaced_by="new"),
    "new": SkillInfo("new", "New", 30),
    "other": SkillInfo("other", "Other", 10),
}
TRACK = TrackInfo(
    "t", "T", (StepInfo("s", "S", (SkillSlot("new", True), SkillSlot("other", True))),)
)


def test_done_on_the_merged_skill_counts_as_done_on_the_survivor():
    assert credited_statuses(SKILLS, {"old": Status.DONE})["new"] == Status.DONE
    report = analyse(TRACK, SKILLS, {"old": Status.DONE})
    assert (report.core_done, report.core_hours_done, report.readiness) == (1, 30, 75.0)
    assert fit(TRACK, SKILLS, {"old": Status.DONE}, None).readiness == 75.0


def test_the_survivor_takes_the_best_status_of_the_skills_merged_into_it():
    assert (
        credited_statuses(SKILLS, {"old": Status.SKIPPED, "twin": Status.LEARNING})["new"]
        == Status.LEARNING
    )
    assert (
        credited_statuses(SKILLS, {"old": Status.DONE, "twin": Status.LEARNING})["new"]
        == Status.DONE
    )


def test_what_the_learner_recorded_on_the_survivor_wins():
    assert (
        credited_statuses(SKILLS, {"old": Status.DONE, "new": Status.LEARNING})["new"]
        == Status.LEARNING
    )


def test_a_merge_of_a_merge_reaches_the_survivor():
    assert credited_statuses(SKILLS, {"older": Status.DONE})["new"] == Status.DONE


def test_statuses_without_merged_skills_are_returned_as_they_are():
    statuses = {"other": Status.DONE}
    assert credited_statuses(SKILLS, statuses) is statuses


def _merged_files():
    files = valid_files()
    old = skill("old-dedup", ["python"])
    old["archived"] = True
    old["replaced_by"] = "dedup"
    files["skills.yaml"]["skills"].append(old)
    return files


def test_import_records_the_merge_and_export_round_trips_it(db, tmp_path):
    import_content(write_files(tmp_path / "in", _merged_files()))
    old = Skill.objects.get(slug="old-dedup")
    assert old.archived and old.replaced_by.slug == "dedup"
    export_content(tmp_path / "out")
    exported = read_content(tmp_path / "out")
    assert next(s for s in exported.skills if s.slug == "old-dedup").replaced_by == "dedup"
    assert "replaced_by: dedup" in (tmp_path / "out" / "skills.yaml").read_text()
    assert not import_content(tmp_path / "out").changed


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda f, old: old.pop("archived"), "has replaced_by but is not archived"),
        (lambda f, old: old.update(replaced_by="ghost"), "replaced by unknown skill 'ghost'"),
        (lambda f, old: old.update(replaced_by="old-dedup"), "cannot be replaced by itself"),
        (
            lambda f, old: f["tracks/platform.yaml"]["steps"][0]["skills"].append(
                {"skill": "old-dedup", "importance": "optional"}
            ),
            "skill 'old-dedup' was merged into 'dedup': list 'dedup' instead",
        ),
        (
            lambda f, old: f["skills.yaml"]["skills"][3]["prerequisites"].append("old-dedup"),
            "prerequisite 'old-dedup' was merged into 'dedup': list 'dedup' instead",
        ),
    ],
    ids=["not-archived", "unknown", "itself", "still-in-a-track", "still-a-prerequisite"],
)
def test_a_bad_merge_is_refused(db, tmp_path, change, message):
    files = _merged_files()
    change(files, files["skills.yaml"]["skills"][-1])
    with pytest.raises(ContentError) as excinfo:
        read_content(write_files(tmp_path, files))
    assert any(message in error for error in excinfo.value.errors), excinfo.value.errors


def test_bundled_merges_point_at_live_skills():
    content = read_content()
    catalogue = {s.slug: s for s in content.skills}
    merges = {s.slug: s.replaced_by for s in content.skills if s.replaced_by}
    assert merges == {
        "llm-service-monitoring": "inference-observability",
        "llm-model-serving-platform": "inference-platform-deployment",
    }
    for merged, survivor in merges.items():
        assert catalogue[merged].archived and not catalogue[survivor].archived


def test_a_learner_who_recorded_the_merged_skill_keeps_the_credit_and_the_export_says_so(
    client, mentee, tmp_path
):
    import_content(write_files(tmp_path, _merged_files()))
    SkillProgress.objects.create(
        user=mentee, skill=Skill.objects.get(slug="old-dedup"), status=Status.DONE
    )
    progress = track_progress(mentee, "data")
    assert progress.statuses["dedup"] == Status.DONE  # the roadmap shows the credit it counts
    assert progress.report.core_done == 1
    assert [ref.slug for ref in progress.report.missing_core] == ["python", "sql", "pipelines"]

    client.force_login(mentee)
    data = json.loads(client.get(reverse("profiles:export")).content)
    assert data["progress"][0]["skill"] == "old-dedup"
    assert data["progress"][0]["merged_into"] == "dedup"


def test_the_admin_model_validation_refuses_a_bad_merge(db):
    survivor, merged = SkillFactory(slug="survivor"), SkillFactory(slug="merged")
    merged.replaced_by = survivor
    with pytest.raises(ValidationError, match="must be archived"):
        merged.full_clean()
    merged.archived = True
    merged.full_clean()
    survivor.archived = True
    survivor.save()
    with pytest.raises(ValidationError, match="not archived"):
        merged.full_clean()
    merged.replaced_by = merged
    with pytest.raises(ValidationError, match="into itself"):
        merged.full_clean()
