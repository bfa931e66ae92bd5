"""The capacity model's inputs: CPU per request in the app and in PostgreSQL, and row sizes.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/skillpath_bench \\
        .venv/bin/python bench/capacity.py --users 100000

On the benchmark's database for that size (bench/pages_benchmark.py makes it), serves the
app with gunicorn (2 workers) and drives each page with wrk over 1,000 signed-in users;
counts the CPU time (user + system, from /proc) that the gunicorn workers and the
PostgreSQL backends serving them spent, divided by the requests served. Process CPU time
does not count time spent waiting for a shared core, so other load on the machine does not
inflate it. Then the size of the per-user tables (pg_total_relation_size) per row and per
user. Prints markdown (docs/scaling.md).
"""

from __future__ import annotations

import argparse
import os
import secrets
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import pages_benchmark as bench  # noqa: E402

TICKS = os.sysconf("SC_CLK_TCK")
TABLES = {
    "profiles_skillprogress": "progress (one row per person and skill)",
    "profiles_statuschange": "status log (one row per change)",
    "profiles_mentornote": "mentor notes",
    "django_session": "sessions",
    "auth_user": "users",
    "profiles_profile": "profiles",
}


def cpu_by_pid(pids: set[int]) -> dict[int, float]:
    """User + system CPU seconds of each process so far (those gone are left out)."""
    found = {}
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        found[pid] = (int(fields[11]) + int(fields[12])) / TICKS  # utime, stime
    return found


def spent(before: dict[int, float], after: dict[int, float]) -> float:
    """CPU spent between two readings by the processes alive at both: the workers and
    their persistent database connections (run it alone on its database)."""
    return sum(after[pid] - before[pid] for pid in before.keys() & after.keys())


def children(pid: int) -> set[int]:
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.add(int(entry.name))
    return found


def backends(database_url: str, db: str) -> set[int]:
    import psycopg

    with psycopg.connect(database_url, autocommit=True) as connection:
        rows = connection.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
            [db],
        ).fetchall()
    return {row[0] for row in rows}


def measure(env: dict, result: dict, database_url: str, db: str, seconds: int) -> list[dict]:
    sessions, cookie = result["sessions"], result["cookie"]
    users = {"cookies": sessions, "name": cookie}
    cases = [
        ("/healthz", "/healthz", None),
        ("track page, visitor", f"/tracks/{bench.SMALL}/", None),
        ("skill page, visitor", f"/skills/{result['skill']}/", None),
        (f"track page, signed in ({len(sessions):,} users)", f"/tracks/{bench.SMALL}/", users),
        (f"dashboard ({len(sessions):,} users)", "/me/", users),
    ]
    scripts = Path(tempfile.mkdtemp(prefix="skillpath-capacity-"))
    port = bench.free_port()
    # Recycling workers would lose their CPU counters mid-run.
    server = bench.gunicorn("config.wsgi", {**env, "GUNICORN_MAX_REQUESTS": "0"}, port, 2)
    rows = []
    try:
        base = f"http://127.0.0.1:{port}"
        for _name, path, who in cases:
            bench.check_page(base + path, who)
            bench.wrk(base + path, 2, scripts, users=who)  # warm up, open the connections
        workers = children(server.pid)
        for name, path, who in cases:
            app_before = cpu_by_pid(workers)
            db_before = cpu_by_pid(backends(database_url, db))
            run = bench.wrk(base + path, seconds, scripts, users=who)
            app_after = cpu_by_pid(workers)
            db_after = cpu_by_pid(backends(database_url, db))
            requests = run["rps"] * seconds
            rows.append(
                {
                    "page": name,
                    "requests": requests,
                    "app_ms": spent(app_before, app_after) * 1000 / requests,
                    "db_ms": spent(db_before, db_after) * 1000 / requests,
                    "failed": run["failed"],
                }
            )
    finally:
        bench.stop(server)
    return rows


def sizes(database_url: str) -> tuple[list[dict], int]:
    import psycopg

    with psycopg.connect(database_url, autocommit=True) as connection:
        users = connection.execute("SELECT count(*) FROM auth_user").fetchone()[0]
        rows = []
        for table, label in TABLES.items():
            count, size = connection.execute(
                f"SELECT count(*), pg_total_relation_size('{table}') FROM {table}"  # noqa: S608
            ).fetchone()
            rows.append({"table": table, "label": label, "rows": count, "bytes": size})
    return rows, users


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--users", type=int, default=100000, help="the benchmark's size")
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/7")
    args = parser.parse_args()
    base_url = os.environ.get("DATABASE_URL", "")
    if not base_url.startswith("postgres"):
        raise SystemExit("Set DATABASE_URL to the benchmark's PostgreSQL database.")
    database_url = bench.database_for(base_url, args.users, None)
    # The worker's options as make bench gives them, but no pages timed.
    options = bench.arguments().parse_args(["--skip-pages", "--redis-url", args.redis_url])
    env = bench.environment(database_url, options, secrets.token_urlsafe(48))
    result = bench.run_worker(args.users, env, options, sessions=True)
    db = database_url.rsplit("/", 1)[1]
    rows = measure(env, result, database_url, db, args.seconds)
    print("| page | requests | app CPU ms / request | PostgreSQL CPU ms / request | failed |")
    print("|---|---:|---:|---:|---:|")
    for row in rows:
        print(
            f"| {row['page']} | {row['requests']:,.0f} | {row['app_ms']:.2f} "
            f"| {row['db_ms']:.2f} | {row['failed']} |"
        )
    tables, users = sizes(database_url)
    print(f"\n{users:,} users\n")
    print("| table | rows | total size (with indexes) | bytes per row | bytes per user |")
    print("|---|---:|---:|---:|---:|")
    for t in tables:
        print(
            f"| {t['table']} ({t['label']}) | {t['rows']:,} | {t['bytes'] / 2**20:,.0f} MB "
            f"| {t['bytes'] / max(t['rows'], 1):,.0f} | {t['bytes'] / users:,.0f} |"
        )


if __name__ == "__main__":
    main()
