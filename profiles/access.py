"""The one place that decides who may see a person's profile and progress, and who may act on it.

Roles, strongest first: the owner; an administrator (a superuser, not every staff member:
content editors edit content only); an active mentor; a visitor (anyone, when the profile is
public). Visibility decides the last two: "private" is the owner alone, "mentors" adds the
active mentors, "public" adds everybody else with a reduced view. Whoever has no role gets a
404, never a 403: a private profile does not even admit that it exists.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.http import Http404

from .models import Mentorship, Profile, Visibility


class Role(StrEnum):
    """What the viewer is to a profile, strongest first."""

    OWNER = "owner"
    ADMIN = "admin"
    MENTOR = "mentor"
    VISITOR = "visitor"


@dataclass(frozen=True)
class ProfileAccess:
    """What a viewer may see of, and do on, one profile."""

    profile: Profile
    role: Role
    mentorship: Mentorship | None = None  # the viewer's active mentorship, for a mentor

    @property
    def full(self) -> bool:
        """Notes, evidence and the gap: for the owner, an administrator and mentors."""
        return self.role in {Role.OWNER, Role.ADMIN, Role.MENTOR}

    @property
    def may_verify(self) -> bool:
        """Verify done skills and write notes: an active mentor (never the owner or an admin)."""
        return self.role == Role.MENTOR and self.mentorship is not None


def active_mentorship(mentor, mentee_id: int) -> Mentorship | None:
    """The mentor's active mentorship of the mentee, or None (one query)."""
    if not mentor.is_authenticated or mentor.pk == mentee_id:
        return None
    return Mentorship.objects.active().filter(mentor=mentor, mentee_id=mentee_id).first()


def profile_access(viewer, username: str) -> ProfileAccess:
    """The access the viewer has to username's profile; 404 when none (never a 403)."""
    user_model = get_user_model()
    try:
        profile = Profile.objects.select_related("user").get(
            user__username=username, user__is_active=True
        )
    except (Profile.DoesNotExist, user_model.DoesNotExist):
        raise Http404("No such profile") from None
    if viewer.is_authenticated:
        if viewer.pk == profile.user_id:
            return ProfileAccess(profile, Role.OWNER)
        if viewer.is_superuser:
            return ProfileAccess(profile, Role.ADMIN)
        if profile.visibility != Visibility.PRIVATE:
            mentorship = active_mentorship(viewer, profile.user_id)
            if mentorship is not None:
                return ProfileAccess(profile, Role.MENTOR, mentorship)
    if profile.visibility == Visibility.PUBLIC:
        return ProfileAccess(profile, Role.VISITOR)
    raise Http404("No such profile")


def mentor_access(viewer, username: str) -> ProfileAccess:
    """Access for a mentor's action (verify, note): 404 unless the viewer may see the profile,
    403 (PermissionDenied) when they may see it but are not its active mentor."""
    access = profile_access(viewer, username)
    if not access.may_verify:
        raise PermissionDenied("Only an active mentor may do this.")
    return access
