"""The dashboard is served from a shell per layout and kept parts per look (config/page_shell.py,
config/fragments.py): each person gets the page a full render draws, with their own token,
and nothing of one person in another's page."""

import re

import pytest
from django.test import Client
from django.utils import translation
from django.utils.autoreload import file_changed

from config import fragments, page_shell
from profiles import views as profile_views
from profiles.models import Status
from profiles.progress import set_progress

from .factories import EditorFactory, UserFactory, make_track

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'(name="csrfmiddlewaretoken" value="|"X-CSRFToken": ")([A-Za-z0-9]+)')


@pytest.fixture(autouse=True)
def _nothing_kept():
    page_shell._shells.clear()
    fragments._fragments.clear()
    yield
    page_shell._shells.clear()
    fragments._fragments.clear()


@pytest.fixture
def track():
    return make_track(n_steps=2, skills_per_step=3, name="Data engineer")


def skills_of(track):
    return [link.skill for step in track.steps.all() for link in step.step_skills.all()]


def aiming_at(track, **kwargs):
    person = UserFactory(**kwargs)
    person.profile.target_track = track
    person.profile.save()
    return person


def without_tokens(html: bytes) -> str:
    """The page with its CSRF tokens blanked: each render masks the token anew."""
    return TOKEN.sub(r"\1-", html.decode())


def full_render(request, template_name, shared, own, key):
    # What the page was before shells and kept parts: one render of the whole template.
    fragments._fragments.clear()
    return profile_views.render(request, template_name, {**shared, **own})


def both_ways(client, monkeypatch):
    """The dashboard from the shell, then rendered in full, for the same person."""
    from_shell = client.get("/me/")
    with monkeypatch.context() as patch:
        patch.setattr(profile_views, "render_with_shell", full_render)
        rendered = client.get("/me/")
    assert from_shell.status_code == rendered.status_code == 200
    return without_tokens(from_shell.content), without_tokens(rendered.content)


def test_each_person_gets_the_page_a_full_render_draws(client, track, monkeypatch):
    skills = skills_of(track)
    learner = aiming_at(track, username="ada<b>")
    set_progress(learner, skills[0], status=Status.DONE)
    set_progress(learner, skills[1], status=Status.DONE, note="Read <the> paper")
    set_progress(learner, skills[2], status=Status.LEARNING)
    beginner = aiming_at(track, username="grace")
    set_progress(beginner, skills[0], status=Status.DONE)
    no_target = UserFactory(username="linus")
    staff = EditorFactory(username="editor-eve")
    pages = {}
    for person in (learner, beginner, no_target, staff):
        client.force_login(person)
        for _ in range(2):  # built, then reused
            shell, rendered = both_ways(client, monkeypatch)
            assert shell == rendered, person.username
        pages[person.username] = shell
    # Learners with the same target share a shell; no target and staff have their own.
    assert len(page_shell._shells) == 3
    assert "Read &lt;the&gt; paper" in pages["ada<b>"]
    for name, page in pages.items():
        assert ("Read &lt;the&gt; paper" in page) == (name == "ada<b>")
        others = {"ada<b>": "ada&lt;b&gt;", "grace": "grace", "linus": "linus"}
        assert all(f">{shown}<" not in page for who, shown in others.items() if who != name)


def test_each_language_gets_its_own_kept_parts(client, track, monkeypatch):
    person = aiming_at(track)
    set_progress(person, skills_of(track)[0], status=Status.DONE)
    client.force_login(person)
    english, _ = both_ways(client, monkeypatch)
    chinese_client = Client(headers={"Accept-Language": "zh-hans"})
    chinese_client.cookies = client.cookies
    with translation.override("zh-hans"):
        chinese, rendered = both_ways(chinese_client, monkeypatch)
    assert chinese == rendered and chinese != english
    assert "开始" in chinese  # the next step's "Start" button, not the English one kept before


