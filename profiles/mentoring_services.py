"""Mentoring: invitations, acceptance, ending, verifications, notes and a mentor's overview.

Plain functions over the models; the views in profiles/mentoring_views.py only decide access
(with profiles/access.py), call these and render.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from functools import cache

from django.db import IntegrityError, transaction
from django.db.models import Count, Max, Q
from django.utils import timezone, translation

from careers.catalogue import catalogue
from careers.models import Skill

from . import emails, gap
from .dashboard import (
    DONE_SKILL_FIELDS,
    RECENT_DAYS,
    DoneSkill,
    SkillLink,
    done_skills,
    skill_link,
)
from .models import (
    InvitationState,
    MentorInvitation,
    MentorNote,
    Mentorship,
    SkillProgress,
    Status,
    StatusChange,
    Visibility,
    shown_name,
)
from .progress_on_tracks import aware, sql_rows

# A mentee may have this many pending invitations at once: enough for any real use, and a
# bound on what a script could create.
MAX_PENDING_INVITATIONS = 20
QUIET_AFTER_DAYS = 14


class TooManyPendingInvitations(Exception):
    """The mentee already has MAX_PENDING_INVITATIONS pending invitations."""


class AcceptanceProblem(StrEnum):
    """Why an invitation cannot be accepted."""

    OWN = "own"
    ACCEPTED = InvitationState.ACCEPTED
    WITHDRAWN = InvitationState.WITHDRAWN
    EXPIRED = InvitationState.EXPIRED
    ALREADY = "already"  # the user already mentors this mentee


class CannotAccept(Exception):
    """An invitation that cannot be accepted, and why."""

    def __init__(self, problem: AcceptanceProblem):
        super().__init__(problem)
        self.problem = problem


class SkillNotDone(Exception):
    """Only a skill the mentee marked as done can be verified."""


class AttentionReason(StrEnum):
    """Why a mentee needs their mentor's attention."""

    TO_VERIFY = "to-verify"
    QUIET = "quiet"
    NO_TARGET = "no-target"


# Invitations ------------------------------------------------------------------


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def pending_invitations(mentee):
    now = timezone.now()
    return MentorInvitation.objects.filter(
        mentee=mentee, accepted_at__isnull=True, withdrawn_at__isnull=True, expires_at__gt=now
    )


def create_invitation(mentee, email: str = "") -> tuple[MentorInvitation, str]:
    """A new invitation and its token (the only time the token exists in the clear).

    Raises TooManyPendingInvitations when the mentee already has the maximum pending.
    """
    if pending_invitations(mentee).count() >= MAX_PENDING_INVITATIONS:
        raise TooManyPendingInvitations
    token = secrets.token_urlsafe(32)
    invitation = MentorInvitation.objects.create(
        mentee=mentee,
        token_hash=hash_token(token),
        email=email,
        expires_at=timezone.now() + MentorInvitation.VALID_FOR,
    )
    return invitation, token


def find_invitation(token: str) -> MentorInvitation | None:
    """The invitation for a token, whatever its state; None for an unknown token."""
    if not token or len(token) > 100:
        return None
    return (
        MentorInvitation.objects.select_related("mentee__profile")
        .filter(token_hash=hash_token(token), mentee__is_active=True)
        .first()
    )


def acceptance_problem(invitation: MentorInvitation, user) -> AcceptanceProblem | None:
    """Why user cannot accept the invitation; None when they can."""
    if invitation.mentee_id == user.pk:
        return AcceptanceProblem.OWN
    state = invitation.state()
    if state != InvitationState.PENDING:
        return AcceptanceProblem(state)
    if Mentorship.objects.active().filter(mentee_id=invitation.mentee_id, mentor=user).exists():
        return AcceptanceProblem.ALREADY
    return None


def accept_invitation(invitation_id: int, user) -> Mentorship:
    """Accept, or raise CannotAccept; the row is locked meanwhile, so that two accepts of one
    token create one mentorship."""
    with transaction.atomic():
        invitation = (
            MentorInvitation.objects.select_for_update()
            .select_related("mentee")
            .get(pk=invitation_id)
        )
        problem = acceptance_problem(invitation, user)
        if problem:
            raise CannotAccept(problem)
        now = timezone.now()
        try:
            with transaction.atomic():
                mentorship = Mentorship.objects.create(
                    mentee=invitation.mentee, mentor=user, invitation=invitation
                )
        except IntegrityError:
            # A concurrent acceptance of another invitation made the pair active first.
            raise CannotAccept(AcceptanceProblem.ALREADY) from None
        invitation.accepted_at = now
        invitation.accepted_by = user
        invitation.save(update_fields=["accepted_at", "accepted_by"])
    return mentorship


