"""CPU time spent by the web workers and by this database's PostgreSQL backends during a load
run: milliseconds of CPU per request, a figure that other work on the machine hardly moves
(unlike requests per second) and that explains the ratio between two endpoints."""

from __future__ import annotations

import os
import resource
from dataclasses import dataclass
from pathlib import Path

TICK = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of a process (0 when it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICK


def backends(database: str) -> list[int]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
            [database],
        )
        return [r[0] for r in cursor.fetchall()]


@dataclass
class Snapshot:
    web: dict[int, float]
    db: dict[int, float]
    children: float
    redis: dict[int, float]


def snapshot(server, database: str, redis: list[int] | tuple[int, ...] = ()) -> Snapshot:
    """`redis`: the pids of the Redis server the web workers use (bench.respondent.redis_pids);
    on a shared Redis its figure includes what other clients cost it meanwhile."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return Snapshot(
        web={p: cpu_seconds(p) for p in server.worker_pids()},
        db={p: cpu_seconds(p) for p in backends(database)},
        children=usage.ru_utime + usage.ru_stime,
        redis={p: cpu_seconds(p) for p in redis},
    )


def per_request(before: Snapshot, after: Snapshot, requests: int) -> dict[str, float]:
    """CPU milliseconds per request: web workers, database backends, Redis, and the load client
    (a child process: wrk). Workers and backends that appeared during the run count whole."""

    def spent(a: dict[int, float], b: dict[int, float]) -> float:
        return sum(v - a.get(p, 0.0) for p, v in b.items())

    n = max(1, requests)
    return {
        "web_ms": 1000 * spent(before.web, after.web) / n,
        "db_ms": 1000 * spent(before.db, after.db) / n,
        "client_ms": 1000 * (after.children - before.children) / n,
        "redis_ms": 1000 * spent(before.redis, after.redis) / n,
    }
