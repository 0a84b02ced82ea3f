"""The fault scenario of the bench, short (2 s per fault), on a stack of its own: a private
PostgreSQL cluster and a private Redis started by bench.faults in a temporary directory (never
the machine's shared services), gunicorn and a supervised Celery worker. Redis stopped and
paused refuse no answer; PostgreSQL stopped or killed refuses with the respondents' 503 page and
every answer is stored once after the browser's resend; link checks queued during any fault are
all done in the end."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PG_BIN = Path(os.environ.get("BENCH_PG_BIN", "/usr/lib/postgresql/15/bin"))


def _missing() -> str:
    if not shutil.which("redis-server"):
        return "redis-server is not installed (Debian: redis-server)"
    if not (PG_BIN / "initdb").exists():
        return f"PostgreSQL server binaries not found in {PG_BIN} (set BENCH_PG_BIN)"
    if os.geteuid() == 0 and not shutil.which("runuser"):
        return "running as root without runuser: initdb cannot run as root"
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        return "runs once, in the PostgreSQL pass of CI (make test-postgres), not twice"
    return ""


@pytest.mark.slow
@pytest.mark.skipif(bool(_missing()), reason=_missing() or "-")
def test_answers_survive_every_fault_and_no_background_job_strands(tmp_path):
    out = tmp_path / "faults.json"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "ITAS_"))}
    env.pop("DATABASE_URL", None)
    proc = subprocess.run(
        [sys.executable, "-m", "bench.faults", "--hold", "2", "--clients", "4", "--workers", "2",
         "--out", str(out)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert out.exists(), proc.stdout[-3000:] + proc.stderr[-3000:]
    result = json.loads(out.read_text())
    faults = {r["fault"]: r for r in result["faults"]}
    assert len(faults) == 5
    for name, r in faults.items():
        assert r["attempts"] > 0, name
        assert r["stored"] == r["acknowledged"] == r["attempts"], (name, r)
        assert r["missing"] == r["duplicated"] == r["partial"] == 0, (name, r)
        assert r["recovery_s"] is not None, (name, r)
        assert r["checks_queued"] > 0 and r["checks_done"] == r["checks_queued"], (name, r)
        assert set(r["statuses"]) <= {"302", "503"}, (name, r)  # never a 500
    for name in ("Redis stopped", "Redis paused (SIGSTOP)", "Celery worker kill -9"):
        assert faults[name]["refused_during_fault"] == 0, faults[name]
    assert result["checks_stranded"] == 0
    assert result["worker_starts"] >= 2  # the killed worker came back (supervised)
    assert proc.returncode == 0, proc.stdout[-3000:]
