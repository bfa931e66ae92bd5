"""The track map's layout data: every skill placed once, edges inside the track, outside
prerequisites marked with their hours; the personal overlay; the page and its query budget."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from careers.track_map import (
    NodeState,
    SkillData,
    StepData,
    build_map,
    track_map,
    view,
)
from profiles.models import SkillProgress
from profiles.progress import set_progress

from .factories import (
    NodeStatesOverlay,
    SkillFactory,
    StepFactory,
    StepSkillFactory,
    TrackFactory,
    make_track,
)


def _skills(*specs):
    return {
        slug: SkillData(slug=slug, name=slug.title(), hours=hours, prerequisites=tuple(needs))
        for slug, hours, needs in specs
    }


CATALOGUE = _skills(
    ("python", 40, ()),
    ("linear-algebra", 30, ()),  # taught by no step of the track below
    ("sql", 20, ()),
    ("dedup", 16, ("python",)),
    ("pipelines", 24, ("python", "sql")),
    ("embeddings", 12, ("linear-algebra", "python")),
)
STEPS = (
    StepData("basics", "Basics", (("python", True), ("sql", False))),
    StepData("cleaning", "Cleaning", (("dedup", True), ("pipelines", True))),
    StepData("vectors", "Vectors", (("embeddings", True),)),
)


def test_every_skill_is_placed_once_in_roadmap_order():
    the_map = build_map(STEPS, CATALOGUE)
    slugs = [node.slug for node in the_map.nodes]
    assert slugs == ["python", "sql", "dedup", "pipelines", "embeddings"]
    assert len(slugs) == len(set(slugs))
    assert [step.number for step in the_map.steps] == [1, 2, 3]
    assert [node.step for node in the_map.nodes] == [
        "basics",
        "basics",
        "cleaning",
        "cleaning",
        "vectors",
    ]


def test_a_duplicate_or_unknown_skill_is_not_placed_twice():
    steps = (
        StepData("a", "A", (("python", True), ("ghost", True))),
        StepData("b", "B", (("python", False),)),
    )
    the_map = build_map(steps, CATALOGUE)
    assert [node.slug for node in the_map.nodes] == ["python"]
    assert the_map.steps[1].nodes == ()


def test_core_and_optional_hours_per_step():
    the_map = build_map(STEPS, CATALOGUE)
    basics = the_map.steps[0]
    assert [node.core for node in basics.nodes] == [True, False]
    assert (basics.hours, basics.core_hours) == (60, 40)
    assert (the_map.hours, the_map.core_hours, the_map.skill_count) == (112, 92, 5)


def test_prerequisites_and_unlocks_inside_the_track():
    the_map = build_map(STEPS, CATALOGUE)
    nodes = {node.slug: node for node in the_map.nodes}
    assert nodes["pipelines"].prerequisites == ("python", "sql")
    assert nodes["python"].unlocks == ("dedup", "pipelines", "embeddings")
    assert nodes["sql"].unlocks == ("pipelines",)
    assert nodes["dedup"].unlocks == ()


def test_prerequisites_from_outside_the_track_are_marked_with_their_hours():
    the_map = build_map(STEPS, CATALOGUE)
    nodes = {node.slug: node for node in the_map.nodes}
    assert nodes["embeddings"].outside_prerequisites == ("linear-algebra",)
    assert nodes["pipelines"].outside_prerequisites == ()
    [outside] = the_map.outside
    assert (outside.slug, outside.name, outside.hours) == ("linear-algebra", "Linear-Algebra", 30)
    assert outside.needed_by == ("embeddings",)
    assert "linear-algebra" not in {node.slug for node in the_map.nodes}
    assert the_map.names["linear-algebra"] == "Linear-Algebra"


def test_archived_skills_are_drawn_only_for_those_who_recorded_them():
    catalogue = dict(CATALOGUE)
    catalogue["sql"] = SkillData("sql", "Sql", 20, archived=True)
    the_map = build_map(STEPS, catalogue)
    assert the_map.steps[0].hours == 40  # archived hours count for nobody

    def drawn(overlay):
        return [item.node.slug for item in view(the_map, overlay)[0].nodes]

    assert drawn(None) == ["python"]
    assert drawn(NodeStatesOverlay({})) == ["python"]
    assert drawn(NodeStatesOverlay({"sql": NodeState(status="done")})) == ["python", "sql"]


def test_the_map_is_loaded_from_the_database_and_cached(db, django_assert_max_num_queries):
    track = make_track(n_steps=2, skills_per_step=2)
    outside = SkillFactory(name="Linear algebra", hours=30)
    first = track.steps.first().step_skills.first().skill
    first.prerequisites.add(outside)
    with django_assert_max_num_queries(4):
        the_map = track_map(track)
    assert the_map.track == track.slug
    assert [o.slug for o in the_map.outside] == [outside.slug]
    assert len(the_map.nodes) == 4
    with django_assert_max_num_queries(0):
        assert track_map(track.slug) == the_map
    assert track_map("no-such-track") is None


# The page ---------------------------------------------------------------------------


@pytest.fixture
def track(db):
    track = TrackFactory(slug="data", name="Data")
    basics = StepFactory(track=track, title="Basics")
    cleaning = StepFactory(track=track, title="Cleaning")
    python = StepSkillFactory(step=basics, skill=SkillFactory(slug="python", name="Python")).skill
    StepSkillFactory(step=basics, importance="optional", skill=SkillFactory(slug="sql", name="Sql"))
    dedup = StepSkillFactory(step=cleaning, skill=SkillFactory(slug="dedup", name="Dedup")).skill
    dedup.prerequisites.add(python)
    maths = SkillFactory(slug="maths", name="Maths", hours=30)
    python.prerequisites.add(maths)
    return track


def _page(client, track):
    response = client.get(reverse("careers:track", args=[track.slug]))
    assert response.status_code == 200
    return response.content.decode()


def test_visitors_see_the_map_as_links_without_statuses(client, track):
    body = _page(client, track)
    assert 'id="node-python"' in body and 'href="/skills/python/"' in body
    assert "Needed first, from outside this track" in body and 'id="node-maths"' in body
    assert 'data-prerequisites="maths"' in body and 'data-unlocks="dedup"' in body
    assert "Not started" not in body and "status-controls" not in body
    assert "Sign up" in body


def test_the_owner_sees_statuses_marks_step_progress_and_readiness(client, track, mentee):
    python = track.steps.first().step_skills.first().skill
    set_progress(mentee, python, status="done")
    SkillProgress.objects.filter(user=mentee, skill=python).update(verified_at="2026-01-01T00:00Z")
    client.force_login(mentee)
    body = _page(client, track)
    assert 'class="map-node status-verified is-core' in body
    assert "Done, verified by a mentor" in body
    assert 'id="node-dedup"' in body and "next step" in body
    assert 'id="track-readiness"' in body and "1 of 2 core skills done" in body
    assert "1 of 1 core done" in body


def test_a_blocked_node_names_its_blocker(client, track, stranger):
    client.force_login(stranger)
    body = _page(client, track)
    assert "needs Maths" in body  # python waits for a skill from outside the track
    assert "needs Python" in body


@pytest.mark.parametrize("size", [3, 30])
def test_track_page_queries_stay_fixed(client, mentee, django_assert_max_num_queries, size):
    track = make_track(n_steps=size // 3, skills_per_step=3)
    with django_assert_max_num_queries(6):  # a cold cache: the map is built
        client.get(reverse("careers:track", args=[track.slug]))
    with django_assert_max_num_queries(2):  # then only the track and its transitions
        client.get(reverse("careers:track", args=[track.slug]))
    client.force_login(mentee)
    cache.clear()
    with django_assert_max_num_queries(16):  # and the gap analysis' catalogue
        client.get(reverse("careers:track", args=[track.slug]))
    with django_assert_max_num_queries(6):
        assert client.get(reverse("careers:track", args=[track.slug])).status_code == 200


def test_the_skill_panel_is_a_fragment_for_htmx_and_a_page_otherwise(client, track, mentee):
    client.force_login(mentee)
    url = reverse("careers:skill", args=["dedup"]) + "?track=data"
    fragment = client.get(url, HTTP_HX_REQUEST="true")
    assert fragment.status_code == 200 and "HX-Request" in fragment["Vary"]
    body = fragment.content.decode()
    assert "<html" not in body and 'id="panel-title"' in body
    assert 'name="track" value="data"' in body  # status changes redraw the map behind
    assert "Cleaning" in body  # where the skill sits in this track
    page = client.get(reverse("careers:skill", args=["dedup"])).content.decode()
    assert "<html" in page and "<h1" in page


def test_a_status_change_from_the_panel_redraws_the_map_out_of_band(client, track, mentee):
    client.force_login(mentee)
    response = client.post(
        reverse("profiles:set_status", args=["python"]),
        {"status": "done", "track": "data"},
        HTTP_HX_REQUEST="true",
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert 'id="map-steps" hx-swap-oob="true"' in body
    assert 'id="track-readiness" aria-live="polite" hx-swap-oob="true"' in body
    assert 'class="map-node status-done is-core' in body


def test_the_panel_of_an_unknown_skill_is_a_404(client, db):
    assert client.get("/skills/nope/?track=data", HTTP_HX_REQUEST="true").status_code == 404


def test_a_note_saved_from_the_panel_is_confirmed_in_place(client, track, mentee):
    client.force_login(mentee)
    response = client.post(
        reverse("profiles:set_status", args=["python"]),
        {"note": "Half way", "evidence_url": "https://example.com/repo"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert "Note and link saved." in response.content.decode()
    bad = client.post(
        reverse("profiles:set_status", args=["python"]),
        {"evidence_url": "javascript:alert(1)"},
        HTTP_HX_REQUEST="true",
    )
    assert bad.status_code == 422
    refused = bad.content.decode()
    assert "Note and link saved." not in refused
    # The form itself comes back, for the panel to swap in place, the error beside the link.
    assert refused.lstrip().startswith("<form") and 'id="note-form"' in refused
    assert 'id="evidence-errors"' in refused and "javascript:alert(1)" in refused
    assert "<html" not in refused
