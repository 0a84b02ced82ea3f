"""Reading: page latency of the dashboards, the scorecard and the API list with the national
cycle loaded, and the CSV export of every published result (rows per second, and the web
process's peak memory at two sizes, to show it stays flat as rows grow)."""

from __future__ import annotations

import http.client
import threading
import time

from bench.client import percentile
from bench.server import rss_kib


def _get(conn: http.client.HTTPConnection, path: str) -> tuple[int, float, int]:
    t0 = time.perf_counter()
    conn.request("GET", path, headers={"User-Agent": "itas-bench", "Accept-Language": "th"})
    resp = conn.getresponse()
    body = resp.read()
    return resp.status, time.perf_counter() - t0, len(body)


def pages(
    base: str, targets: dict[str, list[str]], *, requests: int = 40, warmup: int = 10
) -> dict[str, dict]:
    """Sequential GETs (one user: latency, not throughput) round-robin over each target's
    paths, after `warmup` requests (each gunicorn worker compiles its templates and fills its
    caches on its first requests); p50/p95 in ms and the statuses seen."""
    host, port = base.split("//")[1].split(":")
    out = {}
    for name, paths in targets.items():
        conn = http.client.HTTPConnection(host, int(port), timeout=60)
        for i in range(warmup):
            _get(conn, paths[i % len(paths)])
        lat, statuses, size = [], {}, 0
        for i in range(requests):
            status, seconds, size = _get(conn, paths[i % len(paths)])
            statuses[status] = statuses.get(status, 0) + 1
            lat.append(seconds)
        conn.close()
        out[name] = {
            "path": paths[0],
            "p50_ms": percentile(lat, 50) * 1000,
            "p95_ms": percentile(lat, 95) * 1000,
            "statuses": statuses,
            "bytes": size,
            "requests": requests,
        }
    return out


def export(base: str, path: str, worker_pid: int) -> dict:
    """Download one export while sampling the (single) worker's resident memory."""
    host, port = base.split("//")[1].split(":")
    baseline = rss_kib(worker_pid)
    peak = [baseline]
    stop = threading.Event()

    def sample():
        while not stop.is_set():
            peak[0] = max(peak[0], rss_kib(worker_pid))
            time.sleep(0.01)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    conn = http.client.HTTPConnection(host, int(port), timeout=600)
    t0 = time.perf_counter()
    conn.request("GET", path, headers={"User-Agent": "itas-bench"})
    resp = conn.getresponse()
    lines = 0
    size = 0
    while chunk := resp.read(65536):
        lines += chunk.count(b"\n")
        size += len(chunk)
    seconds = time.perf_counter() - t0
    stop.set()
    sampler.join()
    conn.close()
    rows = max(0, lines - 1)  # less the header line
    return {
        "path": path,
        "status": resp.status,
        "rows": rows,
        "bytes": size,
        "seconds": seconds,
        "rows_per_s": rows / seconds if seconds else 0.0,
        "rss_before_mib": baseline / 1024,
        "rss_peak_mib": peak[0] / 1024,
        "rss_growth_mib": (peak[0] - baseline) / 1024,
    }
