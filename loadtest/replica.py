"""Read replica, proven: two app servers read from a real PostgreSQL streaming replica.

    .venv/bin/python loadtest/replica.py [--users 20 --duration 40]

Makes a second cluster on port 5433 from the machine's 5432 cluster with pg_basebackup
(streaming replication; the primary's pg_hba.conf gets one `replication` line for
127.0.0.1 for the run, removed at the end), starts it as a hot standby, serves the app on
two gunicorn servers with DATABASE_REPLICA_URL pointing at it, and drives signed-in users
who read their dashboard, their track's map and public pages and change a skill's status
about every 15 s (--write-every). Right after each change, the writer reads their own map
and dashboard and must see it (the sticky window sends their reads to the primary, on
either server). Passes when no request fails, every change is visible at once to its
writer, and the replica served most of the read transactions (pg_stat_database on both
clusters). The replica cluster is stopped and deleted at the end, whatever happened.
"""

from __future__ import annotations

import argparse
import html
import random
import re
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import (  # noqa: E402
    Check,
    Config,
    Servers,
    add_common_arguments,
    django_setup,
    ensure_users,
    flush_redis,
    log,
    log_in_all,
    prepare_database,
    save_json,
    summarize,
)

PG_VERSION = "15"
PG_BIN = Path(f"/usr/lib/postgresql/{PG_VERSION}/bin")
PRIMARY_HBA = Path(f"/etc/postgresql/{PG_VERSION}/main/pg_hba.conf")
REPLICA_DIR = Path("/var/lib/postgresql/skillpath-replica")
REPLICA_PORT = 5433
HBA_LINE = "host replication all 127.0.0.1/32 trust  # skillpath loadtest/replica.py\n"


def as_postgres(*command: str, **kwargs) -> subprocess.CompletedProcess:
    """Run a PostgreSQL tool as the postgres system user (the server refuses root)."""
    return subprocess.run(["runuser", "-u", "postgres", "--", *command], **kwargs)  # noqa: S603


