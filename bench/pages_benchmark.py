"""Page timings at scale, on generated data. Not part of the test suite (a smoke run is).

    createdb -h 127.0.0.1 -U postgres skillpath_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/skillpath_bench \\
        .venv/bin/python bench/pages_benchmark.py --sizes 1000,10000,100000

For each size N it uses the database <name>_<N> (created next to the one given, never the
one given itself), migrates it, generates N demo users when it does not hold them yet
(4 tracks of 30 skills and one of 300, about 30 progress rows per user), then measures each
page in process through Django's WSGI handler, as a gunicorn worker calls it (no test
client): queries, p50 and p95 wall time and the mean CPU time of a request. A learner's
page is timed for a different user on each request (--requests), after a warm-up by other
users of the same target track (--warmup): the steady state of a running process, without a
user ever served from what their own earlier request left behind. At the largest
size it also serves the app with gunicorn (2 workers) and drives wrk against the dashboard
and /healthz, and it runs bench/gap_benchmark.py on a 1,000-skill track. The result is a
markdown report on stdout (and in --output).

    .venv/bin/python bench/pages_benchmark.py --smoke   # seconds, on SQLite, for CI
"""

from __future__ import annotations

import argparse
import io
import json
import os
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
RESULT = "RESULT "
TRACK_SIZES = {"tracks": 4, "skills_per_track": 30, "extra_tracks": (300,)}
SMOKE_SIZES = {"tracks": 2, "skills_per_track": 10, "extra_tracks": (30,)}
SMALL, LARGE = "demo-track-1", None  # LARGE: the extra track, found by its slug at run time
TRIVIAL = "trivial Django view (separate app)"


# The worker: runs inside Django, on one database ------------------------------


def worker(args: argparse.Namespace) -> dict:
    """Migrate, generate when needed, and time every page; returns plain data."""
    sys.path[:0] = [str(ROOT), str(ROOT / "bench")]
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    if not settings.DEBUG:
        # Production settings serve hashed static file names from a manifest.
        call_command("collectstatic", verbosity=0, interactive=False)
    # The bundled tracks too, as on a real site: the dashboard ranks every published track.
    call_command("import_content", if_empty=True, verbosity=0)
    sizes = SMOKE_SIZES if args.smoke else TRACK_SIZES
    generation = ensure_data(args.users, args.seed, sizes, args.regenerate)
    large_slug = f"demo-track-{sizes['tracks'] + 1}"
    pages = (
        []
        if args.skip_pages
        else measure_pages(args.requests, args.warmup, large_slug=large_slug, reuse=args.smoke)
    )
    return {
        "users": args.users,
        "warmup": args.warmup,
        "generation": generation,
        "pages": pages,
        "sessions": bench_sessions(args.sessions_count) if args.sessions else [],
        "skill": skill_slug(),
        "cookie": settings.SESSION_COOKIE_NAME,
    }


def ensure_data(users: int, seed: int, sizes: dict, regenerate: bool) -> dict | None:
    """Generate the demo data unless this database already holds it; the summary if made."""
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.utils import timezone

    from demo.generator import DemoSpec, generate

    user_model = get_user_model()
    existing = user_model.objects.filter(username__startswith="demo-user-").count()
    if existing == users and not regenerate:
        return None
    spec = DemoSpec(users=users, seed=seed, **sizes)
    summary = generate(spec, now=timezone.now(), replace=True, stream=sys.stderr)
    if connection.vendor == "postgresql":
        # What autovacuum would do soon after a bulk load: the visibility map lets the
        # planner use index-only scans.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    return summary.__dict__


