"""Load (and PostgreSQL restart under load) on two app servers.

    .venv/bin/python loadtest/load.py --users 50 --duration 180
    .venv/bin/python loadtest/load.py --users 50 --duration 120 --restart-postgres-at 60

N simulated signed-in users (one thread each, their own client address and session)
read their dashboard (GET /me/) and their track's roadmap (GET /tracks/<slug>/) and post
status changes (POST /me/skills/<slug>/, half as htmx, half as a plain form), round-robin
over the servers, with a random think time between requests. Every request's status and
latency is recorded. A post whose answer did not arrive (or was a 5xx) is retried, like a
person pressing the button again, until it is acknowledged: states are explicit, so a
retry never changes more than once. Each user knows the status it last had acknowledged,
so it knows which posts changed something.

Afterwards the database must hold: one row per user and skill; a log that tells one
unbroken story per pair and ends at the row's status; exactly as many log entries as
acknowledged status-changing posts; and, for every pair, the status last acknowledged.

Without --restart-postgres-at, every request must succeed (429 from the rate limit is
counted apart). With it, PostgreSQL is restarted (pg_ctlcluster, fast mode) at that
second: requests may fail while it restarts, then the service must recover by itself
(same gunicorn processes), later requests must all succeed, and nothing acknowledged
may be lost.
"""

from __future__ import annotations

import argparse
import random
import resource
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import (  # noqa: E402
    MESSAGES_COOKIE,
    OUT_DIR,
    STATUSES,
    Check,
    Client,
    Config,
    LoadUser,
    Response,
    Servers,
    add_common_arguments,
    check_invariants,
    count_by,
    django_setup,
    ensure_users,
    flush_redis,
    healthz,
    latency_line,
    log,
    log_in_all,
    prepare_database,
    save_json,
    summarize,
)

# The newest installed cluster version, as .ci/run starts it (15 on Debian 12).
PG_VERSION = max((path.name for path in Path("/etc/postgresql").glob("*")), key=float, default="15")
PG_RESTART = ["pg_ctlcluster", "--skip-systemctl-redirect", PG_VERSION, "main", "restart"]


@dataclass
class Record:
    kind: str  # dashboard, track, post, post-htmx
    port: int
    status: int
    error: str
    started: float
    elapsed: float
    outcome: str  # ok, 429, or what went wrong
    said_changed: bool = False  # the answer set the "saved" messages cookie

    @property
    def ended(self) -> float:
        return self.started + self.elapsed


def judge(kind: str, response: Response, expected_location: str, skill: str) -> str:
    """ok, 429, or the kind of failure."""
    if response.error:
        return response.error
    if response.status == 429:
        return "429"
    if kind in ("dashboard", "track"):
        if response.status == 200:
            return "ok"
        if response.status == 302 and response.location.startswith("/accounts/login/"):
            return "session-lost"
        return f"http-{response.status}"
    if kind == "post":
        if response.status == 302 and response.location == expected_location:
            return "ok"
        if response.status == 302 and response.location.startswith("/accounts/login/"):
            return "session-lost"
        return f"http-{response.status}"
    # post-htmx: the skill's row comes back.
    if response.status == 200 and f'id="status-{skill}"' in response.text:
        return "ok"
    return f"http-{response.status}" if response.status != 200 else "wrong-answer"


@dataclass
class Tally:
    """What one virtual user knows about its own progress."""

    known: dict[str, str] = field(default_factory=dict)  # skill -> last acknowledged
    acknowledged_posts: int = 0
    acknowledged_changes: int = 0
    limited_posts: int = 0
    retries: int = 0
    uncertain: set[str] = field(default_factory=set)  # outcome never learnt
    # Plain-form posts answer with a "saved" message only when the status changed: the
    # app's word, compared with the client's own knowledge.
    app_disagrees: int = 0


