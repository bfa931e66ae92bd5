"""The closure rule: a track's core skills bring every prerequisite, as core skills, earlier."""

import pytest
from django.urls import reverse

from careers.closure import Link, closure_problems
from careers.content_io import DEFAULT_CONTENT_DIR, ContentError, read_content
from careers.models import StepSkill

from .content_samples import skill, valid_files, write_files
from .factories import SkillFactory, StepFactory, StepSkillFactory, TrackFactory

PREREQUISITES = {"b": ["a"], "c": ["b"]}


def test_a_closed_roadmap_has_no_problem():
    links = [Link("a", "one", True), Link("b", "one", True), Link("c", "two", True)]
    assert closure_problems(links, PREREQUISITES) == []


@pytest.mark.parametrize(
    ("links", "expected"),
    [
        (
            [Link("b", "one", True)],
            "core skill 'b' (step 'one') needs 'a', which is not in this track: add 'a' as a "
            "core skill in an earlier step, or remove it from the prerequisites of 'b'",
        ),
        (
            [Link("a", "one", False), Link("b", "two", True)],
            "core skill 'b' (step 'two') needs 'a', which is optional in this track: make 'a' "
            "core (step 'one')",
        ),
        (
            [Link("b", "one", True), Link("a", "two", True)],
            "core skill 'b' (step 'one') needs 'a', which comes later, in step 'two': move 'a' "
            "to step 'one' or an earlier one",
        ),
        (
            [Link("b", "one", True), Link("a", "one", True)],
            "needs 'a', which comes after it in the same step: list 'a' before 'b'",
        ),
        (
            [Link("a", "one", True), Link("b", "one", True, first_job=True)],
            "first-job skill 'b' (step 'one') needs 'a', which is not on the first-job path: "
            "mark 'a' first_job: true",
        ),
        (
            [Link("a", "one", False, first_job=True)],
            "optional skill 'a' (step 'one') is marked first_job",
        ),
    ],
    ids=["outside", "optional", "later-step", "later-in-step", "first-job-gap", "first-job-opt"],
)
def test_each_break_is_named_with_its_fix(links, expected):
    problems = closure_problems(links, PREREQUISITES)
    assert len(problems) == 1
    assert expected in problems[0]


def test_an_optional_skill_may_wait_on_anything():
    assert closure_problems([Link("c", "one", False)], PREREQUISITES) == []


def test_an_archived_prerequisite_is_not_required():
    assert closure_problems([Link("b", "one", True)], PREREQUISITES, archived=["a"]) == []


def test_the_importer_refuses_an_open_track_naming_track_skill_prerequisite_and_fix(db, tmp_path):
    files = valid_files()
    files["tracks/data.yaml"]["steps"][0]["skills"][1]["importance"] = "optional"  # sql
    with pytest.raises(ContentError) as excinfo:
        read_content(write_files(tmp_path, files))
    assert excinfo.value.errors == [
        "tracks/data.yaml: track 'data': core skill 'pipelines' (step 'cleaning') needs 'sql', "
        "which is optional in this track: make 'sql' core (step 'basics')"
    ]


def test_the_importer_checks_prerequisites_added_in_the_catalogue(db, tmp_path):
    files = valid_files()
    files["skills.yaml"]["skills"].append(skill("spark"))
    files["skills.yaml"]["skills"][2]["prerequisites"] = ["python", "spark"]  # dedup
    with pytest.raises(ContentError, match="needs 'spark', which is not in this track"):
        read_content(write_files(tmp_path, files))


def _transitive(slug, catalogue, seen=None):
    seen = set() if seen is None else seen
    for prerequisite in catalogue[slug].prerequisites:
        if prerequisite not in seen and not catalogue[prerequisite].archived:
            seen.add(prerequisite)
            _transitive(prerequisite, catalogue, seen)
    return seen


def test_bundled_tracks_are_closed_so_their_core_hours_are_true():
    content = read_content(DEFAULT_CONTENT_DIR)
    catalogue = {s.slug: s for s in content.skills}
    for track in content.tracks:
        order = [slug for step in track.steps for slug, _ in step.skills]
        core = {slug for step in track.steps for slug, imp in step.skills if imp == "core"}
        first_job = {slug for step in track.steps for slug in step.first_job}
        assert first_job and first_job <= core, track.slug
        for slug in core:
            needed = _transitive(slug, catalogue)
            assert needed <= core, (track.slug, slug, needed - core)
            assert all(order.index(p) < order.index(slug) for p in needed), (track.slug, slug)
        for slug in first_job:
            assert _transitive(slug, catalogue) <= first_job, (track.slug, slug)


# The admin -------------------------------------------------------------------


