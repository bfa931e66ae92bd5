"""Mentors: invitations, acceptance, verifications, notes, ending; per role, with forgeries."""

from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from profiles import mentoring_services
from profiles.models import MentorInvitation, MentorNote, Mentorship, Profile, SkillProgress
from profiles.progress import set_progress

from .factories import SkillFactory, UserFactory, make_track

pytestmark = pytest.mark.django_db


@pytest.fixture
def mentor(db):
    """Not yet anyone's mentor: these tests make the mentorship (conftest's is active)."""
    return UserFactory(username="mentor")


@pytest.fixture
def track(db):
    return make_track(n_steps=2, skills_per_step=3)


@pytest.fixture
def skills(track):
    return [link.skill for step in track.steps.all() for link in step.step_skills.all()]


@pytest.fixture
def mentee_on_track(mentee, track):
    Profile.objects.filter(user=mentee).update(target_track=track)
    return mentee


@pytest.fixture
def done_skill(mentee_on_track):
    skill = SkillFactory(name="Tokenizers")
    set_progress(
        mentee_on_track,
        skill,
        status="done",
        note="my private note",
        evidence_url="https://example.com/proof",
    )
    return skill


@pytest.fixture
def active(mentee_on_track, mentor):
    return Mentorship.objects.create(mentee=mentee_on_track, mentor=mentor)


def invitation_for(user, **fields):
    invitation, token = mentoring_services.create_invitation(user)
    if fields:
        MentorInvitation.objects.filter(pk=invitation.pk).update(**fields)
    return token


def profile_url(user):
    return f"/u/{user.username}/"


# Inviting ---------------------------------------------------------------------


def test_the_invitation_link_is_shown_once_and_e_mailed(client, mentee):
    client.force_login(mentee)
    response = client.post("/me/mentors/invite/", {"email": "future@example.com"})
    assert response.status_code == 302
    first = client.get("/me/mentors/").content.decode()
    assert "/mentoring/accept/" in first and "Your invitation link" in first
    assert "Your invitation link" not in client.get("/me/mentors/").content.decode()
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["future@example.com"]
    link = next(word for word in mail.outbox[0].body.split() if "/mentoring/accept/" in word)
    token = link.rstrip("/").rsplit("/", 1)[-1]
    assert link in first
    # Only the digest is stored, and the invitation expires in 14 days.
    invitation = MentorInvitation.objects.get()
    assert (
        invitation.token_hash == mentoring_services.hash_token(token)
        and token not in invitation.token_hash
    )
    assert abs(invitation.expires_at - invitation.created_at - timedelta(days=14)).seconds < 2


def test_an_invitation_without_e_mail_sends_nothing(client, mentee):
    client.force_login(mentee)
    client.post("/me/mentors/invite/", {"email": ""})
    assert MentorInvitation.objects.count() == 1 and not mail.outbox


def test_a_bad_e_mail_creates_nothing(client, mentee):
    client.force_login(mentee)
    assert client.post("/me/mentors/invite/", {"email": "not an address"}).status_code == 400
    assert not MentorInvitation.objects.exists()


def test_pending_invitations_are_bounded(client, mentee):
    for _ in range(mentoring_services.MAX_PENDING_INVITATIONS):
        mentoring_services.create_invitation(mentee)
    client.force_login(mentee)
    client.post("/me/mentors/invite/")
    assert MentorInvitation.objects.count() == mentoring_services.MAX_PENDING_INVITATIONS


def test_the_mentee_withdraws_an_invitation_and_its_link_dies(client, mentee, mentor):
    token = invitation_for(mentee)
    invitation = MentorInvitation.objects.get()
    client.force_login(mentee)
    client.post(f"/me/mentors/invitations/{invitation.pk}/withdraw/")
    client.force_login(mentor)
    assert client.post(f"/mentoring/accept/{token}/").status_code == 410
    assert not Mentorship.objects.exists()


def test_nobody_else_withdraws_an_invitation(client, mentee, stranger):
    invitation_for(mentee)
    invitation = MentorInvitation.objects.get()
    client.force_login(stranger)
    assert client.post(f"/me/mentors/invitations/{invitation.pk}/withdraw/").status_code == 404
    invitation.refresh_from_db()
    assert invitation.withdrawn_at is None


