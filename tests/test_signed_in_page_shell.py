"""The signed-in track page from a shell rendered once: the same HTML as a full render for
each person, with nothing of one person in another's page (config/page_shell.py)."""

import re

import pytest
from django.contrib.messages import get_messages, info
from django.contrib.messages.middleware import MessageMiddleware
from django.contrib.sessions.middleware import SessionMiddleware
from django.shortcuts import render
from django.test import Client, RequestFactory
from django.utils import translation
from django.utils.autoreload import file_changed

from careers import views as careers_views
from config import fragments, page_shell
from profiles.models import Status
from profiles.progress import set_progress

from .factories import EditorFactory, UserFactory, make_track

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'(name="csrfmiddlewaretoken" value="|"X-CSRFToken": ")([A-Za-z0-9]+)')


@pytest.fixture(autouse=True)
def _no_shells():
    page_shell._shells.clear()
    yield
    page_shell._shells.clear()


@pytest.fixture
def track():
    return make_track(n_steps=2, skills_per_step=3, name="Data engineer")


def without_tokens(html: bytes) -> str:
    """The page with its CSRF tokens blanked: each render masks the token anew."""
    return TOKEN.sub(r"\1-", html.decode())


def full_render(request, template_name, shared, own, key):
    return render(request, template_name, {**shared, **own})


def both_ways(client, url, monkeypatch):
    """The page from the shell, then the page rendered in full, for the same person."""
    from_shell = client.get(url)
    with monkeypatch.context() as patch:
        patch.setattr(careers_views, "render_with_shell", full_render)
        rendered = client.get(url)
    assert from_shell.status_code == rendered.status_code == 200
    return without_tokens(from_shell.content), without_tokens(rendered.content)


def test_each_person_gets_the_page_a_full_render_draws(client, track, monkeypatch):
    skills = [link.skill for step in track.steps.all() for link in step.step_skills.all()]
    learner, beginner = UserFactory(username="ada<b>"), UserFactory(username="grace")
    set_progress(learner, skills[0], status=Status.DONE)
    set_progress(learner, skills[1], status=Status.LEARNING)
    staff = EditorFactory(username="editor-eve")
    pages = {}
    for person in (learner, beginner, staff):
        client.force_login(person)
        shell, rendered = both_ways(client, track.get_absolute_url(), monkeypatch)
        assert shell == rendered, person.username
        pages[person.username] = shell
    assert len(page_shell._shells) == 2  # one for both learners, one for staff (the admin link)
    assert "ada&lt;b&gt;" in pages["ada<b>"] and "map-node status-done" in pages["ada<b>"]
    for name, page in pages.items():
        others = {"ada<b>": "ada&lt;b&gt;", "grace": "grace", "editor-eve": "editor-eve"}
        assert all(escaped not in page for who, escaped in others.items() if who != name)
    assert "map-node status-done" not in pages["grace"]
    assert '/admin/"' in pages["editor-eve"] and '/admin/"' not in pages["grace"]


def test_each_language_has_its_own_shell(client, track, monkeypatch):
    client.force_login(UserFactory())
    english, _ = both_ways(client, track.get_absolute_url(), monkeypatch)
    chinese_client = Client(headers={"Accept-Language": "zh-hans"})
    chinese_client.cookies = client.cookies
    with translation.override("zh-hans"):
        chinese, rendered = both_ways(chinese_client, track.get_absolute_url(), monkeypatch)
    assert chinese == rendered
    assert 'lang="zh-hans"' in chinese and chinese != english
    assert len(page_shell._shells) == 2


def test_a_content_edit_makes_a_new_shell(client, track, django_capture_on_commit_callbacks):
    client.force_login(UserFactory())
    client.get(track.get_absolute_url())
    with django_capture_on_commit_callbacks(execute=True):
        track.tagline = "Pipelines that feed the models"
        track.save()
    assert "Pipelines that feed the models" in client.get(track.get_absolute_url()).text


