"""Liveness, readiness and job heartbeats: a proxy takes a web node out only when the database
is away, never because Redis, the broker or a worker is; monitoring sees a dead worker."""

import datetime as dt
import json

import pytest
from django.db import OperationalError, connection
from django.test import Client
from django.utils import timezone

from itas.core import health
from itas.core.models import Heartbeat
from tests.private_services import free_port

pytestmark = pytest.mark.django_db


def database_down(execute, sql, params, many, context):
    raise OperationalError("server closed the connection unexpectedly")


@pytest.fixture
def production_like(settings):
    """A broker and a Redis cache configured, both unreachable (nothing listens there)."""
    port = free_port()
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{port}/0",
            "OPTIONS": {"socket_timeout": 0.3, "socket_connect_timeout": 0.3},
        }
    }
    from itas.core import cacheguard

    cacheguard.reset()
    yield
    cacheguard.reset()


def test_liveness_needs_nothing_but_the_process(client):
    with connection.execute_wrapper(database_down):
        assert client.get("/livez").status_code == 200
        ready = Client(raise_request_exception=False).get("/readyz")
    assert ready.status_code == 503
    assert json.loads(ready.content)["checks"]["database"].startswith("error")


def test_ready_with_redis_broker_and_workers_away_is_still_ready_with_warnings(
    client, production_like
):
    for path in ("/readyz", "/healthz"):
        response = client.get(path)
        assert response.status_code == 200, path
        checks = json.loads(response.content)["checks"]
        assert checks["database"] == "ok"
        assert checks["cache"].startswith("warning")
        assert checks["jobs"] == {
            "worker": "warning: no recent heartbeat",
            "beat": "warning: no recent heartbeat",
            "queue": "warning: no recent heartbeat",
        }


def test_ready_without_a_broker_says_jobs_run_in_process(client):
    body = json.loads(client.get("/readyz").content)
    assert body["checks"]["jobs"].startswith("eager")


def test_jobs_health_notices_a_worker_that_stopped_beating(client, production_like):
    assert client.get("/healthz/jobs").status_code == 503  # nothing has ever beaten
    for kind, name in (("worker", "worker:celery@a"), ("beat", "beat:a"), ("queue", "queue")):
        health.beat(kind, name)
    fresh = client.get("/healthz/jobs")
    assert fresh.status_code == 200
    assert json.loads(fresh.content)["fresh"] == {"worker": True, "beat": True, "queue": True}
    # The worker is killed: its heartbeat ages past the limit.
    Heartbeat.objects.filter(kind="worker").update(
        seen_at=timezone.now() - dt.timedelta(seconds=health.STALE_SECONDS["worker"] + 1)
    )
    stale = client.get("/healthz/jobs")
    assert stale.status_code == 503
    assert json.loads(stale.content)["fresh"]["worker"] is False
    # A second worker that still beats is enough.
    health.beat("worker", "worker:celery@b")
    assert client.get("/healthz/jobs").status_code == 200


def test_nacc_sees_the_status_page_and_others_do_not(client, world, production_like):
    health.beat("worker", "worker:celery@a")
    client.force_login(world.nacc)
    page = client.get("/system/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "worker:celery@a" in text
    assert "ไม่มีสัญญาณล่าสุด" in text  # the scheduler never beat
    client.force_login(world.agency_admin)
    assert client.get("/system/").status_code == 403
