import json

from allauth.core import ratelimit
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from careers.catalogue import catalogue, content_version
from careers.models import Skill, Track
from careers.track_map import track_map, view
from config.page_shell import render_with_shell

from . import dashboard, gap, mentoring_services, plans
from .access import Role, profile_access
from .export import export_user_data
from .forms import DeleteAccountForm, OnboardingForm, ProgressForm, SettingsForm
from .jobs import job_target_tile, postings_shown_on_profile
from .middleware import SESSION_KEY, TIME_ZONE_SESSION_KEY
from .models import Profile, SkillProgress, Status, StatusChange
from .pdf import html_to_pdf
from .personal_layer import map_overlay
from .plan_forms import PlanPreferencesForm
from .progress import set_progress
from .progress_on_tracks import track_progress


def _profile(user) -> Profile:
    return Profile.objects.of(user)


@login_required
@require_safe
def dashboard_page(request):
    context = _dashboard_context(request)
    target = context.pop("target")
    # The page around the person's parts depends only on their target and which sections
    # they have: one shell per such layout, per content version.
    shared = {
        "target": target,
        "with_report": bool(context["report"]),
        "with_progress_chart": bool(context.get("progress_chart")),
    }
    key = (
        target.slug if target else "",
        shared["with_report"],
        shared["with_progress_chart"],
        content_version(),
    )
    return render_with_shell(request, "profiles/dashboard.html", shared, context, key)


def _dashboard_context(request) -> dict:
    """Everything the dashboard shows of the signed-in learner."""
    profile = _profile(request.user)
    context = dashboard.build(request.user, profile)
    context.update(mentoring_services.feedback(request.user, done=context["done_skills"]))
    context.update(plans.status_context(request.user, profile, context["report"]))
    _finish_from_plan(context)
    context["can_edit"] = True
    context["job_target"] = job_target_tile(request.user, profile)
    return context


def _finish_from_plan(context: dict) -> None:
    """The time tile's finish date from the learner's plan when they made one (skipped skills
    left out, study days, lost weeks): the same date on their dashboard, their plan and the
    page their mentor sees."""
    if context.get("finish_date") and context.get("plan_finish"):
        context.update(dashboard.plan_finish(context["plan_finish"], timezone.localdate()))


