"""The plan page, its changes (pin, lost week, pace), its calendar feed and the e-mail opt-out."""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from . import calendar_feed, digests, planning, plans
from .models import JobPosting, PlanSettings, Profile
from .plan_forms import PaceForm, PinForm, WeekForm

# Weeks offered beyond the plan's last week when pinning.
PIN_WEEKS_AFTER = 8


def _profile(user) -> Profile:
    return Profile.objects.select_related("target_track", "target_job").get_or_create(user=user)[0]


def refusal_message(refusal: planning.RefusedPin, names: dict[str, str]) -> str:
    """Why a pin was refused, in the reader's language."""
    skill = names.get(refusal.slug, refusal.slug)
    week = formats.date_format(refusal.week, "DATE_FORMAT")
    others = ", ".join(names.get(slug, slug) for slug in refusal.blocking)
    texts = {
        "past": _("The week of %(week)s is over: pin %(skill)s to this week or a later one."),
        "lost": _("You marked the week of %(week)s as lost: give it back first, or pick another."),
        "too-far": _("The week of %(week)s is too far ahead to plan."),
        "full": _(
            "The week of %(week)s is already full with pinned skills: %(skill)s does not fit."
        ),
        "prerequisite": _(
            "%(skill)s needs %(others)s first, which cannot be done before the week of %(week)s."
        ),
        "dependent": _("%(others)s is pinned earlier and needs %(skill)s first."),
        "not-planned": _("%(skill)s is no longer in your plan."),
    }
    return texts.get(refusal.reason, texts["full"]) % {
        "skill": skill,
        "week": week,
        "others": others,
    }


def _first_setup(loaded: plans.LoadedPlan) -> None:
    """A plan seen for the first time, or for a new target, becomes the baseline progress
    is measured against."""
    if not plans.baseline_current(loaded) and loaded.plan.finish:
        plans.rebaseline(loaded.settings, loaded.plan, loaded.target_key)
        loaded.settings.save(
            update_fields=["baseline", "baseline_finish", "baseline_target", "updated_at"]
        )


def _target_choices(profile, loaded) -> list[tuple[str, str, bool]]:
    """What the plan can lead to (value, label, chosen): the track and the targeted job."""
    choices = []
    if profile.target_track_id:
        choices.append(("track", profile.target_track.name, loaded.posting is None))
    postings = [loaded.posting, profile.target_job]
    seen = set()
    for posting in postings:
        if posting is None or posting.pk in seen or posting.owner_id != profile.user_id:
            continue
        seen.add(posting.pk)
        chosen = loaded.posting is not None and loaded.posting.pk == posting.pk
        choices.append((str(posting.pk), posting.display_title, chosen))
    return choices if len(choices) > 1 else []


def _feed_url(request, settings: PlanSettings) -> str:
    return (
        request.build_absolute_uri(reverse("profiles:plan_ics")) + f"?token={settings.ical_token}"
    )


def _context(request, profile, loaded, **extra) -> dict:
    plan = loaded.plan if loaded else None
    context = {"profile": profile, "loaded": loaded, "plan": plan, **extra}
    if loaded:
        weeks = [week.start for week in plan.weeks if not week.lost]
        if weeks:
            last = weeks[-1]
            weeks += [last + timedelta(weeks=n) for n in range(1, PIN_WEEKS_AFTER + 1)]
        context.update(
            {
                "settings": loaded.settings,
                "this_monday": planning.monday(loaded.today),
                "target": loaded.target,
                "status": plans.standing(loaded),
                "baseline_current": plans.baseline_current(loaded),
                "target_choices": _target_choices(profile, loaded),
                "feed_url": _feed_url(request, loaded.settings),
                "pin_weeks": weeks,
                "pinned": [
                    (skill, plan.pins[skill.slug])
                    for skill in loaded.skills
                    if skill.slug in plan.pins
                ],
                "names": {skill.slug: skill.name for skill in loaded.skills},
                "refused": [
                    refusal_message(refusal, {s.slug: s.name for s in loaded.skills})
                    for refusal in plan.refused_pins
                    if refusal.reason != "not-planned"
                ],
                "lost_weeks": sorted(date.fromisoformat(day) for day in loaded.settings.lost_weeks),
            }
        )
        context.setdefault(
            "pace_form",
            PaceForm(
                initial={
                    "weekly_hours": profile.weekly_hours,
                    "start_date": loaded.settings.start_date,
                    "study_days": loaded.settings.study_days,
                },
                today=loaded.today,
            ),
        )
        context.setdefault(
            "pin_form",
            PinForm(planned={skill.slug: skill.name for skill in planning.order(loaded.skills)}),
        )
    return context


def _render(request, profile, loaded, status=200, **extra):
    context = _context(request, profile, loaded, **extra)
    template = "profiles/_plan.html" if request.htmx else "profiles/plan.html"
    return render(request, template, context, status=status)


