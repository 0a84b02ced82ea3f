"""When the server fails under a respondent (here: every database query fails, as when
PostgreSQL is stopped), the public pages answer with a Thai 503 that keeps what was sent and
sends it again by itself; once the database is back, the resent form is stored exactly once."""

import html
import re
import uuid

import pytest
from django.db import OperationalError, connection
from django.test import Client
from django.urls import reverse

from itas.core.unavailable import MAX_PAUSE, RESEND_LIMIT
from itas.surveys.models import Response
from tests.surveys.conftest import answers_for, varied

pytestmark = pytest.mark.django_db


def database_down(execute, sql, params, many, context):
    raise OperationalError("server closed the connection unexpectedly")


@pytest.fixture
def browser():
    return Client(raise_request_exception=False)


def hidden_fields(page) -> list[tuple[str, str]]:
    text = page.content.decode()
    return [
        (html.unescape(n), html.unescape(v))
        for n, v in re.findall(r'<input type="hidden" name="([^"]*)" value="([^"]*)">', text)
    ]


def assert_respondent_failure_page(page):
    assert page.status_code == 503
    assert 0 < int(page["Retry-After"]) <= MAX_PAUSE
    assert page["Cache-Control"] == "no-store"
    assert not page.cookies, f"the failure page set cookies: {list(page.cookies)}"
    text = page.content.decode()
    assert "เก็บไว้ในเครื่องนี้" in text or "เก็บอยู่ในเครื่องนี้" in text
    assert "เข้าสู่ระบบ" not in text and "csrftoken" not in text  # not the staff error page
    assert 'src="/static/core/resend.js"' in text


def test_questionnaire_send_with_the_database_down_is_kept_and_resent_once_it_is_back(
    browser, enrolment
):
    url = reverse("surveys:go", args=["eit", enrolment.access_code])
    sent = answers_for(enrolment.cycle.framework.spec, "eit", varied)
    sent["submission_id"] = str(uuid.uuid4())
    with connection.execute_wrapper(database_down):
        page = browser.post(url, sent)
    assert_respondent_failure_page(page)
    assert "ยังส่งไม่สำเร็จ" in page.content.decode()
    form = hidden_fields(page)
    assert ("submission_id", sent["submission_id"]) in form
    assert ("_resend", "1") in form
    assert {k: v for k, v in form if k != "_resend"} == sent  # every answer, unchanged

    # The page resends by itself (resend.js); twice, as a flaky network might.
    for _ in range(2):
        resent = browser.post(url, dict(form))
        assert resent.status_code == 302
        assert resent["Location"].endswith("/thanks")
    stored = Response.objects.get(submission_id=sent["submission_id"])
    assert stored.answers.count() == len(enrolment.cycle.framework.spec.questions_for("eit"))


def test_the_automatic_resending_backs_off_and_stops_after_a_bound(browser, enrolment):
    url = reverse("surveys:go", args=["iit", enrolment.access_code])
    pauses = []
    data = {"submission_id": str(uuid.uuid4())}
    with connection.execute_wrapper(database_down):
        for attempt in range(RESEND_LIMIT + 2):
            page = browser.post(url, {**data, "_resend": str(attempt)})
            assert page.status_code == 503
            pauses.append(int(page["Retry-After"]))
            gives_up = 'data-give-up="1"' in page.content.decode()
            assert gives_up == (attempt >= RESEND_LIMIT)
    assert pauses == sorted(pauses) and pauses[0] < pauses[-1] <= MAX_PAUSE
    assert "ส่งอีกครั้ง" in page.content.decode()  # the button still works


def test_opening_the_questionnaire_with_the_database_down_gets_the_same_page(browser, enrolment):
    url = reverse("surveys:go", args=["iit", enrolment.access_code])
    with connection.execute_wrapper(database_down):
        page = browser.get(url)
    assert_respondent_failure_page(page)
    assert 'method="get"' in page.content.decode()


def test_staff_pages_keep_the_staff_error_page(browser, world):
    browser.force_login(world.nacc)
    with connection.execute_wrapper(database_down):
        page = browser.get("/oit/")
    assert page.status_code == 500
    assert "resend.js" not in page.content.decode()
