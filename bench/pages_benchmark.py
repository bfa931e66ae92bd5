"""Page timings at scale, on generated data. Not part of the test suite (a smoke run is).

    createdb -h 127.0.0.1 -U postgres skillpath_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/skillpath_bench \\
        .venv/bin/python bench/pages_benchmark.py --sizes 1000,10000,100000

For each size N it uses the database <name>_<N> (created next to the one given, never the
one given itself), migrates it, generates N demo users when it does not hold them yet
(4 tracks of 30 skills and one of 300, about 30 progress rows per user), then measures each
page in process with django.test.Client: queries, p50 and p95 server time. At the largest
size it also serves the app with gunicorn (2 workers) and drives wrk against the dashboard
and /healthz, and it runs bench/gap_benchmark.py on a 1,000-skill track. The result is a
markdown report on stdout (and in --output).

    .venv/bin/python bench/pages_benchmark.py --smoke   # seconds, on SQLite, for CI
"""

from __future__ import annotations

import argparse
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


# The worker: runs inside Django, on one database ------------------------------


def worker(args: argparse.Namespace) -> dict:
    """Migrate, generate when needed, and time every page; returns plain data."""
    sys.path.insert(0, str(ROOT))
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
    pages = measure_pages(args.requests, large_slug=f"demo-track-{sizes['tracks'] + 1}")
    return {
        "users": args.users,
        "generation": generation,
        "pages": pages,
        "sessions": dashboard_sessions(20) if args.sessions else [],
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


def measure_pages(requests: int, large_slug: str) -> list[dict]:
    """Every page of the issue, plus the dashboard and track page on the large track."""
    from django.contrib.auth import get_user_model

    from profiles.models import Mentorship

    mentor = get_user_model().objects.get(username="demo-user-000000")
    mentees = list(
        Mentorship.objects.active()
        .filter(mentor=mentor)
        .exclude(mentee__profile__visibility="private")
        .values_list("mentee__username", flat=True)
    )
    readers = sample_users(20, SMALL)
    large_readers = sample_users(20, large_slug)
    admin = admin_user()
    active_mentees = Mentorship.objects.active().filter(mentor=mentor).count()
    cases = [
        ("dashboard", "/me/", readers),
        ("track page, visitor", f"/tracks/{SMALL}/", [None]),
        ("track page, signed in", f"/tracks/{SMALL}/", readers),
        ("mentee profile, seen by mentor", [f"/u/{m}/" for m in mentees], [mentor]),
        (f"mentoring page ({active_mentees} mentees)", "/mentoring/", [mentor]),
        ("export of one user", "/me/export/", readers),
        ("admin: skills change list", "/admin/careers/skill/", [admin]),
        ("admin: progress change list", "/admin/profiles/skillprogress/", [admin]),
        ("dashboard, 300-skill target", "/me/", large_readers),
        ("track page 300 skills, visitor", f"/tracks/{large_slug}/", [None]),
        ("track page 300 skills, signed in", f"/tracks/{large_slug}/", large_readers),
    ]
    return [measure(name, urls, users, requests) for name, urls, users in cases]


def measure(name: str, urls, users: list, requests: int) -> dict:
    """Queries (the most any request made) and p50/p95 of the time to answer, in ms."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    urls = [urls] if isinstance(urls, str) else urls
    clients = []
    for user in users:
        client = Client()
        if user is not None:
            client.force_login(user)
        clients.append(client)
    pairs = [(clients[i % len(clients)], urls[i % len(urls)]) for i in range(max(requests, 1))]
    # Warm up: the process' catalogue, the connection, the template cache.
    for client, url in pairs[: min(len(pairs), 10)]:
        check(client.get(url), url)
    queries = 0
    for client, url in pairs[: min(len(pairs), 5)]:
        with CaptureQueriesContext(connection) as captured:
            check(client.get(url), url)
        queries = max(queries, len(captured))
    timings = []
    for client, url in pairs:
        start = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - start) * 1000)
        check(response, url)
    return {"page": name, "queries": queries, **percentiles(timings)}


def check(response, url: str) -> None:
    if response.status_code != 200:
        raise SystemExit(f"{url} answered {response.status_code}")


def percentiles(timings: list[float]) -> dict:
    timings = sorted(timings)
    return {
        "p50": statistics.median(timings),
        "p95": timings[min(len(timings) - 1, int(len(timings) * 0.95))],
        "n": len(timings),
    }


def dashboard_sessions(n: int) -> list[str]:
    """Session keys of n signed-in users, for wrk's cookie header."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.utils.module_loading import import_string

    store = import_string(f"{settings.SESSION_ENGINE}.SessionStore")
    keys = []
    for user in sample_users(n, SMALL):
        session = store()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.save()
        keys.append(session.session_key)
    return keys


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
    command += ["--requests", str(args.requests)]
    if args.smoke:
        command.append("--smoke")
    if args.regenerate:
        command.append("--regenerate")
    if sessions:
        command.append("--sessions")
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


def throughput(env: dict, sessions: list[str], cookie: str, seconds: int) -> dict:
    """Requests per second of the dashboard and of /healthz, gunicorn with 2 workers."""
    port = free_port()
    command = [str(ROOT / ".venv" / "bin" / "gunicorn"), "-c", "config/gunicorn.py", "config.wsgi"]
    env = {
        **env,
        "HOST": "127.0.0.1",
        "PORT": str(port),
        "WEB_CONCURRENCY": "2",
        "GUNICORN_LOG_LEVEL": "warning",
    }
    log = tempfile.NamedTemporaryFile("w+", suffix=".log", delete=False)  # noqa: SIM115
    server = subprocess.Popen(command, env=env, cwd=ROOT, stdout=log, stderr=log)  # noqa: S603
    try:
        wait_for(port)
        script = Path(tempfile.mkdtemp()) / "sessions.lua"
        cookies = ", ".join(f'"{cookie}={key}"' for key in sessions)
        script.write_text(
            f"local cookies = {{{cookies}}}\nlocal i = 0\n"
            "request = function()\n  i = i + 1\n"
            '  return wrk.format("GET", "/me/", {["Cookie"] = cookies[i % #cookies + 1]})\n'
            "end\n"
        )
        base = f"http://127.0.0.1:{port}"
        wrk(base + "/healthz", seconds=3)  # warm up both workers
        wrk(base + "/me/", seconds=3, script=script)
        trivial = wrk(base + "/healthz", seconds=seconds)
        dashboard = wrk(base + "/me/", seconds=seconds, script=script)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    return {"trivial": trivial, "dashboard": dashboard, "ratio": dashboard["rps"] / trivial["rps"]}


def wait_for(port: int) -> None:
    for _ in range(100):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("gunicorn did not start")


def wrk(url: str, seconds: int, script: Path | None = None) -> dict:
    """wrk with 2 threads and 8 connections; requests/s, latency and failed requests."""
    command = ["wrk", "-t2", "-c8", f"-d{seconds}s", "--latency", url]
    if script:
        command[1:1] = ["-s", str(script)]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout  # noqa: S603
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p50 = re.search(r"50%\s+([\d.]+)(us|ms|s)", out)
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(r"Socket errors: .*", out)
    scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}
    return {
        "rps": rps,
        "p50": float(p50.group(1)) * scale[p50.group(2)],
        "failed": int(bad.group(1)) if bad else 0,
        "socket_errors": errors.group(0) if errors else "",
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
    lines += ["| page | queries | p50 ms | p95 ms |", "|---|---:|---:|---:|"]
    for page in largest["pages"]:
        lines.append(
            f"| {page['page']} | {page['queries']} | {page['p50']:.1f} | {page['p95']:.1f} |"
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
        t, d = load["trivial"], load["dashboard"]
        lines += [
            "",
            "### Throughput (gunicorn, 2 workers; wrk, 2 threads, 8 connections, same machine)",
            "",
            "| view | requests/s | p50 ms | failed |",
            "|---|---:|---:|---:|",
            f"| /healthz (trivial) | {t['rps']:.0f} | {t['p50']:.1f} | {t['failed']} |",
            f"| /me/ (dashboard) | {d['rps']:.0f} | {d['p50']:.1f} | {d['failed']} |",
            "",
            f"Dashboard / trivial: **{load['ratio']:.0%}**",
        ]
    if gap:
        lines += ["", "### Gap analysis alone", "", gap]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="1000,10000,100000", help="numbers of users")
    parser.add_argument("--requests", type=int, default=100, help="timed requests per page")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--regenerate", action="store_true", help="generate even if present")
    parser.add_argument("--throughput-seconds", type=int, default=15)
    parser.add_argument("--no-throughput", action="store_true")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/7")
    parser.add_argument("--output", help="also write the report to this file")
    parser.add_argument("--smoke", action="store_true", help="tiny, on SQLite, no gunicorn")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--users", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--sessions", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(RESULT + json.dumps(worker(args)))
        return
    smoke_dir = Path(tempfile.mkdtemp(prefix="skillpath-bench-")) if args.smoke else None
    if args.smoke:
        args.sizes, args.requests, args.no_throughput = "40,80", min(args.requests, 3), True
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
                load = throughput(
                    env, runs[-1]["sessions"], runs[-1]["cookie"], args.throughput_seconds
                )
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