@login_required
@require_safe
def plan_page(request):
    profile = _profile(request.user)
    loaded = plans.load(request.user, profile)
    if loaded:
        _first_setup(loaded)
    return _render(request, profile, loaded, calendar_open="calendar" in request.GET)


def _finish_text(before: date | None, after: date | None) -> str:
    if after is None:
        return _("Your plan is saved. Nothing is left to plan: every core skill is done.")
    new = formats.date_format(after, "DATE_FORMAT")
    if before is None or before == after:
        return _("Your plan is saved. Finish date: %(new)s.") % {"new": new}
    old = formats.date_format(before, "DATE_FORMAT")
    return _("Your plan is saved. New finish date: %(new)s (it was %(old)s).") % {
        "new": new,
        "old": old,
    }


def _after_change(request, profile, before: date | None):
    """Answer a successful change: the new plan in place, or a redirect with a message."""
    loaded = plans.load(request.user, profile)
    text = _finish_text(before, loaded.plan.finish if loaded else None)
    if request.htmx:
        return _render(request, profile, loaded, notice=text)
    messages.success(request, text)
    return redirect("profiles:plan")


def _refuse(request, profile, loaded, errors, **forms):
    """Answer a refused change: the plan with the errors, nothing saved."""
    return _render(
        request, profile, loaded, status=422 if request.htmx else 400, errors=errors, **forms
    )


def _loaded_or_404(request):
    profile = _profile(request.user)
    loaded = plans.load(request.user, profile)
    if loaded is None:
        # Nothing to change without a target; the plan page says how to choose one.
        raise Http404("No plan without a target track")
    return profile, loaded


def _form_errors(form) -> list[str]:
    return [error for errors in form.errors.values() for error in errors]


@login_required
@require_POST
def pin_skill(request):
    profile, loaded = _loaded_or_404(request)
    planned = {skill.slug: skill.name for skill in loaded.skills}
    form = PinForm(request.POST, planned=planned)
    if not form.is_valid():
        return _refuse(request, profile, loaded, _form_errors(form), pin_form=form)
    slug, week = form.cleaned_data["skill"], form.cleaned_data["week"]
    try:
        options = loaded.options()
        del options["pins"]  # the pins the plan keeps are passed instead of the stored ones
        plan = planning.pin(loaded.skills, loaded.plan.pins, slug, week, **options)
    except planning.PinRefused as refused:
        return _refuse(
            request, profile, loaded, [refusal_message(refused.refusal, planned)], pin_form=form
        )
    settings = loaded.settings
    settings.pins = {key: day.isoformat() for key, day in plan.pins.items()}
    settings.save(update_fields=["pins", "updated_at"])
    return _after_change(request, profile, loaded.plan.finish)


@login_required
@require_POST
def unpin_skill(request):
    profile, loaded = _loaded_or_404(request)
    settings = loaded.settings
    slug = request.POST.get("skill", "")
    if slug not in settings.pins:
        return _refuse(request, profile, loaded, [_("That skill is not pinned.")])
    settings.pins = {key: day for key, day in settings.pins.items() if key != slug}
    settings.save(update_fields=["pins", "updated_at"])
    return _after_change(request, profile, loaded.plan.finish)


@login_required
@require_POST
def lose_week(request):
    """ "I lost this week" (a week ahead: "I can’t study this week"): nothing is planned in it,
    and the plan (pins too) moves on by a week."""
    profile, loaded = _loaded_or_404(request)
    form = WeekForm(request.POST, first_week=loaded.plan.first_week)
    if not form.is_valid():
        return _refuse(request, profile, loaded, _form_errors(form))
    pins, lost = _weeks_of(loaded.settings)
    changed = planning.lose_week(pins, lost, form.cleaned_data["week"], loaded.plan.first_week)
    _save_weeks(loaded.settings, changed)
    return _after_change(request, profile, loaded.plan.finish)


@login_required
@require_POST
def restore_week(request):
    """Give a lost week back: the plan, pins included, moves back a week."""
    profile, loaded = _loaded_or_404(request)
    form = WeekForm(request.POST, first_week=loaded.plan.first_week)
    if not form.is_valid():
        return _refuse(request, profile, loaded, _form_errors(form))
    week = form.cleaned_data["week"]
    settings = loaded.settings
    if week.isoformat() not in settings.lost_weeks:
        return _refuse(request, profile, loaded, [_("That week is not marked as lost.")])
    _save_weeks(settings, planning.restore_week(*_weeks_of(settings), week))
    return _after_change(request, profile, loaded.plan.finish)


def _weeks_of(settings) -> tuple[dict[str, date], list[date]]:
    """The stored pins and lost weeks as dates, as the planning module takes them."""
    pins = {slug: date.fromisoformat(day) for slug, day in settings.pins.items()}
    return pins, [date.fromisoformat(day) for day in settings.lost_weeks]


