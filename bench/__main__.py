"""`make bench` (BENCH_ARGS="--size national" for the full run): build or reuse a cycle of the
chosen size in its own PostgreSQL database, then measure scoring, reading, ingestion and the
load test with a kill, print the table and write it to docs/benchmarks.md."""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from dataclasses import asdict, is_dataclass

from bench import env

SECTIONS = (
    "scoring",
    "improve",
    "reading",
    "ingest",
    "respondent",
    "weight",
    "kill",
    "credibility",
)


def parse_args(argv=None):
    from bench.datagen import SIZES

    p = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    p.add_argument("--size", choices=sorted(SIZES), default="national")
    p.add_argument("--fresh", action="store_true", help="drop and rebuild the bench database")
    p.add_argument(
        "--only",
        default=",".join(SECTIONS),
        help=f"comma-separated sections among {', '.join(SECTIONS)}",
    )
    p.add_argument("--seconds", type=int, default=20, help="length of each load run")
    p.add_argument("--connections", type=int, default=10, help="concurrent clients")
    p.add_argument(
        "--workers",
        type=int,
        default=None,
        help="gunicorn workers (default: gunicorn.conf.py's, 2 × cores + 1)",
    )
    p.add_argument("--port", type=int, default=8765)
    p.add_argument("--no-write", action="store_true", help="print only; leave docs/ alone")
    return p.parse_args(argv)


