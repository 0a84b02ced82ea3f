"""Hardening of the running system: no server starts on the public development key outside
demo/debug, sign-ins last a working day (less for NACC staff), and gunicorn opens no control
socket shared with every other instance on the host."""

import os
import runpy
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from tests.factories import PASSWORD

ROOT = Path(__file__).resolve().parents[2]


def _start_wsgi(**extra):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ITAS_", "DJANGO_"))}
    env.update({"ITAS_DEBUG": "0", "ITAS_DEMO": "0", **extra})
    return subprocess.run(
        [sys.executable, "-c", "import itas.wsgi"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_web_server_refuses_to_start_without_a_secret_key_in_production():
    refused = _start_wsgi()
    assert refused.returncode != 0
    assert "ITAS_SECRET_KEY is not set" in refused.stderr


@pytest.mark.parametrize(
    "extra",
    [{"ITAS_SECRET_KEY": "a-real-secret-" + "q" * 40}, {"ITAS_DEMO": "1"}, {"ITAS_DEBUG": "1"}],
)
def test_it_starts_with_a_key_or_in_demo_or_debug(extra):
    started = _start_wsgi(**extra)
    assert started.returncode == 0, started.stderr


def test_the_celery_worker_refuses_too(settings):
    from django.core.exceptions import ImproperlyConfigured

    from itas.celery import _refuse_insecure_start

    settings.DEBUG = settings.DEMO_MODE = False
    settings.SECRET_KEY_FROM_ENVIRONMENT = False
    with pytest.raises(ImproperlyConfigured):
        _refuse_insecure_start()
    settings.SECRET_KEY_FROM_ENVIRONMENT = True
    _refuse_insecure_start()


@pytest.mark.django_db
@pytest.mark.parametrize(("who", "hours"), [("nacc", 2), ("agency_admin", 8), ("assessor", 8)])
def test_a_sign_in_lasts_a_working_day_and_less_for_nacc_staff(client, world, who, hours):
    user = getattr(world, who)
    response = client.post(
        reverse("accounts:login"), {"username": user.email, "password": PASSWORD}
    )
    assert response.status_code == 302
    assert client.session.get_expiry_age() == hours * 3600
    cookie = response.cookies["sessionid"]
    assert int(cookie["max-age"]) == hours * 3600


def test_gunicorn_opens_no_shared_control_socket(monkeypatch):
    monkeypatch.delenv("ITAS_WEB_CONTROL_SOCKET", raising=False)
    conf = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    assert conf["control_socket_disable"] is True
    monkeypatch.setenv("ITAS_WEB_CONTROL_SOCKET", "/run/itas/web-1.ctl")
    conf = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    assert conf["control_socket_disable"] is False
    assert conf["control_socket"] == "/run/itas/web-1.ctl"
