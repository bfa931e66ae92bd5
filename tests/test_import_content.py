from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from careers.content_io import ContentError, export_content, import_content, read_content
from careers.models import Resource, RoadmapStep, Skill, StepSkill, Track, Transition

from .content_samples import skill, valid_files, write_files

MODELS = [Track, RoadmapStep, Skill, StepSkill, Resource, Transition]


def snapshot():
    """Every content row, as plain values, to prove a failed import touched nothing."""
    return {model.__name__: sorted(map(str, model.objects.values_list())) for model in MODELS}


def run_import(path: Path, *args) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("import_content", str(path), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def loaded(db, tmp_path):
    """The database with the sample content imported."""
    import_content(write_files(tmp_path / "valid", valid_files()))
    return snapshot()


def test_import_creates_everything(db, tmp_path):
    out, _ = run_import(write_files(tmp_path, valid_files()))
    assert "created 5 skills" in out
    assert "created 2 tracks" in out
    track = Track.objects.get(slug="data")
    assert track.name_zh_hans == "Data(中文)"
    assert [s.slug for s in track.steps.all()] == ["basics", "cleaning"]
    dedup = Skill.objects.get(slug="dedup")
    assert list(dedup.prerequisites.values_list("slug", flat=True)) == ["python"]
    assert dedup.description_en.endswith("use dedup.")
    assert dedup.resources.count() == 2
    assert StepSkill.objects.get(track=track, skill__slug="cuda").importance == "optional"
    assert Transition.objects.get(from_track=track).to_track.slug == "platform"


def test_second_import_changes_nothing_and_says_so(loaded, tmp_path):
    out, _ = run_import(write_files(tmp_path, valid_files()))
    assert "No changes" in out
    assert snapshot() == loaded


def test_dry_run_reports_and_writes_nothing(db, tmp_path):
    out, _ = run_import(write_files(tmp_path, valid_files()), "--dry-run")
    assert "would have created 5 skills" in out
    assert "Dry run" in out
    assert not Skill.objects.exists()


def test_if_empty_never_overwrites_edits(loaded, tmp_path):
    Track.objects.filter(slug="data").update(name_en="Edited in the admin")
    out, _ = run_import(write_files(tmp_path, valid_files()), "--if-empty")
    assert "already loaded" in out
    assert Track.objects.get(slug="data").name_en == "Edited in the admin"


def test_update_keeps_ids_so_progress_keyed_to_skills_survives(loaded, tmp_path):
    ids = dict(Skill.objects.values_list("slug", "id"))
    files = valid_files()
    files["skills.yaml"]["skills"][0]["hours"] = 99
    # Move dedup into the first step: the link moves, the skill row stays.
    steps = files["tracks/data.yaml"]["steps"]
    steps[0]["skills"].append(steps[1]["skills"].pop(0))
    out, _ = run_import(write_files(tmp_path, files))
    assert "updated 1 skills" in out
    assert dict(Skill.objects.values_list("slug", "id")) == ids
    link = StepSkill.objects.get(track__slug="data", skill__slug="dedup")
    assert link.step.slug == "basics"


def test_removed_skill_is_archived_not_deleted(loaded, tmp_path):
    files = valid_files()
    files["skills.yaml"]["skills"] = [
        s for s in files["skills.yaml"]["skills"] if s["slug"] != "cuda"
    ]
    files["tracks/platform.yaml"]["steps"][0]["skills"].pop()
    files["tracks/data.yaml"]["steps"][1]["skills"].pop()
    out, _ = run_import(write_files(tmp_path, files))
    assert "archived 1 skills: cuda" in out
    assert Skill.objects.get(slug="cuda").archived


def test_removed_step_and_transition_are_deleted(loaded, tmp_path):
    files = valid_files()
    files["tracks/data.yaml"]["steps"].pop()
    files["tracks/data.yaml"]["transitions"] = []
    run_import(write_files(tmp_path, files))
    track = Track.objects.get(slug="data")
    assert list(track.steps.values_list("slug", flat=True)) == ["basics"]
    assert not track.transitions.exists()
    assert Skill.objects.filter(slug="dedup", archived=False).exists()


def test_export_then_import_is_a_no_op(loaded, tmp_path):
    export_content(tmp_path / "exported")
    out, _ = run_import(tmp_path / "exported")
    assert "No changes" in out
    assert snapshot() == loaded
    # And the exported files read back to the same content as the originals.
    exported, original = read_content(tmp_path / "exported"), read_content(tmp_path / "valid")
    assert exported.tracks == original.tracks
    by_slug = {s.slug: s for s in original.skills}
    for item in exported.skills:
        expected = by_slug[item.slug]
        expected.prerequisites.sort()
        assert item == expected


def test_admin_edits_round_trip_through_export(loaded, tmp_path):
    Skill.objects.filter(slug="sql").update(name_zh_hans="结构化查询语言", hours=12)
    export_content(tmp_path / "exported")
    Skill.objects.filter(slug="sql").update(name_zh_hans="changed", hours=1)
    run_import(tmp_path / "exported")
    sql = Skill.objects.get(slug="sql")
    assert (sql.name_zh_hans, sql.hours) == ("结构化查询语言", 12)


def _break(files, rule):
    skills = files["skills.yaml"]["skills"]
    data = files["tracks/data.yaml"]
    if rule == "malformed yaml":
        files["tracks/data.yaml"] = "slug: data\nsteps: [unclosed\n"
    elif rule == "unknown prerequisite":
        skills[2]["prerequisites"] = ["nope"]
    elif rule == "duplicate skill slug":
        skills.append(skill("python"))
    elif rule == "cycle":
        skills[0]["prerequisites"] = ["dedup"]
    elif rule == "self prerequisite":
        skills[0]["prerequisites"] = ["python"]
    elif rule == "missing field":
        del skills[1]["hours"]
    elif rule == "missing english":
        skills[1]["name"] = {"zh": "只有中文"}
    elif rule == "bad hours":
        skills[1]["hours"] = -3
    elif rule == "bad url":
        skills[1]["resources"][0]["url"] = "javascript:alert(1)"
    elif rule == "bad kind":
        skills[1]["resources"][0]["kind"] = "podcast"
    elif rule == "bad slug":
        skills[1]["slug"] = "Bad Slug"
    elif rule == "unknown skill in track":
        data["steps"][0]["skills"].append({"skill": "ghost", "importance": "core"})
    elif rule == "skill twice in a track":
        data["steps"][1]["skills"].append({"skill": "python", "importance": "core"})
    elif rule == "bad importance":
        data["steps"][0]["skills"][0]["importance"] = "vital"
    elif rule == "duplicate step slug":
        data["steps"][1]["slug"] = "basics"
    elif rule == "unknown transition target":
        data["transitions"][0]["to"] = "nowhere"
    elif rule == "slug does not match file":
        data["slug"] = "other"
    elif rule == "unknown field":
        data["colour"] = "blue"
    elif rule == "too long":
        skills[1]["name"]["en"] = "x" * 500
    return files


RULES = {
    "malformed yaml": "tracks/data.yaml: malformed YAML",
    "unknown prerequisite": "skill 'dedup': unknown prerequisite 'nope'",
    "duplicate skill slug": "skill 'python': duplicate slug",
    "cycle": "prerequisites form a cycle: ",
    "self prerequisite": "skill 'python': lists itself as a prerequisite",
    "missing field": "skill 'sql': missing field 'hours'",
    "missing english": "skill 'sql'.name: English text ('en') is required",
    "bad hours": "skill 'sql'.hours: expected a whole number",
    "bad url": "not an http(s) URL: 'javascript:alert(1)'",
    "bad kind": ".kind: must be one of",
    "bad slug": "invalid slug 'Bad Slug'",
    "unknown skill in track": "tracks/data.yaml: step 'basics': unknown skill 'ghost'",
    "skill twice in a track": "skill 'python' is already in step 'basics'",
    "bad importance": "importance: must be core or optional",
    "duplicate step slug": "step 'basics': duplicate step slug",
    "unknown transition target": "transition to unknown track 'nowhere'",
    "slug does not match file": "must match the file name (data.yaml)",
    "unknown field": "tracks/data.yaml: unknown field 'colour'",
    "too long": "skill 'sql'.name.en: longer than 120 characters",
}


@pytest.mark.parametrize("rule", RULES)
def test_bad_file_is_refused_with_a_clear_error_and_nothing_written(loaded, tmp_path, rule):
    path = write_files(tmp_path / "bad", _break(valid_files(), rule))
    with pytest.raises(CommandError, match="nothing was written"):
        run_import(path)
    with pytest.raises(ContentError) as excinfo:
        read_content(path)
    assert any(RULES[rule] in error for error in excinfo.value.errors), excinfo.value.errors
    assert snapshot() == loaded


def test_errors_are_printed_with_file_and_item(db, tmp_path):
    path = write_files(tmp_path, _break(valid_files(), "unknown prerequisite"))
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("import_content", str(path), stderr=err, stdout=StringIO())
    assert "error: skills.yaml: skill 'dedup': unknown prerequisite 'nope'" in err.getvalue()


def test_cycle_error_shows_the_cycle(db, tmp_path):
    path = write_files(tmp_path, _break(valid_files(), "cycle"))
    with pytest.raises(ContentError) as excinfo:
        read_content(path)
    assert "python → dedup → python" in str(excinfo.value) or "dedup → python → dedup" in str(
        excinfo.value
    )


def test_missing_catalogue_is_an_error(db, tmp_path):
    with pytest.raises(ContentError, match="skill catalogue not found"):
        read_content(tmp_path)
