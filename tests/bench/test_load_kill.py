"""The load test, short version: concurrent clients submit complete questionnaires to gunicorn
(3 workers) on a real database while one worker is killed with SIGKILL mid-run; clients retry
what failed with the same submission UUID. Afterwards every acknowledged submission is stored
exactly once with all its answer rows, and nothing else is stored.

Runs on PostgreSQL (a database of its own on the server of DATABASE_URL) when DATABASE_URL
points at one, else on a temporary SQLite file in WAL mode. `make bench` runs the same test on
the national cycle."""

import json
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def database(tmp_path):
    """(url, query function) for a fresh database the test alone uses."""
    server_url = os.environ.get("DATABASE_URL", "")
    if server_url.startswith("postgres"):
        psycopg = pytest.importorskip("psycopg")
        server = server_url.rsplit("/", 1)[0]
        name = f"itas_loadkill_{uuid.uuid4().hex[:8]}"
        try:
            with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
                conn.execute(f'CREATE DATABASE "{name}"')
        except psycopg.OperationalError as exc:
            pytest.skip(f"PostgreSQL server not reachable: {exc}")

        def query(sql, params=()):
            with psycopg.connect(f"{server}/{name}") as conn:
                return conn.execute(sql.replace("?", "%s"), params).fetchall()

        yield f"{server}/{name}", query
        with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
            conn.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", [name]
            )
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
    else:
        path = tmp_path / "loadkill.sqlite3"

        def query(sql, params=()):
            conn = sqlite3.connect(path)
            try:
                return conn.execute(sql, params).fetchall()
            finally:
                conn.close()

        yield f"sqlite:///{path}", query


def test_every_acknowledged_submission_is_stored_once_despite_a_killed_worker(database, tmp_path):
    if not (VENV_BIN / "gunicorn").exists() and not shutil.which("gunicorn"):
        pytest.skip("gunicorn is not installed")
    from django.urls import NoReverseMatch, reverse

    try:
        reverse("surveys:go", kwargs={"instrument": "iit", "code": "ACDEFG"})
    except NoReverseMatch:
        pytest.skip("the public questionnaire (/go/iit/<code>) is not there yet")
    url, query = database
    out = tmp_path / "result.json"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "ITAS_"))}
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "bench.loadkill",
            "--database-url",
            url,
            "--out",
            str(out),
            "--port",
            str(_free_port()),
            "--clients",
            "8",
            "--seconds",
            "6",
            "--workers",
            "3",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=170,
    )
    assert out.exists(), proc.stdout + proc.stderr
    result = json.loads(out.read_text())
    summary = {k: v for k, v in result.items() if k != "acknowledged_ids"}

    # The kill really happened mid-run, and gunicorn replaced the worker.
    assert result["killed_pid"] is not None, summary
    assert 1 <= result["kills"] <= 3, summary
    assert 0 < result["killed_at_s"] < result["seconds"], summary
    assert result["workers_after"] == 3, summary
    assert result["attempts"] > 20, summary
    # A request was cut off: the bench kills a worker that is serving one (and another if that
    # worker had already written its answer).
    assert result["failed_first_try"] >= 1, summary

    # Checked here, in the database itself, not from the bench's own bookkeeping.
    acknowledged = set(result["acknowledged_ids"])
    assert len(acknowledged) == result["attempts"]  # every submission acknowledged after retries
    rows = query("SELECT submission_id, instrument, id FROM surveys_response")
    stored = [str(uuid.UUID(str(sid))) for sid, _i, _id in rows]
    assert len(stored) == len(set(stored)), "a submission was stored twice"
    assert set(stored) == acknowledged, "stored ≠ acknowledged"
    answers = dict(query("SELECT response_id, count(*) FROM surveys_answer GROUP BY response_id"))
    for _sid, instrument, rid in rows:
        assert answers.get(rid) == result["questions"][instrument], "a submission is incomplete"
    assert proc.returncode == 0, proc.stdout + proc.stderr