def _plain(obj):
    if is_dataclass(obj):
        return asdict(obj)
    if isinstance(obj, dict):
        return {k: _plain(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [_plain(v) for v in obj]
    return obj


def main(argv=None) -> int:
    args = parse_args(argv)
    from bench.datagen import SIZES

    size = SIZES[args.size]
    only = {s.strip() for s in args.only.split(",") if s.strip()}
    # BENCH_DATABASE: a database of one's own, where several people run the bench side by side.
    url = env.ensure_database(
        os.environ.get("BENCH_DATABASE") or f"itas_bench_{size.name}", recreate=args.fresh
    )
    env.setup_django(url)
    from bench import datagen, report

    results: dict = {"machine": report.machine(), "notes": []}
    print(f"bench: size {size.name} in {url} ({results['machine']['date']})", flush=True)
    env.migrate()
    t0 = time.perf_counter()
    cycle = datagen.build(size)
    steps = datagen.step_timings()
    results["data"] = datagen.summary(cycle, steps)
    print(f"bench: data ready in {time.perf_counter() - t0:.0f} s", flush=True)
    workers = args.workers or (os.cpu_count() or 1) * 2 + 1
    redis = env.redis_url()
    extra_env = {"REDIS_URL": redis} if redis else {}
    results["notes"].append(
        "The public questionnaire's rate limits were raised for the run "
        "(ITAS_SURVEY_CODE_PER_MINUTE and ITAS_SURVEY_HASH_PER_10_MINUTES = 10⁹): every request "
        "comes from one loopback address, so the production limits would measure the limiter. "
        "They still count every request "
        + (
            "in Redis, as in production. Worker recycling (gunicorn max_requests) is off "
            "during the runs (ITAS_WEB_MAX_REQUESTS=0)."
            if redis
            else "(in-process cache: Redis was not reachable)."
        )
    )

    if "scoring" in only:
        from bench import scoring

        results["scoring"] = scoring.measure(cycle)
        print(
            f"bench: scoring {results['scoring']['compute_s']:.2f} s "
            f"(scan {results['scoring']['scan_s']:.2f} s)",
            flush=True,
        )
        published = scoring.publish(cycle)
        if published is not None:
            results["notes"].append(
                f"Publishing the results (copying every row) took {published:.1f} s."
            )

    if "improve" in only:
        from bench import improve

        results["improve"] = improve.measure(cycle)
        print(
            f"bench: path to pass for {results['improve']['agencies']} agencies "
            f"{results['improve']['paths_s']:.2f} s, early warning "
            f"{results['improve']['refresh_s']:.2f} s",
            flush=True,
        )

    from bench.server import Gunicorn

    if "reading" in only:
        from bench import reading, scoring, targets

        if not scoring.has_published(cycle):  # the pages read published results
            from itas.scoring.services import compute_scores

            compute_scores(cycle=cycle)
            scoring.publish(cycle)
        # Let the result tables settle as autovacuum would long before anyone reads them:
        # scoring just rewrote hundreds of thousands of rows.
        scoring.settle()

        with Gunicorn(url, port=args.port, workers=workers, env=extra_env) as server:
            results["pages"] = reading.pages(server.base, targets.pages(cycle), warmup=5 * workers)
        # Exports: one worker, so its memory is the export's.
        with Gunicorn(url, port=args.port, workers=1, env=extra_env, timeout=600) as server:
            pid = server.worker_pids()[0]
            paths = targets.exports(cycle)
            reading.export(server.base, paths[0], pid)  # warm-up: imports and caches
            results["exports"] = [reading.export(server.base, p, pid) for p in paths]
        for name, p in results["pages"].items():
            print(
                f"bench: {name}: p50 {p['p50_ms']:.0f} ms p95 {p['p95_ms']:.0f} ms {p['statuses']}",
                flush=True,
            )

    if "ingest" in only or "respondent" in only:
        from bench import ingest, respondent, targets

        mark = targets.response_mark()
        codes = targets.codes(cycle, 200)
        with Gunicorn(url, port=args.port, workers=workers, env=extra_env) as server:
            # The ceiling (GET /healthz) and the POST alone, then the whole respondent, on the
            # same server in the same run, so that their ratios hold under the same conditions.
            results["ingest"] = ingest.measure(
                server,
                codes,
                cycle.framework.spec,
                connections=args.connections,
                seconds=args.seconds,
                redis_url=redis,
            )
            if "respondent" in only:
                results["respondent"] = respondent.measure(
                    server,
                    codes,
                    cycle.framework.spec,
                    connections=args.connections,
                    seconds=args.seconds,
                    redis_url=redis,
                )
        targets.drop_responses_after(mark)
        i = results["ingest"]
        print(
            f"bench: ingest {i['submit'].rate:.0f}/s vs healthz {i['ceiling'].rate:.0f}/s "
            f"= {i['ratio']:.2f}",
            flush=True,
        )
        if "respondent" in only:
            r = results["respondent"]["respondent"]
            print(
                f"bench: respondent {r.rate:.1f}/s p50 {r.p50_ms:.0f} ms p99 {r.p99_ms:.0f} ms, "
                f"CPU {r.cpu}",
                flush=True,
            )

    if "kill" in only:
        from bench import client, killtest, targets

        mark = targets.response_mark()
        with Gunicorn(url, port=args.port, workers=3, env=extra_env) as server:
            forms = client.fetch_forms(server.base, targets.codes(cycle, 20), cycle.framework.spec)
            k = killtest.run(
                server, forms, cycle.framework.spec, clients=8, seconds=max(6, args.seconds // 2)
            )
        results["kill"] = k.summary()
        targets.drop_responses_after(mark)
        print(
            f"bench: kill test {'PASSED' if k.ok else 'FAILED'}: {json.dumps(k.summary())}",
            flush=True,
        )

    if "weight" in only:
        from bench import weight

        results["weight"] = weight.measure(cycle, url, port=args.port)
        results["notes"].append(
            "Public pages as Chromium loads them on a first visit (bench/weight.py; WhiteNoise "
            "with the compressed manifest storage, as bin/serve runs it):\n\n"
            + weight.table(results["weight"])
        )
        print(weight.table(results["weight"]), flush=True)

    if "credibility" in only:
        from bench import credibility

        c = credibility.bench(cycle)
        results["credibility"] = {k: v for k, v in c.items() if k != "table"}
        results["notes"].append(
            "Credibility (bench/credibility.py): the generator sent "
            f"{c['submissions']:,} questionnaires through the real form in "
            f"{c['sending_s']:.0f} s, then the re-analysis judged them:\n\n" + c["table"]
        )
        r = c["reanalysis"]
        print(
            f"bench: credibility re-analysis {r['seconds']:.1f} s for {r['responses']:,} "
            f"responses; {c['measured']['overall']}",
            flush=True,
        )

    text = report.render(size, results)
    print()
    print(text)
    out_json = env.ROOT / "var" / "bench" / f"results-{size.name}.json"
    out_json.parent.mkdir(parents=True, exist_ok=True)
    out_json.write_text(json.dumps(_plain(results), indent=1, default=str))
    if not args.no_write:
        print(f"bench: written to {report.write(size, text)}")
    kill = results.get("kill")
    return 0 if kill is None or kill["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
