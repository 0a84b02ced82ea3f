"""The database fails as a respondent on a phone presses Send: the Thai failure page says the
answers are kept, and once the database is back it sends them by itself (the same submission
id), ending on the thank-you page with the answer stored once."""

import threading

import pytest
from django.core.signals import request_started
from django.db import OperationalError, connection

from itas.cycles.qr import public_url
from itas.frameworks.services import load_shipped_framework
from itas.surveys.models import Response
from tests.cycles.helpers import make_cycle
from tests.e2e.conftest import screenshot
from tests.e2e.test_questionnaire_e2e import answer_active_step

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def database_down(execute, sql, params, many, context):
    raise OperationalError("server closed the connection unexpectedly")


DOWN = threading.Event()


def fault_in_the_server_thread(sender, **kwargs):
    """Every query of the live server's requests fails while DOWN is set (its thread has its
    own database connection, so the fault is put there, request by request)."""
    wrappers = connection.execute_wrappers
    if DOWN.is_set() and database_down not in wrappers:
        wrappers.append(database_down)
    elif not DOWN.is_set() and database_down in wrappers:
        wrappers.remove(database_down)


def test_phone_send_while_the_database_is_down_resends_itself_when_it_is_back(
    world, live_server, settings, phone
):
    settings.PUBLIC_BASE_URL = live_server.url
    framework = load_shipped_framework()
    cycle = make_cycle(world.nacc, framework=framework, fiscal_year=framework.fiscal_year)
    enrolment = cycle.enrolments.get(agency=world.agency)
    phone.goto(public_url(enrolment, "eit"))
    for _ in range(3):
        answer_active_step(phone)
        if phone.locator(".survey-step.active .step-submit").is_visible():
            break
        phone.click(".survey-step.active .step-next")

    cookies_before = phone.context.cookies()  # (the browser's own /favicon.ico 404 may set one)
    request_started.connect(fault_in_the_server_thread)
    DOWN.set()
    try:
        phone.click(".survey-step.active .step-submit")
        phone.wait_for_selector("#resend-form")
        assert "ยังส่งไม่สำเร็จ" in phone.locator("h1").inner_text()
        assert "เก็บไว้ในเครื่องนี้" in phone.content()
        assert phone.evaluate("document.documentElement.scrollWidth") <= 360
        assert phone.context.cookies() == cookies_before  # the failure page set none
        screenshot(phone, "unavailable-01-answers-kept")
        assert Response.objects.count() == 0
    finally:
        DOWN.clear()

    phone.wait_for_url("**/thanks", timeout=60_000)  # the page's own resend, no tap
    assert "ขอบคุณ" in phone.locator("h1").inner_text()
    screenshot(phone, "unavailable-02-resent-thanks")
    assert Response.objects.count() == 1
    assert Response.objects.get().answers.count() == 15
    request_started.disconnect(fault_in_the_server_thread)
