"""Read replicas (config/replicas.py): where a read goes, and the writer's sticky window on
the primary, carried by a signed cookie from server to server. No replica is needed."""

import time

import pytest
from django.core import signing
from django.db import transaction
from django.http import HttpResponse
from django.test import RequestFactory

from config import replicas
from config.replicas import (
    PRIMARY,
    REPLICA,
    ReplicaMiddleware,
    ReplicaRouter,
    RequestState,
    cookie_name,
    is_sticky,
    read_database,
    sticky_cookie,
)

router = ReplicaRouter()


def test_reads_go_to_the_replica_unless_they_must_see_a_write():
    assert read_database(RequestState(sticky=False), in_transaction=False) == REPLICA
    assert read_database(RequestState(sticky=True), in_transaction=False) == PRIMARY
    assert read_database(RequestState(sticky=False, wrote=True), in_transaction=False) == PRIMARY
    assert read_database(RequestState(sticky=False), in_transaction=True) == PRIMARY
    # Outside a request (commands, digests): the primary.
    assert read_database(None, in_transaction=False) == PRIMARY


def test_the_sticky_window_opens_at_a_write_and_closes_after_it(settings):
    settings.REPLICA_STICKY_SECONDS = 5
    now = time.time()
    cookie = sticky_cookie(now)
    assert is_sticky(cookie, now)
    assert is_sticky(cookie, now + 4.9)
    assert not is_sticky(cookie, now + 5.1)


# Named cases: the signed value changes with the clock, and pytest-xdist's workers must
# collect the same test ids.
@pytest.mark.parametrize(
    "cookie",
    [None, "", "garbage", signing.dumps(time.time() + 60, salt="another salt"), "1e12"],
    ids=["missing", "empty", "garbage", "signed-with-another-salt", "not-signed"],
)
def test_a_missing_or_forged_cookie_keeps_nobody_on_the_primary(cookie):
    assert not is_sticky(cookie)


def _serve(view, cookie=None):
    """One request through the middleware; what the view's reads were routed to."""
    request = RequestFactory().get("/")
    if cookie:
        request.COOKIES[cookie_name()] = cookie
    seen = {}

    def handler(request):
        seen["before"] = router.db_for_read(None)
        view()
        seen["after"] = router.db_for_read(None)
        return HttpResponse("ok")

    response = ReplicaMiddleware(handler)(request)
    return seen, response


def test_a_request_that_writes_reads_its_write_and_keeps_its_writer_on_the_primary(settings):
    settings.REPLICA_STICKY_SECONDS = 5
    seen, response = _serve(lambda: router.db_for_write(None))
    assert seen == {"before": REPLICA, "after": PRIMARY}
    cookie = response.cookies[cookie_name()]
    assert cookie["max-age"] == 5
    assert cookie["httponly"]
    # The next request, on any server that shares the secret key, reads from the primary.
    seen, response = _serve(lambda: None, cookie=cookie.value)
    assert seen == {"before": PRIMARY, "after": PRIMARY}
    assert cookie_name() not in response.cookies


def test_after_the_window_the_writer_reads_from_the_replica_again(settings, monkeypatch):
    settings.REPLICA_STICKY_SECONDS = 5
    written = time.time()
    cookie = sticky_cookie(written)
    monkeypatch.setattr(replicas.time, "time", lambda: written + 6)
    seen, _ = _serve(lambda: None, cookie=cookie)
    assert seen == {"before": REPLICA, "after": REPLICA}


def test_a_read_only_request_sets_no_cookie():
    seen, response = _serve(lambda: router.db_for_read(None))
    assert seen == {"before": REPLICA, "after": REPLICA}
    assert cookie_name() not in response.cookies


def test_reads_in_a_transaction_go_to_the_primary(db):
    def in_transaction():
        with transaction.atomic():
            assert router.db_for_read(None) == PRIMARY

    _serve(in_transaction)


def test_writes_and_migrations_only_on_the_primary():
    assert router.db_for_write(None) == PRIMARY
    assert router.allow_migrate(PRIMARY, "profiles")
    assert not router.allow_migrate(REPLICA, "profiles")
    assert router.allow_relation(object(), object())
