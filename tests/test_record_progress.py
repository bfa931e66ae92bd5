"""POST /me/skills/<slug>/: explicit states, notes, evidence, bad input, and the log."""

import threading

import pytest
from django.db import connection
from django.urls import reverse

from careers.models import Skill
from profiles.models import SkillProgress, StatusChange
from profiles.progress import set_progress

from .factories import SkillFactory, UserFactory, make_track

pytestmark = pytest.mark.django_db


def url(skill):
    return reverse("profiles:set_status", args=[skill.slug])


@pytest.fixture
def skill(db):
    return SkillFactory(slug="rag", name="RAG")


def test_owner_sets_a_status_and_it_is_logged(client, mentee, skill):
    client.force_login(mentee)
    response = client.post(url(skill), {"status": "done", "next": "/tracks/"})
    assert response.status_code == 302
    assert response["Location"] == "/tracks/"
    row = SkillProgress.objects.get(user=mentee, skill=skill)
    assert row.status == "done"
    assert row.started_at and row.completed_at
    change = StatusChange.objects.get(user=mentee)
    assert (change.from_status, change.to_status) == ("none", "done")


def test_repeating_the_same_post_changes_nothing(client, mentee, skill):
    client.force_login(mentee)
    for _ in range(3):
        client.post(url(skill), {"status": "learning"})
    assert SkillProgress.objects.filter(user=mentee, skill=skill).count() == 1
    assert StatusChange.objects.filter(user=mentee).count() == 1


def test_leaving_done_clears_completed_time(mentee, skill):
    set_progress(mentee, skill, status="done")
    update = set_progress(mentee, skill, status="learning")
    assert update.status_changed
    assert StatusChange.objects.get(to_status="learning").from_status == "done"
    assert update.progress.completed_at is None
    assert update.progress.started_at is not None


def test_note_and_evidence_are_saved_without_touching_status(client, mentee, skill):
    client.force_login(mentee)
    client.post(url(skill), {"status": "learning"})
    client.post(url(skill), {"note": "Built a demo", "evidence_url": "https://github.com/me/rag"})
    row = SkillProgress.objects.get(user=mentee, skill=skill)
    assert (row.status, row.note, row.evidence_url) == (
        "learning",
        "Built a demo",
        "https://github.com/me/rag",
    )