# Accepting --------------------------------------------------------------------


def test_a_visitor_sees_who_invites_them_before_logging_in(client, mentee):
    token = invitation_for(mentee)
    response = client.get(f"/mentoring/accept/{token}/")
    body = response.content.decode()
    assert response.status_code == 200
    assert "mentee invites you to be their mentor" in body
    assert "What accepting means" in body
    assert f"/accounts/login/?next=/mentoring/accept/{token}/" in body
    assert f"/accounts/signup/?next=/mentoring/accept/{token}/" in body
    # Accepting itself needs an account.
    response = client.post(f"/mentoring/accept/{token}/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert f"next=/mentoring/accept/{token}/" in response["Location"]
    assert not Mentorship.objects.exists()


@pytest.mark.parametrize(
    ("fields", "text"),
    [
        ({"withdrawn_at": timezone.now()}, "withdrawn"),
        ({"expires_at": timezone.now() - timedelta(seconds=1)}, "expired"),
    ],
)
def test_a_visitor_with_a_dead_link_is_told_before_any_log_in(client, mentee, fields, text):
    token = invitation_for(mentee, **fields)
    response = client.get(f"/mentoring/accept/{token}/")
    body = response.content.decode()
    assert response.status_code == 410
    assert text in body and "/accounts/login/?next" not in body


def test_a_visitor_with_a_used_link_is_told_so(client, mentee, stranger):
    token = invitation_for(mentee, accepted_at=timezone.now(), accepted_by=stranger)
    response = client.get(f"/mentoring/accept/{token}/")
    assert response.status_code == 410 and "already been used" in response.content.decode()


def test_accepting_asks_first_then_gives_access(client, mentee_on_track, mentor):
    token = invitation_for(mentee_on_track)
    client.force_login(mentor)
    assert client.get(profile_url(mentee_on_track)).status_code == 404
    page = client.get(f"/mentoring/accept/{token}/")
    assert page.status_code == 200 and "Become the mentor of mentee" in page.content.decode()
    assert not Mentorship.objects.exists()
    response = client.post(f"/mentoring/accept/{token}/")
    assert response["Location"] == profile_url(mentee_on_track)
    mentorship = Mentorship.objects.get()
    assert (mentorship.mentee, mentorship.mentor) == (mentee_on_track, mentor)
    invitation = MentorInvitation.objects.get()
    assert invitation.accepted_by == mentor and invitation.accepted_at
    assert client.get(profile_url(mentee_on_track)).status_code == 200


@pytest.mark.parametrize(
    ("case", "status", "text"),
    [
        ("own", 403, "your own invitation"),
        ("used", 410, "already been used"),
        ("withdrawn", 410, "withdrawn"),
        ("expired", 410, "expired"),
    ],
)
def test_tokens_that_cannot_be_accepted_get_a_clear_page(
    client, mentee, mentor, stranger, case, status, text
):
    fields = {
        "own": {},
        "used": {"accepted_at": timezone.now(), "accepted_by": stranger},
        "withdrawn": {"withdrawn_at": timezone.now()},
        "expired": {"expires_at": timezone.now() - timedelta(seconds=1)},
    }[case]
    token = invitation_for(mentee, **fields)
    client.force_login(mentee if case == "own" else mentor)
    for method in (client.get, client.post):
        response = method(f"/mentoring/accept/{token}/")
        assert response.status_code == status
        assert text in response.content.decode()
    assert not Mentorship.objects.filter(mentor__in=[mentee, mentor]).exists()


def test_an_unknown_token_gives_nothing_away(client, mentee, mentor):
    invitation_for(mentee)
    client.force_login(mentor)
    for token in ["x" * 43, "nope", "a" * 300]:
        response = client.get(f"/mentoring/accept/{token}/")
        assert response.status_code == 404
        assert "mentee" not in response.content.decode()


def test_a_token_works_once(client, mentee, mentor, stranger):
    token = invitation_for(mentee)
    client.force_login(mentor)
    client.post(f"/mentoring/accept/{token}/")
    client.force_login(stranger)
    assert client.post(f"/mentoring/accept/{token}/").status_code == 410
    assert Mentorship.objects.get().mentor == mentor


def test_an_active_mentor_accepting_again_creates_nothing(client, active, mentor):
    token = invitation_for(active.mentee)
    client.force_login(mentor)
    response = client.post(f"/mentoring/accept/{token}/")
    assert response.status_code == 200 and "You already mentor" in response.content.decode()
    assert Mentorship.objects.count() == 1
    assert MentorInvitation.objects.get().accepted_at is None


def test_a_former_mentor_can_be_invited_again(client, active, mentor):
    mentoring_services.end_mentorship(active, mentor)
    token = invitation_for(active.mentee)
    client.force_login(mentor)
    client.post(f"/mentoring/accept/{token}/")
    assert Mentorship.objects.active().filter(mentor=mentor).count() == 1


# Seeing the profile -----------------------------------------------------------


def test_a_mentor_sees_progress_evidence_and_notes(client, active, done_skill, mentor):
    client.force_login(mentor)
    body = client.get(profile_url(active.mentee)).content.decode()
    assert "mentee's target:" in body and "This week" in body
    assert "How close mentee is to each track" in body and "How close you are" not in body
    assert "https://example.com/proof" in body and "my private note" in body
    assert "Verify Tokenizers" in body and "A note to mentee" in body
    assert "mentee@example.com" not in body


def test_a_mentees_page_sets_what_is_in_progress_and_the_fit_beside_the_steps(
    client, active, skills, mentor
):
    set_progress(active.mentee, skills[0], status="learning")
    client.force_login(mentor)
    body = client.get(profile_url(active.mentee)).content.decode()
    # As on the dashboard: the steps in the wide column, a side column beside them.
    columns = body.index('<div class="dashboard-columns">')
    steps = body.index('id="steps"')
    side = body.index('id="learning-heading"')
    fit = body.index('id="fit-heading"')
    assert columns < steps < side < fit
    assert f'>{skills[0].name}</a> <span class="status-badge status-learning">' in body[side:fit]


def test_private_means_the_owner_only(client, active, mentor):
    Profile.objects.filter(user=active.mentee).update(visibility="private")
    client.force_login(mentor)
    assert client.get(profile_url(active.mentee)).status_code == 404
    row = client.get("/mentoring/").content.decode()
    assert "Keeps the profile private" in row


def test_on_a_public_profile_a_mentor_still_gets_the_full_view(client, active, done_skill):
    Profile.objects.filter(user=active.mentee).update(visibility="public")
    client.force_login(active.mentor)
    assert "my private note" in client.get(profile_url(active.mentee)).content.decode()
    client.logout()
    body = client.get(profile_url(active.mentee)).content.decode()
    assert "my private note" not in body and "Verify" not in body


@pytest.mark.parametrize("who", ["stranger", "editor"])
def test_other_signed_in_people_get_a_404(client, active, who, request):
    client.force_login(request.getfixturevalue(who))
    assert client.get(profile_url(active.mentee)).status_code == 404


def test_an_administrator_sees_but_does_not_verify(client, active, done_skill, superuser):
    client.force_login(superuser)
    body = client.get(profile_url(active.mentee)).content.decode()
    assert "Verify Tokenizers" not in body
    response = client.post(f"{profile_url(active.mentee)}skills/{done_skill.slug}/verify/")
    assert response.status_code == 403
    assert not SkillProgress.objects.filter(verified_at__isnull=False).exists()


# Verifying --------------------------------------------------------------------


def verify(client, mentee, skill):
    return client.post(f"/u/{mentee.username}/skills/{skill.slug}/verify/")


def test_a_mentor_verifies_a_done_skill_and_the_mentee_sees_it(client, active, done_skill):
    client.force_login(active.mentor)
    assert verify(client, active.mentee, done_skill).status_code == 302
    row = SkillProgress.objects.get(user=active.mentee, skill=done_skill)
    assert row.verified_by == active.mentor and row.verified_at
    assert "verified by mentor on" in client.get(profile_url(active.mentee)).content.decode()
    client.force_login(active.mentee)
    assert "verified by mentor on" in client.get("/me/").content.decode()
    skill_page = client.get(done_skill.get_absolute_url()).content.decode()
    assert "Verified by mentor on" in skill_page


def test_verifying_twice_keeps_the_first_verification(client, active, done_skill):
    client.force_login(active.mentor)
    verify(client, active.mentee, done_skill)
    first = SkillProgress.objects.get(skill=done_skill).verified_at
    assert verify(client, active.mentee, done_skill).status_code == 302
    assert SkillProgress.objects.get(skill=done_skill).verified_at == first


def test_the_verification_goes_when_the_skill_is_no_longer_done(client, active, done_skill):
    client.force_login(active.mentor)
    verify(client, active.mentee, done_skill)
    set_progress(active.mentee, done_skill, note="edited")  # a note edit keeps it
    assert SkillProgress.objects.get(skill=done_skill).verified_at is not None
    client.force_login(active.mentee)
    client.post(f"/me/skills/{done_skill.slug}/", {"status": "learning"})
    row = SkillProgress.objects.get(skill=done_skill)
    assert row.verified_at is None and row.verified_by is None
    set_progress(active.mentee, done_skill, status="done")
    assert SkillProgress.objects.get(skill=done_skill).verified_at is None


def test_a_skill_not_done_cannot_be_verified(client, active, skills):
    set_progress(active.mentee, skills[0], status="learning")
    client.force_login(active.mentor)
    for skill in skills[:2]:  # learning, and never recorded
        response = verify(client, active.mentee, skill)
        assert response.status_code == 400
        assert "only a done skill can be verified" in response.content.decode()
    assert not SkillProgress.objects.filter(verified_at__isnull=False).exists()


def test_unknown_skill_is_a_404(client, active):
    client.force_login(active.mentor)
    assert client.post(f"/u/{active.mentee.username}/skills/nope/verify/").status_code == 404


@pytest.mark.parametrize("who", ["stranger", "editor", "former"])
def test_verification_cannot_be_forged(client, active, done_skill, who, request):
    if who == "former":
        mentoring_services.end_mentorship(active, active.mentee)
        user = active.mentor
    else:
        user = request.getfixturevalue(who)
    client.force_login(user)
    assert verify(client, active.mentee, done_skill).status_code == 404
    assert client.post(f"/u/{active.mentee.username}/notes/", {"text": "hi"}).status_code == 404
    assert not SkillProgress.objects.filter(verified_at__isnull=False).exists()
    assert not MentorNote.objects.exists()


def test_the_owner_cannot_verify_their_own_skill(client, active, done_skill):
    client.force_login(active.mentee)
    assert verify(client, active.mentee, done_skill).status_code == 403
    assert not SkillProgress.objects.filter(verified_at__isnull=False).exists()


def test_mentoring_someone_else_does_not_open_this_mentee(client, active, done_skill, stranger):
    Mentorship.objects.create(mentee=stranger, mentor=active.mentor)
    other = UserFactory(username="other")
    client.force_login(other)
    assert verify(client, active.mentee, done_skill).status_code == 404


def test_the_services_raise_what_cannot_be_done(active, done_skill, skills, mentor):
    with pytest.raises(mentoring_services.SkillNotDone):
        mentoring_services.verify_skill(active, skills[0])
    assert mentoring_services.verify_skill(active, done_skill) is True
    assert mentoring_services.verify_skill(active, done_skill) is False  # verified already
    mentee = active.mentee
    invitation, _token = mentoring_services.create_invitation(mentee)
    for user, problem in [(mentor, "already"), (mentee, "own")]:
        with pytest.raises(mentoring_services.CannotAccept) as refused:
            mentoring_services.accept_invitation(invitation.pk, user)
        assert refused.value.problem == problem
    for _ in range(mentoring_services.MAX_PENDING_INVITATIONS - 1):
        mentoring_services.create_invitation(mentee)
    with pytest.raises(mentoring_services.TooManyPendingInvitations):
        mentoring_services.create_invitation(mentee)


# Notes ------------------------------------------------------------------------


def note(client, mentee, text="Good progress", skill=""):
    return client.post(f"/u/{mentee.username}/notes/", {"text": text, "skill": skill})


def test_a_note_on_the_profile_is_e_mailed_and_shown(client, active):
    client.force_login(active.mentor)
    assert note(client, active.mentee, "Try the RAG project next").status_code == 302
    assert MentorNote.objects.get().skill is None
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["mentee@example.com"]
    assert "Try the RAG project next" in mail.outbox[0].body
    client.force_login(active.mentee)
    assert "Try the RAG project next" in client.get("/me/").content.decode()


def test_a_note_on_a_skill_shows_on_the_skill_page(client, active, done_skill):
    client.force_login(active.mentor)
    note(client, active.mentee, "Nice tokenizer write-up", skill=done_skill.slug)
    assert MentorNote.objects.get().skill == done_skill
    client.force_login(active.mentee)
    assert "Nice tokenizer write-up" in client.get(done_skill.get_absolute_url()).content.decode()


def test_no_e_mail_when_the_mentee_turned_it_off(client, active):
    Profile.objects.filter(user=active.mentee).update(notify_on_note=False)
    client.force_login(active.mentor)
    note(client, active.mentee)
    assert MentorNote.objects.count() == 1 and not mail.outbox


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"text": ""}, "This field is required"),
        ({"text": "x" * 2001}, "at most 2000"),
        ({"text": "hi", "skill": "no-such-skill"}, "no such skill"),
    ],
)
def test_a_bad_note_is_refused_in_its_form(client, active, data, message):
    client.force_login(active.mentor)
    response = client.post(f"/u/{active.mentee.username}/notes/", data)
    body = response.content.decode()
    assert response.status_code == 422 and body.count(message) == 1
    assert f">{data['text']}</textarea>" in body  # what was typed is kept
    assert 'aria-invalid="true"' in body
    assert not MentorNote.objects.exists()


