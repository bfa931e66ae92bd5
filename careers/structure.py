"""Cached, read-only views of the content for pages that show it often."""

from django.core.cache import cache

VERSION_KEY = "careers:content-version"


def content_version() -> int:
    """A number that changes whenever any content changes."""
    version = cache.get(VERSION_KEY)
    if version is None:
        version = 1
        cache.add(VERSION_KEY, version, timeout=None)
    return version


def content_changed() -> None:
    """Invalidate every cached structure built from the content."""
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.set(VERSION_KEY, 2, timeout=None)
