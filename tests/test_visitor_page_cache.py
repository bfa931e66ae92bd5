"""Visitors' public pages come from a cache per URL, language, htmx and content version,
never with another visitor's CSRF token, never for anyone signed in (config/visitor_cache.py)."""

import logging
import re

import pytest
from django.conf import settings
from django.contrib.messages import info
from django.core.cache import caches
from django.http import HttpResponse
from django.middleware.csrf import _unmask_cipher_token, get_token
from django.shortcuts import render
from django.test import Client
from django.urls import path

from config import urls as config_urls
from config.visitor_cache import cache_for_visitors

from .factories import SkillFactory, StepSkillFactory, make_track

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([A-Za-z0-9]+)"')


@pytest.fixture
def track():
    return make_track(n_steps=2, skills_per_step=2, name="Data engineer")


@pytest.fixture
def skill(track):
    return track.steps.first().step_skills.first().skill


def page_token(response) -> str:
    (token,) = set(TOKEN.findall(response.content.decode()))
    assert f'"X-CSRFToken": "{token}"' in response.content.decode()
    return token


def from_cache(response) -> bool:
    # The test client records each template rendered for a response: none when it was kept.
    return not response.templates


def test_a_visitors_page_is_rendered_once_then_served_without_a_query(
    client, track, skill, django_assert_num_queries
):
    for url in [track.get_absolute_url(), skill.get_absolute_url(), "/", "/tracks/"]:
        first = client.get(url)
        with django_assert_num_queries(0):
            again = client.get(url)
        assert first.status_code == again.status_code == 200
        assert not from_cache(first) and from_cache(again), url
        same = again.content.replace(page_token(again).encode(), page_token(first).encode())
        assert same == first.content


def test_each_visitor_gets_their_own_csrf_token_and_it_works(track):
    url = track.get_absolute_url()
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first_page, second_page = first.get(url), second.get(url)
    assert from_cache(second_page)
    first_token, second_token = page_token(first_page), page_token(second_page)
    first_secret = first.cookies[settings.CSRF_COOKIE_NAME].value
    second_secret = second.cookies[settings.CSRF_COOKIE_NAME].value
    assert first_secret != second_secret
    assert _unmask_cipher_token(first_token) == first_secret
    assert _unmask_cipher_token(second_token) == second_secret
    assert first_secret not in second_page.content.decode()
    assert _unmask_cipher_token(first_token) not in second_page.content.decode()
    assert "Cookie" in second_page["Vary"]
    # The language switcher's form works with the token from the cached page ...
    switched = second.post(
        "/i18n/setlang/",
        {"language": "zh-hans", "next": url, "csrfmiddlewaretoken": second_token},
    )
    assert switched.status_code == 302
    # ... and not with the other visitor's.
    stolen = first.post(
        "/i18n/setlang/",
        {"language": "zh-hans", "next": url, "csrfmiddlewaretoken": second_token},
    )
    assert stolen.status_code == 403


def test_a_visitor_keeps_their_csrf_cookie_on_a_cached_page(client, track):
    url = track.get_absolute_url()
    client.get(url)
    secret = client.cookies[settings.CSRF_COOKIE_NAME].value
    again = client.get(url)
    assert from_cache(again)
    assert _unmask_cipher_token(page_token(again)) == secret
    assert again.cookies[settings.CSRF_COOKIE_NAME].value == secret


def test_the_cache_holds_no_csrf_token_and_no_cookie(client, track):
    client.get(track.get_absolute_url())
    secret = client.cookies[settings.CSRF_COOKIE_NAME].value
    pages = caches["visitor_pages"]
    (key,) = [key for key in pages._cache if "visitor-page" in key]
    kept = pages.get(key.split(":", 2)[2])
    assert kept["placeholder"].encode() in kept["content"]
    assert not TOKEN.search(kept["content"].decode().replace(kept["placeholder"], ""))
    assert secret.encode() not in kept["content"]
    assert all(name.lower() != "set-cookie" for name, _ in kept["headers"])