def test_the_mentor_opens_the_mentees_roadmap_read_only(client, active, skills, track):
    set_progress(active.mentee, skills[0], status="done")
    mentoring_services.verify_skill(active, skills[0])
    client.force_login(active.mentor)
    body = client.get(profile_url(active.mentee)).content.decode()
    assert "/u/mentee/roadmap/" in body and "Open mentee's roadmap" in body
    response = client.get("/u/mentee/roadmap/")
    body = response.content.decode()
    assert response.status_code == 200
    assert f"mentee's roadmap: {track.name}" in body
    assert skills[0].name in body and "✓ Done" in body and "✔✔ verified" in body
    assert "<form" not in body.split('id="main"')[1].split("</main>")[0]


def test_the_roadmap_of_others_is_404_and_the_owner_goes_to_the_track(client, active, stranger):
    client.force_login(stranger)
    assert client.get("/u/mentee/roadmap/").status_code == 404
    client.logout()
    assert client.get("/u/mentee/roadmap/").status_code == 404
    client.force_login(active.mentee)
    response = client.get("/u/mentee/roadmap/")
    assert response.status_code == 302 and response["Location"].startswith("/tracks/")


def test_ending_and_withdrawing_ask_first_on_a_page(client, active, mentee):
    client.force_login(active.mentor)
    page = client.get(f"/mentoring/{active.pk}/end/").content.decode()
    assert "End the mentorship?" in page and "button-danger" in page
    assert Mentorship.objects.get().active
    token = invitation_for(mentee)
    assert token
    invitation = MentorInvitation.objects.get()
    client.force_login(mentee)
    page = client.get(f"/me/mentors/invitations/{invitation.pk}/withdraw/").content.decode()
    assert "Withdraw the invitation?" in page and "button-danger" in page
    invitation.refresh_from_db()
    assert invitation.withdrawn_at is None