def _save_weeks(settings, changed: planning.WeekChange) -> None:
    """Store the pins and lost weeks a lost or given-back week left."""
    settings.pins = {slug: day.isoformat() for slug, day in changed.pins.items()}
    settings.lost_weeks = [day.isoformat() for day in changed.lost_weeks]
    settings.save(update_fields=["pins", "lost_weeks", "updated_at"])


@login_required
@require_POST
def change_pace(request):
    """Hours per week, start date and study days: a new plan, and a new baseline."""
    profile, loaded = _loaded_or_404(request)
    form = PaceForm(request.POST, today=loaded.today)
    if not form.is_valid():
        return _refuse(request, profile, loaded, _form_errors(form), pace_form=form)
    data = form.cleaned_data
    settings = loaded.settings
    with transaction.atomic():
        profile.weekly_hours = data["weekly_hours"]
        profile.save(update_fields=["weekly_hours"])
        settings.start_date = data["start_date"]
        settings.study_days = sorted(set(data["study_days"]))
        options = plans.plan_options(settings, profile.weekly_hours, loaded.today)
        plan = planning.build_plan(
            loaded.skills, first_job=plans.first_job_layer(loaded.target), **options
        )
        # Pins the new pace cannot keep are dropped rather than left to surprise later.
        settings.pins = {slug: day.isoformat() for slug, day in plan.pins.items()}
        plans.rebaseline(settings, plan, loaded.target_key)
        settings.save()
    return _after_change(request, profile, loaded.plan.finish)


@login_required
@require_POST
def choose_target(request):
    """Plan for the target track or for one of the learner's saved postings; a new baseline."""
    profile = _profile(request.user)
    settings = plans.settings_for(request.user)
    value = request.POST.get("target", "")
    if value == "track":
        settings.job = None
    elif value.isdigit():
        # Someone else's posting, or one deleted since, is a 404 like any private object.
        settings.job = get_object_or_404(JobPosting, pk=int(value), owner=request.user)
    else:
        raise Http404("No such target")
    loaded = plans.load(request.user, profile, settings=settings)
    if loaded is None:
        return _refuse(request, profile, None, [_("Choose a target track first.")])
    with transaction.atomic():
        if loaded.plan.finish:
            plans.rebaseline(settings, loaded.plan, loaded.target_key)
        settings.save()
    text = _("Your plan now leads to %(target)s.") % {"target": loaded.target.name}
    if request.htmx:
        return _render(request, profile, loaded, notice=text)
    messages.success(request, text)
    return redirect("profiles:plan")


@login_required
@require_POST
def new_feed_token(request):
    """A new calendar token: the old feed URL stops working at once."""
    settings = plans.settings_for(request.user)
    settings.ical_token = plans.new_token()
    settings.save(update_fields=["ical_token", "updated_at"])
    text = _("Your calendar link is new: the old one no longer works. Update your calendar.")
    if request.htmx:
        profile = _profile(request.user)
        loaded = plans.load(request.user, profile)
        return _render(request, profile, loaded, notice=text, calendar_open=True)
    messages.success(request, text)
    return redirect(reverse("profiles:plan") + "?calendar=1#calendar")


@require_safe
def plan_feed(request):
    """The plan as an iCalendar feed; any bad or old token is a plain 404."""
    token = request.GET.get("token", "")
    settings = None
    if 20 <= len(token) <= 64:
        settings = (
            PlanSettings.objects.select_related("user")
            .filter(ical_token=token, user__is_active=True)
            .first()
        )
    if settings is None:
        raise Http404("No such calendar")
    profile = _profile(settings.user)
    language = profile.language or translation.get_language()
    zone = settings.time_zone if plans.valid_time_zone(settings.time_zone) else "UTC"
    with translation.override(language), timezone.override(zone):
        loaded = plans.load(settings.user, profile, settings=settings)
        body = calendar_feed.render(loaded, site=request.build_absolute_uri("/").rstrip("/"))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="skillpath-plan.ics"'
    response["Cache-Control"] = "private, no-store"
    return response


@csrf_exempt  # RFC 8058: mail providers POST without a page, so without a CSRF token.
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    """Stop the weekly e-mails, by a signed link that needs no login (one click by POST)."""
    try:
        user_id = digests.unsubscribe_signer().unsign(token)
    except signing.BadSignature:
        raise Http404("No such link") from None
    settings = PlanSettings.objects.filter(user_id=user_id).first()
    if settings is None:
        raise Http404("No such link")
    if request.method == "POST":
        settings.weekly_digest = settings.mentor_digest = False
        settings.save(update_fields=["weekly_digest", "mentor_digest", "updated_at"])
        return render(request, "profiles/unsubscribed.html", {"done": True})
    return render(request, "profiles/unsubscribed.html", {"done": False})
