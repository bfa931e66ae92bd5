"""Shared parts of the load tests: the production environment, two gunicorn servers,
the database and its users, an HTTP client that plays the TLS proxy, and the
invariants that must hold on the progress tables afterwards.

Standard library only (the app's own virtualenv provides Django for the set-up and the
checks, which go through the ORM like the app does).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from http.cookies import CookieError, SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = ROOT / ".venv" / "bin"
OUT_DIR = ROOT / "var" / "loadtest"

PUBLIC_HOST = "skillpath.test"
ORIGIN = f"https://{PUBLIC_HOST}"
PASSWORD = "load-test-passphrase-2718"  # noqa: S105 - throwaway accounts in a throwaway db
SESSION_COOKIE = "__Host-sessionid"
CSRF_COOKIE = "__Host-csrftoken"
MESSAGES_COOKIE = "__Host-messages"
STATUSES = ("none", "learning", "done", "skipped")
# Databases that belong to someone else: never set up, reset or written to.
FOREIGN_DATABASES = {"postgres", "test_postgres", "skillpath_bench", "skillpath"}


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


# Configuration -----------------------------------------------------------------------


def add_common_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", default="skillpath_load", help="PostgreSQL database (own one)")
    parser.add_argument("--pg", default="postgres://postgres@127.0.0.1:5432", help="server URL")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/3", help="own Redis db")
    parser.add_argument("--ports", default="8101,8102", help="one app server per port")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers per server")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--skip-setup", action="store_true", help="skip migrate/import_content/collectstatic"
    )


@dataclass
class Config:
    db: str
    pg: str
    redis: str
    ports: list[int]
    workers: int
    seed: int
    skip_setup: bool
    secret_key: str = field(default_factory=lambda: secrets.token_urlsafe(50))

    @classmethod
    def from_args(cls, args: argparse.Namespace) -> Config:
        if args.db in FOREIGN_DATABASES:
            sys.exit(f"refusing to use database {args.db!r}: it belongs to someone else")
        return cls(
            db=args.db,
            pg=args.pg.rstrip("/"),
            redis=args.redis,
            ports=[int(port) for port in args.ports.split(",")],
            workers=args.workers,
            seed=args.seed,
            skip_setup=args.skip_setup,
        )

    @property
    def database_url(self) -> str:
        return f"{self.pg}/{self.db}"

    def environment(self, **extra: str) -> dict[str, str]:
        """The production environment (README, `make serve`) behind one TLS proxy."""
        env = {
            key: value
            for key, value in os.environ.items()
            if key in {"PATH", "LANG", "LC_ALL", "HOME", "TZ"}
        }
        env.update(
            DJANGO_SETTINGS_MODULE="config.settings",
            DEBUG="0",
            SECRET_KEY=self.secret_key,
            DATABASE_URL=self.database_url,
            REDIS_URL=self.redis,
            ALLOWED_HOSTS=PUBLIC_HOST,
            SECURE_SSL_REDIRECT="0",
            TRUSTED_PROXY_COUNT="1",
            WEB_CONCURRENCY=str(self.workers),
            HOST="127.0.0.1",
        )
        env.update(extra)
        return env


# Database and users --------------------------------------------------------------------


def prepare_database(config: Config) -> None:
    """Create the database if needed, migrate, load the content, collect static files."""
    env = config.environment()
    exists = subprocess.run(
        ["psql", config.database_url, "-tAc", "SELECT 1"], capture_output=True, env=env
    )
    if exists.returncode != 0:
        log(f"creating database {config.db}")
        subprocess.run(
            ["createdb", "--maintenance-db", f"{config.pg}/postgres", config.db],
            check=True,
            env=env,
        )
    if config.skip_setup:
        return
    python = str(VENV_BIN / "python")
    for command in (
        ["migrate", "--noinput", "--verbosity", "0"],
        ["import_content", "--if-empty"],
        ["collectstatic", "--noinput", "--verbosity", "0"],
    ):
        subprocess.run(
            [python, "manage.py", *command], cwd=ROOT, env=env, check=True, capture_output=True
        )


def django_setup(config: Config) -> None:
    """Use the app's ORM in this process, with the servers' settings."""
    os.environ.update(config.environment())
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def flush_redis(config: Config) -> None:
    """Empty our own Redis database: rate-limit counters and cached sessions of old runs."""
    import redis

    redis.Redis.from_url(config.redis).flushdb()


@dataclass(frozen=True)
class LoadUser:
    id: int
    email: str
    track: str
    skills: tuple[str, ...]


def track_skills() -> dict[str, list[str]]:
    """Published track slug -> slugs of its active skills, in roadmap order."""
    from careers.models import StepSkill, Track

    result = {}
    for track in Track.objects.published().order_by("order", "slug"):
        slugs = (
            StepSkill.objects.filter(track=track, skill__archived=False)
            .order_by("step__order", "order", "skill__slug")
            .values_list("skill__slug", flat=True)
        )
        result[track.slug] = list(dict.fromkeys(slugs))
    if not result:
        raise SystemExit("no published tracks: run import_content")
    return result


def ensure_users(prefix: str, count: int) -> list[LoadUser]:
    """`count` onboarded users named <prefix>-<n>, with no progress and no log, spread
    over the tracks. Existing ones are reused and reset (only theirs: nobody else's)."""
    from allauth.account.models import EmailAddress
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.db import transaction

    from careers.models import Track
    from profiles.models import Profile, SkillProgress, StatusChange

    user_model = get_user_model()
    tracks = track_skills()
    track_ids = dict(Track.objects.filter(slug__in=tracks).values_list("slug", "id"))
    slugs = list(tracks)
    names = [f"{prefix}-{n:04d}" for n in range(count)]
    with transaction.atomic():
        existing = set(
            user_model.objects.filter(username__in=names).values_list("username", flat=True)
        )
        digest = make_password(PASSWORD)
        user_model.objects.bulk_create(
            [
                user_model(username=name, email=f"{name}@loadtest.example", password=digest)
                for name in names
                if name not in existing
            ]
        )
        users = list(user_model.objects.filter(username__in=names).order_by("username"))
        ids = [user.id for user in users]
        # Log-in needs a confirmed address (mandatory e-mail verification).
        EmailAddress.objects.bulk_create(
            [EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in users],
            ignore_conflicts=True,
        )
        # bulk_create sends no post_save, so the signal's Profile is made here.
        Profile.objects.bulk_create(
            [Profile(user_id=user_id) for user_id in ids], ignore_conflicts=True
        )
        StatusChange.objects.filter(user_id__in=ids).delete()
        SkillProgress.objects.filter(user_id__in=ids).delete()
        result = []
        for n, user in enumerate(users):
            track = slugs[n % len(slugs)]
            Profile.objects.filter(user_id=user.id).update(
                target_track_id=track_ids[track], onboarded=True, language=""
            )
            result.append(LoadUser(user.id, user.email, track, tuple(tracks[track])))
    return result


# Servers -------------------------------------------------------------------------------


def port_in_use(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


class Server:
    """One gunicorn master (config/gunicorn.py) on a port, as a child process."""

    def __init__(self, config: Config, port: int, label: str):
        self.config = config
        self.port = port
        self.log_path = OUT_DIR / f"{label}-server-{port}.log"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        if port_in_use(self.port):
            raise SystemExit(f"port {self.port} is taken: pick others with --ports")
        OUT_DIR.mkdir(parents=True, exist_ok=True)
        log_file = self.log_path.open("w")
        self.process = subprocess.Popen(
            [str(VENV_BIN / "gunicorn"), "-c", "config/gunicorn.py", "config.wsgi"],
            cwd=ROOT,
            env=self.config.environment(PORT=str(self.port)),
            stdout=log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log_file.close()

    def wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"server on {self.port} exited: see {self.log_path}")
            if healthz(self.port) == 200:
                return
            time.sleep(0.25)
        raise SystemExit(f"server on {self.port} not healthy after {timeout}s")

    @property
    def pid(self) -> int:
        return self.process.pid

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def worker_pids(self) -> set[int]:
        """The master's children (gunicorn workers), from /proc."""
        pids = set()
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            # pid (comm) state ppid ...: comm may hold spaces, so split after ")".
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            if ppid == self.pid:
                pids.add(int(entry.name))
        return pids

    def stop(self) -> None:
        if not self.alive():
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


class Servers:
    """Start one server per port, wait until each is healthy; stop them all on exit."""

    def __init__(self, config: Config, label: str):
        self.servers = [Server(config, port, label) for port in config.ports]

    def __enter__(self) -> Servers:
        try:
            for server in self.servers:
                server.start()
            for server in self.servers:
                server.wait_ready()
        except BaseException:
            self.stop()
            raise
        log("servers up: " + ", ".join(f"127.0.0.1:{s.port} (pid {s.pid})" for s in self.servers))
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def stop(self) -> None:
        for server in self.servers:
            server.stop()

    @property
    def ports(self) -> list[int]:
        return [server.port for server in self.servers]

    def pids(self) -> dict[int, tuple[int, frozenset[int]]]:
        return {s.port: (s.pid, frozenset(s.worker_pids())) for s in self.servers}


def healthz(port: int, timeout: float = 2.0) -> int:
    """Status of GET /healthz on a server (0 when it does not answer)."""
    try:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
        connection.request("GET", "/healthz", headers={"Host": PUBLIC_HOST})
        status = connection.getresponse().status
        connection.close()
        return status
    except OSError:
        return 0


# HTTP client ---------------------------------------------------------------------------


@dataclass
class Response:
    method: str
    path: str
    port: int
    status: int  # 0 when no HTTP answer came (see error)
    started: float  # time.time()
    elapsed: float  # seconds
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: bytes = b""
    error: str = ""  # transport failure: refused, reset, timeout, ...
    set_cookies: dict[str, str] = field(default_factory=dict)

    def header(self, name: str) -> str:
        name = name.lower()
        return next((value for key, value in self.headers if key.lower() == name), "")

    @property
    def location(self) -> str:
        return urlsplit(self.header("Location")).path if self.header("Location") else ""

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 400


def _transport_error(exc: BaseException) -> str:
    if isinstance(exc, TimeoutError | socket.timeout):
        return "timeout"
    if isinstance(exc, ConnectionRefusedError):
        return "refused"
    if isinstance(exc, ConnectionResetError | BrokenPipeError | http.client.RemoteDisconnected):
        return "reset"
    return type(exc).__name__


class Client:
    """One browser behind the TLS proxy: its own cookies, its own client address.

    The production cookies are Secure and __Host- prefixed, so a cookie jar would not send
    them over plain http; this client keeps them by hand. Every request carries what the
    proxy adds (X-Forwarded-Proto: https, X-Forwarded-For) and the public Host; posts
    carry the Origin a browser sends, which Django's CSRF check wants over https.
    Requests go round-robin over the servers unless a port is given.
    """

    def __init__(self, ports: list[int], ip: str, timeout: float = 30.0):
        self.ports = list(ports)
        self.ip = ip
        self.timeout = timeout
        self.cookies: dict[str, str] = {}
        self._turn = 0

    def next_port(self) -> int:
        port = self.ports[self._turn % len(self.ports)]
        self._turn += 1
        return port

    def request(
        self,
        method: str,
        path: str,
        *,
        form: dict | None = None,
        port: int | None = None,
        htmx: bool = False,
    ) -> Response:
        port = port or self.next_port()
        headers = {
            "Host": PUBLIC_HOST,
            "X-Forwarded-Proto": "https",
            "X-Forwarded-For": self.ip,
            "User-Agent": "skillpath-loadtest",
            "Accept": "text/html",
        }
        cookies = {k: v for k, v in self.cookies.items() if k != MESSAGES_COOKIE}
        if cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
        body = None
        if method == "POST":
            form = dict(form or {})
            form.setdefault("csrfmiddlewaretoken", self.cookies.get(CSRF_COOKIE, ""))
            body = urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = ORIGIN
            headers["Referer"] = ORIGIN + "/"
        if htmx:
            headers["HX-Request"] = "true"
        started = time.time()
        clock = time.perf_counter()
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=self.timeout)
        try:
            connection.request(method, path, body=body, headers=headers)
            answer = connection.getresponse()
            data = answer.read()
            response = Response(
                method,
                path,
                port,
                answer.status,
                started,
                time.perf_counter() - clock,
                answer.getheaders(),
                data,
            )
        except (OSError, http.client.HTTPException) as exc:
            return Response(
                method,
                path,
                port,
                0,
                started,
                time.perf_counter() - clock,
                error=_transport_error(exc),
            )
        finally:
            connection.close()
        self._keep_cookies(response)
        return response

    def _keep_cookies(self, response: Response) -> None:
        for key, value in response.headers:
            if key.lower() != "set-cookie":
                continue
            jar = SimpleCookie()
            try:
                jar.load(value)
            except CookieError:
                continue
            for name, morsel in jar.items():
                response.set_cookies[name] = morsel.value
                if morsel.value in ("", '""') or morsel["max-age"] == "0":
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value

    def get(self, path: str, **kwargs) -> Response:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, form: dict | None = None, **kwargs) -> Response:
        return self.request("POST", path, form=form, **kwargs)

    @property
    def signed_in(self) -> bool:
        return SESSION_COOKIE in self.cookies

    def login(self, email: str, password: str = PASSWORD, port: int | None = None) -> Response:
        """Log in through allauth's form, as a browser does: GET the form, POST it."""
        page = self.get("/accounts/login/", port=port)
        if page.status != 200:
            return page
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
        form = {"login": email, "password": password}
        if token:
            form["csrfmiddlewaretoken"] = token.group(1)
        return self.post("/accounts/login/", form, port=port)

    def logout(self, port: int | None = None) -> Response:
        return self.post("/accounts/logout/", {}, port=port)


