"""E-mails come from SkillPath by name, in the recipient's language, as plain text and HTML."""

import pytest
from django.core import mail
from django.test import override_settings
from django.urls import reverse

from profiles import mentorship as logic
from profiles.models import Mentorship, Profile

from .factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-unusual-passphrase-42"


def _html(message) -> str:
    (html, mimetype), *_ = message.alternatives
    assert mimetype == "text/html"
    return html


def _sign_up(client, email="new@example.com"):
    return client.post(
        reverse("account_signup"), {"email": email, "password1": PASSWORD, "password2": PASSWORD}
    )


@override_settings(ACCOUNT_EMAIL_VERIFICATION="mandatory")
def test_the_confirmation_mail_is_from_skillpath_with_two_parts(client, settings):
    settings.CONFIGURED_SITE_URL = "https://skillpath.example.com"
    _sign_up(client)
    (message,) = mail.outbox
    assert message.subject == "SkillPath: Confirm your e-mail address"
    assert message.from_email.startswith("SkillPath <")
    assert message.body.startswith("Hello from SkillPath,")
    assert "Hello from testserver" not in message.body
    assert "https://skillpath.example.com/" in message.body
    assert "/accounts/confirm-email/" in message.body
    html = _html(message)
    assert "<a href=" in html and "/accounts/confirm-email/" in html
    assert '<html lang="en">' in html


def test_mail_sent_outside_a_request_names_the_site_by_site_url_s_host(settings):
    from profiles.emails import Site, current_site

    settings.SITE_URL = "https://skillpath.example.com"
    assert current_site() == Site(name="SkillPath", domain="skillpath.example.com")


def test_a_password_reset_mail_speaks_the_recipients_language(client):
    user = UserFactory(email="me@example.com")
    Profile.objects.filter(user=user).update(language="zh-hans")
    client.post(reverse("account_reset_password"), {"email": "me@example.com"})
    (message,) = mail.outbox
    assert message.subject == "SkillPath: 设置新密码"
    assert "/accounts/password/reset/key/" in message.body
    assert '<html lang="zh-hans">' in _html(message)


def test_the_invitation_mail_names_the_mentee_and_the_expiry(client, mentee):
    client.force_login(mentee)
    client.post(reverse("profiles:invite"), {"email": "future@example.com"})
    (message,) = mail.outbox
    assert message.subject == "SkillPath: mentee invites you to be their mentor"
    assert "/mentoring/accept/" in message.body and "valid until" in message.body
    assert "/mentoring/accept/" in _html(message)


def test_a_mentor_note_mail_is_in_the_mentees_language_and_escaped(mentee):
    Profile.objects.filter(user=mentee).update(language="zh-hans")
    mentee.refresh_from_db()
    mentorship = Mentorship.objects.create(mentee=mentee, mentor=UserFactory(username="mentor"))
    logic.add_note(mentorship, "Good work\n<b>next</b>: RAG", url="https://x.example/me/")
    (message,) = mail.outbox
    assert message.subject == "SkillPath: 你的导师 mentor 给你留言了"
    assert "Good work\n<b>next</b>: RAG" in message.body
    assert "&lt;b&gt;next&lt;/b&gt;" in _html(message) and "<br>" in _html(message)
