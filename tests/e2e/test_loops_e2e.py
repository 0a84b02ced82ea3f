"""Issue 13 items 1–5 in a browser, at 360 px and on a desktop: the inbox, the follow-up with
reminders, what the agency sees of its review, the deliberate submission, computing and
publishing from the UI. Screenshots in var/screenshots (loops-*)."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from itas.core.models import Notification
from itas.cycles.models import Enrolment, Phase, PhaseKind
from itas.disclosure import services
from itas.disclosure.models import CheckState, Decision, LinkCheck
from itas.scoring.models import RunState, ScoringRun
from tests.disclosure.conftest import make_cycle, open_phase
from tests.e2e.conftest import login, screenshot
from tests.factories import PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def sign_in(page, live_server, user):
    page.context.clear_cookies()
    login(page, live_server, user.email, PASSWORD)  # waits for the signed-in page


def fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= 360


@pytest.fixture
def year(world):
    cycle = make_cycle(fiscal_year=2569)
    open_phase(cycle, PhaseKind.OIT_ANSWERS)
    today = timezone.localdate()
    Phase.objects.create(
        cycle=cycle,
        kind=PhaseKind.SURVEY,
        starts_on=today - dt.timedelta(days=3),
        ends_on=today + dt.timedelta(days=20),
    )
    enrolment = Enrolment.objects.create(cycle=cycle, agency=world.agency, access_code="LOOP01")
    services.open_board(None, enrolment=enrolment)
    return cycle, enrolment


def test_follow_up_reminder_reaches_the_inbox(world, live_server, year, desktop, phone):
    """Item 3 then item 4: the coordinator reminds, the agency admin reads it in the inbox."""
    cycle, enrolment = year
    sign_in(desktop, live_server, world.coordinator)
    desktop.goto(f"{live_server.url}/followup/")
    desktop.wait_for_selector("#agency-5380101")
    assert "ท่าสะอาด" in desktop.inner_text("#agency-5380101")
    screenshot(desktop, "loops-3-followup-desktop")
    desktop.once("dialog", lambda d: d.accept())
    with desktop.expect_navigation():  # the reminder is a form POST
        desktop.click("#remind-all")
    expect(desktop.locator(".alert-success")).to_be_visible()
    assert "แจ้งเตือนล่าสุดโดย" in desktop.inner_text("#agency-5380101")
    screenshot(desktop, "loops-3-followup-reminded")
    sign_in(phone, live_server, world.coordinator)
    phone.goto(f"{live_server.url}/followup/{cycle.pk}/")
    phone.wait_for_selector("#agency-5380101")
    assert fits(phone)
    screenshot(phone, "loops-3-followup-phone")

    sign_in(phone, live_server, world.agency_admin)
    phone.goto(f"{live_server.url}/")
    phone.click("text=กล่องข้อความ")  # the unread count sits beside the menu on a phone
    phone.wait_for_selector("#inbox")
    assert "แจ้งเตือนจาก" in phone.inner_text("#inbox") and fits(phone)
    screenshot(phone, "loops-4-inbox-phone")
    phone.click("#inbox form button")
    phone.wait_for_url(f"**/oit/board/{enrolment.pk}/")
    assert Notification.objects.get(user=world.agency_admin).read_at is not None
    sign_in(desktop, live_server, world.agency_admin)
    desktop.goto(f"{live_server.url}/inbox/")
    screenshot(desktop, "loops-4-inbox-desktop")


def test_submission_checklist_review_outcome_and_publication(
    world, live_server, year, desktop, phone
):
    """Items 2, 1 and 5 in the order the year runs."""
    cycle, enrolment = year
    for code in ("O1", "O2"):
        answer = enrolment.oit_items.get(code=code)
        services.save_evidence(
            world.agency_admin,
            answer=answer,
            urls=[f"https://www.5380101.go.th/oit/{code}"],
            explanation="",
        )
    LinkCheck.objects.filter(evidence__answer__code="O2").update(
        state=CheckState.DONE, reachable=False, error="สถานะ 404"
    )
    # Item 2: the officer without items, the checklist, the executive's view.
    sign_in(phone, live_server, world.officer)
    phone.goto(f"{live_server.url}/oit/board/{enrolment.pk}/")
    phone.wait_for_selector("#no-items-for-you")
    assert world.agency_admin.email in phone.inner_text("#no-items-for-you") and fits(phone)
    screenshot(phone, "loops-2-officer-no-items-phone")
    sign_in(desktop, live_server, world.agency_admin)
    desktop.goto(f"{live_server.url}/oit/board/{enrolment.pk}/")
    desktop.click("#submit-board")
    desktop.wait_for_selector("#checklist")
    assert "O2" in desktop.inner_text("#failed-links")
    screenshot(desktop, "loops-2-submit-checklist-desktop")
    desktop.click("#confirm-send")  # not ticked: the browser asks for the confirmation
    # the browser kept the form (the box is invalid), so nothing was posted
    expect(desktop.locator("#confirm-submit:invalid")).to_have_count(1)
    assert not enrolment.oit_submissions.exists()
    desktop.check("#confirm-submit")
    desktop.click("#confirm-send")
    desktop.wait_for_selector(".alert-success")
    assert enrolment.oit_submissions.count() == 1
    sign_in(phone, live_server, world.executive)
    phone.goto(f"{live_server.url}/oit/board/{enrolment.pk}/submit/check/")
    phone.wait_for_selector("#approve-note")
    assert fits(phone)
    screenshot(phone, "loops-2-executive-approval-phone")

    # Item 1: during the review the agency is told when; afterwards, what, by whom, until when.
    open_phase(cycle, PhaseKind.OIT_REVIEW)
    services.review_item(
        world.assessor,
        answer=enrolment.oit_items.get(code="O2"),
        decision=Decision.FAIL,
        recommendation="ลิงก์ไม่พบหน้า กรุณาเผยแพร่ข้อมูลผู้บริหารบนเว็บไซต์",
    )
    desktop.goto(f"{live_server.url}/oit/board/{enrolment.pk}/")
    desktop.wait_for_selector("#visible-from")
    assert "ลิงก์ไม่พบหน้า" not in desktop.inner_text("main")
    screenshot(desktop, "loops-1-board-during-review")
    open_phase(cycle, PhaseKind.CLARIFICATION)
    sign_in(phone, live_server, world.agency_admin)
    phone.goto(f"{live_server.url}/oit/board/{enrolment.pk}/")
    phone.wait_for_selector("#returned")
    assert "ลิงก์ไม่พบหน้า" in phone.inner_text("main") and fits(phone)
    screenshot(phone, "loops-1-board-returned-phone")
    o2 = enrolment.oit_items.get(code="O2")
    phone.goto(f"{live_server.url}/oit/item/{o2.pk}/")
    phone.wait_for_selector("#decided-by")
    assert phone.is_visible("#clarify-until") and fits(phone)
    screenshot(phone, "loops-1-item-outcome-phone")

    # Item 5: NACC computes from the cycle page and sees what would be published.
    sign_in(desktop, live_server, world.nacc)
    desktop.goto(f"{live_server.url}/cycles/{cycle.pk}/")
    desktop.click("#compute-and-publish")
    desktop.wait_for_selector("#publish-preview")
    desktop.click("#compute-start")
    desktop.wait_for_selector("#compute-done")
    assert ScoringRun.objects.get().state == RunState.DONE
    assert "ผล OIT ยังไม่ได้รับการยืนยัน" in desktop.inner_text("#publish-blocked")
    assert desktop.inner_text("#preview-enrolled").strip() == "1"
    screenshot(desktop, "loops-5-compute-and-publish-desktop")
    sign_in(phone, live_server, world.nacc)
    phone.goto(f"{live_server.url}/results/2569/publish/")
    phone.wait_for_selector("#compute-done")
    assert fits(phone)
    screenshot(phone, "loops-5-publish-phone")
