"""Ingestion: complete questionnaire submissions per second through gunicorn + PostgreSQL, and
beside it the same load on GET /healthz (one database round trip: the ceiling of this stack on
this machine)."""

from __future__ import annotations

import time
from dataclasses import dataclass

from bench import client, wrk
from bench.env import ROOT


@dataclass
class LoadFigures:
    what: str
    rate: float  # successful requests per second
    p50_ms: float
    p99_ms: float
    requests: int
    failed: int
    seconds: float
    tool: str
    cpu: dict | None = None  # CPU ms per request: web_ms, db_ms, client_ms


SLICE_SECONDS = 2


def combine(slices: list[LoadFigures]) -> LoadFigures:
    """One load's slices as one: rates and CPU over the summed time and requests, p50 the
    request-weighted mean of the slices' p50, p99 the worst slice's (never better than any)."""
    first = slices[0]
    if len(slices) == 1:
        return first
    seconds = sum(f.seconds for f in slices)
    requests = sum(f.requests for f in slices)
    cpu = None
    if all(f.cpu for f in slices):
        cpu = {
            key: sum(f.cpu[key] * f.requests for f in slices) / max(1, requests)  # type: ignore[index]
            for key in first.cpu  # type: ignore[union-attr]
        }
    return LoadFigures(
        first.what,
        sum(f.rate * f.seconds for f in slices) / seconds if seconds else 0.0,
        sum(f.p50_ms * f.requests for f in slices) / max(1, requests),
        max(f.p99_ms for f in slices),
        requests,
        sum(f.failed for f in slices),
        seconds,
        f"{first.tool}, {len(slices)} slices taking turns with the other load",
        cpu,
    )


def _stored() -> int:
    from itas.surveys.models import Response

    return Response.objects.count()


def _python_load(base, path_or_forms, *, connections, seconds) -> LoadFigures:
    if isinstance(path_or_forms, str):  # GET
        import http.client
        import threading

        lat: list[float] = []
        failed = [0]
        stop = threading.Event()
        lock = threading.Lock()

        def worker():
            conn = http.client.HTTPConnection("127.0.0.1", int(base.rsplit(":", 1)[1]), timeout=30)
            mine = []
            while not stop.is_set():
                t0 = time.perf_counter()
                try:
                    conn.request("GET", path_or_forms)
                    r = conn.getresponse()
                    r.read()
                    ok = r.status == 200
                except OSError:
                    ok = False
                    conn.close()
                if ok:
                    mine.append(time.perf_counter() - t0)
                else:
                    with lock:
                        failed[0] += 1
            with lock:
                lat.extend(mine)

        threads = [threading.Thread(target=worker, daemon=True) for _ in range(connections)]
        t0 = time.perf_counter()
        for t in threads:
            t.start()
        time.sleep(seconds)
        stop.set()
        for t in threads:
            t.join()
        el = time.perf_counter() - t0
        return LoadFigures(
            path_or_forms,
            len(lat) / el,
            client.percentile(lat, 50) * 1000,
            client.percentile(lat, 99) * 1000,
            len(lat) + failed[0],
            failed[0],
            el,
            "python threads",
        )
    run = client.hammer(base, path_or_forms, clients=connections, seconds=seconds)
    lat = [a.seconds for a in run.attempts if a.acknowledged]
    return LoadFigures(
        "submit",
        len(lat) / run.seconds,
        client.percentile(lat, 50) * 1000,
        client.percentile(lat, 99) * 1000,
        len(run.attempts),
        len(run.attempts) - len(lat),
        run.seconds,
        "python threads",
    )


def _wrk_load(url, forms, *, connections, seconds, what) -> LoadFigures:
    r = wrk.run(
        url, connections=connections, seconds=seconds, forms=forms, workdir=ROOT / "var" / "bench"
    )
    return LoadFigures(
        what,
        r.rate,
        r.p50_ms,
        r.p99_ms,
        r.requests,
        r.bad + r.socket_errors,
        r.seconds,
        f"wrk -t2 -c{connections}",
    )


def measure(
    server, codes: list[str], spec, *, connections: int, seconds: int, redis_url: str = ""
) -> dict:
    """Both loads on the running server; returns the figures and the cross-check of rows."""
    forms = client.fetch_forms(server.base, codes, spec)
    use_wrk = wrk.available()
    load = _wrk_load if use_wrk else None

    from django.db import connection

    from bench import cpu
    from bench.respondent import redis_pids

    database = connection.settings_dict["NAME"]
    redis = redis_pids(redis_url)

    def go(target, what, seconds):
        before = cpu.snapshot(server, database, redis)
        figures = _go(target, what, seconds)
        after = cpu.snapshot(server, database, redis)
        figures.cpu = cpu.per_request(before, after, figures.requests)
        return figures

    def _go(target, what, seconds):
        if use_wrk:
            url = server.base + ("/healthz" if target is None else "/")
            return load(url, target, connections=connections, seconds=seconds, what=what)
        return _python_load(
            server.base,
            "/healthz" if target is None else target,
            connections=connections,
            seconds=seconds,
        )

    # Warm up every worker (imports, connections, the framework spec cache).
    if use_wrk:
        wrk.run(
            server.base + "/healthz",
            connections=connections,
            seconds=2,
            workdir=ROOT / "var" / "bench",
        )
        wrk.run(
            server.base + "/",
            connections=connections,
            seconds=2,
            forms=forms,
            workdir=ROOT / "var" / "bench",
        )
    # The two loads take turns in short slices instead of one after the other: on a shared
    # virtual machine the CPU's speed drifts by a fifth within a minute, and a ratio of two
    # loads measured a minute apart carried that drift (0.21 to 0.30 for one commit).
    rounds = max(1, round(seconds / SLICE_SECONDS))
    ceilings, submits = [], []
    before = _stored()
    for _ in range(rounds):
        ceilings.append(go(None, "GET /healthz", max(1, seconds // rounds)))
        submits.append(go(forms, "POST /go/<instrument>/<code>", max(1, seconds // rounds)))
    stored = _stored() - before
    ceiling, submit = combine(ceilings), combine(submits)
    return {
        "ceiling": ceiling,
        "submit": submit,
        "stored": stored,
        "acknowledged": round(submit.rate * submit.seconds),
        "ratio": submit.rate / ceiling.rate if ceiling.rate else 0.0,
        "connections": connections,
        "workers": server.workers,
    }
