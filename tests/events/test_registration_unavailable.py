"""The public registration page with the database down: the respondents' failure page (503,
Thai, no cookie) that keeps what was typed and sends it again, not the staff error page."""

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from tests.surveys.test_respondent_unavailable import (
    assert_respondent_failure_page,
    database_down,
    hidden_fields,
)

pytestmark = pytest.mark.django_db


def test_event_registration_with_the_database_down_gets_the_respondent_page(webinar):
    browser = Client(raise_request_exception=False)
    url = reverse("events:register", args=[webinar.public_code])
    sent = {"agency": "x", "full_name": "นายสมชาย ใจดี", "email": "s@example.org"}
    with connection.execute_wrapper(database_down):
        page = browser.post(url, sent)
    assert_respondent_failure_page(page)
    assert ("full_name", "นายสมชาย ใจดี") in hidden_fields(page)