def _dashboard_tiles(request, errors=(), status=200):
    """The dashboard's tiles after a change from its "next up" buttons, and its step bars."""
    context = _dashboard_context(request)
    context["errors"] = errors
    return render(request, "profiles/_tiles_response.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def welcome(request):
    profile = _profile(request.user)
    form = OnboardingForm(request.POST or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        profile = form.save(commit=False)
        profile.onboarded = True
        profile.save()
        # Filled by static/js/timezone.js: a new learner's dates follow their own clock.
        browser_zone = request.POST.get("browser_time_zone", "")
        zone = plans.adopt_browser_time_zone(request.user, browser_zone)
        if zone:
            request.session[TIME_ZONE_SESSION_KEY] = zone
        if profile.target_track:
            return redirect(profile.target_track)
        return redirect("profiles:dashboard")
    return render(request, "profiles/welcome.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def settings_view(request):
    profile = _profile(request.user)
    form = SettingsForm(request.POST or None, instance=profile)
    plan_settings = plans.settings_for(request.user)
    plan_form = PlanPreferencesForm(request.POST or None, instance=plan_settings, prefix="plan")
    # Both forms or neither: nothing is half-saved when one of them is refused.
    if request.method == "POST" and form.is_valid() and plan_form.is_valid():
        with transaction.atomic():
            profile = form.save()
            plan_settings = plan_form.save()
        request.session[TIME_ZONE_SESSION_KEY] = plan_settings.time_zone
        if profile.language:
            request.session[SESSION_KEY] = profile.language
        else:
            request.session.pop(SESSION_KEY, None)
        messages.success(request, _("Your settings are saved."))
        response = redirect("profiles:settings")
        if profile.language:
            # The new preference wins over an earlier choice in the language switcher.
            response.delete_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                path=settings.LANGUAGE_COOKIE_PATH,
                domain=settings.LANGUAGE_COOKIE_DOMAIN,
                samesite=settings.LANGUAGE_COOKIE_SAMESITE,
            )
        return response
    return render(request, "profiles/settings.html", {"form": form, "plan_form": plan_form})


def _safe_next(request, fallback: str) -> str:
    """The posted `next` if it is a path on this site, otherwise the fallback."""
    target = request.POST.get("next", "")
    # Only absolute paths: a relative one would resolve against the POST's own URL.
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


@login_required
@require_POST
def set_skill_status(request, slug):
    skill = get_object_or_404(Skill, slug=slug)
    form = ProgressForm(request.POST)
    context_track = request.POST.get("track", "")
    saves_note = "status" not in form.data and ("note" in form.data or "evidence_url" in form.data)
    if not form.is_valid():
        if saves_note or (not request.htmx and not form.has_error("status")):
            # A refused note or link: the same form again, with what was typed and the
            # error beside its field; in place for htmx (the panel), as a page otherwise.
            back = _safe_next(request, skill.get_absolute_url())
            context = {"skill": skill, "note_form": form, "back": back}
            if request.htmx:
                context["in_place"] = True
                return render(request, "profiles/_note_form.html", context, status=422)
            return render(request, "profiles/note_error.html", context, status=422)
        errors = [error for field_errors in form.errors.values() for error in field_errors]
        return _not_saved(request, skill, context_track, errors, status=422)
    if skill.archived and not SkillProgress.objects.filter(user=request.user, skill=skill).exists():
        # Archived skills stay for whoever recorded them; nobody starts on one anymore.
        errors = [_("This skill is archived: it is no longer part of any roadmap.")]
        return _not_saved(request, skill, context_track, errors, status=422)
    if not ratelimit.consume(request, action="change_skill_status", user=request.user):
        errors = [_("You have made many changes in a short time. Wait a minute and try again.")]
        return _not_saved(request, skill, context_track, errors, status=429)
    update = set_progress(request.user, skill, **form.changes())
    if request.htmx and saves_note:
        # The note form saves in place and says so; the status controls are untouched.
        context = {
            "skill": skill,
            "progress": update.progress,
            "back": _safe_next(request, skill.get_absolute_url()),
            "in_place": True,
            "note_saved": True,
        }
        return render(request, "profiles/_note_form.html", context)
    if request.htmx and request.POST.get("panel") == "dashboard":
        return _dashboard_tiles(request)
    if request.htmx:
        context = _row_context(request, skill, update.progress, context_track)
        return render(request, "profiles/_status_response.html", context)
    if update.status_changed:
        messages.success(
            request,
            _("%(skill)s: %(status)s.")
            % {"skill": skill.name, "status": update.progress.get_status_display()},
        )
    return HttpResponseRedirect(_safe_next(request, skill.get_absolute_url()))


def _not_saved(request, skill, context_track, errors, status):
    """The answer to a change that was refused: the row with its errors, or an error page."""
    if request.htmx and request.POST.get("panel") == "dashboard":
        return _dashboard_tiles(request, errors, status=status)
    if request.htmx:
        progress = SkillProgress.objects.filter(user=request.user, skill=skill).first()
        context = _row_context(request, skill, progress, context_track, errors=errors)
        return render(request, "profiles/_status_response.html", context, status=status)
    context = {
        "skill": skill,
        "errors": errors,
        "back": _safe_next(request, skill.get_absolute_url()),
    }
    return render(
        request, "profiles/progress_error.html", context, status=400 if status == 422 else status
    )


def _row_context(request, skill, progress, track_slug, errors=()):
    """What the htmx response needs: the skill's row and the progress it changes."""
    status = progress.status if progress else Status.NONE
    context = {
        "skill": skill,
        "status": status,
        "progress": progress,
        "errors": errors,
        "track_slug": track_slug,
    }
    if track_slug:
        the_map = track_map(track_slug)
        overlay = map_overlay(request.user, track_slug) if the_map else None
        if overlay is not None:
            # A change moves the step's progress and the readiness, and can block or
            # unblock other skills: the map behind is redrawn out of band.
            context["overlay"] = overlay
            context["map_steps"] = view(the_map, overlay)
            context["track"] = {"slug": track_slug}
            context["personal"] = True
    return context


@login_required
@require_safe
def history(request):
    changes = (
        StatusChange.objects.filter(user=request.user)
        .select_related("skill")
        .order_by("-changed_at", "-id")[:200]
    )
    return render(request, "profiles/history.html", {"changes": changes})


@login_required
@require_safe
@cache_control(private=True, no_store=True)
def export(request):
    data = export_user_data(request.user)
    stamp = timezone.now().strftime("%Y%m%d")
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json"
    )
    filename = f"skillpath-{request.user.get_username()}-{stamp}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def delete_account(request):
    form = DeleteAccountForm(request, request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = request.user
        logout(request)
        user.delete()
        messages.success(request, _("Your account and all your data are deleted."))
        return redirect("careers:landing")
    return render(request, "profiles/delete.html", {"form": form})


@require_safe
def public_profile(request, username):
    access = profile_access(request.user, username)
    return render(request, "profiles/profile.html", profile_context(request, access))


def profile_context(request, access) -> dict:
    """What /u/<name>/ shows to the one who asks, as their access allows."""
    context = dashboard.build(access.profile.user, access.profile, full=access.full)
    context["access"] = access
    context["can_edit"] = access.role == Role.OWNER
    context["saved_postings"] = postings_shown_on_profile(access)
    if access.role != Role.OWNER:
        # Others read about the person in the third person ("Alice's readiness").
        context["subject"] = access.profile.shown_name
    if access.full:
        # Done skills with their verification, and notes: a mentor sees their own notes only.
        mentor = request.user if access.role == Role.MENTOR else None
        done = context["done_skills"]
        context.update(mentoring_services.feedback(access.profile.user, mentor=mentor, done=done))
        if context["report"]:
            found = plans.status_context(access.profile.user, access.profile, context["report"])
            context["plan_finish"] = found.get("plan_finish")
            _finish_from_plan(context)
    return context


def _transcript_context(request) -> dict:
    context = dashboard.transcript(request.user, _profile(request.user))
    context["projects"] = _step_projects(context["target"], context["report"])
    context["generated"] = timezone.now()
    context["page_url"] = request.build_absolute_uri(reverse("profiles:report"))
    return context


def _step_projects(target, report) -> list[dict]:
    """The projects that close the target's steps, each with whether its core skills are done."""
    the_map = track_map(target.slug) if target else None
    if the_map is None:
        return []
    progress = {step.slug: step for step in report.steps} if report else {}
    return [
        {
            "title": step.title,
            "project": step.project,
            "complete": step.slug in progress
            and progress[step.slug].core_done == progress[step.slug].core_total,
        }
        for step in the_map.steps
        if step.project
    ]


@require_safe
def mentee_roadmap(request, username):
    """Someone's roadmap to their target, read-only: statuses and verifications, no controls."""
    access = profile_access(request.user, username)
    profile = access.profile
    if access.role == Role.OWNER and profile.target_track:
        return redirect(profile.target_track)
    data = catalogue()
    target = data.track_with_id(profile.target_track_id)
    if target is None:
        raise Http404("No target track")
    rows = SkillProgress.objects.filter(user=profile.user).exclude(status=Status.NONE)
    statuses, verified = {}, set()
    for slug, status, verified_at in rows.values_list("skill__slug", "status", "verified_at"):
        statuses[slug] = status
        if verified_at and access.full:
            verified.add(slug)
    report = gap.analyse(target, data.skills, statuses, profile.weekly_hours)
    step_reports = {step.slug: step for step in report.steps}
    steps = [
        {
            "title": step.title,
            "report": step_reports[step.slug],
            "skills": [
                {
                    "slug": link.slug,
                    "name": data.skills[link.slug].name,
                    "hours": data.skills[link.slug].hours,
                    "core": link.core,
                    "status": statuses.get(link.slug, Status.NONE),
                    "verified": link.slug in verified,
                }
                for link in step.skills
                if link.slug in data.skills
            ],
        }
        for step in target.steps
    ]
    context = {
        "owner": profile.user,
        "subject": profile.shown_name,
        "target": target,
        "report": report,
        "steps": steps,
    }
    return render(request, "profiles/roadmap.html", context)


@login_required
@require_safe
def report(request):
    return render(request, "profiles/report.html", _transcript_context(request))


@login_required
@require_safe
def report_pdf(request):
    """The transcript as a PDF, laid out on the server (A4, fonts for both languages)."""
    context = _transcript_context(request)
    context["pdf"] = True
    html = render_to_string("profiles/report_document.html", context, request=request)
    pdf = html_to_pdf(html, base_url=request.build_absolute_uri("/"))
    response = HttpResponse(pdf, content_type="application/pdf")
    stamp = context["generated"].strftime("%Y%m%d")
    filename = f"skillpath-transcript-{request.user.get_username()}-{stamp}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_safe
def how_progress_works(request):
    return render(request, "profiles/how.html", {"definitions": gap.definitions()})


@login_required
@require_POST
def set_target(request):
    """Take a track as my target in one click (from the advisor or a track page)."""
    track = get_object_or_404(Track.objects.published(), slug=request.POST.get("track", ""))
    profile = _profile(request.user)
    profile.target_track = track
    profile.save(update_fields=["target_track"])
    messages.success(request, _target_taken(request.user, profile, track))
    return HttpResponseRedirect(_safe_next(request, reverse("profiles:dashboard")))


def _target_taken(user, profile, track) -> str:
    """The message after taking a target: the track, and the first skills to start."""
    found = track_progress(user, track.slug, profile.weekly_hours)
    first = found.report.next_steps[:3] if found else ()
    if not first:
        return _("%(track)s is now your target.") % {"track": track.name}
    separator = pgettext("between the items of a list", ", ")
    return _(
        "%(track)s is now your target. What to do first: %(skills)s. These are marked "
        "“next step” on the map; mark one as learning when you start."
    ) % {"track": track.name, "skills": separator.join(item.name for item in first)}