def test_a_mentor_sees_only_their_own_notes(client, active, stranger):
    second = Mentorship.objects.create(mentee=active.mentee, mentor=stranger)
    mentoring_services.add_note(second, "from the second mentor")
    mentoring_services.add_note(active, "from the first mentor")
    client.force_login(active.mentor)
    body = client.get(profile_url(active.mentee)).content.decode()
    assert "from the first mentor" in body and "from the second mentor" not in body
    client.force_login(active.mentee)
    body = client.get("/me/").content.decode()
    assert "from the first mentor" in body and "from the second mentor" in body


def test_public_visitors_never_see_mentor_notes(client, active):
    Profile.objects.filter(user=active.mentee).update(visibility="public")
    mentoring_services.add_note(active, "a private remark")
    assert "a private remark" not in client.get(profile_url(active.mentee)).content.decode()


# Ending -----------------------------------------------------------------------


def test_the_mentee_ends_it_and_access_ends_at_once(client, active, mentor):
    client.force_login(mentor)
    assert client.get(profile_url(active.mentee)).status_code == 200
    client.force_login(active.mentee)
    assert client.post(f"/mentoring/{active.pk}/end/")["Location"] == "/me/mentors/"
    active.refresh_from_db()
    assert active.ended_at and active.ended_by == active.mentee
    assert "Past mentors" in client.get("/me/mentors/").content.decode()
    client.force_login(mentor)
    assert client.get(profile_url(active.mentee)).status_code == 404
    assert "mentee" not in client.get("/mentoring/").content.decode().split("<main")[1]


