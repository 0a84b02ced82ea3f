"""The practice round in a browser: NACC opens it; on a phone the agency admin finds the
practice links on the home page, opens the practice questionnaire and the OIT board, each
marked ทดลองใช้; NACC scores the practice round and the agency reads its practice scorecard.
Screenshots in var/screenshots/practice-*.png."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.utils import timezone
from playwright.sync_api import expect

from itas.cycles.models import Cycle, Phase, PhaseKind
from tests.e2e.conftest import login, screenshot
from tests.factories import PASSWORD
from tests.scoring.builders import all_questions, decide, enrol, make_cycle, respond

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_nacc_opens_a_practice_round_and_an_agency_tries_it_on_a_phone(
    world, live_server, phone, desktop
):
    cache.clear()
    cycle = make_cycle(fiscal_year=2570)
    today = timezone.localdate()
    for kind in (PhaseKind.SURVEY, PhaseKind.OIT_ANSWERS):
        Phase.objects.create(
            cycle=cycle,
            kind=kind,
            starts_on=today + dt.timedelta(days=30),
            ends_on=today + dt.timedelta(days=60),
        )
    enrol(cycle, world.agency)

    login(desktop, live_server, world.nacc.email, PASSWORD)
    desktop.goto(f"{live_server.url}/cycles/{cycle.pk}/")
    with desktop.expect_navigation():  # a form POST, then the practice cycle's page
        desktop.click("#practice-open button")
    desktop.wait_for_selector(".practice-banner")
    screenshot(desktop, "practice-01-desktop-practice-cycle")
    practice = Cycle.objects.practice().get()
    enrolment = practice.enrolments.get(agency=world.agency)

    login(phone, live_server, world.agency_admin.email, PASSWORD)
    assert "ทดลองใช้" in phone.inner_text(".practice-panel")
    screenshot(phone, "practice-02-phone-home-panel")
    with phone.expect_navigation():
        phone.click(".practice-panel a >> nth=0")
    phone.wait_for_selector(".practice-banner")
    screenshot(phone, "practice-03-phone-practice-links")
    phone.goto(f"{live_server.url}/go/iit/{enrolment.access_code}")
    assert "ทดลองใช้" in phone.inner_text(".practice-banner")
    screenshot(phone, "practice-04-phone-practice-questionnaire")
    phone.goto(f"{live_server.url}/")
    with phone.expect_navigation():
        phone.click(".practice-panel a >> nth=1")
    phone.wait_for_selector(".practice-banner")
    screenshot(phone, "practice-05-phone-practice-oit-board")

    # NACC scores the practice round from its page; the agency reads its practice scorecard,
    # marked ทดลองใช้, on the phone and on a notebook.
    respond(enrolment, "iit", all_questions(practice, "IIT", 80))
    respond(enrolment, "eit", all_questions(practice, "EIT", 90))
    decide(enrolment, failed={"O10", "O36"})
    desktop.goto(f"{live_server.url}/cycles/{practice.pk}/")
    desktop.click("#practice-scores")
    desktop.wait_for_selector("#practice-compute")
    desktop.click("#practice-compute button")
    desktop.wait_for_selector("#compute-done")
    expect(desktop.locator("#practice-scores")).to_contain_text(world.agency.name)
    screenshot(desktop, "practice-06-desktop-practice-scores")

    phone.goto(f"{live_server.url}/")
    phone.click(".practice-score-panel a")
    phone.wait_for_selector("#practice-score-note")
    assert "ทดลองใช้" in phone.inner_text(".practice-banner")
    assert "ทดลองใช้" in phone.inner_text("#practice-score-note")
    expect(phone.locator("#total")).not_to_have_text("–")
    screenshot(phone, "practice-07-phone-practice-scorecard")
    desktop.goto(phone.url)
    desktop.wait_for_selector("#practice-score-note")
    screenshot(desktop, "practice-08-desktop-practice-scorecard")
