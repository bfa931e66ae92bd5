"""Scale-out: two app servers (different ports), one PostgreSQL, one Redis.

    .venv/bin/python loadtest/scaleout.py

Proves, with the production settings behind a simulated TLS proxy:
1. sessions are shared: a session made through one server is valid on the other (both
   ways), a CSRF token from one is accepted by the other, and a log-out through one ends
   the session on the other;
2. concurrent status posts spread over both servers, many at once on the same user and
   skill (starting from no row), end in consistent rows: one row per user and skill, a
   log that tells one unbroken story per pair and ends at the row's status, exactly one
   log entry per post that reported a change, and a final status someone posted;
3. rate limits count across both: a user posting (concurrently, alternating servers)
   more status changes than the per-user limit gets exactly the limit accepted, and the
   failed-login limit per account counts attempts made through either server.
Exit status 0 when every check passes.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import threading
import time
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import (  # noqa: E402
    MESSAGES_COOKIE,
    PASSWORD,
    STATUSES,
    Check,
    Client,
    Config,
    Response,
    Servers,
    add_common_arguments,
    check_invariants,
    client_ip,
    django_setup,
    ensure_users,
    flush_redis,
    log,
    prepare_database,
    save_json,
    summarize,
)


def run_pool(tasks, threads: int) -> list:
    """Run callables on `threads` threads, in order of the list; results in that order."""
    results = [None] * len(tasks)
    lock = threading.Lock()
    position = iter(range(len(tasks)))

    def work():
        while True:
            with lock:
                n = next(position, None)
            if n is None:
                return
            results[n] = tasks[n]()

    pool = [threading.Thread(target=work) for _ in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    return results


# 1. Sessions -------------------------------------------------------------------------


def check_sessions(users, ports) -> list[Check]:
    a, b = ports[0], ports[1]
    checks = []
    for n, (first, second) in enumerate([(a, b), (b, a)]):
        user = users[n]
        client = Client(ports, client_ip(900 + n))
        login = client.login(user.email, port=first)
        page = client.get("/me/", port=second)
        # The export names the account: the other server knows who this session is.
        export = client.get("/me/export/", port=second)
        try:
            who = json.loads(export.body)["account"]["email"]
        except (ValueError, KeyError, TypeError):
            who = None
        ok = login.status == 302 and page.status == 200 and who == user.email
        checks.append(
            Check(
                f"session made on :{first} is valid on :{second}",
                ok,
                f"login {login.status} on :{first} -> GET /me/ {page.status} on :{second}, "
                f"/me/export/ {export.status} names {who}",
            )
        )
        skill = user.skills[0]
        post = client.post(
            f"/me/skills/{skill}/", {"status": "learning", "next": "/me/"}, port=second
        )
        checks.append(
            Check(
                f"CSRF token from :{first} accepted on :{second}",
                post.status == 302 and post.location == "/me/",
                f"POST /me/skills/{skill}/ -> {post.status} {post.location}",
            )
        )
        if n == 0:
            out = client.logout(port=second)
            after = client.get("/me/", port=first)
            # Send the old session cookie again, as a stolen or stale copy would be.
            stale = Client(ports, client_ip(950))
            stale.cookies = {"__Host-sessionid": login.set_cookies.get("__Host-sessionid", "")}
            replay = stale.get("/me/", port=first)
            ok = (
                out.status == 302
                and after.status == 302
                and after.location == "/accounts/login/"
                and replay.status == 302
            )
            checks.append(
                Check(
                    f"log-out on :{second} ends the session on :{first}",
                    ok,
                    f"logout {out.status}; GET /me/ on :{first} -> {after.status} "
                    f"{after.location}; replaying the old cookie -> {replay.status}",
                )
            )
    return checks


# 2. Concurrent status posts ------------------------------------------------------------


def check_concurrent_posts(users, ports, skills_per_user, posts_per_pair, threads, rng):
    clients = []
    for n, user in enumerate(users):
        client = Client(ports, client_ip(1000 + n))
        login = client.login(user.email, port=ports[n % len(ports)])
        assert login.status == 302, login
        clients.append(client)
    tasks, pair_of_task, posted = [], [], defaultdict(set)
    # Consecutive tasks hit the same pair, so the threads post on it at the same moment,
    # alternating servers, starting from no row at all (a race on the row's creation).
    turn = 0
    for client, user in zip(clients, users, strict=True):
        for skill in user.skills[:skills_per_user]:
            for _ in range(posts_per_pair):
                status = rng.choice(STATUSES)
                posted[(user.id, skill)].add(status)
                pair_of_task.append((user.id, skill))
                port = ports[turn % len(ports)]
                turn += 1
                tasks.append(
                    lambda c=client, s=skill, st=status, p=port: c.post(
                        f"/me/skills/{s}/", {"status": st, "next": "/me/"}, port=p
                    )
                )
    started = time.perf_counter()
    responses: list[Response] = run_pool(tasks, threads)
    elapsed = time.perf_counter() - started
    statuses = Counter(r.status or r.error for r in responses)
    by_port = Counter(r.port for r in responses)
    # The app adds a "saved" message only when the status really changed: the messages
    # cookie in the answer tells this client whether its post changed anything.
    changed = sum(1 for r in responses if MESSAGES_COOKIE in r.set_cookies)
    overlap = max_overlap(responses, pair_of_task)
    checks = [
        Check(
            "concurrent posts all answered",
            statuses == Counter({302: len(tasks)}),
            f"{len(tasks)} posts on {len(posted)} (user, skill) pairs, {posts_per_pair} at "
            f"once per pair, {threads} threads, in {elapsed:.1f} s: {dict(statuses)}; "
            f"per server {dict(by_port)}; up to {max(overlap.values())} posts in flight at "
            f"once on one pair, {sum(1 for n in overlap.values() if n > 1)} of {len(overlap)} "
            "pairs had overlapping posts",
        )
    ]
    checks += check_invariants([u.id for u in users], expected_changes=changed)
    from profiles.models import SkillProgress

    final = {
        (user, skill): status
        for user, skill, status in SkillProgress.objects.filter(
            user_id__in=[u.id for u in users]
        ).values_list("user_id", "skill__slug", "status")
    }
    foreign = [key for key, status in final.items() if status not in posted.get(key, ())]
    checks.append(
        Check(
            "each pair ends in a status someone posted",
            not foreign and set(final) == set(posted),
            f"{len(final)} rows for {len(posted)} pairs posted, {len(foreign)} unexpected",
        )
    )
    return checks


def max_overlap(responses: list[Response], pairs: list) -> dict:
    """Per pair, the most posts that were in flight at the same moment (client side)."""
    events = defaultdict(list)
    for response, pair in zip(responses, pairs, strict=True):
        events[pair] += [(response.started, 1), (response.started + response.elapsed, -1)]
    result = {}
    for pair, marks in events.items():
        current = best = 0
        for _, step in sorted(marks, key=lambda mark: (mark[0], mark[1])):
            current += step
            best = max(best, current)
        result[pair] = best
    return result


# 3. Rate limits ------------------------------------------------------------------------


def status_limit() -> int:
    from django.conf import settings

    rate = settings.ACCOUNT_RATE_LIMITS["change_skill_status"]
    amount, period, per = rate.split("/")
    if period != "m" or per != "user":
        raise SystemExit(f"expected a per-minute per-user limit, got {rate}")
    return int(amount)


def check_status_rate_limit(user, ports, extra, threads) -> list[Check]:
    limit = status_limit()
    client = Client(ports, client_ip(1500))
    assert client.login(user.email).status == 302
    skills = user.skills
    tasks = []
    for n in range(limit + extra):
        status = STATUSES[1 + n % 3]
        skill = skills[n % len(skills)]
        port = ports[n % len(ports)]
        tasks.append(
            lambda s=skill, st=status, p=port: client.post(
                f"/me/skills/{s}/", {"status": st, "next": "/me/"}, port=p
            )
        )
    started = time.perf_counter()
    responses = run_pool(tasks, threads)
    elapsed = time.perf_counter() - started
    accepted = [r for r in responses if r.status == 302]
    limited = [r for r in responses if r.status == 429]
    per_port = {
        port: (
            sum(1 for r in accepted if r.port == port),
            sum(1 for r in limited if r.port == port),
        )
        for port in ports
    }
    ok = (
        len(accepted) == limit
        and len(limited) == extra
        and elapsed < 55
        and all(n429 > 0 for _, n429 in per_port.values())
    )
    checks = [
        Check(
            "status limit counts across both servers",
            ok,
            f"limit {limit}/min/user; {len(tasks)} posts ({threads} at once, alternating "
            f"servers) in {elapsed:.1f} s: {len(accepted)} accepted, {len(limited)} 429, "
            f"other {len(responses) - len(accepted) - len(limited)}; per server "
            + ", ".join(f":{p} {a} ok/{n} 429" for p, (a, n) in per_port.items())
            + f" (one limit per process would accept up to {limit * 2 * 2})",
        )
    ]
    changed = sum(1 for r in accepted if MESSAGES_COOKIE in r.set_cookies)
    checks += [
        check
        for check in check_invariants([user.id], expected_changes=changed)
        if check.name != "one row per user and skill"
    ]
    return checks


def check_failed_login_limit(user, ports) -> list[Check]:
    """allauth's per-account limit on failed logins (5 per 5 minutes by default), tried
    from a new address each time, alternating servers: only a shared counter stops it."""
    from allauth.account import app_settings

    rate = app_settings.RATE_LIMITS.get("login_failed", "")
    per_key = [part for part in rate.split(",") if part.endswith("/key")]
    if not per_key:
        return [Check("failed-login limit across servers", True, f"no per-account limit: {rate}")]
    limit = int(per_key[0].split("/")[0])
    outcomes = []
    for n in range(limit + 3):
        client = Client(ports, client_ip(2000 + n))
        answer = client.login(user.email, "wrong-" + PASSWORD, port=ports[n % len(ports)])
        refused = answer.status == 429 or "too many" in answer.text.lower()
        outcomes.append("limited" if refused else str(answer.status))
    # And the right password is refused too while the account is limited.
    client = Client(ports, client_ip(2100))
    right = client.login(user.email, port=ports[len(outcomes) % len(ports)])
    right_refused = right.status != 302
    ok = (
        outcomes[:limit] == ["200"] * limit
        and all(o == "limited" for o in outcomes[limit:])
        and right_refused
    )
    return [
        Check(
            "failed-login limit counts across both servers",
            ok,
            f"{rate}: {len(outcomes)} wrong passwords from different addresses, "
            f"alternating servers -> {outcomes}; then the right password -> {right.status}",
        )
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    add_common_arguments(parser)
    parser.add_argument("--users", type=int, default=12, help="users posting concurrently")
    parser.add_argument("--skills", type=int, default=4, help="skills per user")
    parser.add_argument("--posts", type=int, default=8, help="posts at once per user+skill")
    parser.add_argument("--threads", type=int, default=16)
    args = parser.parse_args()
    config = Config.from_args(args)
    if len(config.ports) < 2:
        sys.exit("scale-out needs two ports")
    rng = random.Random(config.seed)
    prepare_database(config)
    django_setup(config)
    flush_redis(config)
    users = ensure_users("scale", args.users + 4)
    log(f"{len(users)} users ready in {config.db}")
    results = {}
    with Servers(config, "scaleout") as servers:
        ports = servers.ports
        sections = [
            ("1. sessions shared", lambda: check_sessions(users[:2], ports)),
            (
                "2. concurrent status posts",
                lambda: check_concurrent_posts(
                    users[2 : 2 + args.users], ports, args.skills, args.posts, args.threads, rng
                ),
            ),
            (
                "3. rate limits shared",
                lambda: (
                    check_status_rate_limit(users[-2], ports, 30, 8)
                    + check_failed_login_limit(users[-1], ports)
                ),
            ),
        ]
        everything_ok = True
        for title, run in sections:
            print(f"\n== {title}", flush=True)
            checks = run()
            everything_ok &= summarize(checks)
            results[title] = [check.__dict__ for check in checks]
        alive = all(server.alive() for server in servers.servers)
    errors = sum(
        path.read_text().count("Traceback")
        for path in Path(servers.servers[0].log_path).parent.glob("scaleout-server-*.log")
    )
    tracebacks = Check(
        "no server errors", errors == 0 and alive, f"{errors} tracebacks in the server logs"
    )
    print(tracebacks.line())
    everything_ok &= tracebacks.ok
    path = save_json("scaleout", {"ok": everything_ok, "checks": results})
    print(f"\n{'PASS' if everything_ok else 'FAIL'}: scale-out (details in {path})")
    return 0 if everything_ok else 1


if __name__ == "__main__":
    sys.exit(main())