@pytest.mark.parametrize(
    "change",
    [
        lambda track, skill: setattr(skill, "name", "Renamed skill") or skill.save(),
        lambda track, skill: setattr(track, "published", False) or track.save(),
        lambda track, skill: StepSkillFactory(
            step=track.steps.first(), skill=SkillFactory(name="Renamed skill")
        ),
    ],
    ids=["edit", "unpublish", "add"],
)
def test_a_content_change_shows_at_once(
    client, track, skill, change, django_capture_on_commit_callbacks
):
    urls = [track.get_absolute_url(), "/tracks/", "/"]
    for url in urls:
        client.get(url)
    with django_capture_on_commit_callbacks(execute=True):
        change(track, skill)
    for url in urls:
        assert not from_cache(client.get(url)), url
    if track.published:
        assert "Renamed skill" in client.get(track.get_absolute_url()).content.decode()
    else:
        assert client.get(track.get_absolute_url()).status_code == 404


def test_publishing_a_track_shows_it_to_visitors(client, track, django_capture_on_commit_callbacks):
    draft = make_track(name="Secret draft", published=False)
    assert "Secret draft" not in client.get("/tracks/").content.decode()
    assert client.get(draft.get_absolute_url()).status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        draft.published = True
        draft.save()
    assert "Secret draft" in client.get("/tracks/").content.decode()
    assert client.get(draft.get_absolute_url()).status_code == 200


def test_each_language_has_its_own_page(client, track):
    url = track.get_absolute_url()
    english = client.get(url)
    chinese = client.get(url, headers={"Accept-Language": "zh-Hans"})
    assert '<html lang="en">' in english.content.decode()
    assert '<html lang="zh-hans">' in chinese.content.decode()
    assert chinese["Content-Language"] == "zh-hans"
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    by_cookie = client.get(url)
    assert from_cache(by_cookie) and '<html lang="zh-hans">' in by_cookie.content.decode()
    del client.cookies[settings.LANGUAGE_COOKIE_NAME]
    again = client.get(url)
    assert from_cache(again) and '<html lang="en">' in again.content.decode()


def test_the_htmx_panel_and_the_full_page_are_kept_apart(client, track, skill):
    url = f"{skill.get_absolute_url()}?track={track.slug}"
    htmx = {"HX-Request": "true"}
    panel = client.get(url, headers=htmx)
    full = client.get(url)
    assert "<html" not in panel.content.decode() and "<html" in full.content.decode()
    assert "HX-Request" in panel["Vary"]
    panel_again, full_again = client.get(url, headers=htmx), client.get(url)
    assert from_cache(panel_again) and from_cache(full_again)
    assert "<html" not in panel_again.content.decode()
    assert "<html" in full_again.content.decode()
    # Another query string is another page.
    elsewhere = client.get(skill.get_absolute_url(), headers=htmx)
    assert not from_cache(elsewhere)


def test_head_is_answered_from_the_same_page(client, track):
    url = track.get_absolute_url()
    head = client.head(url)
    assert head.status_code == 200 and head.content == b""
    get = client.get(url)
    assert from_cache(get) and b"Data engineer" in get.content
    head_again = client.head(url)
    assert from_cache(head_again) and head_again.content == b""
    assert head_again["Content-Type"] == get["Content-Type"]


def test_a_signed_in_person_never_gets_the_visitors_page(client, mentee, track):
    url = track.get_absolute_url()
    visitor = client.get(url)
    assert "Sign in to mark what you know" in visitor.content.decode()
    member = Client()
    member.force_login(mentee)
    personal = member.get(url)
    assert not from_cache(personal)
    assert "Sign in to mark what you know" not in personal.content.decode()
    assert mentee.username in personal.content.decode()