class VirtualUser(threading.Thread):
    def __init__(self, user: LoadUser, client: Client, run: Run, seed: int):
        super().__init__(daemon=True)
        self.user = user
        self.client = client
        self.run_ = run
        self.rng = random.Random(seed)
        self.tally = Tally()

    def run(self) -> None:
        options = self.run_.options
        weights = (options.dashboard_share, options.track_share, options.post_share)
        # Start at a random moment within one think time, so users do not march in step.
        time.sleep(self.rng.uniform(0, options.think))
        while time.time() < self.run_.deadline:
            action = self.rng.choices(("dashboard", "track", "post"), weights)[0]
            if action == "dashboard":
                self.request("dashboard", "GET", "/me/")
            elif action == "track":
                self.request("track", "GET", f"/tracks/{self.user.track}/")
            else:
                self.post_status()
            time.sleep(self.rng.uniform(0, 2 * options.think))

    def request(self, kind, method, path, *, form=None, htmx=False, skill="") -> Record:
        response = self.client.request(method, path, form=form, htmx=htmx)
        outcome = judge(kind, response, (form or {}).get("next", ""), skill)
        record = Record(
            kind,
            response.port,
            response.status,
            response.error,
            response.started,
            response.elapsed,
            outcome,
            MESSAGES_COOKIE in response.set_cookies,
        )
        self.run_.records.append(record)
        return record

    def post_status(self) -> None:
        options = self.run_.options
        tally = self.tally
        choices = [s for s in self.user.skills if s not in tally.uncertain]
        if not choices:
            return
        skill = self.rng.choice(choices)
        previous = tally.known.get(skill, "none")
        if self.rng.random() < options.repeat_share:
            target = previous  # a double click or a retry: must change nothing
        else:
            target = self.rng.choice([s for s in STATUSES if s != previous])
        htmx = self.rng.random() < 0.5
        track_page = f"/tracks/{self.user.track}/"
        # As on the track page: htmx sends the track (whose progress comes back with the
        # row), the plain form where to go back to.
        if htmx:
            form = {"status": target, "track": self.user.track}
        else:
            form = {"status": target, "next": track_page}
        kind = "post-htmx" if htmx else "post"
        give_up = time.time() + options.retry_for
        maybe_applied = False
        while True:
            record = self.request(
                kind, "POST", f"/me/skills/{skill}/", form=form, htmx=htmx, skill=skill
            )
            if record.outcome == "ok":
                tally.known[skill] = target
                tally.acknowledged_posts += 1
                if target != previous:
                    tally.acknowledged_changes += 1
                said = record.said_changed
                if not htmx and not maybe_applied and said != (target != previous):
                    tally.app_disagrees += 1
                return
            if record.outcome == "429":
                tally.limited_posts += 1
                if maybe_applied:
                    tally.uncertain.add(skill)
                return
            # No answer, or an error: the change may or may not have been committed.
            # Refused connections never reached the app.
            maybe_applied = maybe_applied or record.error != "refused"
            if time.time() > give_up:
                if maybe_applied:
                    tally.uncertain.add(skill)
                return
            tally.retries += 1
            time.sleep(options.retry_pause)


class Run:
    def __init__(self, options, deadline: float):
        self.options = options
        self.deadline = deadline
        self.records: list[Record] = []  # list.append is atomic under the GIL


class HealthPoller(threading.Thread):
    """GET /healthz on every server every 0.25 s: when did the app see the database?"""

    def __init__(self, ports: list[int], stop: threading.Event):
        super().__init__(daemon=True)
        self.ports = ports
        self.stop = stop
        self.samples: list[tuple[float, int, int]] = []

    def run(self) -> None:
        while not self.stop.is_set():
            for port in self.ports:
                self.samples.append((time.time(), port, healthz(port, timeout=2.0)))
            self.stop.wait(0.25)


def restart_postgres(at: float, started: float, result: dict) -> None:
    time.sleep(max(0.0, started + at - time.time()))
    log("restarting PostgreSQL: " + " ".join(PG_RESTART))
    result["begin"] = time.time()
    done = subprocess.run(PG_RESTART, capture_output=True, text=True)
    result["end"] = time.time()
    result["returncode"] = done.returncode
    result["output"] = (done.stdout + done.stderr).strip()
    log(f"PostgreSQL restart returned {done.returncode} in {result['end'] - result['begin']:.1f} s")


def summarize_latency(records: list[Record]) -> dict[str, str]:
    answered = [r for r in records if r.status]
    lines = {"all": latency_line([r.elapsed for r in answered])}
    for kind in ("dashboard", "track", "post", "post-htmx"):
        lines[kind] = latency_line([r.elapsed for r in answered if r.kind == kind])
    return lines


