"""Sign-up, log-in by e-mail, onboarding, settings and language preference (allauth)."""

import re
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from profiles.models import Profile

from .factories import UserFactory, make_track

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-unusual-passphrase-42"


def sign_up(client, email="new@example.com", password=PASSWORD):
    return client.post(
        reverse("account_signup"),
        {"email": email, "password1": password, "password2": password},
    )


def confirmation_link(message) -> str:
    return re.search(r"https?://\S+/accounts/confirm-email/\S+/", message.body).group(0)


def test_sign_up_confirms_the_email_then_starts_onboarding(client):
    response = sign_up(client)
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    profile = Profile.objects.get(user__email="new@example.com")
    assert profile.visibility == "mentors" and profile.weekly_hours == 8
    # Not signed in until the address is confirmed.
    assert client.get("/me/").status_code == 302
    (message,) = mail.outbox
    path = urlsplit(confirmation_link(message)).path
    response = client.post(path)
    assert response.status_code == 302
    assert response["Location"] == "/me/welcome/"
    assert client.get("/me/").status_code == 200


def test_signing_up_with_a_taken_address_answers_like_a_new_one(client):
    """Enumeration prevention: the same answer; the owner is told by mail."""
    UserFactory(email="taken@example.com")
    fresh = sign_up(client, email="fresh@example.com")
    for email in ["taken@example.com", "TAKEN@Example.com"]:
        taken = sign_up(client, email=email)
        assert (taken.status_code, taken["Location"]) == (fresh.status_code, fresh["Location"])
    body = client.get(fresh["Location"]).content.decode()
    assert "already" not in body
    assert Profile.objects.filter(user__email__iexact="taken@example.com").count() == 1
    # One mail to the owner: allauth's cooldown holds back the second within minutes.
    assert [m.to for m in mail.outbox] == [["fresh@example.com"], ["taken@example.com"]]
    assert "already" in mail.outbox[1].body.lower()


def test_weak_password_is_refused_with_a_message(client):
    response = sign_up(client, password="12345678")
    assert response.status_code == 200
    assert "too common" in response.content.decode() or "entirely numeric" in (
        response.content.decode()
    )
    assert not Profile.objects.exists()


def test_log_in_by_email(client):
    UserFactory(email="me@example.com", password=PASSWORD)
    response = client.post(
        reverse("account_login"), {"login": "me@example.com", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == "/me/"


def test_failed_logins_are_rate_limited(client):
    UserFactory(email="me@example.com", password=PASSWORD)
    for _ in range(6):
        response = client.post(
            reverse("account_login"), {"login": "me@example.com", "password": "wrong"}
        )
    assert "Too many failed login attempts" in response.content.decode()
    # Even the right password is refused until the limit expires.
    response = client.post(
        reverse("account_login"), {"login": "me@example.com", "password": PASSWORD}
    )
    assert response.status_code == 200


def test_admin_login_goes_through_the_rate_limited_login(client):
    response = client.get("/admin/login/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_an_unconfirmed_address_cannot_log_in(client):
    UserFactory(email="unconfirmed@example.com", password=PASSWORD, verified_email=False)
    response = client.post(
        reverse("account_login"), {"login": "unconfirmed@example.com", "password": PASSWORD}
    )
    assert response["Location"] == reverse("account_email_verification_sent")
    assert client.get("/me/").status_code == 302
    assert mail.outbox[0].to == ["unconfirmed@example.com"]


@override_settings(ACCOUNT_EMAIL_VERIFICATION="optional")
def test_optional_confirmation_logs_in_at_once(client):
    response = sign_up(client)
    assert response["Location"] == "/me/welcome/"


def test_password_reset_sends_mail(client):
    UserFactory(email="me@example.com")
    client.post(reverse("account_reset_password"), {"email": "me@example.com"})
    assert len(mail.outbox) == 1


def test_account_pages_use_the_site_layout(client):
    body = client.get(reverse("account_login")).content.decode()
    assert 'class="site-header"' in body and "Skip to content" in body


def test_onboarding_sets_track_background_and_hours(client, mentee):
    track = make_track()
    client.force_login(mentee)
    response = client.post(
        reverse("profiles:welcome"),
        {"target_track": track.pk, "background": "software", "weekly_hours": 6},
    )
    assert response["Location"] == track.get_absolute_url()
    profile = Profile.objects.get(user=mentee)
    assert (profile.target_track, profile.background, profile.weekly_hours) == (
        track,
        "software",
        6,
    )
    assert profile.onboarded


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"weekly_hours": 0}, "greater than or equal to 1"),
        ({"weekly_hours": 500}, "less than or equal to 80"),
        ({"visibility": "everyone"}, "Select a valid choice"),
        ({"target_track": 999999}, "Select a valid choice"),
    ],
)
def test_settings_refuse_bad_input_clearly(client, mentee, data, message):
    client.force_login(mentee)
    form = {"weekly_hours": 8, "visibility": "private", "language": "", "background": ""}
    response = client.post(reverse("profiles:settings"), {**form, **data})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Profile.objects.get(user=mentee).visibility == "mentors"


def test_settings_save_and_draft_tracks_are_not_offered(client, mentee):
    draft = make_track(published=False)
    client.force_login(mentee)
    assert draft.name not in client.get(reverse("profiles:settings")).content.decode()
    response = client.post(
        reverse("profiles:settings"),
        {"weekly_hours": 10, "visibility": "public", "language": "zh-hans", "background": ""},
    )
    assert response.status_code == 302
    profile = Profile.objects.get(user=mentee)
    assert (profile.weekly_hours, profile.visibility, profile.language) == (
        10,
        "public",
        "zh-hans",
    )


def test_saved_language_applies_after_login_unless_the_switcher_says_otherwise(client):
    user = UserFactory(email="zh@example.com", password=PASSWORD)
    Profile.objects.filter(user=user).update(language="zh-hans")
    client.post(reverse("account_login"), {"login": "zh@example.com", "password": PASSWORD})
    assert '<html lang="zh-hans">' in client.get("/tracks/").content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": "/tracks/"})
    assert '<html lang="en">' in client.get("/tracks/").content.decode()


def test_demo_learners_sign_in_with_the_demo_password(client):
    from demo.generator import DEMO_PASSWORD, DemoSpec, generate

    generate(DemoSpec(users=2, tracks=1, skills_per_track=5), now=timezone.now(), stream=None)
    user = Profile.objects.filter(user__username__startswith="demo-").first().user
    response = client.post(
        reverse("account_login"), {"login": user.email, "password": DEMO_PASSWORD}
    )
    assert response.status_code == 302 and response["Location"] == "/me/"
