import pytest
from django.urls import reverse

from careers.models import Track

from .factories import (
    ResourceFactory,
    SkillFactory,
    StepSkillFactory,
    TrackFactory,
    TransitionFactory,
    make_track,
)

pytestmark = pytest.mark.django_db


def test_landing_shows_published_tracks_only(client):
    make_track(name="Data engineer")
    TrackFactory(name="Secret draft", published=False)
    response = client.get("/")
    assert response.status_code == 200
    assert "Data engineer" in response.content.decode()
    assert "Secret draft" not in response.content.decode()


def test_track_list_shows_total_hours(client):
    make_track(n_steps=2, skills_per_step=3, name="Data engineer")  # 6 skills x 10 h
    response = client.get(reverse("careers:tracks"))
    assert "Data engineer" in response.content.decode()
    assert "60 hours" in response.content.decode()


def test_track_page_shows_steps_skills_and_hours(client):
    track = make_track(n_steps=2, skills_per_step=2)
    step = track.steps.first()
    StepSkillFactory(step=step, importance="optional", skill=SkillFactory(name="Extra", hours=5))
    target = TrackFactory(name="Deployment")
    TransitionFactory(from_track=track, to_track=target, why="Serving builds on the platform.")
    response = client.get(track.get_absolute_url())
    body = response.content.decode()
    assert response.status_code == 200
    assert 'class="map-node status-none is-optional' in body and "optional" in body
    assert "Extra" in body
    assert "45 hours" in body  # total
    assert "40 hours" in body  # core only
    assert "Serving builds on the platform." in body


def test_archived_skill_is_not_on_the_roadmap(client):
    track = make_track(n_steps=1, skills_per_step=1)
    StepSkillFactory(step=track.steps.first(), skill=SkillFactory(name="Legacy", archived=True))
    assert "Legacy" not in client.get(track.get_absolute_url()).content.decode()


def test_draft_track_is_a_404(client):
    track = TrackFactory(published=False)
    response = client.get(track.get_absolute_url())
    assert response.status_code == 404


def test_skill_page_shows_resources_prerequisites_unlocks_and_tracks(client):
    base = SkillFactory(name="Python")
    skill = SkillFactory(name="Deduplication")
    skill.prerequisites.add(base)
    advanced = SkillFactory(name="Fuzzy dedup")
    advanced.prerequisites.add(skill)
    ResourceFactory(skill=skill, title="text-dedup", url="https://github.com/x/text-dedup")
    link = StepSkillFactory(skill=skill)
    body = client.get(skill.get_absolute_url()).content.decode()
    for expected in ("Python", "Fuzzy dedup", "text-dedup", link.track.name, link.step.title):
        assert expected in body


@pytest.mark.parametrize("url", ["/tracks/nope/", "/skills/nope/", "/nope/"])
def test_unknown_slug_is_a_404_in_the_site_layout(client, url):
    response = client.get(url)
    assert response.status_code == 404
    body = response.content.decode()
    assert "Page not found" in body
    assert "SkillPath" in body


def test_healthz_reports_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_language_switch_shows_chinese_content(client):
    track = make_track(name="Data engineer", name_zh_hans="大模型数据工程师")
    response = client.post(
        reverse("set_language"), {"language": "zh-hans", "next": track.get_absolute_url()}
    )
    assert response.status_code == 302
    body = client.get(track.get_absolute_url()).content.decode()
    assert "大模型数据工程师" in body
    assert '<html lang="zh-hans">' in body


def test_browser_language_is_honoured(client):
    track = make_track(name="Data engineer", name_zh_hans="大模型数据工程师")
    body = client.get(track.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="zh-CN,zh;q=0.9").content
    assert "大模型数据工程师" in body.decode()


def _queries_for(client, django_assert_max_num_queries, url, budget):
    with django_assert_max_num_queries(budget) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("size", [3, 30])
def test_track_page_queries_do_not_grow_with_skills(client, django_assert_max_num_queries, size):
    track = make_track(n_steps=size // 3, skills_per_step=3)
    target = TrackFactory()
    TransitionFactory(from_track=track, to_track=target)
    _queries_for(client, django_assert_max_num_queries, track.get_absolute_url(), 5)


@pytest.mark.parametrize("size", [3, 30])
def test_skill_page_queries_do_not_grow(client, django_assert_max_num_queries, size):
    skill = SkillFactory()
    for _ in range(size):
        other = SkillFactory()
        skill.prerequisites.add(other)
        ResourceFactory(skill=skill)
        StepSkillFactory(skill=skill)
    _queries_for(client, django_assert_max_num_queries, skill.get_absolute_url(), 6)


@pytest.mark.parametrize("size", [2, 12])
def test_list_pages_queries_do_not_grow_with_tracks(client, django_assert_max_num_queries, size):
    for _ in range(size):
        make_track(n_steps=1, skills_per_step=2)
    assert Track.objects.count() == size
    _queries_for(client, django_assert_max_num_queries, "/", 2)
    _queries_for(client, django_assert_max_num_queries, reverse("careers:tracks"), 2)