def test_the_mentor_ends_it(client, active, mentor):
    client.force_login(mentor)
    assert client.post(f"/mentoring/{active.pk}/end/")["Location"] == "/mentoring/"
    assert not Mentorship.objects.active().exists()
    # A retry ends in the same place and changes nothing.
    ended = Mentorship.objects.get().ended_at
    assert client.post(f"/mentoring/{active.pk}/end/").status_code == 302
    assert Mentorship.objects.get().ended_at == ended


@pytest.mark.parametrize("who", ["stranger", "editor", "superuser"])
def test_nobody_else_ends_a_mentorship(client, active, who, request):
    client.force_login(request.getfixturevalue(who))
    assert client.post(f"/mentoring/{active.pk}/end/").status_code == 404
    assert Mentorship.objects.active().exists()


def test_one_active_mentorship_per_pair(active):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Mentorship.objects.create(mentee=active.mentee, mentor=active.mentor)
    mentoring_services.end_mentorship(active, active.mentor)
    Mentorship.objects.create(mentee=active.mentee, mentor=active.mentor)


# The mentor's overview --------------------------------------------------------


def test_the_overview_puts_who_needs_attention_first(client, mentor, track, skills):
    calm = UserFactory(username="calm")
    waiting = UserFactory(username="waiting")
    for user in (calm, waiting):
        Profile.objects.filter(user=user).update(target_track=track)
        Mentorship.objects.create(mentee=user, mentor=mentor)
    set_progress(calm, skills[0], status="learning")
    set_progress(waiting, skills[0], status="done")
    set_progress(waiting, skills[1], status="done")
    client.force_login(mentor)
    body = client.get("/mentoring/").content.decode()
    assert body.index(">waiting<") < body.index(">calm<")
    assert "2 done skills to verify" in body and track.name in body
    summaries = mentoring_services.mentees_overview(mentor)
    assert [s.username for s in summaries] == ["waiting", "calm"]
    assert summaries[0].fit.core_done == 2 and summaries[0].changes_this_week == 2
    assert summaries[1].reasons == ()


