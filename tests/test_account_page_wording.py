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


# E-mail addresses and their confirmation -------------------------------------------------


def test_email_addresses_page_uses_the_site_wording(client, mentee):
    from allauth.account.models import EmailAddress

    EmailAddress.objects.create(user=mentee, email="second@example.com", verified=False)
    client.force_login(mentee)
    body = client.get(reverse("account_email")).content.decode()
    assert "<h1>E-mail addresses</h1>" in body and "Email Addresses" not in body
    assert 'class="site-header"' in body and 'class="stacked auth-form"' in body
    assert '<span class="badge badge-ok">Confirmed</span>' in body
    assert '<span class="badge badge-warn">Not confirmed</span>' in body
    assert ">Remove the address</button>" in body and "<script data-allauth" not in body
    # Removing asks first, from static/js/site.js: no inline script (the CSP refuses them).
    assert 'data-confirm="Remove the chosen e-mail address from your account?"' in body


def test_email_addresses_page_still_sets_the_primary_address(client, mentee):
    from allauth.account.models import EmailAddress

    EmailAddress.objects.create(user=mentee, email="second@example.com", verified=True)
    client.force_login(mentee)
    client.post(reverse("account_email"), {"action_primary": "", "email": "second@example.com"})
    assert EmailAddress.objects.get(user=mentee, primary=True).email == "second@example.com"


def test_email_addresses_page_in_chinese(client, mentee):
    client.force_login(mentee)
    body = client.get(reverse("account_email"), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert (
        "<h1>邮箱地址</h1>" in body
        and 'data-confirm="要从你的账户中删除所选的邮箱地址吗？"' in body
    )


def test_confirm_page_uses_the_site_wording(client):
    from allauth.account.models import EmailAddress, EmailConfirmationHMAC

    from .factories import UserFactory

    user = UserFactory(username="newcomer", verified_email=False)
    address = EmailAddress.objects.create(user=user, email=user.email, primary=True)
    key = EmailConfirmationHMAC(address).key
    body = client.get(reverse("account_confirm_email", args=[key])).content.decode()
    assert "<h1>Confirm your e-mail address</h1>" in body and "Confirm Email Address" not in body
    assert "<strong>newcomer@example.com</strong>" in body and ">Confirm</button>" in body
    expired = client.get(reverse("account_confirm_email", args=["not-a-key"])).content.decode()
    assert "This confirmation link has expired or is not valid." in expired


# The pages around sign-up, reset and log-out: the site's words, not allauth's -------------


@pytest.mark.parametrize(
    ("path", "heading", "stock"),
    [
        ("/accounts/confirm-email/", "Check your e-mail", "Verify Your Email Address"),
        ("/accounts/password/reset/done/", "Check your e-mail", "Password Reset"),
        ("/accounts/password/reset/key/1-not-a-key/", "This link no longer works", "Bad Token"),
    ],
)
def test_pages_after_sign_up_and_reset_speak_plainly(client, path, heading, stock):
    body = client.get(path).content.decode()
    assert f"<h1>{heading}</h1>" in body and stock not in body
    assert 'class="site-header"' in body


def test_the_new_password_form_from_a_reset_link(client, mentee):
    from allauth.account.forms import default_token_generator
    from allauth.account.utils import user_pk_to_url_str

    key = default_token_generator.make_token(mentee)
    url = reverse(
        "account_reset_password_from_key",
        kwargs={"uidb36": user_pk_to_url_str(mentee), "key": key},
    )
    body = client.get(url, follow=True).content.decode()
    assert "<h1>Choose a new password</h1>" in body and ">Save the new password</button>" in body
    assert ">New password:</label>" in body and ">New password (again):</label>" in body
    assert "Change Password" not in body and "New Password" not in body


def test_log_out_and_change_password_speak_plainly(client, mentee):
    client.force_login(mentee)
    body = client.get(reverse("account_logout")).content.decode()
    assert "<h1>Log out</h1>" in body and ">Log out</button>" in body and "Sign Out" not in body
    body = client.get(reverse("account_change_password")).content.decode()
    assert ">Current password:</label>" in body and ">New password:</label>" in body
    assert "Current Password" not in body and "New Password" not in body
    assert body.count("Forgot your password?") == 1


def test_log_in_offers_forgot_password_once(client):
    body = client.get(reverse("account_login")).content.decode()
    assert body.count("Forgot your password?") == 1


def test_the_check_your_e_mail_page_in_chinese(client):
    body = client.get("/accounts/confirm-email/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "<h1>请查收邮件</h1>" in body
