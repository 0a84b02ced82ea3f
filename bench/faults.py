"""Fault injection during a submission burst, against a stack of the bench's own: a private
PostgreSQL cluster and a private Redis (started here in a temporary directory on ports of their
own, never the machine's shared services), gunicorn and a supervised Celery worker.

    python -m bench.faults --out var/bench/faults.json [--hold 15] [--clients 12]

For each fault (Redis stopped, Redis paused with SIGSTOP, PostgreSQL fast stop, PostgreSQL
postmaster kill -9, Celery worker kill -9) clients submit questionnaires back to back; the fault
is held ``--hold`` seconds, then repaired. Every submission that failed is retried with the same
submission id, as the browser's failure page does. Link checks (against a local web server) are
queued before and during the fault. Figures per fault: acknowledged = stored, missing,
duplicated, partial, refusals while the fault lasted, seconds from the repair to the first
acknowledged answer, link checks queued and eventually done. Exit status 0 when nothing is
lost, duplicated, partial or stranded.
"""

from __future__ import annotations

import argparse
import contextlib
import http.server
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from bench import env

PG_BIN = Path(os.environ.get("BENCH_PG_BIN", "/usr/lib/postgresql/15/bin"))


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _as_postgres(cmd: list[str], **kw) -> subprocess.CompletedProcess:
    if os.geteuid() == 0:  # initdb and postgres refuse to run as root
        cmd = ["runuser", "-u", "postgres", "--", *cmd]
    return subprocess.run(cmd, capture_output=True, text=True, **kw)


