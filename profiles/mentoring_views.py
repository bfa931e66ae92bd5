"""Mentoring pages: a mentee's mentors, a mentor's mentees, accepting, verifying, notes.

Who may do what on a profile is decided in profiles/access.py; the work is done in
profiles/mentoring_services.py.
"""

from datetime import datetime
from urllib.parse import quote

from allauth.core import ratelimit
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from careers.models import Skill

from . import mentoring_services, views
from .access import mentor_access
from .forms import InvitationForm, NoteForm
from .mentoring_services import (
    AcceptanceProblem,
    CannotAccept,
    SkillNotDone,
    TooManyPendingInvitations,
)
from .models import InvitationState, MentorInvitation, Mentorship, Profile, Visibility

SESSION_NEW_LINK = "mentoring:new-invitation"

# Status codes of the accept page when the invitation cannot be accepted.
PROBLEM_STATUS = {
    AcceptanceProblem.OWN: 403,
    AcceptanceProblem.ACCEPTED: 410,
    AcceptanceProblem.WITHDRAWN: 410,
    AcceptanceProblem.EXPIRED: 410,
    AcceptanceProblem.ALREADY: 200,
}


def _error(request, message, back, status=400):
    return render(
        request, "profiles/mentoring_error.html", {"message": message, "back": back}, status=status
    )


# The mentee's side --------------------------------------------------------------


def _new_link(request) -> dict:
    """The invitation link made on the previous page, with its expiry: shown once."""
    made = request.session.pop(SESSION_NEW_LINK, None)
    if not isinstance(made, dict):
        return {}
    return {"new_link": made["url"], "new_link_expires": datetime.fromisoformat(made["expires"])}


@login_required
@require_safe
def my_mentors(request):
    user = request.user
    mentorships = list(
        Mentorship.objects.filter(mentee=user).select_related("mentor").order_by("-started_at")
    )
    context = {
        "form": InvitationForm(),
        **_new_link(request),
        "pending": list(mentoring_services.pending_invitations(user).order_by("-created_at")),
        "active": [m for m in mentorships if m.active],
        "past": [m for m in mentorships if not m.active],
        "private": Profile.objects.of(user).visibility == Visibility.PRIVATE,
    }
    return render(request, "profiles/mentors.html", context)


@login_required
@require_POST
def invite(request):
    form = InvitationForm(request.POST)
    if not form.is_valid():
        return _error(request, " ".join(form.errors["email"]), reverse("profiles:mentors"))
    # Each invitation can send an e-mail: a limit keeps the site from being a spam relay.
    if not ratelimit.consume(request, action="invite_mentor", user=request.user):
        return _error(
            request,
            _("You have made many invitations in a short time. Try again in an hour."),
            reverse("profiles:mentors"),
            status=429,
        )
    try:
        invitation, token = mentoring_services.create_invitation(
            request.user, form.cleaned_data["email"]
        )
    except TooManyPendingInvitations:
        messages.error(
            request,
            ngettext(
                "You have %(n)s pending invitation: withdraw it before making another.",
                "You have %(n)s pending invitations: withdraw one before making another.",
                mentoring_services.MAX_PENDING_INVITATIONS,
            )
            % {"n": mentoring_services.MAX_PENDING_INVITATIONS},
        )
        return redirect("profiles:mentors")
    url = request.build_absolute_uri(reverse("profiles:accept", args=[token]))
    # Shown once, on the next page, then gone: only the token's digest is stored.
    request.session[SESSION_NEW_LINK] = {"url": url, "expires": invitation.expires_at.isoformat()}
    if invitation.email:
        mentoring_services.send_invitation(
            invitation.email, request.user, url, invitation.expires_at
        )
        messages.success(
            request, _("The invitation is sent to %(email)s.") % {"email": invitation.email}
        )
    return redirect("profiles:mentors")


@login_required
@require_http_methods(["GET", "POST"])
def withdraw(request, pk):
    """GET asks for confirmation (a page, no JavaScript needed); POST withdraws."""
    invitation = get_object_or_404(MentorInvitation, pk=pk, mentee=request.user)
    if request.method == "GET":
        if invitation.state() != InvitationState.PENDING:
            messages.info(request, _("That invitation was no longer pending."))
            return redirect("profiles:mentors")
        return render(request, "profiles/confirm_withdraw.html", {"invitation": invitation})
    if mentoring_services.withdraw_invitation(invitation):
        messages.success(request, _("The invitation is withdrawn: its link no longer works."))
    else:
        messages.info(request, _("That invitation was no longer pending."))
    return redirect("profiles:mentors")


