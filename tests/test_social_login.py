"""Sign-in with GitHub or Google: offered only when configured; completed without network."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from allauth.account.models import EmailAddress
from allauth.core import context
from allauth.socialaccount.adapter import get_adapter
from allauth.socialaccount.helpers import complete_social_login
from allauth.socialaccount.models import SocialAccount, SocialLogin
from django.contrib.auth import get_user_model
from django.contrib.messages.middleware import MessageMiddleware
from django.contrib.sessions.middleware import SessionMiddleware
from django.test import RequestFactory, override_settings
from django.urls import reverse

from .factories import UserFactory

pytestmark = pytest.mark.django_db

GITHUB = {"github": {"APPS": [{"client_id": "id-123", "secret": "s3cret"}]}}


def test_without_client_ids_no_provider_is_offered(client):
    body = client.get(reverse("account_login")).content.decode()
    assert "GitHub" not in body and "Google" not in body


@override_settings(SOCIALACCOUNT_PROVIDERS=GITHUB)
def test_a_configured_provider_is_offered_on_log_in_and_sign_up(client):
    for name in ("account_login", "account_signup"):
        body = client.get(reverse(name)).content.decode()
        assert "GitHub" in body, name
        assert "Google" not in body, name
        assert "/accounts/github/login/" in body, name


@override_settings(SOCIALACCOUNT_PROVIDERS=GITHUB)
def test_a_provider_start_is_a_post_to_the_provider(client):
    # GET shows a confirmation page (no redirect to GitHub on a mere link visit).
    response = client.get("/accounts/github/login/")
    assert response.status_code == 200
    response = client.post("/accounts/github/login/")
    assert response.status_code == 302
    assert response["Location"].startswith("https://github.com/login/oauth/authorize")
    assert "client_id=id-123" in response["Location"]


def _request(path="/accounts/github/login/callback/"):
    request = RequestFactory().get(path)
    SessionMiddleware(lambda r: None).process_request(request)
    MessageMiddleware(lambda r: None).process_request(request)
    request.session.save()
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    return request


def _github_login(request, email: str, uid: str = "4242", verified: bool = True) -> SocialLogin:
    """What allauth makes of GitHub's answer, built here instead of fetched."""
    user = get_user_model()(email=email)
    account = SocialAccount(provider="github", uid=uid, extra_data={"login": "octo"})
    address = EmailAddress(email=email, verified=verified, primary=True)
    provider = get_adapter().get_provider(request, "github")
    return SocialLogin(user=user, account=account, email_addresses=[address], provider=provider)


@override_settings(SOCIALACCOUNT_PROVIDERS=GITHUB)
def test_a_new_person_signs_up_with_github():
    request = _request()
    with context.request_context(request):
        response = complete_social_login(request, _github_login(request, "octo@example.com"))
    assert response.status_code == 302
    user = get_user_model().objects.get(email="octo@example.com")
    assert SocialAccount.objects.get(user=user).uid == "4242"
    assert request.user == user


@override_settings(SOCIALACCOUNT_PROVIDERS=GITHUB)
def test_a_verified_github_address_joins_the_existing_account():
    # The factory gives the account its confirmed primary address, as a confirmed sign-up has.
    existing = UserFactory(email="me@example.com")
    assert EmailAddress.objects.get(user=existing).verified
    request = _request()
    with context.request_context(request):
        complete_social_login(request, _github_login(request, "me@example.com", uid="7"))
    assert SocialAccount.objects.get(uid="7").user == existing
    assert get_user_model().objects.filter(email="me@example.com").count() == 1


@override_settings(SOCIALACCOUNT_PROVIDERS=GITHUB)
def test_an_unverified_github_address_does_not_join_the_existing_account():
    existing = UserFactory(email="me@example.com")
    request = _request()
    with context.request_context(request):
        complete_social_login(request, _github_login(request, "me@example.com", "8", False))
    assert not SocialAccount.objects.filter(user=existing).exists()
    assert request.user != existing
    existing.refresh_from_db()
    assert existing.has_usable_password()


@override_settings(SOCIALACCOUNT_PROVIDERS={"github": {**GITHUB["github"], "VERIFIED_EMAIL": True}})
def test_a_provider_setting_cannot_vouch_for_an_address_the_provider_did_not_verify():
    existing = UserFactory(email="me@example.com")
    request = _request()
    with context.request_context(request):
        login = _github_login(request, "me@example.com", "9", verified=False)
        login.provider.cleanup_email_addresses(None, login.email_addresses)
        complete_social_login(request, login)
    assert login.email_addresses[0].verified is False
    assert not SocialAccount.objects.filter(user=existing).exists()
    assert request.user != existing


@pytest.mark.parametrize("provider", ["github", "google"])
def test_an_unconfigured_provider_is_a_404(client, provider):
    assert client.get(f"/accounts/{provider}/login/").status_code == 404
    assert client.post(f"/accounts/{provider}/login/").status_code == 404
    assert client.get(f"/accounts/{provider}/login/callback/?code=x").status_code == 404


@pytest.mark.parametrize(
    ("environment", "offered"),
    [
        ({}, []),
        ({"GITHUB_CLIENT_ID": "id"}, []),  # an id without its secret is not enough
        ({"GITHUB_CLIENT_ID": "id", "GITHUB_CLIENT_SECRET": "s"}, ["github"]),
        (
            {"GOOGLE_CLIENT_ID": "id", "GOOGLE_CLIENT_SECRET": "s", "GITHUB_CLIENT_SECRET": "s"},
            ["google"],
        ),
    ],
)
def test_providers_are_switched_on_by_their_client_id_and_secret(environment, offered):
    """The settings read the environment once, at start: a fresh process for each case."""
    names = ("GITHUB_CLIENT_ID", "GITHUB_CLIENT_SECRET", "GOOGLE_CLIENT_ID", "GOOGLE_CLIENT_SECRET")
    env = {key: value for key, value in os.environ.items() if key not in names}
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "print(sorted(settings.SOCIALACCOUNT_PROVIDERS))"
    )
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code],
        cwd=Path(__file__).resolve().parent.parent,
        env={**env, **environment, "DJANGO_SETTINGS_MODULE": "config.settings"},
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.strip() == repr(offered)
