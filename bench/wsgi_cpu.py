"""CPU of one request through Django's WSGI handler, as a gunicorn worker runs it. Not a test.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/skillpath_bench_100000 SECRET_KEY=... \\
        DEBUG=0 ALLOWED_HOSTS=testserver SECURE_SSL_REDIRECT=0 REDIS_URL=redis://127.0.0.1:6379/7 \\
        LOG_LEVEL=WARNING .venv/bin/python bench/wsgi_cpu.py /tracks/demo-track-1/ --users 500

bench/profile_page.py splits a request into middleware, view and templates through Django's
test client, which records every template and context it renders; this calls the WSGI
handler directly (every middleware, no client), for signed-in demo users in turn (or a
visitor with --users 0), and prints this process's CPU time per request after a warm-up.
--cprofile N adds cProfile's top N functions (PROFILE_SORT=cumulative or tottime); --parts
splits a page served from a shell (config/page_shell.py) into each personal part's CPU and
the rest (the request, the view's context, the shell's join). --rounds N times N rounds and
prints the least: a busy neighbour only ever adds CPU time. --floor adds the one-line views
of bench/floor_wsgi.py (/bench/visitor/, /bench/signed-in/). --instructions runs it all under
valgrind's callgrind and prints the instructions a timed request runs: about fifty times
slower, but the same count on every run, so two versions compare on a busy machine (keep
--requests small: 30 dashboards take half a minute).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("path")
    parser.add_argument("--users", type=int, default=500, help="signed-in users in turn")
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument(
        "--rounds", type=int, default=1, help="timed rounds; the least CPU a request is printed"
    )
    parser.add_argument("--cprofile", type=int, default=0, help="print the top N functions")
    parser.add_argument("--parts", action="store_true", help="CPU of each personal part")
    parser.add_argument(
        "--instructions", action="store_true", help="count instructions under callgrind"
    )
    parser.add_argument(
        "--floor",
        action="store_true",
        help="serve bench/floor_urls.py too: /bench/visitor/ and /bench/signed-in/",
    )
    args = parser.parse_args()
    if args.instructions and not os.environ.get(UNDER_CALLGRIND):
        count_instructions(args.requests * args.rounds)
        return

    sys.path[:0] = [str(ROOT), str(ROOT / "bench")]
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django
    from django.conf import settings

    if args.floor:
        settings.ROOT_URLCONF = "bench.floor_urls"
    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.handlers.wsgi import WSGIHandler
    from profile_page import signed_in_sessions

    users = get_user_model().objects.filter(username__startswith="demo-user-").order_by("pk")
    cookies = [
        f"{settings.SESSION_COOKIE_NAME}={key}"
        for key in signed_in_sessions(list(users[: args.users]))
    ] or [""]
    handler = WSGIHandler()

    def run(count: int) -> None:
        for index in range(count):
            environ = {
                "REQUEST_METHOD": "GET",
                "PATH_INFO": args.path,
                "QUERY_STRING": "",
                "SERVER_NAME": "testserver",
                "SERVER_PORT": "80",
                "HTTP_HOST": "testserver",
                "HTTP_COOKIE": cookies[index % len(cookies)],
                "REMOTE_ADDR": "127.0.0.1",
                "wsgi.url_scheme": "http",
                "wsgi.input": io.BytesIO(b""),
                "wsgi.errors": sys.stderr,
            }
            body = handler(environ, lambda status, headers, exc_info=None: None)
            b"".join(body)
            body.close()

    parts = time_parts() if args.parts else None
    run(len(cookies))  # every user once: their session, fragments and connections warm
    if parts is not None:
        parts.clear()
    rounds = []
    callgrind("on")
    for _ in range(args.rounds):
        started = time.process_time()
        run(args.requests)
        rounds.append((time.process_time() - started) / args.requests * 1000)
    callgrind("off")
    # On a shared machine a neighbour only ever adds time: the least round is the steadiest.
    cpu = min(rounds)
    print(f"{args.path}: {args.requests} requests over {len(cookies)} users, {args.rounds} rounds")
    if args.rounds > 1:
        print("rounds: " + ", ".join(f"{value:.2f}" for value in rounds))
    print(f"CPU of this process: {cpu:.2f} ms a request")
    if parts is not None:
        timed = args.requests * args.rounds
        for name, seconds in sorted(parts.items(), key=lambda item: -item[1]):
            print(f"  {seconds / timed * 1000:6.2f} ms  {name}")
        rest = sum(rounds) / args.rounds - sum(parts.values()) / timed * 1000
        print(f"  {rest:6.2f} ms  the rest: request, context, shell")
    if args.cprofile:
        profile = cProfile.Profile()
        profile.enable()
        run(args.requests)
        profile.disable()
        sort = os.environ.get("PROFILE_SORT", "cumulative")
        pstats.Stats(profile).sort_stats(sort).print_stats(args.cprofile)


UNDER_CALLGRIND = "WSGI_CPU_UNDER_CALLGRIND"


def count_instructions(requests: int) -> None:
    """Run this script again under callgrind, counting only the timed requests, and print
    the instructions a request: unlike CPU time (which varies by a fifth from run to run on a
    shared machine), the count is the same whatever the neighbours do."""
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "callgrind.out"
        command = [
            "valgrind",
            "--tool=callgrind",
            "--instr-atstart=no",
            f"--callgrind-out-file={out}",
            sys.executable,
            *sys.argv,
        ]
        # A fixed hash seed: dictionaries and sets then do the same work on every run.
        env = {**os.environ, UNDER_CALLGRIND: "1", "PYTHONHASHSEED": "0"}
        finished = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
        print(finished.stdout, end="")
        totals = re.search(r"^totals: (\d+)", out.read_text(), re.MULTILINE)
    if finished.returncode or not totals:
        sys.exit(f"callgrind failed:\n{finished.stderr[-2000:]}")
    print(f"Instructions: {int(totals[1]) / requests / 1e6:.2f} M a request (callgrind)")


def callgrind(state: str) -> None:
    """Under callgrind (count_instructions), start or stop counting instructions."""
    if os.environ.get(UNDER_CALLGRIND):
        command = ["callgrind_control", "--instr=" + state, str(os.getpid())]
        subprocess.run(command, capture_output=True, check=True)  # noqa: S603, S607


def time_parts() -> dict[str, float]:
    """CPU seconds per personal part of a shell page, filled in as requests run."""
    from config import page_shell

    totals: dict[str, float] = {}
    render = page_shell.Part.render

    def timed(part, context):
        started = time.process_time()
        try:
            return render(part, context)
        finally:
            name = part.name + (" (with values)" if part.extra else "")
            totals[name] = totals.get(name, 0.0) + time.process_time() - started

    page_shell.Part.render = timed
    return totals


if __name__ == "__main__":
    main()
