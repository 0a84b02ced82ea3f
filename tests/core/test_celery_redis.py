"""The background path for real: a Celery worker consuming from Redis, writing to the database."""

import os
import time

import pytest

REDIS_URL = os.environ.get("ITAS_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


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
def test_task_runs_on_a_worker_through_redis(settings):
    from celery.contrib.testing.worker import start_worker

    from itas.celery import app
    from itas.core.models import OutboxMessage
    from itas.core.tasks import send_mail

    settings.EMAIL_BACKEND = "itas.core.mail.OutboxBackend"
    keys = ("broker_url", "task_always_eager")
    old = {k: app.conf.get(k) for k in keys}
    app.conf.update(
        broker_url=REDIS_URL,
        task_always_eager=False,
        broker_connection_retry_on_startup=True,
    )
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
            send_mail.delay(subject="ทดสอบผ่าน Redis", body="สวัสดี", to=["a@example.org"])
            # Wait for the worker's write rather than a result backend: the database is the
            # observable effect that matters.
            deadline = time.monotonic() + 30
            while not OutboxMessage.objects.exists() and time.monotonic() < deadline:
                time.sleep(0.1)
    finally:
        app.conf.update(old)
    message = OutboxMessage.objects.get()
    assert message.subject == "ทดสอบผ่าน Redis"
    assert message.to == ["a@example.org"]