def withdraw_invitation(invitation: MentorInvitation) -> bool:
    """Withdraw a pending invitation; False when it is no longer pending (nothing changes)."""
    return bool(
        MentorInvitation.objects.filter(
            pk=invitation.pk, accepted_at__isnull=True, withdrawn_at__isnull=True
        ).update(withdrawn_at=timezone.now())
    )


def end_mentorship(mentorship: Mentorship, by) -> bool:
    """End an active mentorship at once; False when it had already ended."""
    return bool(
        Mentorship.objects.filter(pk=mentorship.pk, ended_at__isnull=True).update(
            ended_at=timezone.now(), ended_by=by
        )
    )


def send_invitation(email: str, mentee, url: str, expires: datetime) -> None:
    """E-mail an invitation link, in the sender's language (the invitee's is unknown)."""
    context = {"name": mentee.profile.shown_name, "url": url, "expires": expires}
    emails.send("profiles/email/invitation", email, context, translation.get_language())


# Verifications and notes ------------------------------------------------------


def verify_skill(mentorship: Mentorship, skill) -> bool:
    """Verify the mentee's done skill (SkillNotDone if not done); False if already verified."""
    rows = SkillProgress.objects.filter(
        user_id=mentorship.mentee_id, skill=skill, status=Status.DONE
    )
    if rows.filter(verified_at__isnull=True).update(
        verified_by=mentorship.mentor_id, verified_at=timezone.now()
    ):
        return True
    if rows.exists():
        return False
    raise SkillNotDone


def add_note(mentorship: Mentorship, text: str, skill=None, *, url: str = "") -> MentorNote:
    """Save a note and, when the mentee asked for it, tell them by e-mail."""
    note = MentorNote.objects.create(mentorship=mentorship, text=text, skill=skill)
    mentee = mentorship.mentee
    profile = mentee.profile
    if profile.notify_on_note and mentee.email:
        context = {
            "mentor": mentorship.mentor.get_username(),
            "skill": skill,
            "text": text,
            "url": url,
        }
        emails.send(
            "profiles/email/mentor_note",
            mentee.email,
            context,
            profile.language or translation.get_language(),
        )
    return note


@dataclass(frozen=True)
class NoteRow:
    """A mentor's note as the feedback section shows it."""

    text: str
    created_at: datetime
    mentor: str  # the mentor's username
    skill: SkillLink | None


@cache
def _notes_sql(of_one_mentor: bool) -> str:
    """The query of a mentee's latest 50 notes (of one mentor's, or of all), in SQL: text,
    created_at, the mentor's username and the skill's slug."""
    note, mentorship, skill = MentorNote._meta, Mentorship._meta, Skill._meta
    mentor = mentorship.get_field("mentor")
    user = mentor.related_model._meta
    column = {name: note.get_field(name).column for name in ("text", "created_at", "skill")}
    mentee_column = mentorship.get_field("mentee").column
    # Names from the models' metadata; the values are parameters.
    return (
        f"SELECT n.{column['text']}, n.{column['created_at']},"  # noqa: S608
        f" u.{user.get_field('username').column}, s.{skill.get_field('slug').column}"
        f" FROM {note.db_table} n"
        f" JOIN {mentorship.db_table} m"
        f" ON m.{mentorship.pk.column} = n.{note.get_field('mentorship').column}"
        f" JOIN {user.db_table} u ON u.{user.pk.column} = m.{mentor.column}"
        f" LEFT JOIN {skill.db_table} s ON s.{skill.pk.column} = n.{column['skill']}"
        f" WHERE m.{mentee_column} = %s"
        + (f" AND m.{mentor.column} = %s" if of_one_mentor else "")
        + f" ORDER BY n.{column['created_at']} DESC, n.{note.pk.column} DESC LIMIT 50"
    )


def feedback(mentee, mentor=None, done: list[DoneSkill] | None = None) -> dict:
    """Done skills (with verification) and mentor notes, for the mentee or one mentor.

    The owner sees every mentor's notes; a mentor sees only their own. Two queries, one
    when the done skills are given (the dashboard loads them with the statuses). The notes'
    query is written in SQL: the dashboard asks it on every view, and building the ORM's
    query cost more than running it.
    """
    if done is None:
        # Plain rows, the names from the in-process catalogue: model instances for every
        # done skill (with their skill and verifier) cost more than the rest of the section.
        rows = SkillProgress.objects.filter(user=mentee, status=Status.DONE).values_list(
            *DONE_SKILL_FIELDS
        )
        done = done_skills(rows, catalogue().skills)
    # Plain rows here too: a note with its mentor and skill as model instances is three
    # tables' worth of columns to select and build.
    skills = catalogue().skills
    params = [mentee.pk] if mentor is None else [mentee.pk, mentor.pk]
    rows = sql_rows(MentorNote, _notes_sql(of_one_mentor=mentor is not None), params)
    return {
        "done_skills": done,
        "verified_count": sum(1 for row in done if row.verified_at),
        "mentor_notes": [
            NoteRow(text, aware(created_at), mentor, skill_link(slug, skills) if slug else None)
            for text, created_at, mentor, slug in rows
        ],
    }


