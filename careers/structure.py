"""A version stamp for the content, so structures built from it can be cached safely."""

import uuid

from django.core.cache import cache

VERSION_KEY = "careers:content-version"


def content_version() -> str:
    """A token that changes whenever any content changes (or the cache is lost)."""
    version = cache.get(VERSION_KEY)
    if version is None:
        # A fresh token, never a counter: after a cache flush an old number could
        # match a stale structure kept elsewhere.
        cache.add(VERSION_KEY, uuid.uuid4().hex, timeout=None)
        version = cache.get(VERSION_KEY)
    return version


def content_changed() -> None:
    """Invalidate every cached structure built from the content."""
    cache.set(VERSION_KEY, uuid.uuid4().hex, timeout=None)
