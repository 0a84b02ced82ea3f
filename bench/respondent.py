"""The whole respondent: what one person costs the server, from opening the link to the
thank-you page. Each simulated respondent GETs the questionnaire (for its start token), POSTs a
complete set of answers with a fresh submission UUID, and GETs the thank-you page the POST
redirects to, over one keep-alive connection, as a phone does. Reported beside GET /healthz
measured in the same run: respondents per second, p50/p99 of the three requests together, and
the CPU milliseconds per respondent of the web workers, this database's PostgreSQL backends
and the Redis server (from /proc), which other work on the machine hardly moves.

The load client is Python threads (wrk cannot carry a token from one response into the next
request of the same connection without a per-connection state machine); its own CPU is
measured too, and it does not count in the server's figures."""

from __future__ import annotations

import http.client
import random
import resource
import threading
import time
import urllib.parse
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from bench import client, cpu

HEADERS_GET = {"User-Agent": "itas-bench", "Accept-Language": "th"}
HEADERS_POST = {**HEADERS_GET, "Content-Type": "application/x-www-form-urlencoded"}


@dataclass
class RespondentFigures:
    respondents: int  # complete: 200 form, 302 to the thanks, 200 thanks
    failed: int
    seconds: float
    rate: float  # complete respondents per second
    p50_ms: float  # the three requests together
    p99_ms: float
    get_p50_ms: float
    post_p50_ms: float
    thanks_p50_ms: float
    connections: int
    statuses: dict[str, int] = field(default_factory=dict)
    cpu: dict | None = None  # CPU ms per respondent: web_ms, db_ms, redis_ms, client_ms


