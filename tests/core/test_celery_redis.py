"""The background path for real: a Celery worker process consuming from Redis and writing to
PostgreSQL, as in production."""

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

REDIS_URL = os.environ.get("ITAS_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
ROOT = Path(__file__).resolve().parents[2]


def _redis_available() -> bool:
    try:
        import redis

        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping())
    except Exception:  # noqa: BLE001 - any failure means no Redis here
        return False


pytestmark = pytest.mark.skipif(
    not _redis_available(),
    reason=f"no Redis server at {REDIS_URL}; .ci/run starts one on this machine",
)


@pytest.mark.django_db(transaction=True)
def test_task_runs_on_a_worker_process_through_redis():
    from celery import Celery
    from django.db import connection

    from itas.core.models import OutboxMessage

    if connection.vendor != "postgresql":
        pytest.skip(
            "a worker process cannot reach the in-memory SQLite test database; this path runs "
            "against PostgreSQL in CI (make test-postgres)"
        )
    db = connection.settings_dict
    database_url = f"postgres://{db['USER'] or 'postgres'}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    queue = f"itas-test-{uuid.uuid4().hex[:8]}"
    env = {k: v for k, v in os.environ.items() if not k.startswith("ITAS_")}
    env.update(
        DATABASE_URL=database_url,
        CELERY_BROKER_URL=REDIS_URL,
        ITAS_EMAIL_BACKEND="itas.core.mail.OutboxBackend",
        ITAS_SECRET_KEY="celery-test-" + uuid.uuid4().hex * 2,
    )
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "itas",
            "worker",
            "--pool",
            "solo",
            "-Q",
            queue,
            "--loglevel",
            "WARNING",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        # A separate client app, as the web process would be: it only knows the broker.
        client = Celery(broker=REDIS_URL)
        client.send_task(
            "itas.core.tasks.send_mail",
            kwargs={"subject": "ทดสอบผ่าน Redis", "body": "สวัสดี", "to": ["a@example.org"]},
            queue=queue,
        )
        deadline = time.monotonic() + 60
        while (
            not OutboxMessage.objects.exists()
            and time.monotonic() < deadline
            and worker.poll() is None
        ):
            time.sleep(0.2)
    finally:
        worker.terminate()
        output = worker.communicate(timeout=30)[0]
    message = OutboxMessage.objects.filter(subject="ทดสอบผ่าน Redis").first()
    assert message is not None, f"the worker did not send the e-mail; its output:\n{output}"
    assert message.to == ["a@example.org"]
    assert message.body_text == "สวัสดี"
