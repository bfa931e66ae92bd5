"""A learner's optional display name: set in the settings, shown on the transcript, to mentors
and on a public profile, falling back to the username; exported, deleted, always escaped."""

import json
from datetime import timedelta
from unittest import mock
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from careers.models import Skill
from profiles import digests
from profiles.models import PlanSettings, Profile
from profiles.progress import set_progress

from .factories import make_track
from .test_transcript_report import _pdf_objects

pytestmark = pytest.mark.django_db

SETTINGS = {"weekly_hours": 8, "visibility": "mentors", "language": "", "background": ""}
HOSTILE = '<script>alert("x")</script>'


@pytest.fixture
def track(db):
    return make_track(n_steps=1, skills_per_step=2, name="Platform")


def named(user, name, **fields):
    Profile.objects.filter(user=user).update(display_name=name, **fields)
    user.refresh_from_db()
    return user


def test_settings_save_the_name_stripped_and_show_its_label_and_hint(client, mentee):
    client.force_login(mentee)
    page = client.get(reverse("profiles:settings")).content.decode()
    assert "Your name" in page and "shown on your transcript and to your mentors" in page
    assert 'maxlength="100"' in page and 'autocomplete="name"' in page
    form = {**SETTINGS, "display_name": "  Ada Lovelace  "}
    assert client.post(reverse("profiles:settings"), form).status_code == 302
    assert Profile.objects.get(user=mentee).display_name == "Ada Lovelace"


def test_the_settings_label_hint_and_error_are_translated(client, mentee):
    client.force_login(mentee)
    client.post(reverse("set_language"), {"language": "zh-hans", "next": "/"})
    page = client.get(reverse("profiles:settings")).content.decode()
    assert "你的名字" in page and "显示在你的技能成绩单上，也显示给你的导师" in page
    form = {**SETTINGS, "language": "zh-hans", "display_name": "Ada\tLovelace"}
    page = client.post(reverse("profiles:settings"), form).content.decode()
    assert "名字中含有不可见字符或控制字符" in page


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("x" * 101, "at most 100 characters"),
        ("Ada\tLovelace", "invisible or control characters"),
        ("Ada\nLovelace", "invisible or control characters"),
        ("Ada \u202eecalevoL", "invisible or control characters"),
    ],
)
def test_a_bad_name_is_refused_beside_its_field_and_nothing_is_saved(client, mentee, name, message):
    named(mentee, "Before")
    client.force_login(mentee)
    form = {**SETTINGS, "visibility": "public", "display_name": name}
    response = client.post(reverse("profiles:settings"), form)
    assert response.status_code == 200
    assert message in response.content.decode()
    profile = Profile.objects.get(user=mentee)
    assert (profile.display_name, profile.visibility) == ("Before", "mentors")


def test_a_nul_in_the_name_is_a_400_and_nothing_is_saved(client, mentee):
    named(mentee, "Before")
    client.force_login(mentee)
    form = {**SETTINGS, "visibility": "public", "display_name": "Ada\x00"}
    assert client.post(reverse("profiles:settings"), form).status_code == 400
    profile = Profile.objects.get(user=mentee)
    assert (profile.display_name, profile.visibility) == ("Before", "mentors")


def test_joiners_that_names_are_written_with_are_accepted(client, mentee):
    client.force_login(mentee)
    form = {**SETTINGS, "display_name": "مهر\u200cناز"}
    assert client.post(reverse("profiles:settings"), form).status_code == 302
    assert Profile.objects.get(user=mentee).display_name == "مهر\u200cناز"


def test_an_empty_name_falls_back_to_the_username(mentee):
    assert named(mentee, "").profile.shown_name == "mentee"
    assert named(mentee, "Ada Lovelace").profile.shown_name == "Ada Lovelace"


def test_the_transcript_is_titled_with_the_name_or_the_username(client, mentee):
    client.force_login(mentee)
    page = client.get(reverse("profiles:report")).content.decode()
    assert "Skills transcript of mentee" in page
    named(mentee, "Ada Lovelace")
    page = client.get(reverse("profiles:report")).content.decode()
    assert "Skills transcript of Ada Lovelace" in page
    assert "Skills transcript of mentee" not in page


def test_the_pdf_names_its_author(client, mentee):
    named(mentee, "Ada Lovelace")
    client.force_login(mentee)
    response = client.get(reverse("profiles:report_pdf"))
    assert response.status_code == 200
    assert b"/Author (Ada Lovelace)" in _pdf_objects(response.content)


