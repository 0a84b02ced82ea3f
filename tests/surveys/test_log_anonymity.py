"""Requests to the public questionnaire leave no access code, address, browser or time finer
than the hour in any log: gunicorn's access and error logs (production configuration), the
development server of `make demo`, and Celery's worker logging. Real servers are started on
the test database and driven over HTTP; their log output is read back."""

import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

import pytest
from django.db import connection

from itas.surveys.models import Response
from tests.surveys.conftest import answers_for, varied

ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent
UA = "Mozilla/5.0 (Linux; Android 14; SM-A546E) LogProbe/" + uuid.uuid4().hex[:8]
IP = "203.0.113.201"
# A time to the minute or second anywhere in a log line: 10:37, 10:37:12, 10:37:12,345
FINE_TIME = re.compile(r"\b\d{2}:(?!00(?::00)?\b)\d{2}(?::\d{2})?\b|\b\d{2}:00:(?!00\b)\d{2}\b")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _database_url() -> str:
    conf = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{conf['NAME']}"
    host = conf.get("HOST") or "127.0.0.1"
    port = conf.get("PORT") or 5432
    return f"postgres://{conf.get('USER') or 'postgres'}@{host}:{port}/{conf['NAME']}"


def _env(**extra) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ITAS_", "DJANGO_"))}
    env.pop("CELERY_BROKER_URL", None)
    env.update(
        DATABASE_URL=_database_url(),
        ITAS_LOG_LEVEL="INFO",
        ITAS_ALLOWED_HOSTS="127.0.0.1",
        ITAS_PROXY_COUNT="1",
        ITAS_AXES_ENABLED="0",
        ITAS_SECRET_KEY="log-test-" + "x" * 50,
        **extra,
    )
    return env


def _wait_for(port: int, proc: subprocess.Popen, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"the server stopped (exit {proc.returncode})")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise AssertionError("the server did not start")


def _drive(base: str, enrolment) -> int:
    """A respondent's visit: type the code, open the form, submit, see the thanks page; and a
    mistyped code. Returns how many requests were made."""
    code = enrolment.access_code
    headers = {"User-Agent": UA, "X-Forwarded-For": IP}
    body = answers_for(enrolment.cycle.framework.spec, "eit", varied)
    body["submission_id"] = str(uuid.uuid4())
    requests = [
        ("GET", f"/go/eit/?code={code}", None),
        ("GET", f"/go/eit/{code}", None),
        ("POST", f"/go/eit/{code}", urllib.parse.urlencode(body).encode()),
        ("GET", f"/go/eit/{code}/thanks", None),
        ("GET", "/go/eit/ZZZZZZ", None),
    ]
    opener = urllib.request.build_opener(_NoRedirect)
    for method, path, data in requests:
        request = urllib.request.Request(base + path, data=data, method=method, headers=headers)
        try:
            opener.open(request, timeout=60).read()
        except urllib.error.HTTPError as exc:
            assert exc.code in (302, 404), (path, exc.code)
    return len(requests)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _assert_anonymous(log: str, code: str) -> None:
    assert log.strip(), "nothing was logged: the test would prove nothing"
    for secret in (code, UA, "LogProbe", IP, "Android"):
        assert secret not in log, f"{secret!r} is in the log"
    for line in log.splitlines():
        if "/go/" in line:
            assert not FINE_TIME.search(line), line


def _stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


@pytest.fixture
def open_enrolment(world, framework):
    from tests.cycles.helpers import make_cycle

    cycle = make_cycle(world.nacc, framework=framework, fiscal_year=framework.fiscal_year)
    return cycle.enrolments.select_related("cycle__framework").get(agency=world.agency)


