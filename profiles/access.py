"""The one place that decides who may see a person's profile and progress."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.http import Http404

from .models import Profile, Visibility


@dataclass(frozen=True)
class ProfileAccess:
    """What a viewer may see of one profile."""

    profile: Profile
    role: str  # owner, admin, mentor or visitor

    @property
    def full(self) -> bool:
        """Notes, evidence and the gap: for the owner, an administrator and mentors."""
        return self.role in {"owner", "admin", "mentor"}


def profile_access(viewer, username: str) -> ProfileAccess:
    """The access the viewer has to username's profile; 404 when none (never a 403)."""
    user_model = get_user_model()
    try:
        profile = Profile.objects.select_related("user", "target_track").get(
            user__username=username, user__is_active=True
        )
    except (Profile.DoesNotExist, user_model.DoesNotExist):
        raise Http404("No such profile") from None
    if viewer.is_authenticated:
        if viewer.pk == profile.user_id:
            return ProfileAccess(profile, "owner")
        # Administrators, not every staff member: content editors edit content only.
        if viewer.is_superuser:
            return ProfileAccess(profile, "admin")
    if profile.visibility == Visibility.PUBLIC:
        return ProfileAccess(profile, "visitor")
    raise Http404("No such profile")