class PrivatePostgres:
    def __init__(self):
        self.port = free_port()
        self.dir = Path(tempfile.mkdtemp(prefix="itas-faults-pg-"))
        self.data = self.dir / "data"
        if os.geteuid() == 0:
            shutil.chown(self.dir, "postgres", "postgres")
        r = _as_postgres(
            [str(PG_BIN / "initdb"), "-D", str(self.data), "-A", "trust", "-U", "postgres",
             "--locale", "C.UTF-8", "-E", "UTF8"]
        )  # fmt: skip
        if r.returncode:
            raise RuntimeError(r.stderr)

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/itas_faults"

    def start(self) -> None:
        opts = f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c max_connections=60"
        for _ in range(60):
            r = _as_postgres(
                [str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-o", opts, "-l",
                 str(self.dir / "log"), "-w", "-t", "30", "start"]
            )  # fmt: skip
            if r.returncode == 0:
                return
            time.sleep(0.5)  # after a kill -9 the old backends take a moment to go
        raise RuntimeError(r.stderr + r.stdout)

    def fast_stop(self) -> None:
        _as_postgres([str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop"])

    def kill_postmaster(self) -> None:
        pid = int((self.data / "postmaster.pid").read_text().split()[0])
        os.kill(pid, signal.SIGKILL)

    def close(self) -> None:
        _as_postgres([str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop"])
        shutil.rmtree(self.dir, ignore_errors=True)


class PrivateRedis:
    """Persistent (append-only file), as the broker must be."""

    def __init__(self):
        self.port = free_port()
        self.dir = tempfile.mkdtemp(prefix="itas-faults-redis-")
        self.proc: subprocess.Popen | None = None

    def url(self, db: int) -> str:
        return f"redis://127.0.0.1:{self.port}/{db}"

    def start(self) -> None:
        self.proc = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--dir", self.dir,
             "--save", "", "--appendonly", "yes", "--appendfsync", "everysec"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        import redis

        for _ in range(100):
            try:
                redis.Redis(port=self.port, socket_connect_timeout=0.3).ping()
                return
            except redis.RedisError:
                time.sleep(0.1)
        raise RuntimeError("redis-server did not start")

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=30)

    def pause(self) -> None:
        os.kill(self.proc.pid, signal.SIGSTOP)

    def resume(self) -> None:
        os.kill(self.proc.pid, signal.SIGCONT)

    def close(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.resume()
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)


class SupervisedWorker:
    """A Celery worker restarted whenever it ends, as systemd (Restart=always) or `make serve`
    does."""

    def __init__(self, child_env: dict, log: Path):
        self.env = child_env
        self.log = log
        self.proc: subprocess.Popen | None = None
        self.starts = 0
        self.stop_flag = threading.Event()
        self.thread = threading.Thread(target=self._loop, daemon=True)

    def _loop(self) -> None:
        with open(self.log, "ab") as logfile:
            while not self.stop_flag.is_set():
                self.proc = subprocess.Popen(
                    [sys.executable, "-m", "celery", "-A", "itas", "worker", "--concurrency", "2",
                     "--loglevel", "WARNING", "--without-gossip", "--without-mingle"],
                    cwd=env.ROOT, env=self.env, stdout=logfile, stderr=subprocess.STDOUT,
                    start_new_session=True,
                )  # fmt: skip
                self.starts += 1
                while self.proc.poll() is None and not self.stop_flag.is_set():
                    time.sleep(0.2)
                if not self.stop_flag.is_set():
                    time.sleep(1)

    def start(self) -> None:
        self.thread.start()
        while self.proc is None:
            time.sleep(0.05)

    def kill(self) -> None:
        """kill -9 the worker's main process and its pool children."""
        with_children = [self.proc.pid, *_children(self.proc.pid)]
        for pid in with_children:
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)

    def close(self) -> None:
        self.stop_flag.set()
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)


def _children(pid: int) -> list[int]:
    try:
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


class _Page(http.server.BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 - the standard library's name
        body = "<title>ประกาศ พ.ศ. 2568</title><p>ok</p>".encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def _evidence_for_checks():
    """One OIT evidence row the link checks hang on (the bench needs no real board)."""
    from itas.cycles.models import Enrolment
    from itas.disclosure.models import Evidence, ItemAnswer

    enrolment = Enrolment.objects.first()
    answer, _ = ItemAnswer.objects.get_or_create(enrolment=enrolment, code="O1")
    evidence, _ = Evidence.objects.get_or_create(answer=answer, version=1, defaults={"urls": []})
    return evidence


def _queue_checks(evidence, url: str, n: int) -> list[int]:
    """Create n link checks and hand them to the broker as the web does (a failed publish
    leaves the row PENDING for the sweep)."""
    from django.db import close_old_connections

    from itas.disclosure.models import LinkCheck
    from itas.disclosure.services import queue_link_checks

    for _ in range(20):
        try:
            close_old_connections()
            rows = LinkCheck.objects.bulk_create(
                [LinkCheck(evidence=evidence, url=url, position=i) for i in range(n)]
            )
            break
        except Exception:  # noqa: BLE001 - the database may be the fault right now
            time.sleep(0.5)
    else:
        return []
    ids = [r.pk for r in rows]
    queue_link_checks(ids)
    return ids


FAULTS = {
    "Redis stopped": ("redis", "stop", "start"),
    "Redis paused (SIGSTOP)": ("redis", "pause", "resume"),
    "PostgreSQL fast stop": ("pg", "fast_stop", "start"),
    "PostgreSQL postmaster kill -9": ("pg", "kill_postmaster", "start"),
    "Celery worker kill -9": ("worker", "kill", None),
}


def run_fault(name, stack, server, forms, spec, *, clients, hold, checks_url, evidence):
    from bench import client
    from bench.killtest import stored_counts

    target, break_, repair = FAULTS[name]
    obj = {"redis": stack["redis"], "pg": stack["pg"], "worker": stack["worker"]}[target]
    questions = {i: len(spec.questions_for(i)) for i in ("iit", "eit")}
    lead = 2.0
    marks: dict[str, float] = {}
    queued: list[int] = _queue_checks(evidence, checks_url, 5)

    def during(elapsed: float, run) -> None:
        if "broken" not in marks and elapsed >= lead:
            marks["broken"] = time.perf_counter()
            getattr(obj, break_)()
            threading.Thread(
                target=lambda: queued.extend(_queue_checks(evidence, checks_url, 5)), daemon=True
            ).start()
        elif "repaired" not in marks and elapsed >= lead + hold:
            if repair:
                getattr(obj, repair)()
            marks["repaired"] = time.perf_counter()

    run = client.hammer(server.base, forms, clients=clients, seconds=lead + hold + 6, during=during)
    repaired = marks["repaired"]
    after = sorted(a.ended for a in run.attempts if a.acknowledged and a.ended >= repaired)
    recovery = round(after[0] - repaired, 2) if after else None
    during_fault = [a for a in run.attempts if marks["broken"] <= a.ended <= repaired]
    refused = sum(1 for a in during_fault if not a.acknowledged)
    acked = {a.submission_id for a in run.attempts if a.acknowledged}
    pending = {a.submission_id: a.form for a in run.attempts if not a.acknowledged}
    retry = client.Client(server.base)
    for _round in range(30):
        for sid, form in list(pending.items()):
            if retry.post(form, sid).acknowledged:
                acked.add(sid)
                pending.pop(sid)
        if not pending:
            break
        time.sleep(1)
    retry.close()
    from django.db import close_old_connections

    close_old_connections()
    sent = sorted({a.submission_id for a in run.attempts})
    counts = stored_counts(sent)
    stored = set(counts)
    return {
        "fault": name,
        "held_s": hold,
        "attempts": len(run.attempts),
        "acknowledged": len(acked),
        "stored": len(stored),
        "missing": len(acked - stored),
        "stored_unacknowledged": len(stored - acked),
        "duplicated": sum(1 for n, _a, _i in counts.values() if n > 1),
        "partial": sum(1 for n, a, i in counts.values() if a != n * questions[i]),
        "never_acknowledged": len(pending),
        "refused_during_fault": refused,
        "answered_during_fault": len(during_fault) - refused,
        "statuses": run.statuses(),
        "recovery_s": recovery,
        "checks_queued": queued,
    }


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.faults", description=__doc__)
    p.add_argument("--out", type=Path, default=env.ROOT / "var" / "bench" / "faults.json")
    p.add_argument("--hold", type=float, default=15.0, help="seconds each fault is held")
    p.add_argument("--clients", type=int, default=12)
    p.add_argument("--workers", type=int, default=4)
    p.add_argument("--only", action="append", help="run only this fault (repeatable)")
    args = p.parse_args(argv)
    args.out.parent.mkdir(parents=True, exist_ok=True)

    pg, redis = PrivatePostgres(), PrivateRedis()
    web = site = worker = None
    try:
        pg.start()
        redis.start()
        import psycopg

        with psycopg.connect(pg.url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as c:
            c.execute("CREATE DATABASE itas_faults")
        site = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Page)
        threading.Thread(target=site.serve_forever, daemon=True).start()
        checks_url = f"http://127.0.0.1:{site.server_address[1]}/evidence"
        stack_env = {
            "REDIS_URL": redis.url(1),
            "CELERY_BROKER_URL": redis.url(0),
            "ITAS_LINKCHECK_ALLOW_PRIVATE": "1",
            "ITAS_LINKCHECK_STALE_RUNNING_SECONDS": "20",
            "ITAS_LINKCHECK_STALE_PENDING_SECONDS": "10",
            "ITAS_EMAIL_BACKEND": "itas.core.mail.OutboxBackend",
        }
        env.setup_django(pg.url)
        os.environ.update(stack_env)
        from django.conf import settings

        from itas.celery import app

        # This process queues link checks as a web process does: through the broker.
        settings.CELERY_TASK_ALWAYS_EAGER = False
        settings.ITAS_LINKCHECK_STALE_RUNNING_SECONDS = 20
        settings.ITAS_LINKCHECK_STALE_PENDING_SECONDS = 10
        app.conf.task_always_eager = False
        app.conf.broker_url = redis.url(0)
        app.conf.broker_transport_options = settings.CELERY_BROKER_TRANSPORT_OPTIONS
        env.migrate()
        from bench import client, datagen, targets
        from bench.server import Gunicorn

        cycle = datagen.minimal()
        spec = cycle.framework.spec
        evidence = _evidence_for_checks()
        child = env.child_env(pg.url, **stack_env)
        worker = SupervisedWorker(child, args.out.with_suffix(".worker.log"))
        worker.start()
        web = Gunicorn(
            pg.url, port=free_port(), workers=args.workers, env=stack_env,
            log=args.out.with_suffix(".gunicorn.log"),
        )  # fmt: skip
        web.start()
        forms = client.fetch_forms(web.base, targets.codes(cycle, 4), spec)
        stack = {"redis": redis, "pg": pg, "worker": worker}
        rows = []
        for name in args.only or list(FAULTS):
            print(f"faults: {name} …", flush=True)
            rows.append(
                run_fault(
                    name, stack, web, forms, spec, clients=args.clients, hold=args.hold,
                    checks_url=checks_url, evidence=evidence,
                )
            )  # fmt: skip
        jobs = _wait_for_checks([i for r in rows for i in r["checks_queued"]])
        for r in rows:
            ids = set(r.pop("checks_queued"))
            r["checks_queued"] = len(ids)
            r["checks_done"] = len(ids & jobs["done"])
        out = {
            "hold_s": args.hold,
            "clients": args.clients,
            "web_workers": args.workers,
            "worker_starts": worker.starts,
            "faults": rows,
            "checks_stranded": jobs["stranded"],
            "checks_wait_s": jobs["seconds"],
        }
        args.out.write_text(json.dumps(out, indent=1, ensure_ascii=False))
        print(json.dumps(out, indent=1, ensure_ascii=False))
        ok = all(
            r["missing"] == r["duplicated"] == r["partial"] == r["never_acknowledged"] == 0
            and r["stored"] == r["acknowledged"]
            and r["checks_done"] == r["checks_queued"]
            for r in rows
        )
        return 0 if ok else 1
    finally:
        if web:
            web.stop()
        if worker:
            worker.close()
        if site:
            site.shutdown()
        redis.close()
        pg.close()


def _wait_for_checks(ids: list[int], limit: float = 120) -> dict:
    """Run the sweep (as beat would, more often) until every queued check is done."""
    from django.db import close_old_connections

    from itas.disclosure.models import CheckState, LinkCheck
    from itas.disclosure.services import requeue_stranded_checks

    t0 = time.monotonic()
    done: set[int] = set()
    while time.monotonic() - t0 < limit:
        close_old_connections()
        done = set(
            LinkCheck.objects.filter(pk__in=ids, state=CheckState.DONE).values_list("pk", flat=True)
        )
        if len(done) == len(set(ids)):
            break
        requeue_stranded_checks()
        time.sleep(2)
    return {"done": done, "stranded": len(set(ids) - done), "seconds": round(time.monotonic() - t0)}


if __name__ == "__main__":
    sys.exit(main())