def redis_pids(url: str) -> list[int]:
    """The redis-server process serving `url`'s port (the bench's cache), from /proc."""
    port = urllib.parse.urlsplit(url).port or 6379 if url else None
    if port is None:
        return []
    out = []
    for d in Path("/proc").iterdir():
        if not d.name.isdigit():
            continue
        try:
            if (d / "comm").read_text().strip() != "redis-server":
                continue
            cmdline = (d / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        if f":{port}" in cmdline or (port == 6379 and ":" not in cmdline):
            out.append(int(d.name))
    return out


def _answers(spec, instrument: str, rng: random.Random) -> str:
    return urllib.parse.urlencode(client.answers(spec, instrument, rng))


def run(
    base: str,
    codes: list[str],
    spec,
    *,
    connections: int,
    seconds: float,
    seed: int = 3,
) -> tuple[RespondentFigures, list[str]]:
    """`connections` threads, each a respondent after another for `seconds`. Returns the
    figures and the submission UUIDs acknowledged (for the caller's cross-check)."""
    rng0 = random.Random(seed)
    # A few answer sets per instrument, made before the clock starts (client CPU).
    bodies = {i: [_answers(spec, i, rng0) for _ in range(8)] for i in ("iit", "eit")}
    host, port = client._hostport(base)
    lock = threading.Lock()
    stop = threading.Event()
    whole: list[float] = []
    parts: dict[str, list[float]] = {"get": [], "post": [], "thanks": []}
    statuses: dict[str, int] = {}
    acknowledged: list[str] = []
    failed = [0]

    def one(conn: http.client.HTTPConnection, rng: random.Random, mine: dict) -> bool:
        code = codes[rng.randrange(len(codes))]
        instrument = "iit" if rng.random() < 1 / 3 else "eit"
        path = f"/go/{instrument}/{code}"
        t0 = time.perf_counter()
        conn.request("GET", path, headers=HEADERS_GET)
        r = conn.getresponse()
        html = r.read().decode("utf-8", "replace")
        t1 = time.perf_counter()
        if r.status != 200:
            mine["statuses"].append(f"GET {r.status}")
            return False
        m = client.STARTED.search(html)
        sid = str(uuid.uuid4())
        body = rng.choice(bodies[instrument])
        body += "&started=" + urllib.parse.quote(m.group(1) if m else "") + "&submission_id=" + sid
        conn.request("POST", path, body=body.encode(), headers=HEADERS_POST)
        r = conn.getresponse()
        r.read()
        t2 = time.perf_counter()
        location = r.getheader("Location") or ""
        if r.status != 302 or not location.endswith("/thanks"):
            mine["statuses"].append(f"POST {r.status}")
            return False
        conn.request("GET", urllib.parse.urlsplit(location).path, headers=HEADERS_GET)
        r = conn.getresponse()
        r.read()
        t3 = time.perf_counter()
        if r.status != 200:
            mine["statuses"].append(f"thanks {r.status}")
            return False
        mine["whole"].append(t3 - t0)
        mine["get"].append(t1 - t0)
        mine["post"].append(t2 - t1)
        mine["thanks"].append(t3 - t2)
        mine["ids"].append(sid)
        return True

    def worker(n: int) -> None:
        rng = random.Random(seed * 1000 + n)
        conn = http.client.HTTPConnection(host, port, timeout=30)
        mine: dict = {"whole": [], "get": [], "post": [], "thanks": [], "ids": [], "statuses": []}
        bad = 0
        while not stop.is_set():
            try:
                ok = one(conn, rng, mine)
            except (OSError, http.client.HTTPException) as exc:
                mine["statuses"].append(f"error {type(exc).__name__}")
                conn.close()
                conn = http.client.HTTPConnection(host, port, timeout=30)
                ok = False
            bad += not ok
        conn.close()
        with lock:
            whole.extend(mine["whole"])
            for k in parts:
                parts[k].extend(mine[k])
            acknowledged.extend(mine["ids"])
            failed[0] += bad
            for s in mine["statuses"]:
                statuses[s] = statuses.get(s, 0) + 1

    threads = [threading.Thread(target=worker, args=(n,), daemon=True) for n in range(connections)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    time.sleep(seconds)
    stop.set()
    for t in threads:
        t.join(timeout=60)
    el = time.perf_counter() - t0
    p = client.percentile
    figures = RespondentFigures(
        respondents=len(whole),
        failed=failed[0],
        seconds=el,
        rate=len(whole) / el if el else 0.0,
        p50_ms=p(whole, 50) * 1000,
        p99_ms=p(whole, 99) * 1000,
        get_p50_ms=p(parts["get"], 50) * 1000,
        post_p50_ms=p(parts["post"], 50) * 1000,
        thanks_p50_ms=p(parts["thanks"], 50) * 1000,
        connections=connections,
        statuses=statuses,
    )
    return figures, acknowledged


def _self_cpu() -> float:
    u = resource.getrusage(resource.RUSAGE_SELF)
    return u.ru_utime + u.ru_stime


def measure(
    server, codes: list[str], spec, *, connections: int, seconds: int, redis_url: str = ""
) -> dict:
    """Warm every worker, then the respondent load with CPU read from /proc before and after."""
    from django.db import connection

    from itas.surveys.models import Response

    database = connection.settings_dict["NAME"]
    run(server.base, codes, spec, connections=connections, seconds=3)  # warm-up
    redis = redis_pids(redis_url)
    before = cpu.snapshot(server, database, redis)
    c0 = _self_cpu()
    stored0 = Response.objects.count()
    figures, ids = run(server.base, codes, spec, connections=connections, seconds=seconds)
    after = cpu.snapshot(server, database, redis)
    spent = cpu.per_request(before, after, figures.respondents)
    spent["client_ms"] = 1000 * (_self_cpu() - c0) / max(1, figures.respondents)
    figures.cpu = spent
    stored_ids = set(
        str(u)
        for u in Response.objects.filter(submission_id__in=ids).values_list(
            "submission_id", flat=True
        )
    )
    return {
        "respondent": figures,
        "stored_of_acknowledged": len(stored_ids),
        "acknowledged": len(ids),
        "stored_during": Response.objects.count() - stored0,
        "workers": server.workers,
        "redis_shared": bool(redis),
    }