def sample_users(n: int, track_slug: str) -> list:
    """n demo users aiming at track_slug, spread over the whole table, not private."""
    from profiles.models import Profile

    profiles = (
        Profile.objects.filter(
            user__username__startswith="demo-user-", target_track__slug=track_slug
        )
        .exclude(visibility="private")
        .select_related("user")
        .order_by("user_id")
    )
    total = profiles.count()
    if total == 0:
        raise SystemExit(f"No demo user aims at {track_slug}: generate more users.")
    step = max(total // n, 1)
    return [profiles[i].user for i in range(0, min(total, step * n), step)][:n]


def admin_user():
    from django.contrib.auth import get_user_model

    user, _ = get_user_model().objects.get_or_create(
        username="demo-bench-admin",
        defaults={"is_staff": True, "is_superuser": True, "email": "admin@demo.invalid"},
    )
    return user


class UserPool:
    """The demo users aiming at one track (not private), in a fixed shuffled order, each
    handed out once: the users a page is timed for are never the ones that warmed it, nor
    ones timed on another page."""

    def __init__(self, track_slug: str, reuse: bool):
        import random

        from profiles.models import Profile

        self.track_slug, self.reuse = track_slug, reuse
        self.ids = list(
            Profile.objects.filter(
                user__username__startswith="demo-user-", target_track__slug=track_slug
            )
            .exclude(visibility="private")
            .order_by("user_id")
            .values_list("user_id", flat=True)
        )
        if not self.ids:
            raise SystemExit(f"No demo user aims at {track_slug}: generate more users.")
        random.Random(track_slug).shuffle(self.ids)
        self.next = 0

    def take(self, n: int) -> list:
        from django.contrib.auth import get_user_model

        if self.next + n > len(self.ids) and not self.reuse:
            raise SystemExit(
                f"{len(self.ids)} demo users aim at {self.track_slug}: too few for "
                f"{n} more distinct users (lower --requests or --warmup)."
            )
        # The smoke run's tiny data (reuse): users come round again.
        ids = [self.ids[(self.next + i) % len(self.ids)] for i in range(n)]
        self.next += n
        users = get_user_model().objects.in_bulk(ids)
        return [users[pk] for pk in ids]


def measure_pages(requests: int, warmup: int, large_slug: str, reuse: bool) -> list[dict]:
    """Every page of the issue, plus the dashboard and track page on the large track."""
    from django.contrib.auth import get_user_model
    from django.core.handlers.wsgi import WSGIHandler

    from profiles.models import Mentorship

    mentor = get_user_model().objects.get(username="demo-user-000000")
    mentees = list(
        Mentorship.objects.active()
        .filter(mentor=mentor)
        .exclude(mentee__profile__visibility="private")
        .values_list("mentee__username", flat=True)
    )
    small, large = UserPool(SMALL, reuse), UserPool(large_slug, reuse)
    admin = admin_user()
    active_mentees = Mentorship.objects.active().filter(mentor=mentor).count()

    def readers(pool: UserPool) -> dict:
        # Fresh users for each page: one per timed request, and others to warm it up.
        return {"users": pool.take(requests), "warm_users": pool.take(warmup)}

    cases = [
        ("dashboard", "/me/", readers(small)),
        ("track page, visitor", f"/tracks/{SMALL}/", {"users": [None]}),
        ("track page, signed in", f"/tracks/{SMALL}/", readers(small)),
        ("mentee profile, seen by mentor", [f"/u/{m}/" for m in mentees], {"users": [mentor]}),
        (f"mentoring page ({active_mentees} mentees)", "/mentoring/", {"users": [mentor]}),
        ("export of one user", "/me/export/", readers(small)),
        ("admin: skills change list", "/admin/careers/skill/", {"users": [admin]}),
        ("admin: progress change list", "/admin/profiles/skillprogress/", {"users": [admin]}),
        ("dashboard, 300-skill target", "/me/", readers(large)),
        ("track page 300 skills, visitor", f"/tracks/{large_slug}/", {"users": [None]}),
        ("track page 300 skills, signed in", f"/tracks/{large_slug}/", readers(large)),
    ]
    # One handler for every page, as a gunicorn worker loads the application once.
    handler = WSGIHandler()
    return [measure(handler, name, urls, requests=requests, **who) for name, urls, who in cases]


def measure(handler, name: str, urls, users: list, requests: int, warm_users=None) -> dict:
    """Queries (the most a request made), p50/p95 of the wall time to answer and the mean
    CPU time of this process, in ms, each request through Django's WSGI handler as a
    gunicorn worker calls it (every middleware; no test client recording templates).

    With several users (one per timed request), the warm-up is made as other users of
    the same kind (warm_users), so the process is in a running server's steady state
    (connection, catalogue, templates, shared fragments) but no timed request is served
    from what its own user's earlier request left behind; a page with a single user or a
    visitor is warmed up by that user or visitor, on its first ten requests.
    """
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    urls = [urls] if isinstance(urls, str) else urls
    cookies = session_cookies(users)
    timed = [(cookies[i % len(cookies)], urls[i % len(urls)]) for i in range(max(requests, 1))]
    if warm_users:
        warm = [
            (cookie, urls[i % len(urls)]) for i, cookie in enumerate(session_cookies(warm_users))
        ]
    else:
        warm = timed[: min(len(timed), 10)]
    # The last few warm-up requests (the process warm by then) give the query count.
    counted = min(len(warm), 5)
    for cookie, url in warm[: len(warm) - counted]:
        serve(handler, url, cookie)
    queries = 0
    for cookie, url in warm[len(warm) - counted :]:
        with CaptureQueriesContext(connection) as captured:
            serve(handler, url, cookie)
        queries = max(queries, len(captured))
    timings, cpus = [], []
    for cookie, url in timed:
        start, cpu = time.perf_counter(), time.process_time()
        serve(handler, url, cookie)
        cpus.append((time.process_time() - cpu) * 1000)
        timings.append((time.perf_counter() - start) * 1000)
    return {"page": name, "queries": queries, "cpu": statistics.mean(cpus), **percentiles(timings)}


def session_cookies(users: list) -> list[str]:
    """The Cookie header of each user (None: a visitor, no cookie), with a fresh session
    made in the configured engine as a log-in would (bench/profile_page.py)."""
    from django.conf import settings
    from profile_page import signed_in_sessions

    signed_in = [user for user in users if user is not None]
    keys = iter(signed_in_sessions(signed_in))
    name = settings.SESSION_COOKIE_NAME
    return ["" if user is None else f"{name}={next(keys)}" for user in users]


def serve(handler, url: str, cookie: str) -> None:
    """One GET through the WSGI handler, the body read and closed as gunicorn does."""
    path, _, query = url.partition("?")
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "HTTP_HOST": "testserver",
        "HTTP_COOKIE": cookie,
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": sys.stderr,
    }
    statuses = []
    body = handler(environ, lambda status, headers, exc_info=None: statuses.append(status))
    try:
        b"".join(body)
    finally:
        body.close()
    if not statuses or not statuses[-1].startswith("200 "):
        raise SystemExit(f"{url} answered {statuses[-1] if statuses else 'nothing'}")


