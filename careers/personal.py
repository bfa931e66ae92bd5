"""The one seam through which a personal layer adds a person's data to the content pages.

Careers knows the layer only by these interfaces: settings.SKILLPATH_PERSONAL_LAYER names the
object that implements PersonalLayer (empty: every page is the visitor's page). The layer
supplies whatever it draws, rendered, and the URLs it handles, so careers' templates name
none of its URLs or templates.
"""

from __future__ import annotations

import functools
from typing import Protocol

from django.conf import settings
from django.http import HttpRequest
from django.utils.module_loading import import_string

from .models import Skill
from .track_map import MapOverlay


class SkillOverlay(Protocol):
    """What a personal layer adds to a skill's page or panel."""

    html: str  # the person's own block (status, note...), rendered and safe

    def status(self, slug: str) -> str:
        """The person's status on a neighbouring skill (one of track_map.STATUSES)."""


class PersonalLayer(Protocol):
    """A person's data over the content pages; implemented outside careers."""

    def track_overlay(self, request: HttpRequest, track_slug: str) -> MapOverlay | None:
        """The person's overlay for a track's map, None for a visitor or an unknown track."""

    def skill_overlay(
        self, request: HttpRequest, skill: Skill, *, panel: bool, track_slug: str
    ) -> SkillOverlay | None:
        """The person's part of a skill's page or panel, None for a visitor."""

    def target_url(self, request: HttpRequest) -> str:
        """Where a form posts a track (field "track") to make it the person's target; "" if none."""


@functools.cache
def _load(path: str) -> PersonalLayer:
    return import_string(path)


def personal_layer() -> PersonalLayer | None:
    """The configured personal layer, or None when the site has none."""
    path = getattr(settings, "SKILLPATH_PERSONAL_LAYER", "")
    return _load(path) if path else None