def psql(port: int, db: str, sql: str) -> str:
    result = subprocess.run(
        ["psql", "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", "-d", db, "-Atc", sql],
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip()


class Replica:
    """A hot standby of the 5432 cluster on 5433, made and removed by this script."""

    def __enter__(self) -> Replica:
        if REPLICA_DIR.exists():
            raise SystemExit(f"{REPLICA_DIR} exists: a previous run did not clean up")
        if psql(5432, "postgres", "SHOW wal_level") not in ("replica", "logical"):
            raise SystemExit("the primary's wal_level must be replica (the default)")
        self.hba_added = HBA_LINE not in PRIMARY_HBA.read_text()
        if self.hba_added:
            with PRIMARY_HBA.open("a") as hba:
                hba.write(HBA_LINE)
            psql(5432, "postgres", "SELECT pg_reload_conf()")
        try:
            self._make()
        except BaseException:
            self.__exit__()
            raise
        return self

    def _make(self) -> None:
        log("pg_basebackup of the 5432 cluster (streaming WAL)")
        started = time.monotonic()
        as_postgres(
            str(PG_BIN / "pg_basebackup"),
            *("-h", "127.0.0.1", "-p", "5432", "-U", "postgres"),
            *("-D", str(REPLICA_DIR), "-R", "-X", "stream", "-c", "fast"),
            check=True,
        )
        # Debian keeps the configuration in /etc: the copy gets its own, minimal one.
        (REPLICA_DIR / "postgresql.conf").write_text(
            f"port = {REPLICA_PORT}\nlisten_addresses = '127.0.0.1'\n"
            "unix_socket_directories = '/tmp'\nhot_standby = on\n"
            "max_connections = 100\nshared_buffers = 128MB\n"
        )
        (REPLICA_DIR / "pg_hba.conf").write_text(
            "local all all trust\nhost all all 127.0.0.1/32 trust\n"
        )
        shutil.chown(REPLICA_DIR / "postgresql.conf", "postgres", "postgres")
        shutil.chown(REPLICA_DIR / "pg_hba.conf", "postgres", "postgres")
        log(f"base backup in {time.monotonic() - started:.0f} s; starting the standby")
        as_postgres(
            str(PG_BIN / "pg_ctl"),
            *("-D", str(REPLICA_DIR), "-l", str(REPLICA_DIR / "standby.log"), "-w", "start"),
            check=True,
            capture_output=True,
        )
        if psql(REPLICA_PORT, "postgres", "SELECT pg_is_in_recovery()") != "t":
            raise SystemExit("the copy on 5433 is not a standby")

    def __exit__(self, *exc) -> None:
        if (REPLICA_DIR / "postmaster.pid").exists():
            as_postgres(
                str(PG_BIN / "pg_ctl"),
                *("-D", str(REPLICA_DIR), "-m", "fast", "-w", "stop"),
                capture_output=True,
            )
        shutil.rmtree(REPLICA_DIR, ignore_errors=True)
        if getattr(self, "hba_added", False):
            PRIMARY_HBA.write_text(PRIMARY_HBA.read_text().replace(HBA_LINE, ""))
            psql(5432, "postgres", "SELECT pg_reload_conf()")
        log("standby stopped and removed; the primary's pg_hba.conf restored")


class ReplicaConfig(Config):
    """The load tests' production environment, plus the replica."""

    replica_url: str = ""

    def environment(self, **extra: str) -> dict[str, str]:
        return super().environment(DATABASE_REPLICA_URL=self.replica_url, **extra)


def transactions(port: int, db: str) -> int:
    """Committed and rolled-back transactions of db on one cluster, so far."""
    sql = f"SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = '{db}'"  # noqa: S608
    return int(psql(port, db, sql) or 0)


def node_status(page: str, slug: str) -> str | None:
    match = re.search(rf'class="map-node status-(\w+)[^"]*" id="node-{re.escape(slug)}"', page)
    return match.group(1) if match else None


def in_progress(page: str, name: str) -> bool | None:
    """Whether the dashboard's in-progress section names the skill (None: no section)."""
    start = page.find('id="learning-heading"')
    if start < 0:
        return None
    end = page.find("</section>", start)
    return html.escape(name) in page[start:end]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    add_common_arguments(parser)
    parser.set_defaults(db="wt_perf", redis="redis://127.0.0.1:6379/5", ports="8111,8112")
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--duration", type=float, default=40, help="seconds of load")
    parser.add_argument(
        "--write-every", type=float, default=15, help="seconds between a user's changes (mean)"
    )
    args = parser.parse_args()
    base = Config.from_args(args)
    config = ReplicaConfig(**{k: getattr(base, k) for k in base.__dataclass_fields__})
    config.replica_url = f"{config.pg.rsplit(':', 1)[0]}:{REPLICA_PORT}/{config.db}"
    prepare_database(config)
    django_setup(config)
    flush_redis(config)
    users = ensure_users("replica", args.users)
    from careers.models import Skill

    names = dict(Skill.objects.values_list("slug", "name_en"))
    checks: list[Check] = []
    with Replica():
        with Servers(config, "replica") as servers:
            clients = log_in_all(users, servers.ports)
            before = {
                "primary": transactions(5432, config.db),
                "replica": transactions(REPLICA_PORT, config.db),
            }
            results = run_load(users, clients, names, args)
        # The servers' connections are closed: each backend has flushed its statistics.
        time.sleep(1.5)
        after = {
            "primary": transactions(5432, config.db),
            "replica": transactions(REPLICA_PORT, config.db),
        }
        # Bytes of the primary's WAL not yet replayed (0: caught up). The time since the last
        # replayed transaction would count the quiet seconds after the load as lag.
        primary_lsn = psql(5432, "postgres", "SELECT pg_current_wal_lsn()")
        lag = psql(
            REPLICA_PORT,
            "postgres",
            f"SELECT pg_wal_lsn_diff('{primary_lsn}', pg_last_wal_replay_lsn())",  # noqa: S608
        )
    on_primary = after["primary"] - before["primary"]
    on_replica = after["replica"] - before["replica"]
    share = on_replica / max(on_primary + on_replica, 1)
    failed = [r for r in results["requests"] if not r["ok"]]
    checks.append(
        Check(
            "no request fails",
            not failed,
            f"{len(results['requests'])} requests, {len(failed)} failed"
            + (f", e.g. {failed[:3]}" if failed else ""),
        )
    )
    stale = results["stale"]
    checks.append(
        Check(
            "every change visible at once to its writer (map and dashboard, either server)",
            not stale and results["writes"] > 0,
            f"{results['writes']} changes, {len(stale)} not seen"
            + (f", e.g. {stale[:3]}" if stale else "")
            + f"; dashboard checked {results['dashboard_checks']} times",
        )
    )
    checks.append(
        Check(
            "the replica takes most of the reads",
            share > 0.5,
            f"{on_replica} of {on_primary + on_replica} transactions on the replica "
            f"({share:.0%}); the primary's {on_primary} include every write; "
            f"{results['writes']} changes; WAL not yet replayed at the end: {lag} bytes",
        )
    )
    save_json(
        "replica",
        {
            "transactions": {"primary": on_primary, "replica": on_replica, "share": share},
            "writes": results["writes"],
            "requests": len(results["requests"]),
            "failed": failed[:20],
            "stale": stale[:20],
        },
    )
    sys.exit(0 if summarize(checks) else 1)


def run_load(users, clients, names: dict[str, str], args) -> dict:
    """Each user reads, and now and then changes a status and reads it back at once."""
    requests, stale = [], []
    counters = {"writes": 0, "dashboard_checks": 0}
    lock = threading.Lock()
    deadline = time.monotonic() + args.duration

    def record(response, expected=(200,)):
        ok = response.status in expected and not response.error
        with lock:
            requests.append(
                {
                    "ok": ok,
                    "method": response.method,
                    "path": response.path,
                    "status": response.status,
                    "port": response.port,
                    "error": response.error,
                }
            )
        return ok

    def work(n: int) -> None:
        user, client = users[n], clients[n]
        rng = random.Random(n)
        track_page = f"/tracks/{user.track}/"
        statuses: dict[str, str] = {}
        # Changes come at a rate in time, not per round of reads: a faster machine serves
        # more reads, not more changes, so the replica's share does not follow its speed.
        next_write = time.monotonic() + rng.uniform(0, 2 * args.write_every)
        while time.monotonic() < deadline:
            record(client.get("/me/"))
            record(client.get(track_page))
            record(client.get("/tracks/"))
            record(client.get(f"/skills/{rng.choice(user.skills)}/"))
            if time.monotonic() < next_write:
                time.sleep(rng.uniform(0, 0.5))
                continue
            next_write = time.monotonic() + rng.uniform(0.5, 1.5) * args.write_every
            skill = rng.choice(user.skills)
            target = "done" if statuses.get(skill) == "learning" else "learning"
            answer = client.post(f"/me/skills/{skill}/", {"status": target, "next": track_page})
            if not record(answer, expected=(302,)):
                continue
            statuses[skill] = target
            with lock:
                counters["writes"] += 1
            # At once, and on the other server (the client alternates): the writer's pages.
            page = client.get(track_page)
            record(page)
            seen = node_status(page.text, skill)
            dashboard = client.get("/me/")
            record(dashboard)
            listed = in_progress(dashboard.text, names.get(skill, skill))
            with lock:
                if listed is not None:
                    counters["dashboard_checks"] += 1
                if seen != target or (listed is not None and listed != (target == "learning")):
                    stale.append(
                        {
                            "user": user.email,
                            "skill": skill,
                            "want": target,
                            "map": seen,
                            "dashboard lists it": listed,
                        }
                    )

    threads = [threading.Thread(target=work, args=(n,)) for n in range(len(users))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return {"requests": requests, "stale": stale, **counters}


if __name__ == "__main__":
    main()