def test_someone_mentoring_nobody_sees_an_empty_page(client, stranger):
    client.force_login(stranger)
    assert "You mentor nobody yet" in client.get("/mentoring/").content.decode()


def _queries(client, url):
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


def test_the_overview_costs_the_same_for_1_or_20_mentees(
    client, mentor, track, skills, django_assert_max_num_queries
):
    def add_mentee(n):
        user = UserFactory(username=f"m{n}")
        Profile.objects.filter(user=user).update(target_track=track)
        Mentorship.objects.create(mentee=user, mentor=mentor)
        set_progress(user, skills[n % len(skills)], status="done")

    add_mentee(0)
    client.force_login(mentor)
    client.get("/mentoring/")  # warm the content cache
    one = _queries(client, "/mentoring/")
    for n in range(1, 20):
        add_mentee(n)
    twenty = _queries(client, "/mentoring/")
    assert one == twenty
    with django_assert_max_num_queries(6):
        client.get("/mentoring/")


def test_the_profile_as_mentor_costs_the_same_for_few_or_many_skills(
    client, active, skills, django_assert_max_num_queries
):
    set_progress(active.mentee, skills[0], status="done")
    mentoring_services.add_note(active, "one")
    client.force_login(active.mentor)
    client.get(profile_url(active.mentee))
    few = _queries(client, profile_url(active.mentee))
    for skill in [*skills, *SkillFactory.create_batch(15)]:
        set_progress(active.mentee, skill, status="done")
        mentoring_services.add_note(active, "more", skill)
    client.get(profile_url(active.mentee))
    many = _queries(client, profile_url(active.mentee))
    assert few == many
    with django_assert_max_num_queries(11):
        client.get(profile_url(active.mentee))
