"""Health for load balancers, monitoring and NACC.

* ``/livez``: the process answers (no database, no cache): restart it if this fails.
* ``/readyz`` (and ``/healthz``, the older name): can this process serve respondents? The
  database must answer (short timeout); the cache, the broker and the background jobs are
  reported as warnings only, because the respondent path does not need them (the web tier
  must not be taken out of a proxy because Redis or a worker is away).
* ``/healthz/jobs``: for monitoring, 503 when no worker, no scheduler or no job through the
  broker has been seen recently: a dead worker is noticed.

Heartbeats: each Celery worker and the beat scheduler write a row every ``BEAT_SECONDS`` from
a thread of their main process (a process killed with -9 stops beating); beat also sends the
task ``itas.core.tasks.heartbeat`` every minute, and the worker that runs it marks the whole
path (scheduler → broker → worker → database) alive.
"""

from __future__ import annotations

import logging
import socket
import threading
import time

from django.conf import settings
from django.db import close_old_connections, connection
from django.utils import timezone

from itas.core import cacheguard

log = logging.getLogger(__name__)

BEAT_SECONDS = 30
STALE_SECONDS = {"worker": 3 * BEAT_SECONDS, "beat": 3 * BEAT_SECONDS, "queue": 180}


def beat(kind: str, name: str) -> None:
    from itas.core.models import Heartbeat

    Heartbeat.objects.update_or_create(
        name=name, defaults={"kind": kind, "seen_at": timezone.now()}
    )


def _beating(kind: str, name: str, stop: threading.Event) -> None:
    while not stop.is_set():
        try:
            close_old_connections()  # a database restarted since the last beat: reconnect
            beat(kind, name)
        except Exception as exc:  # noqa: BLE001 - keep beating once the database is back
            log.warning("heartbeat not written", extra={"kind": kind, "error": str(exc)[:200]})
        stop.wait(BEAT_SECONDS)


def start_beating(kind: str, name: str) -> threading.Event:
    stop = threading.Event()
    threading.Thread(
        target=_beating, args=(kind, name, stop), name=f"itas-heartbeat-{kind}", daemon=True
    ).start()
    return stop


def connect_celery_signals() -> None:
    """Called by itas/celery.py: the worker and beat processes load it, the web does not."""
    from celery.signals import beat_init, worker_ready

    @worker_ready.connect(weak=False)
    def _worker_ready(sender=None, **kwargs):
        start_beating("worker", f"worker:{getattr(sender, 'hostname', socket.gethostname())}")

    @beat_init.connect(weak=False)
    def _beat_init(sender=None, **kwargs):
        start_beating("beat", f"beat:{socket.gethostname()}")


def database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return "ok"
    except Exception as exc:  # noqa: BLE001 - any failure means not ready
        return f"error: {exc.__class__.__name__}"


def cache() -> str:
    client = cacheguard.redis_client() if cacheguard.available() else None
    if client is None:
        return "ok" if cacheguard.available() else "warning: skipped after a recent error"
    try:
        client.ping()
        return "ok"
    except Exception as exc:  # noqa: BLE001
        return f"warning: {exc.__class__.__name__}"


def jobs() -> dict[str, dict]:
    """Per heartbeat: its age in seconds and whether it is fresh."""
    from itas.core.models import Heartbeat

    if settings.CELERY_TASK_ALWAYS_EAGER:
        return {}
    now = time.time()
    seen = {}
    for hb in Heartbeat.objects.all():
        age = int(now - hb.seen_at.timestamp())
        seen[hb.name] = {"kind": hb.kind, "age": age, "ok": age <= STALE_SECONDS[hb.kind]}
    return seen


def jobs_ok(seen: dict[str, dict]) -> dict[str, bool]:
    """For each kind, whether at least one of its heartbeats is fresh."""
    return {
        kind: any(v["ok"] for v in seen.values() if v["kind"] == kind) for kind in STALE_SECONDS
    }