def test_htmx_post_returns_the_new_controls_and_track_progress(client, mentee):
    track = make_track(n_steps=1, skills_per_step=2)
    skill = Skill.objects.filter(step_skills__track=track).first()
    client.force_login(mentee)
    response = client.post(
        url(skill), {"status": "done", "track": track.slug}, HTTP_HX_REQUEST="true"
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert f'id="status-{skill.slug}"' in body
    assert 'aria-pressed="true"' in body
    assert 'id="track-readiness" aria-live="polite" hx-swap-oob="true"' in body
    assert 'id="map-steps" hx-swap-oob="true"' in body
    assert "1 of 2 core skills done" in body


BAD_INPUT = [
    ({"status": "mastered"}, "Unknown status"),
    ({"status": ""}, "Unknown status"),
    ({"evidence_url": "javascript:alert(1)"}, "Enter a valid URL"),
    ({"evidence_url": "https://example.com/" + "a" * 600}, "at most 500 characters"),
    ({"note": "x" * 2001}, "at most 2000 characters"),
    ({"evidence_url": "http://user:secret@example.com/"}, "user name or password"),
    ({"evidence_url": "https://x.example/\u202egnp.exe"}, "direction-changing"),
    ({"evidence_url": "https://x.example/a\u200bb"}, "invisible"),
]


@pytest.mark.parametrize(("data", "message"), BAD_INPUT)
def test_bad_input_is_a_clear_error_and_changes_nothing(client, mentee, skill, data, message):
    client.force_login(mentee)
    client.post(url(skill), {"status": "learning", "note": "keep me"})
    response = client.post(url(skill), data)
    # A refused note or link comes back as its form (422); an unknown status is a 400.
    assert response.status_code == (400 if "status" in data else 422)
    assert response.content.decode().count(message) == 1
    row = SkillProgress.objects.get(user=mentee, skill=skill)
    assert (row.status, row.note, row.evidence_url) == ("learning", "keep me", "")


@pytest.mark.parametrize(("data", "message"), BAD_INPUT)
def test_bad_input_over_htmx_is_a_422_with_the_message(client, mentee, skill, data, message):
    client.force_login(mentee)
    response = client.post(url(skill), data, HTTP_HX_REQUEST="true")
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not SkillProgress.objects.filter(user=mentee).exists()


def test_unknown_skill_is_a_404(client, mentee):
    client.force_login(mentee)
    assert client.post("/me/skills/no-such-skill/", {"status": "done"}).status_code == 404


def test_get_is_a_405(client, mentee, skill):
    client.force_login(mentee)
    assert client.get(url(skill)).status_code == 405


def test_missing_csrf_token_is_a_403(mentee, skill):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(mentee)
    assert client.post(url(skill), {"status": "done"}).status_code == 403
    assert not SkillProgress.objects.exists()


def test_anonymous_is_sent_to_log_in(client, skill):
    response = client.post(url(skill), {"status": "done"})
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert not SkillProgress.objects.exists()


def test_next_must_stay_on_this_site(client, mentee, skill):
    client.force_login(mentee)
    response = client.post(url(skill), {"status": "done", "next": "https://evil.example/"})
    assert response["Location"] == skill.get_absolute_url()


def test_one_user_never_changes_another_users_row(client, mentee, stranger, skill):
    set_progress(stranger, skill, status="done", note="mine")
    client.force_login(mentee)
    client.post(url(skill), {"status": "skipped", "note": "hers"})
    theirs = SkillProgress.objects.get(user=stranger, skill=skill)
    assert (theirs.status, theirs.note) == ("done", "mine")


def test_the_log_is_append_only(mentee, skill):
    set_progress(mentee, skill, status="done")
    change = StatusChange.objects.get()
    change.to_status = "skipped"
    with pytest.raises(TypeError):
        change.save()
    with pytest.raises(TypeError):
        StatusChange.objects.update(to_status="skipped")


@pytest.mark.skipif(
    "sqlite" in connection.vendor, reason="SQLite serialises writers; run on PostgreSQL in CI"
)
@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_identical_posts_leave_one_row():
    user = UserFactory()
    skill = SkillFactory()
    barrier = threading.Barrier(4)
    errors = []

    def post():
        from django.db import connections

        try:
            barrier.wait()
            set_progress(user, skill, status="done", note="same")
        except Exception as exc:  # noqa: BLE001 - any failure fails the test below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=post) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert SkillProgress.objects.filter(user=user, skill=skill).count() == 1
    assert StatusChange.objects.filter(user=user, skill=skill).count() == 1


def test_nobody_starts_on_an_archived_skill_but_what_was_recorded_stays(client, mentee, skill):
    client.force_login(mentee)
    client.post(url(skill), {"status": "learning"})
    Skill.objects.filter(pk=skill.pk).update(archived=True)
    # The learner who had started keeps going.
    assert client.post(url(skill), {"status": "done"}).status_code == 302
    assert SkillProgress.objects.get(user=mentee, skill=skill).status == "done"
    newcomer = UserFactory()
    client.force_login(newcomer)
    response = client.post(url(skill), {"status": "learning"})
    assert response.status_code == 400
    assert "archived" in response.content.decode()
    assert client.post(url(skill), {"note": "x"}, HTTP_HX_REQUEST="true").status_code == 422
    assert not SkillProgress.objects.filter(user=newcomer).exists()


def test_a_refused_link_comes_back_in_its_form_with_the_note_kept(client, mentee, skill):
    client.force_login(mentee)
    data = {"note": "Line one\nline <two>", "evidence_url": "javascript:alert(1)", "next": "/x/"}
    response = client.post(url(skill), data)
    body = response.content.decode()
    assert response.status_code == 422
    assert body.count("Enter a valid URL.") == 1
    assert "Line one\nline &lt;two&gt;</textarea>" in body
    assert 'value="javascript:alert(1)"' in body
    assert 'aria-invalid="true"' in body and 'id="evidence-errors"' in body
    assert '<input type="hidden" name="next" value="/x/">' in body
    assert not SkillProgress.objects.filter(user=mentee).exists()


def test_the_database_refuses_a_status_no_page_can_name(mentee, skill):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        SkillProgress.objects.create(user=mentee, skill=skill, status="")
    assert not SkillProgress.objects.exists()


def test_a_logged_change_to_an_unknown_status_does_not_break_the_dashboard(client, mentee):
    # The log is history and stays as written, even a change an old bug let through.
    track = make_track()
    skill = Skill.objects.filter(step_skills__track=track).first()
    mentee.profile.target_track = track
    mentee.profile.save()
    set_progress(mentee, skill, status="learning")
    StatusChange.objects.create(user=mentee, skill=skill, from_status="learning", to_status="")
    client.force_login(mentee)
    assert client.get(reverse("profiles:dashboard")).status_code == 200
    assert client.get(reverse("profiles:history")).status_code == 200