def test_a_visitor_never_gets_a_signed_in_persons_page(client, mentee, track, skill):
    member = Client()
    member.force_login(mentee)
    for url in [track.get_absolute_url(), skill.get_absolute_url(), "/"]:
        member.get(url)
        member.get(url)
        visitor = client.get(url)
        assert not from_cache(visitor)
        assert mentee.username not in visitor.content.decode()
    # Only the visitor's three pages were kept.
    assert len([key for key in caches["visitor_pages"]._cache if "visitor-page" in key]) == 3


@pytest.mark.parametrize(
    "cookie", [settings.SESSION_COOKIE_NAME, settings.MESSAGE_COOKIE_NAME, "unknown"]
)
def test_a_session_a_message_or_an_unknown_cookie_skips_the_cache(client, track, cookie):
    url = track.get_absolute_url()
    client.get(url)
    client.cookies[cookie] = "anything"
    assert not from_cache(client.get(url))


def test_cached_answers_carry_the_security_headers(client, track, settings):
    settings.SECURE_HSTS_SECONDS = 31536000
    url = track.get_absolute_url()
    first = client.get(url, secure=True)
    again = client.get(url, secure=True)
    assert from_cache(again)
    for name in [
        "Content-Security-Policy",
        "Strict-Transport-Security",
        "Referrer-Policy",
        "Cross-Origin-Opener-Policy",
        "X-Content-Type-Options",
        "X-Frame-Options",
        "Cache-Control",
        "Content-Language",
        "Content-Type",
        "Vary",
    ]:
        assert again[name] == first[name], name
    assert "private" in again["Cache-Control"]
    assert int(again["Content-Length"]) == len(again.content)


def test_cached_answers_are_logged(client, track, caplog):
    url = track.get_absolute_url()
    with caplog.at_level(logging.INFO, logger="skillpath.requests"):
        client.get(url)
        client.get(url)
    lines = [r.getMessage() for r in caplog.records if r.name == "skillpath.requests"]
    assert len(lines) == 2
    assert all(line.startswith(f"GET {url} 200 ") and "user=-" in line for line in lines)


def test_an_unknown_skill_is_a_404_with_a_working_token(client):
    response = client.get("/skills/no-such-skill/")
    assert response.status_code == 404
    assert _unmask_cipher_token(page_token(response)) == (
        client.cookies[settings.CSRF_COOKIE_NAME].value
    )
    assert not from_cache(client.get("/skills/no-such-skill/"))


# Pages that turn out personal are never kept --------------------------------------------

renders = []


def _version():
    return "v1"


@cache_for_visitors(_version)
def with_own_token(request):
    renders.append(request.path)
    return HttpResponse(f"token {get_token(request)}")


@cache_for_visitors(_version)
def with_a_message(request):
    renders.append(request.path)
    info(request, "Only for you")
    return render(request, "careers/landing.html", {"tracks": []})


@cache_for_visitors(_version)
def varying_on_the_agent(request):
    renders.append(request.path)
    response = HttpResponse(request.headers.get("User-Agent", ""))
    response["Vary"] = "User-Agent"
    return response


@cache_for_visitors(_version)
def not_to_store(request):
    renders.append(request.path)
    response = HttpResponse("no")
    response["Cache-Control"] = "no-store"
    return response


urlpatterns = [
    path("own-token/", with_own_token),
    path("message/", with_a_message),
    path("agent/", varying_on_the_agent),
    path("no-store/", not_to_store),
    *config_urls.urlpatterns,
]


@pytest.mark.urls(__name__)
@pytest.mark.parametrize("url", ["/own-token/", "/message/", "/agent/", "/no-store/"])
def test_a_page_with_anything_personal_in_it_is_not_kept(client, url):
    renders.clear()
    first = client.get(url, headers={"User-Agent": "first"})
    second = Client().get(url, headers={"User-Agent": "second"})
    assert first.status_code == second.status_code == 200
    # Rendered for each of them: the second did not get the first one's answer.
    assert renders == [url, url]