@login_required
@require_http_methods(["GET", "POST"])
def end(request, pk):
    """Either side ends a mentorship (POST; GET asks first); the mentor's access ends with it."""
    user = request.user
    mentorship = get_object_or_404(
        Mentorship.objects.select_related("mentee__profile", "mentor"),
        Q(mentee=user) | Q(mentor=user),
        pk=pk,
    )
    if request.method == "GET":
        if not mentorship.active:
            return redirect(
                "profiles:mentors" if user.pk == mentorship.mentee_id else "profiles:mentoring"
            )
        context = {"mentorship": mentorship, "as_mentee": user.pk == mentorship.mentee_id}
        return render(request, "profiles/confirm_end.html", context)
    if mentoring_services.end_mentorship(mentorship, user):
        if user.pk == mentorship.mentee_id:
            messages.success(
                request,
                _("%(name)s is no longer your mentor.")
                % {"name": mentorship.mentor.get_username()},
            )
        else:
            messages.success(
                request,
                _("You no longer mentor %(name)s.")
                % {"name": mentorship.mentee.profile.shown_name},
            )
    if user.pk == mentorship.mentee_id:
        return redirect("profiles:mentors")
    return redirect("profiles:mentoring")


# The mentor's side ------------------------------------------------------------


@login_required
@require_safe
def mentees(request):
    return render(
        request,
        "profiles/mentoring.html",
        {"mentees": mentoring_services.mentees_overview(request.user)},
    )


@require_http_methods(["GET", "POST"])
def accept(request, token):
    """Accept an invitation. Anyone with the link first sees who invites them and what it
    means (or why the link no longer works); accepting needs an account."""
    invitation = mentoring_services.find_invitation(token)
    if invitation is None:
        raise Http404("No such invitation")
    if not request.user.is_authenticated:
        state = invitation.state()
        if request.method == "POST" or state == InvitationState.PENDING:
            if request.method == "POST":
                return redirect_to_login(request.get_full_path())
            context = {
                "invitation": invitation,
                "mentee": invitation.mentee,
                "next": quote(request.path),
            }
            return render(request, "profiles/accept_visitor.html", context)
        problem = AcceptanceProblem(state)
    else:
        problem = mentoring_services.acceptance_problem(invitation, request.user)
    if problem is None and request.method == "POST":
        try:
            mentoring_services.accept_invitation(invitation.pk, request.user)
        except CannotAccept as refused:
            problem = refused.problem
        else:
            messages.success(
                request,
                _("You now mentor %(name)s.") % {"name": invitation.mentee.profile.shown_name},
            )
            return redirect("profiles:public", invitation.mentee.get_username())
    context = {"invitation": invitation, "mentee": invitation.mentee, "problem": problem}
    return render(request, "profiles/accept.html", context, status=PROBLEM_STATUS.get(problem, 200))


@login_required
@require_POST
def verify(request, username, slug):
    access = mentor_access(request.user, username)
    skill = get_object_or_404(Skill, slug=slug)
    back = reverse("profiles:public", args=[username])
    try:
        verified = mentoring_services.verify_skill(access.mentorship, skill)
    except SkillNotDone:
        return _error(
            request,
            _("%(name)s has not marked %(skill)s as done: only a done skill can be verified.")
            % {"name": access.profile.shown_name, "skill": skill.name},
            back,
        )
    if verified:
        messages.success(request, _("%(skill)s is verified.") % {"skill": skill.name})
    return redirect(f"{back}#done-skills")


@login_required
@require_POST
def write_note(request, username):
    access = mentor_access(request.user, username)
    back = reverse("profiles:public", args=[username])
    form = NoteForm(request.POST)
    if not form.is_valid():
        # The profile again, the note form holding what was typed and its error.
        context = views.profile_context(request, access)
        context["note_form"] = form
        return render(request, "profiles/profile.html", context, status=422)
    skill = form.cleaned_data["skill"]
    mentorship = access.mentorship
    # The mentee's own view of the note: the skill page, or the dashboard.
    target = skill.get_absolute_url() if skill else reverse("profiles:dashboard")
    mentoring_services.add_note(
        mentorship, form.cleaned_data["text"], skill, url=request.build_absolute_uri(target)
    )
    messages.success(request, _("Your note is saved."))
    return redirect(f"{back}#mentor-notes")