def test_a_mentor_reads_about_the_mentee_by_name(client, mentee, mentor, track):
    named(mentee, "Ada Lovelace", target_track=track)
    client.force_login(mentor)
    page = client.get(f"/u/{mentee.username}/").content.decode()
    assert "<h1>Ada Lovelace</h1>" in page
    assert "User name: mentee" in page
    assert "Ada Lovelace's readiness" in page
    assert "How close Ada Lovelace is to each track" in page
    roadmap = client.get(f"/u/{mentee.username}/roadmap/").content.decode()
    assert "Ada Lovelace's roadmap" in roadmap and f'href="/u/{mentee.username}/"' in roadmap
    mentees = client.get(reverse("profiles:mentoring")).content.decode()
    assert f'<a href="/u/{mentee.username}/">Ada Lovelace</a>' in mentees


def test_a_private_mentee_is_named_on_the_mentors_list_without_a_link(client, mentee, mentor):
    named(mentee, "Ada Lovelace", visibility="private")
    client.force_login(mentor)
    mentees = client.get(reverse("profiles:mentoring")).content.decode()
    assert "Ada Lovelace" in mentees and f"/u/{mentee.username}/" not in mentees
    assert client.get(f"/u/{mentee.username}/").status_code == 404


def test_a_stranger_gets_a_404_on_a_private_or_mentors_only_profile(client, mentee, stranger):
    named(mentee, "Ada Lovelace", visibility="private")
    client.force_login(stranger)
    assert client.get(f"/u/{mentee.username}/").status_code == 404
    Profile.objects.filter(user=mentee).update(visibility="mentors")
    response = client.get(f"/u/{mentee.username}/")
    assert response.status_code == 404 and "Ada Lovelace" not in response.content.decode()


def test_a_public_profile_shows_the_name_to_visitors(mentee):
    named(mentee, "Ada Lovelace", visibility="public")
    page = Client().get(f"/u/{mentee.username}/").content.decode()
    assert "<h1>Ada Lovelace</h1>" in page and "User name: mentee" in page


def test_the_mentor_digest_and_the_invitation_name_the_mentee(mentee, mentor, track):
    named(mentee, "Ada Lovelace", target_track=track)
    PlanSettings.objects.create(user=mentor, mentor_digest=True)
    skill = Skill.objects.filter(step_skills__track=track).first()
    with mock.patch("django.utils.timezone.now", return_value=timezone.now() - timedelta(7)):
        set_progress(mentee, skill, status="done")
    digests.send_due()
    (digest,) = mail.outbox
    assert "Ada Lovelace · Platform" in digest.body
    assert "Ada Lovelace · Platform" in digest.alternatives[0].content
    client = Client()
    client.force_login(mentee)
    client.post("/me/mentors/invite/", {"email": "future@example.com"})
    invitation = mail.outbox[-1]
    assert "Ada Lovelace invites you" in invitation.subject
    link = next(word for word in invitation.body.split() if "/mentoring/accept/" in word)
    visitor = Client().get(urlsplit(link).path)
    assert "Ada Lovelace invites you to be their mentor" in visitor.content.decode()


def test_the_export_holds_the_name_and_deletion_removes_it(client, mentee):
    named(mentee, "Ada Lovelace")
    client.force_login(mentee)
    data = json.loads(client.get(reverse("profiles:export")).content)
    assert data["profile"]["display_name"] == "Ada Lovelace"
    password = "correct horse battery staple"
    response = client.post(reverse("profiles:delete"), {"password": password})
    assert response.status_code == 302
    assert not Profile.objects.filter(display_name="Ada Lovelace").exists()


def test_the_name_is_escaped_everywhere_it_is_shown(client, mentee, mentor, track):
    named(mentee, HOSTILE, target_track=track, visibility="public")
    pages = []
    owner = Client()
    owner.force_login(mentee)
    pages.append(owner.get(reverse("profiles:report")).content.decode())
    client.force_login(mentor)
    pages.append(client.get(f"/u/{mentee.username}/").content.decode())
    pages.append(client.get(f"/u/{mentee.username}/roadmap/").content.decode())
    pages.append(client.get(reverse("profiles:mentoring")).content.decode())
    pages.append(Client().get(f"/u/{mentee.username}/").content.decode())
    for page in pages:
        assert "<script>alert" not in page
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