def restart_report(records, restart, health, started, ended, pids_before, pids_after):
    """The failure window around the restart and what came after it."""
    failed = sorted((r for r in records if r.outcome not in ("ok", "429")), key=lambda r: r.started)
    report = {
        "restart_began_s": round(restart["begin"] - started, 2),
        "restart_took_s": round(restart["end"] - restart["begin"], 2),
        "restart_returncode": restart["returncode"],
        "failed_requests": len(failed),
        "failures_by_kind": count_by(failed, lambda r: f"{r.kind}:{r.outcome}"),
    }
    checks = [
        Check(
            "PostgreSQL restarted",
            restart["returncode"] == 0,
            f"pg_ctlcluster returned {restart['returncode']} after "
            f"{report['restart_took_s']} s ({restart['output'][:200] or 'no output'})",
        )
    ]
    if failed:
        first, last = failed[0], max(failed, key=lambda r: r.ended)
        report["first_failure_s"] = round(first.started - started, 2)
        report["last_failure_s"] = round(last.ended - started, 2)
        report["window_s"] = round(last.ended - first.started, 2)
        recovered_at = last.ended
    else:
        recovered_at = restart["end"]
    after = [r for r in records if r.started >= recovered_at]
    report["recovered_after_restart_began_s"] = round(recovered_at - restart["begin"], 2)
    report["recovered_after_restart_returned_s"] = round(max(0.0, recovered_at - restart["end"]), 2)
    report["requests_after_recovery"] = len(after)
    report["failures_after_recovery"] = sum(1 for r in after if r.outcome not in ("ok", "429"))
    # /healthz says 503 while the database is unreachable; no answer within 2 s means the
    # poll waited behind the load in gunicorn's queue, not that the database was away.
    down = [t for t, _, status in health if status == 503]
    report["healthz_503_s"] = (
        [round(min(down) - started, 2), round(max(down) - started, 2)] if down else None
    )
    report["healthz_503_samples"] = len(down)
    report["healthz_slow_samples"] = sum(1 for _, _, status in health if status == 0)
    report["healthz_samples"] = len(health)
    # Failures belong to the restart when they happen while it runs or shortly after
    # (the grace covers a request that had just started when the database went away).
    grace = 10.0
    outside = [
        r for r in failed if r.ended < restart["begin"] - 1.0 or r.started > restart["end"] + grace
    ]
    checks.append(
        Check(
            "failures only while PostgreSQL restarts",
            not outside,
            f"{len(failed)} failed requests "
            + (
                f"from {report['first_failure_s']} s to {report['last_failure_s']} s "
                f"(restart began at {report['restart_began_s']} s, took "
                f"{report['restart_took_s']} s)"
                if failed
                else "(none)"
            )
            + f"; {len(outside)} outside the restart (+{grace:.0f} s)",
        )
    )
    recovered = report["requests_after_recovery"] > 0 and report["failures_after_recovery"] == 0
    recovered &= recovered_at < ended - 10
    checks.append(
        Check(
            "recovers by itself",
            recovered,
            f"serving again {report['recovered_after_restart_began_s']} s after the restart "
            f"began ({report['recovered_after_restart_returned_s']} s after PostgreSQL was "
            f"back); {report['requests_after_recovery']} requests after that, "
            f"{report['failures_after_recovery']} failed",
        )
    )
    same_masters = {p: m for p, (m, _) in pids_before.items()} == {
        p: m for p, (m, _) in pids_after.items()
    }
    same_workers = all(pids_before[p][1] == pids_after[p][1] for p in pids_before)
    report["same_gunicorn_masters"] = same_masters
    report["same_gunicorn_workers"] = same_workers
    checks.append(
        Check(
            "no gunicorn restart needed",
            same_masters,
            "same masters"
            + (
                ", same workers"
                if same_workers
                else ", some workers replaced (max_requests recycling or timeout)"
            ),
        )
    )
    return report, checks


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    add_common_arguments(parser)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--duration", type=float, default=180, help="seconds of load")
    parser.add_argument("--think", type=float, default=1.0, help="mean pause (s)")
    parser.add_argument("--dashboard-share", type=float, default=0.3)
    parser.add_argument("--track-share", type=float, default=0.3)
    parser.add_argument("--post-share", type=float, default=0.4)
    parser.add_argument("--repeat-share", type=float, default=0.15, help="posts of same status")
    parser.add_argument("--retry-for", type=float, default=60, help="retry a failed post (s)")
    parser.add_argument("--retry-pause", type=float, default=0.5)
    parser.add_argument("--restart-postgres-at", type=float, default=None, metavar="SECONDS")
    options = parser.parse_args()
    config = Config.from_args(options)
    label = "restart" if options.restart_postgres_at is not None else "load"
    prepare_database(config)
    django_setup(config)
    flush_redis(config)
    users = ensure_users("load", options.users)
    log(f"{len(users)} users ready in {config.db}")
    with Servers(config, label) as servers:
        clients = log_in_all(users, servers.ports)
        log(f"{len(clients)} users signed in")
        pids_before = servers.pids()
        cpu_at_start = sum(resource.getrusage(resource.RUSAGE_SELF)[:2])
        started = time.time()
        run = Run(options, started + options.duration)
        stop = threading.Event()
        poller = HealthPoller(servers.ports, stop)
        poller.start()
        restart: dict = {}
        restarter = None
        if options.restart_postgres_at is not None:
            restarter = threading.Thread(
                target=restart_postgres,
                args=(options.restart_postgres_at, started, restart),
                daemon=True,
            )
            restarter.start()
        virtual = [
            VirtualUser(user, client, run, options.seed * 100_000 + n)
            for n, (user, client) in enumerate(zip(users, clients, strict=True))
        ]
        log(
            f"load: {len(virtual)} users for {options.duration:.0f} s on ports "
            f"{servers.ports}, think {options.think} s"
        )
        for user in virtual:
            user.start()
        next_report = started + 30
        while any(user.is_alive() for user in virtual):
            time.sleep(1)
            if time.time() >= next_report:
                done = run.records
                bad = sum(1 for r in done if r.outcome not in ("ok", "429"))
                log(f"{time.time() - started:.0f} s: {len(done)} requests, {bad} failed")
                next_report += 30
        ended = time.time()
        if restarter:
            restarter.join()
        stop.set()
        poller.join()
        pids_after = servers.pids()
        alive = all(server.alive() for server in servers.servers)

    records = run.records
    elapsed = ended - started
    cpu_used = sum(resource.getrusage(resource.RUSAGE_SELF)[:2]) - cpu_at_start
    failed = [r for r in records if r.outcome not in ("ok", "429")]
    limited = [r for r in records if r.outcome == "429"]
    tallies = [user.tally for user in virtual]
    expected = {
        (user.user.id, skill): status
        for user in virtual
        for skill, status in user.tally.known.items()
    }
    uncertain = {(user.user.id, skill) for user in virtual for skill in user.tally.uncertain}
    changes = sum(t.acknowledged_changes for t in tallies)
    summary = {
        "users": len(users),
        "servers": servers.ports,
        "workers_per_server": config.workers,
        "duration_s": round(elapsed, 1),
        "think_s": options.think,
        "requests": len(records),
        "requests_by_kind": count_by(records, lambda r: r.kind),
        "requests_by_server": count_by(records, lambda r: str(r.port)),
        "throughput_rps": round(len(records) / elapsed, 1),
        "failed": len(failed),
        "failures_by_kind": count_by(failed, lambda r: f"{r.kind}:{r.outcome}"),
        "rate_limited_429": len(limited),
        "latency": summarize_latency(records),
        "acknowledged_posts": sum(t.acknowledged_posts for t in tallies),
        "acknowledged_changes": changes,
        "post_retries": sum(t.retries for t in tallies),
        "uncertain_pairs": len(uncertain),
        "app_disagrees_on_changed": sum(t.app_disagrees for t in tallies),
        "load_generator_cpu_s": round(cpu_used, 1),
    }
    print("\n== load", flush=True)
    for key, value in summary.items():
        if key == "latency":
            for kind, line in value.items():
                print(f"  latency {kind:10} {line}")
        else:
            print(f"  {key}: {value}")
    checks = []
    if options.restart_postgres_at is None:
        checks.append(
            Check(
                "no failed requests",
                not failed,
                f"{len(failed)} failed of {len(records)} ({len(limited)} rate-limited 429s "
                "counted apart)",
            )
        )
    else:
        report, restart_checks = restart_report(
            records, restart, poller.samples, started, ended, pids_before, pids_after
        )
        summary["restart"] = report
        print("\n== restart", flush=True)
        for key, value in report.items():
            print(f"  {key}: {value}")
        checks += restart_checks
    checks.append(Check("servers still up", alive, "both gunicorn masters running"))
    checks.append(
        Check(
            "app's 'changed' matches the client's",
            summary["app_disagrees_on_changed"] == 0,
            f"{summary['app_disagrees_on_changed']} plain-form posts where the saved message "
            "disagreed with the client's own knowledge",
        )
    )
    print("\n== invariants", flush=True)
    checks += check_invariants([u.id for u in users], expected, changes, uncertain)
    if uncertain:
        checks.append(
            Check("no post left with an unknown outcome", False, f"{len(uncertain)} pairs")
        )
    ok = summarize(checks)
    tracebacks = sum(
        path.read_text(errors="replace").count("Traceback")
        for path in OUT_DIR.glob(f"{label}-server-*.log")
    )
    print(f"  server logs: {tracebacks} tracebacks ({OUT_DIR}/{label}-server-*.log)")
    summary["server_tracebacks"] = tracebacks
    summary["checks"] = [check.__dict__ for check in checks]
    summary["ok"] = ok
    path = save_json(label, summary)
    csv = path.with_suffix(".csv")
    with csv.open("w") as out:
        out.write("started,kind,port,status,error,elapsed_ms,outcome\n")
        for r in sorted(records, key=lambda r: r.started):
            out.write(
                f"{r.started - started:.3f},{r.kind},{r.port},{r.status},{r.error},"
                f"{r.elapsed * 1000:.1f},{r.outcome}\n"
            )
    print(f"\n{'PASS' if ok else 'FAIL'}: {label} (details in {path}, requests in {csv.name})")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