def percentiles(timings: list[float]) -> dict:
    timings = sorted(timings)
    return {
        "p50": statistics.median(timings),
        "p95": timings[min(len(timings) - 1, int(len(timings) * 0.95))],
        "n": len(timings),
    }


def bench_sessions(n: int) -> list[str]:
    """Session keys of n different signed-in users, made in bulk, for wrk's cookie header."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.models import Session
    from django.utils import timezone
    from django.utils.crypto import get_random_string
    from django.utils.module_loading import import_string

    store = import_string(f"{settings.SESSION_ENGINE}.SessionStore")()
    expires = timezone.now() + timezone.timedelta(days=1)
    rows = []
    for user in sample_users(n, SMALL):
        data = {
            SESSION_KEY: str(user.pk),
            BACKEND_SESSION_KEY: settings.AUTHENTICATION_BACKENDS[0],
            HASH_SESSION_KEY: user.get_session_auth_hash(),
        }
        key = get_random_string(32, "abcdefghijklmnopqrstuvwxyz0123456789")
        rows.append(Session(session_key=key, session_data=store.encode(data), expire_date=expires))
    Session.objects.bulk_create(rows, batch_size=1000)
    if hasattr(store, "cache_key_prefix"):
        # The cached_db engine (with Redis) also keeps each session in the cache, as a
        # log-in would have: the benchmark measures pages, not first session reads.
        from django.core.cache import caches

        sessions = {
            store.cache_key_prefix + row.session_key: store.decode(row.session_data) for row in rows
        }
        caches[settings.SESSION_CACHE_ALIAS].set_many(sessions, settings.SESSION_COOKIE_AGE)
    return [row.session_key for row in rows]


def skill_slug() -> str:
    """A skill of the small track, for the skill page."""
    from careers.models import StepSkill

    link = StepSkill.objects.filter(track__slug=SMALL).order_by("order", "id").first()
    return link.skill.slug


# The orchestrator: databases, processes, gunicorn, wrk, the report -----------


def database_for(base_url: str, users: int, smoke_dir: Path | None) -> str:
    """The URL of the database for one size, created when missing (never base_url's own)."""
    if smoke_dir is not None:
        return f"sqlite:///{smoke_dir / f'bench_{users}.sqlite3'}"
    parts = urlsplit(base_url)
    name = f"{parts.path.lstrip('/')}_{users}"
    import psycopg

    with psycopg.connect(base_url, autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if not exists:
            connection.execute(f'CREATE DATABASE "{name}"')
    return urlunsplit(parts._replace(path=f"/{name}"))


def environment(database_url: str, args: argparse.Namespace, secret: str) -> dict:
    """Production settings (DEBUG off), but plain http on 127.0.0.1 and quiet logs."""
    env = dict(os.environ)
    env.update(
        DATABASE_URL=database_url,
        SECRET_KEY=secret,
        DEBUG="1" if args.smoke else "0",
        ALLOWED_HOSTS="127.0.0.1,testserver",
        SECURE_SSL_REDIRECT="0",
        LOG_LEVEL="WARNING",
        REQUEST_LOG_LEVEL="WARNING",
        CONN_MAX_AGE="600",
        PYTHONPATH=str(ROOT),
    )
    if args.redis_url and not args.smoke:
        env["REDIS_URL"] = args.redis_url
    else:
        env.pop("REDIS_URL", None)
    return env


def run_worker(users: int, env: dict, args: argparse.Namespace, sessions: bool) -> dict:
    command = [PYTHON, __file__, "--worker", "--users", str(users), "--seed", str(args.seed)]
    command += ["--requests", str(args.requests), "--warmup", str(args.warmup)]
    if args.smoke:
        command.append("--smoke")
    if args.regenerate:
        command.append("--regenerate")
    if args.skip_pages:
        command.append("--skip-pages")
    if sessions:
        command += ["--sessions", "--sessions-count", str(args.sessions_count)]
    print(f"== {users} users", file=sys.stderr, flush=True)
    result = subprocess.run(  # noqa: S603 - our own script
        command, env=env, cwd=ROOT, stdout=subprocess.PIPE, text=True, check=True
    )
    line = [x for x in result.stdout.splitlines() if x.startswith(RESULT)][-1]
    return json.loads(line[len(RESULT) :])


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def gunicorn(app: str, env: dict, port: int, workers: int) -> subprocess.Popen:
    """gunicorn with config/gunicorn.py, the given number of workers, on port."""
    command = [str(ROOT / ".venv" / "bin" / "gunicorn"), "-c", "config/gunicorn.py", app]
    env = {
        **env,
        "HOST": "127.0.0.1",
        "PORT": str(port),
        "WEB_CONCURRENCY": str(workers),
        "GUNICORN_LOG_LEVEL": "warning",
    }
    log = tempfile.NamedTemporaryFile("w+", suffix=".log", delete=False)  # noqa: SIM115
    server = subprocess.Popen(command, env=env, cwd=ROOT, stdout=log, stderr=log)  # noqa: S603
    wait_for(port)
    return server


def stop(server: subprocess.Popen) -> None:
    server.send_signal(signal.SIGTERM)
    server.wait(timeout=30)


def throughput(env: dict, worker_result: dict, args: argparse.Namespace) -> dict:
    """Requests/s and p50/p95 of the trivial view and every page, through gunicorn and wrk."""
    seconds, workers = args.throughput_seconds, args.workers
    cookie, sessions = worker_result["cookie"], worker_result["sessions"]
    skill = worker_result["skill"]
    scripts = Path(tempfile.mkdtemp(prefix="skillpath-wrk-"))
    rows: dict[str, list[dict]] = {}
    groups = [
        ("bench.trivial_wsgi:application", [(TRIVIAL, "/", None)]),
        ("bench.floor_wsgi:application", floor_cases(sessions, cookie)),
        ("config.wsgi", page_cases(sessions, cookie, skill)),
    ]
    for _round in range(args.rounds):
        # The machine may be shared: every page, the yardstick included, is measured in
        # each round, and the best round counts (the least disturbed by others).
        for app, cases in groups:
            port = free_port()
            server = gunicorn(app, env, port, workers)
            try:
                base = f"http://127.0.0.1:{port}"
                for _name, path, users in cases:
                    check_page(base + path, users)
                wrk(base + cases[0][1], seconds=2, scripts=scripts)  # warm up every worker
                for _name, path, users in cases:
                    wrk(base + path, seconds=1, scripts=scripts, users=users)
                for name, path, users in cases:
                    rows.setdefault(name, []).append(
                        wrk(base + path, seconds, scripts, users=users)
                    )
            finally:
                stop(server)
    best = {name: max(runs, key=lambda run: run["rps"]) for name, runs in rows.items()}
    trivial = best[TRIVIAL]["rps"]
    table = []
    for name, runs in rows.items():
        table.append(
            {
                "page": name,
                **best[name],
                "all_rps": [run["rps"] for run in runs],
                "failed": sum(run["failed"] for run in runs),
                "socket_errors": sum(run["socket_errors"] for run in runs),
                "share": best[name]["rps"] / trivial,
            }
        )
    return {
        "rows": table,
        "workers": workers,
        "seconds": seconds,
        "rounds": args.rounds,
        "load": load_average(),
    }


def floor_cases(sessions: list[str], cookie: str) -> list[tuple]:
    """(name, path, users) of the one-line view inside SkillPath's stack (bench/floor_wsgi.py)."""
    many = {"cookies": sessions, "name": cookie}
    return [
        ("one-line view in SkillPath's stack, visitor", "/bench/visitor/", None),
        (
            f"one-line view in SkillPath's stack, signed in ({len(sessions):,} users)",
            "/bench/signed-in/",
            many,
        ),
    ]


def page_cases(sessions: list[str], cookie: str, skill: str) -> list[tuple]:
    """(name, path, users) of every page measured; users None for a visitor."""
    many = {"cookies": sessions, "name": cookie}
    one = {"cookies": sessions[:1], "name": cookie}
    return [
        ("/healthz", "/healthz", None),
        ("landing page, visitor", "/", None),
        ("track list, visitor", "/tracks/", None),
        ("track page, visitor", f"/tracks/{SMALL}/", None),
        ("skill page, visitor", f"/skills/{skill}/", None),
        (f"track page, signed in ({len(sessions):,} users)", f"/tracks/{SMALL}/", many),
        ("track page, signed in (warm: 1 user)", f"/tracks/{SMALL}/", one),
        (f"dashboard /me/ ({len(sessions):,} users)", "/me/", many),
        ("dashboard /me/ (warm: 1 user)", "/me/", one),
    ]


def check_page(url: str, users: dict | None) -> None:
    """The page answers 200 itself (a signed-out redirect would pass wrk unnoticed)."""
    import urllib.request

    request = urllib.request.Request(url)  # noqa: S310 - our own server
    if users:
        request.add_header("Cookie", f"{users['name']}={users['cookies'][-1]}")

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    try:
        status = opener.open(request, timeout=30).status
    except urllib.error.HTTPError as error:
        status = error.code
    if status != 200:
        raise SystemExit(f"{url} answered {status} before the load")


def load_average() -> str:
    """The machine's load average over 1, 5 and 15 minutes, as uptime prints it."""
    return ", ".join(Path("/proc/loadavg").read_text().split()[:3])


def wait_for(port: int) -> None:
    for _ in range(100):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("gunicorn did not start")


def wrk(url: str, seconds: int, scripts: Path, users: dict | None = None) -> dict:
    """wrk, 1 thread and 8 connections; requests/s, p50/p95 and failures (each user in turn)."""
    script = scripts / f"{len(users['cookies']) if users else 0}.lua"
    if not script.exists():
        lines = []
        if users:
            cookies = ", ".join(f'"{users["name"]}={key}"' for key in users["cookies"])
            lines += [
                f"local cookies = {{{cookies}}}",
                "local i = 0",
                "request = function()",
                "  i = i + 1",
                '  return wrk.format(nil, nil, {["Cookie"] = cookies[i % #cookies + 1]})',
                "end",
            ]
        lines += [
            "done = function(summary, latency, requests)",
            '  io.write(string.format("P50 %d\\nP95 %d\\n",'
            " latency:percentile(50), latency:percentile(95)))",
            "end",
        ]
        script.write_text("\n".join(lines) + "\n")
    command = ["wrk", "-t1", "-c8", f"-d{seconds}s", "-s", str(script), url]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout  # noqa: S603
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    return {
        "rps": rps,
        "p50": int(re.search(r"P50 (\d+)", out).group(1)) / 1000,
        "p95": int(re.search(r"P95 (\d+)", out).group(1)) / 1000,
        "failed": int(bad.group(1)) if bad else 0,
        # A sync worker closes each connection; one recycled (max_requests) mid-request
        # drops it: wrk counts a read error, the request is not answered.
        "socket_errors": sum(int(x) for x in errors.groups()) if errors else 0,
    }


def gap_benchmark(n: int) -> str:
    command = [PYTHON, str(ROOT / "bench" / "gap_benchmark.py"), str(n)]
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout.strip()  # noqa: S603


def report(runs: list[dict], load: dict | None, gap: str | None) -> str:
    """The markdown tables."""
    largest = runs[-1]
    lines = [f"### Pages at {largest['users']:,} users", ""]
    if largest["generation"]:
        g = largest["generation"]
        lines += [
            f"Generated {g['users']:,} users, {g['progress']:,} progress rows, {g['log']:,} "
            f"status changes, {g['mentorships']:,} mentorships in {g['seconds']:.0f} s.",
            "",
        ]
    if largest["pages"]:
        lines += [
            f"Server time in one process, each request through Django's WSGI handler as a "
            f"gunicorn worker calls it: {largest['pages'][0]['n']} timed requests a page. "
            "A learner's page is timed for a different user on each request, after a warm-up "
            f"by {largest['warmup']} other users of the same target track; the mentor's, the "
            "admin's and visitors' pages after ten requests of their own. CPU: this "
            "process's own (not the database's), steadier than wall time on a shared machine.",
            "",
        ]
    lines += [
        "| page | queries | p50 ms | p95 ms | CPU ms (mean) |",
        "|---|---:|---:|---:|---:|",
    ]
    for page in largest["pages"]:
        lines.append(
            f"| {page['page']} | {page['queries']} | {page['p50']:.1f} | {page['p95']:.1f} "
            f"| {page['cpu']:.1f} |"
        )
    if len(runs) > 1:
        header = " | ".join(f"{run['users']:,} users" for run in runs)
        lines += [
            "",
            "### Growth: queries / p50 ms by number of users",
            "",
            f"| page | {header} |",
            "|---|" + "---:|" * len(runs),
        ]
        for i, page in enumerate(largest["pages"]):
            cells = " | ".join(
                f"{run['pages'][i]['queries']} / {run['pages'][i]['p50']:.1f}" for run in runs
            )
            lines.append(f"| {page['page']} | {cells} |")
    if load:
        lines += [
            "",
            f"### Throughput (gunicorn, {load['workers']} workers; wrk, 1 thread, 8 connections, "
            f"{load['seconds']} s a page, best of {load['rounds']} rounds, same machine; "
            f"load average at the end: {load['load']})",
            "",
            "| page | requests/s | p50 ms | p95 ms | failed | socket errors "
            "| share of the trivial view | requests/s in each round |",
            "|---|---:|---:|---:|---:|---:|---:|---|",
        ]
        for row in load["rows"]:
            rounds = ", ".join(f"{rps:,.0f}" for rps in row["all_rps"])
            lines.append(
                f"| {row['page']} | {row['rps']:,.0f} | {row['p50']:.1f} | {row['p95']:.1f} "
                f"| {row['failed']} | {row['socket_errors']} | {row['share']:.1%} | {rounds} |"
            )
    if gap:
        lines += ["", "### Gap analysis alone", "", gap]
    return "\n".join(lines) + "\n"


def arguments() -> argparse.ArgumentParser:
    """The benchmark's options; bench/capacity.py reads its worker's from here too."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="1000,10000,100000", help="numbers of users")
    parser.add_argument(
        "--requests", type=int, default=100, help="timed requests per page (a user each)"
    )
    parser.add_argument(
        "--warmup", type=int, default=200, help="other users warming a page up before timing"
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--regenerate", action="store_true", help="generate even if present")
    parser.add_argument("--throughput-seconds", type=int, default=10)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--rounds", type=int, default=2, help="throughput rounds (best counts)")
    parser.add_argument(
        "--sessions-count", type=int, default=1000, help="signed-in users spread over"
    )
    parser.add_argument("--no-throughput", action="store_true")
    parser.add_argument("--skip-pages", action="store_true", help="throughput only")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/7")
    parser.add_argument("--output", help="also write the report to this file")
    parser.add_argument("--smoke", action="store_true", help="tiny, on SQLite, no gunicorn")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--users", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--sessions", action="store_true", help=argparse.SUPPRESS)
    return parser


def main() -> None:
    args = arguments().parse_args()
    if args.worker:
        print(RESULT + json.dumps(worker(args)))
        return
    smoke_dir = Path(tempfile.mkdtemp(prefix="skillpath-bench-")) if args.smoke else None
    if args.smoke:
        args.sizes, args.requests, args.no_throughput = "40,80", min(args.requests, 3), True
        args.warmup = min(args.warmup, 3)
    base_url = os.environ.get("DATABASE_URL", "")
    if not args.smoke and not base_url.startswith("postgres"):
        raise SystemExit("Set DATABASE_URL to a PostgreSQL database (or run with --smoke).")
    sizes = [int(size) for size in args.sizes.split(",")]
    secret = secrets.token_urlsafe(48)
    runs, load = [], None
    try:
        for i, users in enumerate(sizes):
            env = environment(database_for(base_url, users, smoke_dir), args, secret)
            last = i == len(sizes) - 1
            runs.append(run_worker(users, env, args, sessions=last and not args.no_throughput))
            if last and not args.no_throughput:
                if not shutil.which("wrk"):
                    raise SystemExit("wrk is not installed (apt-get install wrk)")
                load = throughput(env, runs[-1], args)
        gap = gap_benchmark(40 if args.smoke else 1000)
    finally:
        if smoke_dir:
            shutil.rmtree(smoke_dir, ignore_errors=True)
    text = report(runs, load, gap)
    print(text)
    if args.output:
        Path(args.output).write_text(text)


if __name__ == "__main__":
    main()