def test_the_token_in_a_shell_page_is_the_persons_own_and_works(track):
    client = Client(enforce_csrf_checks=True)
    person = UserFactory()
    client.force_login(person)
    skill = track.steps.first().step_skills.first().skill
    for _ in range(2):  # the shell built, then reused
        page = client.get(track.get_absolute_url()).content.decode()
        (token,) = {found for _, found in TOKEN.findall(page)}
        url = f"/me/skills/{skill.slug}/"
        answer = client.post(url, {"status": "done"}, HTTP_X_CSRFTOKEN=token)
        assert answer.status_code in (200, 302)
    assert person.skill_progress.get(skill=skill).status == Status.DONE


def test_the_persons_messages_are_shown_and_no_one_elses(track):
    def request_for(person, message=None):
        request = RequestFactory().get(track.get_absolute_url())
        SessionMiddleware(lambda r: None).process_request(request)
        MessageMiddleware(lambda r: None).process_request(request)
        request.user = person
        if message:
            info(request, message)
        return request

    first = request_for(UserFactory(), "Saved your target.")
    page = careers_views.track_detail(first, track.slug).content.decode()
    assert "Saved your target." in page
    assert get_messages(first).used  # shown, so gone after this answer
    later = careers_views.track_detail(request_for(UserFactory()), track.slug)
    assert "Saved your target." not in later.content.decode()


def test_a_shell_never_holds_the_person_it_was_built_for(rf, settings, tmp_path):
    # A template that prints the person outside any personal part: the shell has the
    # stand-in's empty name, not the first person's; their own name only from a hole.
    (tmp_path / "careless.html").write_text(
        "{% load page_shell %}<p>{{ user.get_username }}|{% personal_value user.get_username %}"
    )
    engine = settings.TEMPLATES[0]
    settings.TEMPLATES = [{**engine, "DIRS": [tmp_path, *engine["DIRS"]]}]
    pages = []
    for name in ("first-person", "second-person"):
        request = rf.get("/")
        request.user = UserFactory(username=name)
        response = page_shell.render_with_shell(request, "careless.html", {}, {}, ("test",))
        pages.append(response.content.decode())
    assert pages == ["<p>|first-person", "<p>|second-person"]
    assert len(page_shell._shells) == 1


def test_the_shells_are_bounded(client, monkeypatch):
    monkeypatch.setattr(page_shell, "MAX_SHELLS", 2)
    client.force_login(UserFactory())
    for _ in range(3):
        assert client.get(make_track().get_absolute_url()).status_code == 200
    assert len(page_shell._shells) <= 2


def test_a_page_with_a_query_is_rendered_in_full(client, track):
    client.force_login(UserFactory())
    page = client.get(track.get_absolute_url() + "?from=search&q=<x>").content.decode()
    assert 'name="next" value="/tracks/track-' in page and "?from=search&amp;q=%3Cx%3E" in page
    assert not page_shell._shells
    plain = client.get(track.get_absolute_url()).content.decode()
    assert "from=search" not in plain and len(page_shell._shells) == 1


def test_an_edited_template_shows_at_once_under_runserver(client, track, tmp_path):
    client.force_login(UserFactory())
    client.get(track.get_absolute_url())
    assert page_shell._shells
    file_changed.send(sender=None, file_path=tmp_path / "careers" / "track_detail.html")
    assert not page_shell._shells and not fragments._fragments


def test_each_time_zone_has_its_own_shell(client, track):
    # Nothing on the track page shows a time today; a date added to it later must not be
    # shown in the zone of whoever came first.
    client.force_login(UserFactory())
    client.get(track.get_absolute_url())
    session = client.session
    session["time_zone"] = "Asia/Tokyo"
    session.save()
    assert client.get(track.get_absolute_url()).status_code == 200
    assert len(page_shell._shells) == 2
