"""/skills/: every skill, filtered by track, step, importance, effort and my status; sorted."""

import re

import pytest

from careers.models import Skill
from careers.search import IndexFilters, IndexRow, Placement, filter_index
from profiles.models import Mentorship
from profiles.progress import set_progress

from .factories import SkillFactory, StepFactory, StepSkillFactory, TrackFactory, make_track

pytestmark = pytest.mark.django_db
URL = "/skills/"


def rows(response) -> list[str]:
    return re.findall(r'<tr id="skill-([a-z0-9-]+)"', response.content.decode())


@pytest.fixture
def catalogue(db):
    """Two tracks; python shared; an optional long skill; a skill on no roadmap."""
    data = TrackFactory(slug="data", name="Data")
    infra = TrackFactory(slug="infra", name="Infra")
    basics = StepFactory(track=data, slug="basics", order=1)
    scale = StepFactory(track=data, slug="scale", order=2)
    gpus = StepFactory(track=infra, slug="gpus", order=1)
    python = SkillFactory(slug="python", name="Python", hours=30)
    dedup = SkillFactory(slug="dedup", name="Deduplication", hours=8)
    spark = SkillFactory(slug="spark", name="Spark", hours=60)
    cuda = SkillFactory(slug="cuda", name="CUDA", hours=40)
    SkillFactory(slug="lonely", name="Lonely", hours=5)
    StepSkillFactory(step=basics, skill=python, order=1)
    StepSkillFactory(step=basics, skill=dedup, order=2)
    StepSkillFactory(step=scale, skill=spark, importance="optional", order=1)
    StepSkillFactory(step=gpus, skill=python, order=1)
    StepSkillFactory(step=gpus, skill=cuda, order=2)
    return {s.slug: s for s in (python, dedup, spark, cuda)}


# Per role ------------------------------------------------------------------------


def test_a_visitor_sees_every_active_skill_by_name_without_a_status_filter(client, catalogue):
    SkillFactory(slug="old", name="Old", archived=True)
    response = client.get(URL)
    assert response.status_code == 200
    assert rows(response) == ["cuda", "dedup", "lonely", "python", "spark"]
    body = response.content.decode()
    assert 'name="status"' not in body
    assert "Data › " in body and "Infra › " in body


def test_the_owner_filters_by_their_status(client, catalogue, mentee):
    set_progress(mentee, catalogue["python"], status="done")
    set_progress(mentee, catalogue["spark"], status="learning")
    client.force_login(mentee)
    assert rows(client.get(URL, {"status": "done"})) == ["python"]
    assert rows(client.get(URL, {"status": "learning"})) == ["spark"]
    assert rows(client.get(URL, {"status": "none"})) == ["cuda", "dedup", "lonely"]
    assert "status-done" in client.get(URL).content.decode()


@pytest.mark.parametrize("role", ["mentor", "stranger", "staff"])
def test_others_filter_by_their_own_statuses_only(
    client, catalogue, mentee, role, django_user_model
):
    set_progress(mentee, catalogue["python"], status="done")
    other = django_user_model.objects.create_user(
        role, f"{role}@example.com", "pw", is_staff=role == "staff"
    )
    if role == "mentor":
        Mentorship.objects.create(mentee=mentee, mentor=other)
    client.force_login(other)
    assert rows(client.get(URL, {"status": "done"})) == []
    assert "status-done" not in client.get(URL).content.decode()


def test_a_visitors_status_filter_is_ignored(client, catalogue):
    assert len(rows(client.get(URL, {"status": "done"}))) == 5


# Filters and sorting ----------------------------------------------------------------


def test_filter_by_track_step_importance_and_effort(client, catalogue):
    assert rows(client.get(URL, {"track": "infra"})) == ["cuda", "python"]
    assert rows(client.get(URL, {"track": "data", "step": "basics"})) == ["dedup", "python"]
    assert rows(client.get(URL, {"track": "data", "importance": "optional"})) == ["spark"]
    assert rows(client.get(URL, {"importance": "core"})) == ["cuda", "dedup", "python"]
    assert rows(client.get(URL, {"effort": "short"})) == ["dedup", "lonely"]
    assert rows(client.get(URL, {"effort": "medium"})) == ["cuda", "python"]
    assert rows(client.get(URL, {"effort": "long"})) == ["spark"]


def test_sort_by_hours_or_roadmap_order(client, catalogue):
    by_hours = ["lonely", "dedup", "python", "cuda", "spark"]
    assert rows(client.get(URL, {"sort": "hours"})) == by_hours
    assert rows(client.get(URL, {"sort": "-hours"}))[0] == "spark"
    assert rows(client.get(URL, {"track": "data", "sort": "roadmap"})) == [
        "python",
        "dedup",
        "spark",
    ]


@pytest.mark.parametrize(
    "query",
    [{"track": "no-such-track"}, {"effort": "forever"}, {"sort": "random"}, {"step": "x"}],
)
def test_bad_filters_are_a_400_with_a_message_and_every_skill(client, catalogue, query):
    response = client.get(URL, {"track": "data", **query} if "step" in query else query)
    assert response.status_code == 400
    body = response.content.decode()
    assert "is not a choice for this filter" in body
    assert len(rows(response)) == 5


def test_nothing_passing_the_filters_says_so(client, catalogue):
    body = client.get(URL, {"track": "infra", "importance": "optional"}).content.decode()
    assert "No skill passes these filters." in body


def test_long_lists_are_paginated_by_a_hundred_and_keep_their_filters(client):
    Skill.objects.bulk_create(
        Skill(slug=f"s-{i:04}", name=f"S {i:04}", summary="s", description="d", hours=3)
        for i in range(250)
    )
    first = client.get(URL)
    assert len(rows(first)) == 100 and "Page 1 of 3" in first.content.decode()
    last = client.get(URL, {"page": 3, "effort": "short"})
    assert len(rows(last)) == 50 and "effort=short" in last.content.decode()


def test_filter_index_marks_statuses_only_for_a_signed_in_person():
    place = Placement("t", "T", "s", "S", core=True, position=0)
    index = [IndexRow("a", "A", "", 5, [place]), IndexRow("b", "B", "", 50, [])]
    assert [r.status for r in filter_index(index, IndexFilters(), None)] == ["", ""]
    marked = filter_index(index, IndexFilters(), {"a": "done"})
    assert [(r.slug, r.status) for r in marked] == [("a", "done"), ("b", "none")]
    assert [r.slug for r in filter_index(index, IndexFilters(track="t"), {})] == ["a"]


# Query budget --------------------------------------------------------------------


@pytest.mark.parametrize("signed_in", [False, True])
def test_the_query_count_does_not_grow_with_the_catalogue(
    client, mentee, django_assert_max_num_queries, signed_in
):
    if signed_in:
        client.force_login(mentee)
    make_track(n_steps=1, skills_per_step=2)
    with django_assert_max_num_queries(7):
        small = client.get(URL, {"sort": "roadmap"})
    for _ in range(4):
        make_track(n_steps=3, skills_per_step=8)
    with django_assert_max_num_queries(7):
        large = client.get(URL, {"sort": "roadmap"})
    assert len(rows(large)) > len(rows(small)) > 0
