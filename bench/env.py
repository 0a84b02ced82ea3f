"""The benchmark's own PostgreSQL database, and Django set up against it.

The bench never touches the development or test databases: it works in `itas_bench_<size>`
(created here when missing) on the server of BENCH_DATABASE_SERVER."""

from __future__ import annotations

import os
import secrets
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
SERVER = os.environ.get("BENCH_DATABASE_SERVER", "postgres://postgres@127.0.0.1:5432")

# Settings for every process the bench starts (in-process Django and gunicorn alike).
# The public questionnaire's abuse limits are turned off so that the load, which comes from one
# address, measures the stack and not the limiter; the bench says so in its table.
BENCH_ENV = {
    # A production-mode server refuses the public development key; one key per bench run.
    "ITAS_SECRET_KEY": secrets.token_urlsafe(50),
    "ITAS_DEBUG": "0",
    "ITAS_DEMO": "0",
    "ITAS_SECURE_COOKIES": "0",
    "ITAS_AXES_ENABLED": "0",
    "ITAS_SURVEY_CLIENT_PER_MINUTE": "1000000000",
    "ITAS_SURVEY_IP_PER_MINUTE": "1000000000",
    "ITAS_SURVEY_CODE_PER_MINUTE": "1000000000",
    "ITAS_SURVEY_HASH_PER_10_MINUTES": "1000000000",
    "ITAS_LOG_LEVEL": "WARNING",
    "CELERY_BROKER_URL": "",
    "ITAS_ALLOWED_HOSTS": "127.0.0.1,localhost",
    # No worker recycling during a measurement: at a thousand requests a second gunicorn would
    # restart each worker every few seconds (max_requests 5000), and the rebooting workers
    # would both lower the ceiling and hide their CPU time from the per-request figures.
    "ITAS_WEB_MAX_REQUESTS": "0",
}


def database_url(name: str) -> str:
    return f"{SERVER}/{name}"


def ensure_database(name: str, *, recreate: bool = False) -> str:
    """Create the database `name` on the bench server (dropping it first if asked)."""
    import psycopg

    with psycopg.connect(database_url("postgres"), autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and recreate:
            conn.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s",
                [name],
            )
            conn.execute(f'DROP DATABASE "{name}"')
            exists = None
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')
    return database_url(name)


def setup_django(url: str) -> None:
    """Point this process at `url` and start Django (once)."""
    os.environ.update(BENCH_ENV)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "itas.settings")
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def migrate() -> None:
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def child_env(url: str, **extra: str) -> dict[str, str]:
    """The environment for a gunicorn or management-command child process."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(BENCH_ENV)
    env["DATABASE_URL"] = url
    env.update(extra)
    return env


def redis_url() -> str:
    """A Redis database of its own for the bench's cache (rate-limit counters), when Redis
    answers on loopback; empty otherwise."""
    url = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/7")
    try:
        import redis

        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except Exception:  # noqa: BLE001 - any failure: no Redis
        return ""
    return url