def client_ip(n: int) -> str:
    """A distinct simulated client address per user (10.x.y.z)."""
    return f"10.{(n >> 16) & 255}.{(n >> 8) & 255}.{n & 255 or 1}"


def log_in_all(users: list[LoadUser], ports: list[int], threads: int = 4) -> list[Client]:
    """A signed-in client per user; logins spread over the servers, a few at a time."""
    clients: list[Client | None] = [None] * len(users)
    failures = []
    lock = threading.Lock()
    queue = list(enumerate(users))

    def work():
        while True:
            with lock:
                if not queue:
                    return
                n, user = queue.pop()
            client = Client(ports, client_ip(n + 1))
            client._turn = n  # spread the logins over the servers
            response = client.login(user.email)
            if response.status != 302 or not client.signed_in:
                with lock:
                    failures.append((user.email, response.status, response.error))
            clients[n] = client

    pool = [threading.Thread(target=work) for _ in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    if failures:
        raise SystemExit(f"{len(failures)} logins failed, e.g. {failures[:3]}")
    return clients


# Statistics ----------------------------------------------------------------------------


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


def latency_line(values: list[float]) -> str:
    ms = [v * 1000 for v in values]
    return (
        f"p50 {percentile(ms, 50):.0f} ms, p95 {percentile(ms, 95):.0f} ms, "
        f"p99 {percentile(ms, 99):.0f} ms, max {max(ms, default=0):.0f} ms (n={len(ms)})"
    )


def save_json(name: str, data: dict) -> Path:
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    path = OUT_DIR / f"{name}-{time.strftime('%Y%m%d-%H%M%S')}.json"
    path.write_text(json.dumps(data, indent=2, default=str))
    return path


# Invariants ----------------------------------------------------------------------------


@dataclass
class Check:
    name: str
    ok: bool
    detail: str

    def line(self) -> str:
        return f"{'PASS' if self.ok else 'FAIL'}  {self.name}: {self.detail}"


def check_invariants(
    user_ids: list[int],
    expected: dict[tuple[int, str], str] | None = None,
    expected_changes: int | None = None,
    uncertain: set[tuple[int, str]] = frozenset(),
) -> list[Check]:
    """The progress tables of these users, read back from the database.

    - one SkillProgress row per (user, skill);
    - the log tells one story per (user, skill): it starts from none, each change
      starts where the last one ended, nothing is logged as a change to the same status,
      and the last change ends at the row's status (no change: the row says none);
    - the log holds exactly `expected_changes` rows (acknowledged status-changing posts);
    - every (user, skill) holds the last acknowledged status (`expected`), and nothing
      the clients never acknowledged is set.
    """
    from django.db import connections
    from django.db.models import Count

    from profiles.models import SkillProgress, StatusChange

    connections.close_all()  # after a database restart the old connection is gone
    checks = []
    rows = list(
        SkillProgress.objects.filter(user_id__in=user_ids).values_list(
            "user_id", "skill__slug", "status"
        )
    )
    duplicates = (
        SkillProgress.objects.filter(user_id__in=user_ids)
        .values("user_id", "skill_id")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .count()
    )
    checks.append(
        Check(
            "one row per user and skill",
            duplicates == 0,
            f"{len(rows)} rows, {duplicates} (user, skill) pairs with more than one",
        )
    )
    status_of = {(user, skill): status for user, skill, status in rows}
    log = list(
        StatusChange.objects.filter(user_id__in=user_ids)
        .order_by("id")
        .values_list("user_id", "skill__slug", "from_status", "to_status")
    )
    last: dict[tuple[int, str], str] = {}
    broken = []
    for user, skill, before, after in log:
        key = (user, skill)
        if before != last.get(key, "none") or before == after:
            broken.append((key, last.get(key, "none"), before, after))
        last[key] = after
    mismatched = [
        key for key in set(last) | set(status_of) if last.get(key, "none") != status_of.get(key)
    ]
    # A pair with log entries but no row would show up here (status_of is None).
    checks.append(
        Check(
            "log matches rows",
            not broken and not mismatched,
            f"{len(log)} log entries over {len(last)} pairs; {len(broken)} broken links, "
            f"{len(mismatched)} pairs whose last logged status is not the row's"
            + (f" e.g. {(broken + mismatched)[:3]}" if broken or mismatched else ""),
        )
    )
    if expected_changes is not None:
        if uncertain:
            ok = expected_changes <= len(log) <= expected_changes + len(uncertain)
            bound = f"between {expected_changes} and {expected_changes + len(uncertain)}"
        else:
            ok = len(log) == expected_changes
            bound = f"{expected_changes}"
        checks.append(
            Check(
                "log entries = acknowledged changes",
                ok,
                f"{len(log)} log entries, {bound} acknowledged status-changing posts",
            )
        )
    if expected is not None:
        lost = [
            (key, want, status_of.get(key, "none"))
            for key, want in expected.items()
            if key not in uncertain and status_of.get(key, "none") != want
        ]
        stray = [
            key for key, status in status_of.items() if key not in expected and status != "none"
        ]
        checks.append(
            Check(
                "every acknowledged post is what the database holds",
                not lost and not stray,
                f"{len(expected) - len(set(expected) & set(uncertain))} (user, skill) pairs "
                f"checked, {len(lost)} differ, {len(stray)} set without an acknowledged post"
                + (f", {len(uncertain)} left uncertain" if uncertain else "")
                + (f" e.g. {lost[:3]}" if lost else ""),
            )
        )
    return checks


def summarize(checks: list[Check]) -> bool:
    for check in checks:
        print(check.line(), flush=True)
    return all(check.ok for check in checks)


def failure_kind(response: Response) -> str:
    return response.error or f"http-{response.status}"


def count_by(items, key) -> dict[str, int]:
    return dict(Counter(key(item) for item in items).most_common())
