"""Job postings: paste one, see what it asks for and the gap to it; save, target, compare."""

from __future__ import annotations

from dataclasses import dataclass

from allauth.core import ratelimit
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from careers import job_matching
from careers.job_index import keyword_index

from . import gap, job_gap
from .access import ProfileAccess, profile_access
from .models import JobPosting, Profile, SkillProgress, Status
from .tracks import catalogue

MAX_SAVED_POSTINGS = 100
TITLE_MAX = 200


def statuses_and_verified(user) -> tuple[dict[str, str], set[str]]:
    """The user's statuses by skill slug and the slugs a mentor verified, in one query."""
    rows = (
        SkillProgress.objects.filter(user=user)
        .exclude(status=Status.NONE)
        .values_list("skill__slug", "status", "verified_at")
    )
    statuses, verified = {}, set()
    for slug, status, verified_at in rows:
        statuses[slug] = status
        if verified_at and status == Status.DONE:
            verified.add(slug)
    return statuses, verified


# The form -------------------------------------------------------------------------


class PostingForm(forms.Form):
    title = forms.CharField(
        label=gettext_lazy("Title (optional)"), max_length=TITLE_MAX, required=False
    )
    text = forms.CharField(
        label=gettext_lazy("The job posting"),
        # The limit is checked after cleaning, with a message that names it.
        strip=False,
        widget=forms.Textarea(attrs={"rows": 16}),
        help_text=gettext_lazy(
            "Paste the text of a posting in English or Chinese, up to 20,000 characters. "
            "It is read here, on this site: nothing is sent anywhere."
        ),
        error_messages={"required": gettext_lazy("Paste the text of a job posting.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # NUL bytes are removed with the other control characters in clean_*, not refused.
        for field in self.fields.values():
            field.validators = [
                v
                for v in field.validators
                if getattr(v, "code", "") != "null_characters_not_allowed"
            ]

    def clean_title(self):
        return job_matching.clean_posting(self.cleaned_data["title"]).replace("\n", " ")

    def clean_text(self):
        text = job_matching.clean_posting(self.cleaned_data["text"])
        if not text:
            raise forms.ValidationError(_("Paste the text of a job posting."))
        if len(text) > job_matching.MAX_POSTING_CHARS:
            raise forms.ValidationError(
                _(
                    "A posting can be at most %(limit)s characters long; this one has "
                    "%(count)s. Keep the requirements and drop the rest."
                )
                % {
                    "limit": f"{job_matching.MAX_POSTING_CHARS:,}",
                    "count": f"{len(text):,}",
                }
            )
        return text


# Access ---------------------------------------------------------------------------


def posting_access(viewer, pk: int) -> tuple[JobPosting, ProfileAccess]:
    """A saved posting and the viewer's access to its owner's profile: the owner, an
    administrator and the owner's active mentors (by the profile's visibility rule); a 404
    for anyone else, as for the profile itself."""
    posting = get_object_or_404(JobPosting.objects.select_related("owner"), pk=pk)
    access = profile_access(viewer, posting.owner.get_username())
    if not may_see_postings(access):
        raise Http404("No such posting")
    return posting, access


def may_see_postings(access: ProfileAccess) -> bool:
    """Whether a viewer with this access to a profile may open its saved postings."""
    # A public profile's visitors see progress only: postings stay with the full view.
    return access.full


def postings_shown_on_profile(access: ProfileAccess) -> list[JobPosting]:
    """The profile owner's saved postings when the viewer may open them, else none (one query)."""
    if not may_see_postings(access):
        return []
    return list(JobPosting.objects.filter(owner_id=access.profile.user_id))


# The analysis as the pages show it --------------------------------------------------


@dataclass(frozen=True)
class Highlight:
    """A run of the posting's text; recognised runs carry their skill."""

    text: str
    slug: str = ""
    name: str = ""
    optional: bool = False


def analysis_context(text: str, owner, profile: Profile | None) -> dict:
    """Everything the result page shows for text, with the gap of owner when given."""
    data = catalogue()
    match = job_matching.match_posting(text, keyword_index())
    highlights = []
    for piece in job_matching.pieces(text, match.spans):
        slug = next((slug for slug in piece.slugs if slug in data.skills), "")
        name = data.skills[slug].name if slug else ""
        highlights.append(Highlight(piece.text, slug, name, piece.optional))
    detected = [
        job_gap.JobSkill(
            slug=detection.slug,
            name=data.skills[detection.slug].name,
            hours=data.skills[detection.slug].hours,
            status=gap.NONE,
            optional=detection.optional,
        )
        for detection in match.detections
        if detection.slug in data.skills
    ]
    context = {"highlights": highlights, "detected": detected, "unmatched": match.unmatched}
    if owner is not None and owner.is_authenticated:
        statuses, verified = statuses_and_verified(owner)
        context["job"] = job_gap.analyse_job(
            match,
            data.skills,
            list(data.tracks.values()),
            statuses,
            verified,
            profile.weekly_hours if profile else None,
        )
        context["weekly_hours"] = profile.weekly_hours if profile else None
    return context


def _rate_limited(request) -> bool:
    """True when this analysis is one too many, per IP and, signed in, per user."""
    if not ratelimit.consume(request, action="analyse_job_ip"):
        return True
    user = request.user if request.user.is_authenticated else None
    return bool(user) and not ratelimit.consume(request, action="analyse_job", user=user)


def _render_result(request, context: dict):
    """The result page, or for htmx (not a history restore) only the result in it."""
    partial = request.htmx and not request.htmx.history_restore_request
    template = "profiles/_job_result.html" if partial else "profiles/job_result.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


def _profile(user) -> Profile:
    return Profile.objects.get_or_create(user=user)[0]


# Views ----------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def new_posting(request):
    """Paste a posting; anyone may try it, and a signed-in person may save it."""
    form = PostingForm(request.POST or None)
    if request.method != "POST":
        return render(request, "profiles/jobs_new.html", {"form": form})
    if not form.is_valid():
        return render(request, "profiles/jobs_new.html", {"form": form}, status=400)
    if _rate_limited(request):
        form.add_error(None, _("You have analysed many postings in a short time. Wait a minute."))
        return render(request, "profiles/jobs_new.html", {"form": form}, status=429)
    title, text = form.cleaned_data["title"], form.cleaned_data["text"]
    user = request.user
    if user.is_authenticated and request.POST.get("save") == "1":
        if JobPosting.objects.filter(owner=user).count() >= MAX_SAVED_POSTINGS:
            form.add_error(
                None,
                _("You can keep at most %(count)s postings. Delete one to save another.")
                % {"count": MAX_SAVED_POSTINGS},
            )
            return render(request, "profiles/jobs_new.html", {"form": form}, status=400)
        posting = JobPosting.objects.create(owner=user, title=title, text=text)
        messages.success(request, _("The posting is saved."))
        return redirect(posting)
    profile = _profile(user) if user.is_authenticated else None
    context = analysis_context(text, user, profile)
    context.update(form=form, title=title, text=text, unsaved=True, role="owner")
    return _render_result(request, context)


@require_safe
def posting_detail(request, pk):
    posting, access = posting_access(request.user, pk)
    context = analysis_context(posting.text, posting.owner, access.profile)
    context.update(
        posting=posting,
        title=posting.display_title,
        text=posting.text,
        role=access.role,
        is_target=access.profile.target_job_id == posting.pk,
    )
    return _render_result(request, context)


def _owned(request, pk) -> JobPosting:
    posting, access = posting_access(request.user, pk)
    if access.role != "owner":
        raise Http404("No such posting")
    return posting


@login_required
@require_POST
def set_target(request, pk):
    """Make the posting my target (target=1) or stop targeting it (target=0)."""
    posting = _owned(request, pk)
    profile = _profile(request.user)
    if request.POST.get("target") == "1":
        profile.target_job = posting
        messages.success(request, _("This job is now your target: see it on your dashboard."))
    elif profile.target_job_id == posting.pk:
        profile.target_job = None
        messages.success(request, _("This job is no longer your target."))
    profile.save(update_fields=["target_job"])
    return redirect(posting)


@login_required
@require_POST
def delete_posting(request, pk):
    posting = _owned(request, pk)
    posting.delete()
    messages.success(request, _("The posting is deleted."))
    return redirect("profiles:jobs")


@login_required
@require_safe
def my_postings(request):
    profile = _profile(request.user)
    postings = JobPosting.objects.filter(owner=request.user).only("title", "text", "created_at")
    return render(
        request,
        "profiles/jobs_list.html",
        {"postings": postings, "target_job_id": profile.target_job_id},
    )


@login_required
@require_safe
def compare(request):
    postings = list(JobPosting.objects.filter(owner=request.user).only("text"))
    index = keyword_index()
    data = catalogue()
    statuses, _verified = statuses_and_verified(request.user)
    matches = [job_matching.match_posting(posting.text, index) for posting in postings]
    rows = job_gap.recurring_skills(matches, data.skills, statuses)
    lacking = [row for row in rows if row.status != gap.DONE and row.count > 1]
    return render(
        request,
        "profiles/jobs_compare.html",
        {
            "postings_count": len(postings),
            "rows": rows,
            "lacking_hours": sum(row.hours for row in lacking),
            "lacking_count": len(lacking),
        },
    )


def job_target_tile(user, profile: Profile) -> dict | None:
    """The dashboard's tile for the targeted job: its readiness and time left, or None."""
    if not profile.target_job_id:
        return None
    posting = JobPosting.objects.filter(pk=profile.target_job_id, owner=user).first()
    if posting is None:
        return None
    data = catalogue()
    statuses, verified = statuses_and_verified(user)
    match = job_matching.match_posting(posting.text, keyword_index())
    report = job_gap.analyse_job(
        match, data.skills, list(data.tracks.values()), statuses, verified, profile.weekly_hours
    )
    return {"posting": posting, "job": report}