def skill_feedback(mentee, skill) -> list[MentorNote]:
    """Mentor notes on one skill for its mentee (one query)."""
    return list(
        MentorNote.objects.filter(mentorship__mentee=mentee, skill=skill)
        .select_related("mentorship__mentor")
        .order_by("-created_at", "-id")
    )


# A mentor's overview ----------------------------------------------------------


@dataclass(frozen=True)
class MenteeSummary:
    mentee_id: int
    username: str
    name: str  # how the mentee is named: Profile.shown_name
    private: bool
    track_name: str | None
    fit: gap.FitEntry | None  # readiness on the target track
    last_activity: datetime | None
    changes_this_week: int
    to_verify: int
    reasons: tuple[AttentionReason, ...]  # what needs attention

    @property
    def needs_attention(self) -> bool:
        return bool(self.reasons)


def mentees_overview(mentor, now: datetime | None = None) -> list[MenteeSummary]:
    """The mentor's active mentees, what needs attention first; three queries in all."""
    now = now or timezone.now()
    # Plain rows: fifty mentorships with their mentee, profile and track as model instances
    # cost more than the rest of the overview.
    mentees = list(
        Mentorship.objects.active()
        .filter(mentor=mentor, mentee__is_active=True)
        .order_by("started_at")
        .values_list(
            "mentee_id",
            "mentee__username",
            "mentee__profile__display_name",
            "mentee__profile__visibility",
            "mentee__profile__target_track_id",
            "mentee__profile__weekly_hours",
        )
    )
    visible = [
        mentee_id
        for mentee_id, _, _, visibility, _, _ in mentees
        if visibility != Visibility.PRIVATE
    ]
    statuses: dict[int, dict[str, str]] = {pk: {} for pk in visible}
    to_verify: dict[int, int] = dict.fromkeys(visible, 0)
    activity: dict[int, tuple[datetime, int]] = {}
    if visible:
        rows = (
            SkillProgress.objects.filter(user_id__in=visible)
            .exclude(status=Status.NONE)
            .values_list("user_id", "skill__slug", "status", "verified_at")
        )
        for user_id, slug, status, verified_at in rows:
            statuses[user_id][slug] = status
            if status == Status.DONE and verified_at is None:
                to_verify[user_id] += 1
        week_ago = now - timedelta(days=RECENT_DAYS)
        log = (
            StatusChange.objects.filter(user_id__in=visible)
            .values("user_id")
            .annotate(last=Max("changed_at"), week=Count("id", filter=Q(changed_at__gte=week_ago)))
            .values_list("user_id", "last", "week")
        )
        activity = {user_id: (last, week) for user_id, last, week in log}
    data = catalogue()
    summaries = []
    for mentee_id, username, display_name, visibility, track_id, weekly_hours in mentees:
        private = visibility == Visibility.PRIVATE
        track = data.track_with_id(track_id)
        fit = None
        if track and not private:
            fit = gap.fit(track, data.skills, statuses[mentee_id], weekly_hours)
        last, week = activity.get(mentee_id, (None, 0))
        reasons = []
        if not private:
            if to_verify.get(mentee_id):
                reasons.append(AttentionReason.TO_VERIFY)
            if last is None or last < now - timedelta(days=QUIET_AFTER_DAYS):
                reasons.append(AttentionReason.QUIET)
            if track is None:
                reasons.append(AttentionReason.NO_TARGET)
        summaries.append(
            MenteeSummary(
                mentee_id=mentee_id,
                username=username,
                name=shown_name(display_name, username),
                private=private,
                track_name=track.name if track else None,
                fit=fit,
                last_activity=last,
                changes_this_week=week,
                to_verify=to_verify.get(mentee_id, 0),
                reasons=tuple(reasons),
            )
        )
    # Needs attention first: most skills to verify, then the longest quiet, then by name.
    summaries.sort(
        key=lambda s: (
            not s.needs_attention,
            -s.to_verify,
            s.last_activity.timestamp() if s.last_activity else 0.0,
            s.username,
        )
    )
    return summaries
