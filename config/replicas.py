"""Reads from a read replica (DATABASE_REPLICA_URL), except where they must see a write.

Requests read from the replica, with three exceptions that read from the primary: a request
that has written (its later reads must see the write), a read inside a transaction, and
every request of a person who wrote in the last STICKY_SECONDS, on whichever server: a
signed cookie says until when. A replica lags the primary by milliseconds to seconds, so
the writer sees their own change at once and everybody else sees it a moment later. Work
outside requests (commands, digests) reads from the primary. Without the variable none of
this is installed (config/settings.py).
"""

from __future__ import annotations

import time
from contextvars import ContextVar
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.db import connections

PRIMARY, REPLICA = "default", "replica"
SALT = "config.replicas.read-primary"


@dataclass
class RequestState:
    """What the routing of one request depends on."""

    sticky: bool  # the person wrote a moment ago (the cookie)
    wrote: bool = False  # this request has written


# None outside a request: then every read goes to the primary.
_request: ContextVar[RequestState | None] = ContextVar("replica_request", default=None)


def read_database(state: RequestState | None, in_transaction: bool) -> str:
    """Where a read goes: the replica unless it has to see a write."""
    if state is None or state.sticky or state.wrote or in_transaction:
        return PRIMARY
    return REPLICA


def cookie_name() -> str:
    # Secure cookies carry the __Host- prefix, as the session's does (config/settings.py).
    return "__Host-read-primary" if settings.SESSION_COOKIE_SECURE else "read-primary"


def sticky_seconds() -> int:
    return int(getattr(settings, "REPLICA_STICKY_SECONDS", 5))


def is_sticky(cookie: str | None, now: float | None = None) -> bool:
    """Whether a read-primary cookie is genuine and its window still open."""
    if not cookie:
        return False
    try:
        until = float(signing.loads(cookie, salt=SALT))
    except (signing.BadSignature, TypeError, ValueError):
        return False
    return (time.time() if now is None else now) < until


def sticky_cookie(now: float | None = None) -> str:
    """A signed cookie value that keeps its bearer on the primary for the window."""
    return signing.dumps((time.time() if now is None else now) + sticky_seconds(), salt=SALT)


class ReplicaRouter:
    """Writes and migrations go to the primary; reads as read_database decides."""

    def db_for_read(self, model, **hints):
        return read_database(_request.get(), connections[PRIMARY].in_atomic_block)

    def db_for_write(self, model, **hints):
        state = _request.get()
        if state is not None:
            state.wrote = True
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints):
        # Both aliases hold the same data: objects from either may be related.
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == PRIMARY


class ReplicaMiddleware:
    """Opens the routing state of a request and sets the read-primary cookie after a write."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        state = RequestState(sticky=is_sticky(request.COOKIES.get(cookie_name())))
        token = _request.set(state)
        try:
            response = self.get_response(request)
        finally:
            _request.reset(token)
        if state.wrote:
            response.set_cookie(
                cookie_name(),
                sticky_cookie(),
                max_age=sticky_seconds(),
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response
