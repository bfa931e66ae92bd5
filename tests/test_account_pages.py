"""allauth's pages in the site's layout: plain labels, and each error beside its own field."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _field_blocks(body: str) -> list[str]:
    return re.findall(r'<div class="field[^"]*">(.*?)</div>', body, re.S)


def test_log_in_says_log_in_with_remember_me_beside_its_checkbox(client):
    body = client.get(reverse("account_login")).content.decode()
    assert "<h1>Log in</h1>" in body and ">Log in</button>" in body
    assert "Sign In" not in body and "Remember Me" not in body
    remember = r'<label><input type="checkbox" name="remember"[^>]*> Remember me</label>'
    assert re.search(remember, body)
    assert 'class="site-header"' in body


def test_sign_up_says_sign_up(client):
    body = client.get(reverse("account_signup")).content.decode()
    assert "<h1>Sign up</h1>" in body and ">Sign up</button>" in body
    assert "Sign Up" not in body


def test_a_password_error_sits_under_the_password_field(client):
    response = client.post(
        reverse("account_signup"),
        {"email": "new@example.com", "password1": "a-long-unusual-42", "password2": "different"},
    )
    blocks = _field_blocks(response.content.decode())
    email = next(block for block in blocks if 'name="email"' in block)
    again = next(block for block in blocks if 'name="password2"' in block)
    assert "errorlist" not in email
    assert "You must type the same password each time." in again
    assert again.index('name="password2"') < again.index("errorlist")


def test_a_wrong_password_is_said_once_above_the_form(client):
    response = client.post(
        reverse("account_login"), {"login": "nobody@example.com", "password": "wrong-password"}
    )
    body = response.content.decode()
    assert body.count("The email address and/or password you specified are not correct.") == 1
    assert '<div class="message error" role="alert">' in body


def test_password_pages_speak_plainly(client, mentee):
    body = client.get(reverse("account_reset_password")).content.decode()
    assert "<h1>Reset your password</h1>" in body and "Password Reset" not in body
    client.force_login(mentee)
    body = client.get(reverse("account_change_password")).content.decode()
    assert "<h1>Change password</h1>" in body and "Change Password" not in body
