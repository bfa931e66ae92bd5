"""Where one page's time goes: middleware, view (context), templates, database. Not a test.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/wt_perf_100000 SECRET_KEY=... DEBUG=0 \\
        ALLOWED_HOSTS=testserver SECURE_SSL_REDIRECT=0 LOG_LEVEL=WARNING \\
        .venv/bin/python bench/profile_page.py /tracks/demo-track-1/ --users 50 --requests 200

Runs the page through Django's full handler (every middleware) for signed-in demo users
(or a visitor with --users 0) and splits the mean wall time of a request into: middleware
(the whole request minus the view), the view's own Python (building the context), template
rendering, and database time (queries, wherever they run). --cprofile N prints the N
functions with the most cumulative time from cProfile over the same requests.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


class Clock:
    """Accumulates nested timings by name; a depth counter keeps re-entrant calls once."""

    now = staticmethod(time.perf_counter)

    def __init__(self):
        self.totals: dict[str, float] = {}
        self.depth: dict[str, int] = {}

    def wrap(self, name: str, function):
        def timed(*args, **kwargs):
            depth = self.depth.get(name, 0)
            self.depth[name] = depth + 1
            start = self.now()
            try:
                return function(*args, **kwargs)
            finally:
                self.depth[name] = depth
                if depth == 0:
                    self.totals[name] = self.totals.get(name, 0.0) + self.now() - start

        return timed


def signed_in_sessions(users: list) -> list[str]:
    """A session key per user, as a log-in makes it (without the password hash's cost)."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.utils.module_loading import import_string

    store = import_string(f"{settings.SESSION_ENGINE}.SessionStore")
    keys = []
    for user in users:
        session = store()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.save()
        keys.append(session.session_key)
    return keys


def db_view(clock: Clock) -> float:
    return clock.totals.get("database in view", 0.0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("path")
    parser.add_argument("--users", type=int, default=50, help="signed-in users (0: visitor)")
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--track", default="demo-track-1", help="the users' target track")
    parser.add_argument("--cprofile", type=int, default=0, help="print the top N functions")
    parser.add_argument(
        "--templates", action="store_true", help="time each template (includes inside)"
    )
    parser.add_argument(
        "--middleware", action="store_true", help="time each middleware (its own part)"
    )
    parser.add_argument("--htmx", action="store_true", help="send HX-Request (the partial)")
    parser.add_argument(
        "--cpu",
        action="store_true",
        help="this process's CPU time instead of wall time (steadier on a busy machine; "
        "the database then counts only the client's side of a query)",
    )
    args = parser.parse_args()
    if args.cpu:
        Clock.now = staticmethod(time.process_time)

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.handlers import base
    from django.db import connection
    from django.template.backends import django as django_backend
    from django.test import Client

    clock = Clock()
    # The view and everything it calls (render included), without the middleware around it.
    base.BaseHandler._get_response = clock.wrap("view", base.BaseHandler._get_response)
    # The backend's render is the top-level template render; includes run inside it.
    django_backend.Template.render = clock.wrap("templates", django_backend.Template.render)
    per_template: dict[str, list[float]] = {}
    if args.templates:
        from django.template import base as template_base

        render = template_base.Template._render

        def timed_render(self, context):
            start = Clock.now()
            try:
                return render(self, context)
            finally:
                spent = per_template.setdefault(self.origin.template_name, [0.0, 0])
                spent[0] += Clock.now() - start
                spent[1] += 1

        template_base.Template._render = timed_render

    def database(execute, sql, params, many, context):
        start = Clock.now()
        try:
            return execute(sql, params, many, context)
        finally:
            spent = Clock.now() - start
            clock.totals["database"] = clock.totals.get("database", 0.0) + spent
            if clock.depth.get("view"):
                clock.totals["database in view"] = clock.totals.get("database in view", 0.0) + spent
            if clock.depth.get("templates"):
                clock.totals["in templates"] = clock.totals.get("in templates", 0.0) + spent

    timed_middleware = []
    if args.middleware:
        from django.utils.module_loading import import_string

        # Each middleware's whole call (the ones inside it included), by class; its own
        # part is that minus the next timed one's (the last one's: minus the view). A
        # function middleware (allauth's) cannot be wrapped here: it counts in the one
        # before it.
        for dotted in settings.MIDDLEWARE:
            cls = import_string(dotted)
            if isinstance(cls, type):
                cls.__call__ = clock.wrap(dotted, cls.__call__)
                timed_middleware.append(dotted)

    # One client (one handler: the middleware is loaded once, as in a server process),
    # whose session cookie changes from request to request.
    client = Client()
    cookies = [None]
    if args.users:
        from profiles.models import Profile

        profiles = Profile.objects.filter(
            user__username__startswith="demo-user-", target_track__slug=args.track
        ).select_related("user")[: args.users]
        cookies = signed_in_sessions([profile.user for profile in profiles])

    def get(i: int):
        if cookies[i % len(cookies)] is not None:
            client.cookies[settings.SESSION_COOKIE_NAME] = cookies[i % len(cookies)]
        if args.htmx:
            return client.get(args.path, headers={"HX-Request": "true"})
        return client.get(args.path)

    for i in range(10):  # warm up: caches, connection, template loader
        assert get(i).status_code == 200
    # CPU time, not wall time: on a shared machine the waits for the scheduler swamp it.
    profiler = cProfile.Profile(time.process_time) if args.cprofile else None
    clock.totals.clear()
    per_template.clear()
    walls, cpus, sizes = [], [], []
    with connection.execute_wrapper(database):
        if profiler:
            profiler.enable()
        for i in range(args.requests):
            start, cpu = Clock.now(), time.process_time()
            response = get(i)
            walls.append(Clock.now() - start)
            cpus.append(time.process_time() - cpu)
            sizes.append(len(response.content))
            assert response.status_code == 200, response.status_code
        if profiler:
            profiler.disable()
    n = args.requests
    total = sum(walls)
    view, templates = clock.totals.get("view", 0.0), clock.totals.get("templates", 0.0)
    db_in_templates = clock.totals.get("in templates", 0.0)
    # Queries run while rendering (lazy querysets) count as database, not templates; the
    # view's part is what is left of it after templates and its own queries. Queries of
    # the middleware (session, user) stay in the middleware's row.
    rows = [
        ("whole request (test client)", total),
        ("middleware, session, user (with queries)", total - view),
        ("view: building the context (Python)", view - templates - db_view(clock)),
        ("templates (Python)", templates - db_in_templates),
        ("database, view and templates", db_view(clock)),
    ]
    print(f"{args.path}: {n} requests, {len(cookies)} users, {statistics.mean(sizes):,.0f} bytes")
    print(f"median {statistics.median(walls) * 1000:.2f} ms ({'CPU' if args.cpu else 'wall'})")
    # This process's CPU (not the database's or Redis's): steadier than wall time on a busy
    # machine, where every round trip waits for the scheduler.
    print(f"CPU of this process: mean {statistics.mean(cpus) * 1000:.2f} ms a request")
    for name, seconds in rows:
        print(f"  {name:40s} {seconds / n * 1000:7.2f} ms  {seconds / total:6.1%}")
    if args.middleware:
        inner = [*timed_middleware[1:], "view"]
        for dotted, next_one in zip(timed_middleware, inner, strict=True):
            own = clock.totals.get(dotted, 0.0) - clock.totals.get(next_one, 0.0)
            print(f"    {own / n * 1000:6.3f} ms  {dotted}")
    by_time = sorted(per_template.items(), key=lambda item: -item[1][0])
    for name, (seconds, count) in by_time:
        print(f"    {seconds / n * 1000:6.2f} ms {count / n:5.1f}x  {name} (with its includes)")
    if profiler:
        order = os.environ.get("PROFILE_SORT", "cumulative")
        pstats.Stats(profiler).sort_stats(order).print_stats(args.cprofile)


if __name__ == "__main__":
    main()