@pytest.fixture
def roadmap(db):
    """A track: step one has a then b (b needs a); step two has c (c needs b)."""
    a, b, c = SkillFactory(slug="a"), SkillFactory(slug="b"), SkillFactory(slug="c")
    b.prerequisites.add(a)
    c.prerequisites.add(b)
    track = TrackFactory(slug="t")
    one = StepFactory(track=track, slug="one", order=0)
    two = StepFactory(track=track, slug="two", order=1)
    links = [
        StepSkillFactory(step=one, skill=a, order=0),
        StepSkillFactory(step=one, skill=b, order=1),
        StepSkillFactory(step=two, skill=c, order=0),
    ]
    return one, links


def _step_post(step, links, **changes):
    data = {
        "track": step.track_id,
        "slug": step.slug,
        "title_en": "One",
        "title_zh_hans": "一",
        "order": step.order,
        "step_skills-TOTAL_FORMS": len(links),
        "step_skills-INITIAL_FORMS": len(links),
    }
    for index, link in enumerate(links):
        data |= {
            f"step_skills-{index}-id": link.pk,
            f"step_skills-{index}-step": step.pk,
            f"step_skills-{index}-order": link.order,
            f"step_skills-{index}-skill": link.skill_id,
            f"step_skills-{index}-importance": link.importance,
        }
    data |= changes
    return data


def test_admin_refuses_a_step_edit_that_breaks_the_rule(client, editor, roadmap):
    step, links = roadmap
    client.force_login(editor)
    url = reverse("admin:careers_roadmapstep_change", args=[step.pk])
    response = client.post(
        url, _step_post(step, links[:2], **{"step_skills-0-importance": "optional"})
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "core skill &#x27;b&#x27; (step &#x27;one&#x27;) needs &#x27;a&#x27;" in page
    assert StepSkill.objects.get(pk=links[0].pk).importance == "core"

    response = client.post(url, _step_post(step, links[:2], **{"step_skills-0-order": 5}))
    assert response.status_code == 200
    assert "comes after it in the same step" in response.content.decode()


def test_admin_accepts_a_step_edit_that_keeps_the_rule(client, editor, roadmap):
    step, links = roadmap
    client.force_login(editor)
    url = reverse("admin:careers_roadmapstep_change", args=[step.pk])
    response = client.post(url, _step_post(step, links[:2], **{"step_skills-1-first_job": "on"}))
    assert response.status_code == 200 and "first-job path" in response.content.decode()
    data = _step_post(step, links[:2], **{"step_skills-0-first_job": "on"})
    data["step_skills-1-first_job"] = "on"
    response = client.post(url, data)
    assert response.status_code == 302
    assert StepSkill.objects.filter(first_job=True).count() == 2


def test_admin_refuses_a_prerequisite_that_the_track_does_not_teach(client, editor, roadmap):
    _, links = roadmap
    outside = SkillFactory(slug="outside")
    a = links[0].skill
    client.force_login(editor)
    url = reverse("admin:careers_skill_change", args=[a.pk])
    data = {
        "slug": "a",
        "name_en": "A",
        "summary_en": "S",
        "description_en": "D",
        "hours": 7,
        "prerequisites": [outside.pk],
        "resources-TOTAL_FORMS": 0,
        "resources-INITIAL_FORMS": 0,
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert "needs &#x27;outside&#x27;, which is not in this track" in response.content.decode()
    assert not a.prerequisites.exists()


def test_admin_refuses_moving_a_step_before_the_step_it_needs(client, editor, roadmap):
    one, links = roadmap
    one.order = 5
    one.save()
    two = links[2].step  # order 1: now before step one, which it needs; the first edit fixes it
    client.force_login(editor)
    url = reverse("admin:careers_roadmapstep_change", args=[two.pk])
    response = client.post(url, _step_post(two, links[2:], order=9, title_en="Two"))
    assert response.status_code == 302  # still after step one: fine
    response = client.post(url, _step_post(two, links[2:], order=0, title_en="Two"))
    assert response.status_code == 200
    assert "comes later, in step &#x27;one&#x27;" in response.content.decode()
    two.refresh_from_db()
    assert two.order == 9


def test_admin_checks_a_new_step_and_its_skills_too(client, editor, roadmap):
    one, _ = roadmap
    d = SkillFactory(slug="d")
    d.prerequisites.add(SkillFactory(slug="outside"))
    client.force_login(editor)
    data = {
        "track": one.track_id,
        "slug": "three",
        "title_en": "Three",
        "title_zh_hans": "三",
        "order": 2,
        "step_skills-TOTAL_FORMS": 1,
        "step_skills-INITIAL_FORMS": 0,
        "step_skills-0-order": 0,
        "step_skills-0-skill": d.pk,
        "step_skills-0-importance": "core",
    }
    response = client.post(reverse("admin:careers_roadmapstep_add"), data)
    assert response.status_code == 200
    assert "needs &#x27;outside&#x27;, which is not in this track" in response.content.decode()
    assert not StepSkill.objects.filter(skill=d).exists()

    data["step_skills-0-importance"] = "optional"
    assert client.post(reverse("admin:careers_roadmapstep_add"), data).status_code == 302
