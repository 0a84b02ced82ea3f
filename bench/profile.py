"""Where a respondent's server CPU goes: N complete respondents (GET the form, POST the
answers, GET the thank-you page) through Django's whole request stack (middleware, views,
templates, database, Redis when REDIS_URL is set) in this process under cProfile, after a
warm-up. Prints the top functions by cumulative time, and the share of a few areas.

    BENCH_DATABASE=itas_bench_small REDIS_URL=redis://127.0.0.1:6379/2 \\
        .venv/bin/python -m bench.profile --respondents 300

It reuses the bench database of the chosen size (built by `python -m bench`), and deletes the
responses it added."""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import random
import re
import time
import urllib.parse
import uuid

from bench import env

# Areas: a function's cumulative share, read from the profile (they overlap where one calls
# another, e.g. the thank-you page includes its own _find).
AREAS = {
    "find the enrolment (_find)": r"surveys/public\.py:\d+\(_find\)",
    "render the questionnaire": r"surveys/public\.py:\d+\(render_questionnaire\)",
    "thank-you page (thanks view)": r"surveys/public\.py:\d+\(thanks\)",
    "store the response (submit_response)": r"surveys/services\.py:\d+\(submit_response\)",
    "rate limits (their one Redis call each)": r"surveys/limits\.py:\d+\(count\)",
    "burst note (note_for_burst)": r"surveys/flags\.py:\d+\(note_for_burst\)",
    "parse the answers (questionnaire.parse)": r"surveys/questionnaire\.py:\d+\(parse\)",
    "database (execute)": r"django/db/backends/utils\.py:\d+\(execute\)",
    "template rendering (backend render)": r"django/template/backends/django\.py:\d+\(render\)",
}


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.profile", description=__doc__)
    p.add_argument("--size", default="small")
    p.add_argument("--respondents", type=int, default=300)
    p.add_argument("--top", type=int, default=25)
    p.add_argument("--out", default="", help="also write the raw profile here (pstats)")
    args = p.parse_args(argv)
    url = env.database_url(os.environ.get("BENCH_DATABASE") or f"itas_bench_{args.size}")
    env.setup_django(url)
    from django.conf import settings
    from django.test import Client

    from bench import client as bench_client
    from bench import targets
    from itas.cycles.models import Cycle

    settings.ALLOWED_HOSTS = ["*"]
    cycle = Cycle.objects.filter(status="open").order_by("-pk").first()
    spec = cycle.framework.spec
    codes = targets.codes(cycle, 100)
    rng = random.Random(5)
    bodies = {i: bench_client.answers(spec, i, rng) for i in ("iit", "eit")}
    started_re = re.compile(r'name="started"\s+value="([^"]+)"')
    c = Client(REMOTE_ADDR="127.0.0.1", HTTP_USER_AGENT="itas-profile")
    mark = targets.response_mark()

    def respondent():
        code = rng.choice(codes)
        instrument = "iit" if rng.random() < 1 / 3 else "eit"
        path = f"/go/{instrument}/{code}"
        r = c.get(path)
        assert r.status_code == 200, r.status_code
        m = started_re.search(r.content.decode())
        data = {**bodies[instrument], "started": m.group(1), "submission_id": str(uuid.uuid4())}
        r = c.post(path, urllib.parse.urlencode(data), "application/x-www-form-urlencoded")
        assert r.status_code == 302, r.status_code
        r = c.get(urllib.parse.urlsplit(r["Location"]).path)
        assert r.status_code == 200, r.status_code

    try:
        for _ in range(20):
            respondent()
        prof = cProfile.Profile(time.process_time)  # CPU, not waiting on the database
        t0 = time.process_time()
        prof.enable()
        for _ in range(args.respondents):
            respondent()
        prof.disable()
        spent = time.process_time() - t0
    finally:
        targets.drop_responses_after(mark)
    print(
        f"{args.respondents} respondents, {1000 * spent / args.respondents:.1f} ms of this "
        f"process's CPU per respondent under the profiler (web side only: the database's and "
        f"Redis's own CPU are not in it)"
    )
    if args.out:
        prof.dump_stats(args.out)
    stats = pstats.Stats(prof)
    total = stats.total_tt
    print(f"\nAreas (cumulative share of {total:.2f} s profiled):")
    for name, pattern in AREAS.items():
        rx = re.compile(pattern)
        cum = sum(
            v[3]
            for (file, line, fn), v in stats.stats.items()  # type: ignore[attr-defined]
            if rx.search(f"{file}:{line}({fn})")
        )
        print(f"  {100 * cum / total:5.1f} %  {name}")
    out = io.StringIO()
    pstats.Stats(prof, stream=out).sort_stats("cumulative").print_stats(args.top)
    print(out.getvalue())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