@pytest.mark.django_db(transaction=True)
def test_gunicorn_logs_of_questionnaire_requests_hold_no_code_device_or_minute(
    open_enrolment, tmp_path
):
    if not (VENV_BIN / "gunicorn").exists():
        pytest.skip("gunicorn is not installed in this environment")
    port = _free_port()
    access, errors = tmp_path / "access.log", tmp_path / "error.log"
    proc = subprocess.Popen(
        [
            str(VENV_BIN / "gunicorn"),
            "itas.wsgi:application",
            "-c",
            "gunicorn.conf.py",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
            "--access-logfile",
            str(access),
            "--error-logfile",
            str(errors),
        ],
        cwd=ROOT,
        env=_env(ITAS_WEB_PRELOAD="0"),
        stdout=subprocess.DEVNULL,
        stderr=(tmp_path / "stderr.log").open("w"),
    )
    try:
        _wait_for(port, proc)
        made = _drive(f"http://127.0.0.1:{port}", open_enrolment)
        # A page that is not the questionnaire keeps its full line (the redaction is targeted).
        urllib.request.urlopen(
            urllib.request.Request(f"http://127.0.0.1:{port}/healthz", headers={"User-Agent": UA}),
            timeout=60,
        ).read()
    finally:
        _stop(proc)
    assert Response.objects.filter(enrolment=open_enrolment).count() == 1
    access_log = access.read_text()
    public = [line for line in access_log.splitlines() if "/go/" in line]
    assert len(public) == made, access_log
    assert all('"path":"/go/eit/[code]"' in line for line in public), public
    assert all(":00:00 " in line for line in public), public
    other = [line for line in access_log.splitlines() if "/healthz" in line]
    assert other and UA in other[0]  # proves the agent would be logged if not redacted
    _assert_anonymous(
        "\n".join([*public, errors.read_text(), (tmp_path / "stderr.log").read_text()]),
        open_enrolment.access_code,
    )
    # Django's own warning about the mistyped code went through the filter, not around it.
    django_lines = errors.read_text() + (tmp_path / "stderr.log").read_text()
    assert "Not Found: /go/eit/[code]" in django_lines


@pytest.mark.django_db(transaction=True)
def test_the_demo_server_logs_questionnaire_requests_without_code_device_or_minute(
    open_enrolment, tmp_path
):
    port = _free_port()
    output = tmp_path / "runserver.log"
    proc = subprocess.Popen(
        [sys.executable, "-m", "itas.manage", "runserver", "--noreload", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=_env(ITAS_DEBUG="1", ITAS_DEMO="1"),
        stdout=output.open("w"),
        stderr=subprocess.STDOUT,
    )
    try:
        _wait_for(port, proc)
        made = _drive(f"http://127.0.0.1:{port}", open_enrolment)
    finally:
        _stop(proc)
    log = output.read_text()
    request_lines = [line for line in log.splitlines() if "/go/eit/[code]" in line]
    assert len(request_lines) >= made, log
    _assert_anonymous(log, open_enrolment.access_code)


def test_celery_worker_logging_redacts_questionnaire_paths(tmp_path):
    """Celery sets up its own handlers in a worker; the filter is attached to them too."""
    logfile = tmp_path / "celery.log"
    script = (
        "import logging, django; django.setup()\n"
        "from celery import signals\n"
        "from itas.celery import app\n"
        f"app.log.setup(loglevel='INFO', logfile={str(logfile)!r})\n"
        "logging.getLogger('celery.task').warning('answers posted to /go/eit/QWE234/thanks?a=1')\n"
        "logging.getLogger('celery.task').warning('a line about something else')\n"
    )
    env = _env(DJANGO_SETTINGS_MODULE="itas.settings")
    env["DATABASE_URL"] = "sqlite:///" + str(tmp_path / "unused.sqlite3")
    proc = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stderr
    log = logfile.read_text()
    assert "a line about something else" in log
    assert "/go/eit/[code]" in log
    assert "QWE234" not in log and "a=1" not in log
    for line in log.splitlines():
        if "/go/" in line:
            assert not FINE_TIME.search(line), line