def test_the_forms_in_kept_parts_carry_the_persons_own_working_token(track):
    skills = skills_of(track)
    for person in (aiming_at(track), aiming_at(track)):
        client = Client(enforce_csrf_checks=True)
        client.force_login(person)
        page = client.get("/me/").content.decode()
        tokens = {found for _, found in TOKEN.findall(page)}
        assert len(tokens) == 1 and fragments.CSRF_MARKER not in page
        # The "next up" buttons are a kept part: the second person's come from memory.
        answer = client.post(
            f"/me/skills/{skills[0].slug}/",
            {"status": "learning", "next": "/me/"},
            HTTP_X_CSRFTOKEN=tokens.pop(),
        )
        assert answer.status_code in (200, 302)
        assert person.skill_progress.get(skill=skills[0]).status == Status.LEARNING


def test_a_persons_own_words_are_never_kept(client, track):
    person = aiming_at(track)
    skills = skills_of(track)
    set_progress(person, skills[0], status=Status.DONE, note="my private note")
    set_progress(person, skills[1], status=Status.DONE, evidence_url="https://example.com/mine")
    client.force_login(person)
    page = client.get("/me/").content.decode()
    assert "my private note" in page and "https://example.com/mine" in page
    kept = "".join(fragments._fragments.values())
    assert "my private note" not in kept and "example.com/mine" not in kept


def test_a_status_change_shows_at_once(client, track):
    person = aiming_at(track)
    skill = skills_of(track)[0]
    client.force_login(person)
    assert 'aria-label="Start learning' in client.get("/me/").content.decode()
    set_progress(person, skill, status=Status.DONE)
    page = client.get("/me/").content.decode()
    assert f'id="done-{skill.slug}"' in page


def test_kept_parts_are_bounded(client, track, monkeypatch):
    monkeypatch.setattr(fragments, "MAX_FRAGMENTS", 3)
    client.force_login(aiming_at(track))
    assert client.get("/me/").status_code == 200
    assert len(fragments._fragments) <= 3


def test_an_edited_template_shows_at_once_under_runserver(client, track, tmp_path):
    client.force_login(aiming_at(track))
    client.get("/me/")
    assert page_shell._shells and fragments._fragments
    file_changed.send(sender=None, file_path=tmp_path / "profiles" / "_next_up.html")
    assert not page_shell._shells and not fragments._fragments


def test_a_personal_part_takes_with_values(rf, settings, tmp_path):
    (tmp_path / "outer.html").write_text(
        '{% load page_shell %}[{% personal "inner.html" with tiles=True name=user.get_username %}]'
    )
    (tmp_path / "inner.html").write_text("{{ tiles }}/{{ name }}")
    engine = settings.TEMPLATES[0]
    settings.TEMPLATES = [{**engine, "DIRS": [tmp_path, *engine["DIRS"]]}]
    request = rf.get("/")
    request.user = UserFactory(username="kim")
    response = page_shell.render_with_shell(request, "outer.html", {}, {}, ("test",))
    assert response.content.decode() == "[True/kim]"


def test_a_mentors_verify_buttons_carry_their_own_working_token(track, mentee, mentor):
    mentee.profile.target_track = track
    mentee.profile.save()
    plain, noted = skills_of(track)[:2]
    set_progress(mentee, plain, status=Status.DONE)
    set_progress(mentee, noted, status=Status.DONE, note="Built a small pipeline")
    client = Client(enforce_csrf_checks=True)
    client.force_login(mentor)
    for skill in (plain, noted):  # a kept row, then one drawn each time
        page = client.get(f"/u/{mentee.username}/").content.decode()
        (token,) = {found for _, found in TOKEN.findall(page)}
        assert f'/u/{mentee.username}/skills/{skill.slug}/verify/"' in page
        answer = client.post(
            f"/u/{mentee.username}/skills/{skill.slug}/verify/", HTTP_X_CSRFTOKEN=token
        )
        assert answer.status_code in (200, 302)
        assert mentee.skill_progress.get(skill=skill).verified_by == mentor
