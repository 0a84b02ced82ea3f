"""The load test with a kill, on its own database (the short version CI runs):

    python -m bench.loadkill --database-url sqlite:////tmp/x.sqlite3 --out result.json

migrates the database, makes a small open cycle, starts gunicorn (3 workers) on a loopback
port, lets concurrent clients submit while one worker is killed with SIGKILL, retries what
failed with the same submission UUID, checks the database and writes the result (with every
acknowledged UUID) as JSON. Exit status 0 when every acknowledged submission is stored exactly
once and nothing else is."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from bench import env


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.loadkill", description=__doc__)
    p.add_argument("--database-url", required=True)
    p.add_argument("--out", type=Path, required=True)
    p.add_argument("--clients", type=int, default=8)
    p.add_argument("--seconds", type=float, default=6.0)
    p.add_argument("--workers", type=int, default=3)
    p.add_argument("--port", type=int, default=8766)
    args = p.parse_args(argv)

    env.setup_django(args.database_url)
    env.migrate()
    from bench import client, datagen, killtest, targets
    from bench.server import Gunicorn

    cycle = datagen.minimal()
    spec = cycle.framework.spec
    log = args.out.with_suffix(".gunicorn.log")
    with Gunicorn(args.database_url, port=args.port, workers=args.workers, log=log) as server:
        forms = client.fetch_forms(server.base, targets.codes(cycle, 4), spec)
        result = killtest.run(server, forms, spec, clients=args.clients, seconds=args.seconds)
    out = result.summary()
    out["acknowledged_ids"] = result.acknowledged_ids
    out["questions"] = {i: len(spec.questions_for(i)) for i in ("iit", "eit")}
    args.out.write_text(json.dumps(out, indent=1))
    print(json.dumps(result.summary()))
    return 0 if result.ok else 1


if __name__ == "__main__":
    sys.exit(main())
