"""A mentor's verification shows wherever a status does: roadmap, skill page, dashboard."""

import pytest
from django.utils import timezone

from careers.models import Skill
from profiles.models import MentorNote, Mentorship, Profile, SkillProgress
from profiles.progress import set_progress

from .factories import UserFactory, make_track

pytestmark = pytest.mark.django_db

MARK = '<span class="status-badge status-verified">✔✔ verified</span>'


@pytest.fixture
def verified(mentee):
    track = make_track(n_steps=1, skills_per_step=2)
    Profile.objects.filter(user=mentee).update(target_track=track)
    first, second = Skill.objects.filter(step_skills__track=track).order_by("step_skills__order")
    set_progress(mentee, first, status="done")
    set_progress(mentee, second, status="done")
    SkillProgress.objects.filter(user=mentee, skill=first).update(
        verified_by=UserFactory(username="mentor"), verified_at=timezone.now()
    )
    return track, first, second


def _node(body: str, slug: str) -> str:
    start = body.index(f'id="node-{slug}"')
    return body[start : body.index("</li>", start)]


def test_the_roadmap_marks_the_verified_skill_only(client, mentee, verified):
    track, first, second = verified
    client.force_login(mentee)
    body = client.get(track.get_absolute_url()).content.decode()
    assert "Done, verified by a mentor" in _node(body, first.slug)
    assert "Done, verified by a mentor" not in _node(body, second.slug)


def test_the_skill_page_marks_it(client, mentee, verified):
    _, first, second = verified
    client.force_login(mentee)
    assert MARK in client.get(first.get_absolute_url()).content.decode()
    assert MARK not in client.get(second.get_absolute_url()).content.decode()


def test_the_panel_beside_the_map_shows_the_verification_and_the_mentors_notes(
    client, mentee, verified
):
    track, first, second = verified
    mentor = SkillProgress.objects.get(user=mentee, skill=first).verified_by
    mentorship = Mentorship.objects.create(mentee=mentee, mentor=mentor)
    MentorNote.objects.create(mentorship=mentorship, skill=first, text="Solid dedup pipeline.")
    client.force_login(mentee)
    url = f"{first.get_absolute_url()}?track={track.slug}"
    panel = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert 'id="panel-title"' in panel and "<html" not in panel
    assert MARK in panel and "Verified by mentor on" in panel
    assert "Notes from mentors" in panel and "Solid dedup pipeline." in panel
    other = client.get(f"{second.get_absolute_url()}?track={track.slug}", HTTP_HX_REQUEST="true")
    assert MARK not in other.content.decode()
    assert "Solid dedup pipeline." not in other.content.decode()


def test_the_dashboard_says_who_verified_it(client, mentee, verified):
    client.force_login(mentee)
    body = client.get("/me/").content.decode()
    assert "verified by mentor on" in body and "1 of 2 done skills verified" in body


def test_setting_the_status_back_removes_the_mark(client, mentee, verified):
    _, first, _ = verified
    client.force_login(mentee)
    client.post(f"/me/skills/{first.slug}/", {"status": "learning"})
    assert MARK not in client.get(first.get_absolute_url()).content.decode()
