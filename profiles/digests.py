"""The weekly e-mail: a learner's plan for the week, and a mentor's digest of their mentees.

At most one e-mail per person per ISO week (in their time zone): the DigestSent row and the
send share one transaction, so a crash before the commit leaves no record and a rerun sends
to whoever did not get theirs, and never twice to anyone who did. An e-mail that fails (the
mail server refuses an address, a person's data breaks the template) is logged and counted,
and the run goes on with the others: one bad address must not stop everyone after it, run
after run.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from django.conf import settings as django_settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from careers.catalogue import catalogue

from . import gap, planning, plans
from .models import DigestSent, MentorNote, Mentorship, PlanSettings, Profile, StatusChange
from .plans import valid_time_zone
from .progress_on_tracks import user_statuses

BATCH_SIZE = 100

logger = logging.getLogger("skillpath.digests")


def unsubscribe_signer() -> signing.Signer:
    return signing.Signer(salt="profiles.digests.unsubscribe")


def unsubscribe_url(user) -> str:
    token = unsubscribe_signer().sign(str(user.pk))
    return django_settings.SITE_URL + reverse("profiles:unsubscribe", args=[token])


def iso_week(day) -> str:
    year, week, _weekday = day.isocalendar()
    return f"{year}-W{week:02d}"


@dataclass
class SendReport:
    """What one run did."""

    sent: list[str] = field(default_factory=list)
    already: int = 0
    nothing: int = 0
    failed: list[str] = field(default_factory=list)


def _last_week_bounds():
    """Last Monday 00:00 to this Monday 00:00 in the active time zone."""
    this_monday = planning.monday(timezone.localdate())
    zone = timezone.get_current_timezone()
    end = datetime.combine(this_monday, time.min, tzinfo=zone)
    return end - timedelta(weeks=1), end


def _learner_part(user, profile, settings) -> dict | None:
    loaded = plans.load(user, profile, settings=settings)
    if loaded is None:
        return None
    start, end = _last_week_bounds()
    changes = list(
        StatusChange.objects.filter(user=user, changed_at__gte=start, changed_at__lt=end)
        .select_related("skill")
        .order_by("changed_at", "id")
    )
    notes = list(
        MentorNote.objects.filter(
            mentorship__mentee=user, created_at__gte=start, created_at__lt=end
        )
        .select_related("mentorship__mentor", "skill")
        .order_by("created_at", "id")
    )
    this_monday = planning.monday(loaded.today)
    week = next((w for w in loaded.plan.weeks if w.start == this_monday), None)
    return {
        "loaded": loaded,
        "changes": changes,
        "notes": notes,
        "week": week,
        "status": plans.standing(loaded) if plans.baseline_current(loaded) else None,
    }


def _mentor_part(user) -> list[dict]:
    start, end = _last_week_bounds()
    mentorships = (
        Mentorship.objects.active()
        .filter(mentor=user)
        .exclude(mentee__profile__visibility="private")
        .select_related("mentee", "mentee__profile__target_track")
        .order_by("mentee__username")
    )
    data = catalogue()
    mentees = []
    for mentorship in mentorships:
        mentee = mentorship.mentee
        profile = getattr(mentee, "profile", None)
        target = (
            data.tracks.get(profile.target_track.slug) if profile and profile.target_track else None
        )
        changes = list(
            StatusChange.objects.filter(user=mentee, changed_at__gte=start, changed_at__lt=end)
            .select_related("skill")
            .order_by("changed_at", "id")
        )
        fit = gap.fit(target, data.skills, user_statuses(mentee), None) if target else None
        mentees.append({"user": mentee, "target": target, "fit": fit, "changes": changes})
    return mentees


def compose(user, settings: PlanSettings) -> EmailMultiAlternatives | None:
    """The person's e-mail for this week in the active language and zone; None if it is empty."""
    profile = Profile.objects.select_related("target_track").filter(user=user).first()
    learner = _learner_part(user, profile, settings) if settings.weekly_digest and profile else None
    mentees = _mentor_part(user) if settings.mentor_digest else []
    if learner is None and not mentees:
        return None
    url = unsubscribe_url(user)
    context = {
        "user": user,
        "learner": learner,
        "mentees": mentees,
        "site": django_settings.SITE_URL,
        "unsubscribe_url": url,
        "settings_url": django_settings.SITE_URL + reverse("profiles:settings"),
        "plan_url": django_settings.SITE_URL + reverse("profiles:plan"),
    }
    message = EmailMultiAlternatives(
        subject=_("Your week on SkillPath"),
        body=render_to_string("profiles/email/digest.txt", context),
        to=[user.email],
        headers={
            "List-Unsubscribe": f"<{url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    message.attach_alternative(render_to_string("profiles/email/digest.html", context), "text/html")
    return message


def _send_one(settings: PlanSettings, report: SendReport) -> None:
    user = settings.user
    profile = getattr(user, "profile", None)
    language = (profile.language if profile else "") or django_settings.LANGUAGE_CODE
    zone = settings.time_zone if valid_time_zone(settings.time_zone) else "UTC"
    with translation.override(language), timezone.override(zone):
        week = iso_week(timezone.localdate())
        if DigestSent.objects.filter(user=user, week=week).exists():
            report.already += 1
            return
        message = compose(user, settings)
        if message is None:
            report.nothing += 1
            return
        try:
            with transaction.atomic():
                DigestSent.objects.create(user=user, week=week)
                message.send()
        except IntegrityError:
            # Another run recorded this person's week between our check and our insert.
            report.already += 1
            return
    report.sent.append(f"{user.get_username()} {week}")


def send_due(batch_size: int = BATCH_SIZE) -> SendReport:
    """Send this week's e-mail to everyone who opted in and has not had it yet."""
    report = SendReport()
    recipients = (
        PlanSettings.objects.filter(user__is_active=True)
        .exclude(user__email="")
        .filter(weekly_digest=True)
        | PlanSettings.objects.filter(user__is_active=True)
        .exclude(user__email="")
        .filter(mentor_digest=True)
    ).select_related("user", "user__profile")
    last_pk = 0
    while True:
        batch = list(recipients.filter(pk__gt=last_pk).order_by("pk")[:batch_size])
        if not batch:
            return report
        for settings in batch:
            try:
                _send_one(settings, report)
            except Exception:
                # Nothing was recorded (the transaction rolled back): the next run tries again.
                logger.exception("weekly e-mail to user %s failed", settings.user_id)
                report.failed.append(settings.user.get_username())
        last_pk = batch[-1].pk
