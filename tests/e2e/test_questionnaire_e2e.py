"""The questionnaire on a 360 px phone: open the link the QR code carries, answer, lose the
connection mid-way, reload, finish; and NACC's page showing a flagged burst."""

import uuid

import pytest
from playwright.sync_api import expect

from itas.cycles.qr import public_url
from itas.frameworks.services import load_shipped_framework
from itas.surveys.models import Response
from tests.cycles.helpers import make_cycle
from tests.e2e.conftest import login, screenshot
from tests.factories import PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def answer_active_step(page, upto=None):
    """Tap one choice in every sub-item of the visible step (the second-best, so not a straight
    line), or only in the first `upto` sub-items."""
    subitems = page.locator(".survey-step.active .subitem")
    count = subitems.count()
    for i in range(count if upto is None else min(upto, count)):
        labels = subitems.nth(i).locator("label.choice-label")
        labels.nth(max(0, labels.count() - 1 - (i % 2))).click()
    return count


def checked_in_active_step(page):
    """The ticked choices of the visible step, as a locator to wait on with expect()."""
    return page.locator(".survey-step.active input[type=radio]:checked")


def test_phone_journey_survives_a_lost_connection_then_nacc_sees_a_burst(
    world, live_server, settings, phone, desktop
):
    """One test (the live server's database is emptied between tests, geography included)."""
    settings.PUBLIC_BASE_URL = live_server.url
    framework = load_shipped_framework()
    cycle = make_cycle(world.nacc, framework=framework, fiscal_year=framework.fiscal_year)
    enrolment = cycle.enrolments.get(agency=world.agency)
    steps = len(framework.spec.indicators_for("EIT"))

    url = public_url(enrolment, "eit")  # exactly what the QR code carries
    phone.goto(url)
    assert phone.locator(".survey-step.active").count() == 1
    assert "ส่วนที่ 1 จาก 3" in phone.locator("#step-label").inner_text()
    # readable at 360 px: nothing wider than the screen
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(phone, "questionnaire-01-start")

    # Next without answering: the page asks, in Thai, at the question
    phone.click(".survey-step.active .step-next")
    expect(phone.locator(".survey-step.active .question.is-invalid").first).to_be_visible()
    # ... and says so where the keyboard is: focus on the first unanswered question's first
    # choice, whose group is marked invalid and described by the Thai message
    focused = phone.evaluate(
        "() => { const a = document.activeElement; const g = a.closest('[role=radiogroup]');"
        " return [a.type, a.closest('.question').id, g.getAttribute('aria-invalid'),"
        " document.getElementById(g.getAttribute('aria-describedby')).innerText]; }"
    )
    first_invalid = phone.locator(".survey-step.active .question.is-invalid").first
    assert focused[:3] == ["radio", first_invalid.get_attribute("id"), "true"]
    assert "กรุณาตอบ" in focused[3]
    screenshot(phone, "questionnaire-02-missing")

    answer_active_step(phone)
    expect(phone.locator(".survey-step.active [aria-invalid]")).to_have_count(0)
    phone.click(".survey-step.active .step-next")
    expect(phone.locator("#step-label")).to_contain_text("ส่วนที่ 2 จาก 3")
    # focus moves to the new part's title instead of dropping to <body>
    expect(phone.locator("#step-title-1")).to_be_focused()

    # Mid-way through step 2 the connection drops; the person keeps answering
    answer_active_step(phone, upto=2)
    phone.context.set_offline(True)
    total = answer_active_step(phone)
    expect(checked_in_active_step(phone)).to_have_count(total)
    screenshot(phone, "questionnaire-03-offline")
    phone.context.set_offline(False)

    # Back online, the page is reloaded: everything is still there, on the same step
    phone.reload()
    expect(phone.locator("#step-label")).to_contain_text("ส่วนที่ 2 จาก 3")
    expect(checked_in_active_step(phone)).to_have_count(total)
    expect(phone.locator("#restored")).to_be_visible()
    screenshot(phone, "questionnaire-04-restored")

    phone.click(".survey-step.active .step-next")
    expect(phone.locator("#step-label")).to_contain_text("ส่วนที่ 3 จาก 3")
    answer_active_step(phone)
    expect(phone.locator(".survey-step.active .step-submit")).to_be_visible()
    screenshot(phone, "questionnaire-05-last-step")

    # Sending while offline: stopped with a clear message, nothing lost
    phone.context.set_offline(True)
    phone.click(".survey-step.active .step-submit")
    expect(phone.locator("#offline")).to_be_visible()
    screenshot(phone, "questionnaire-06-send-offline")
    assert Response.objects.count() == 0
    phone.context.set_offline(False)

    phone.click(".survey-step.active .step-submit")
    phone.wait_for_url("**/thanks")
    assert "ขอบคุณ" in phone.locator("h1").inner_text()
    screenshot(phone, "questionnaire-07-thanks")
    stored = Response.objects.get()
    assert stored.instrument == "eit" and stored.channel == "online"
    assert stored.answers.count() == 15
    assert (
        phone.evaluate(f"localStorage.getItem('itas:{cycle.pk}:eit:{enrolment.access_code}')")
        is None
    )
    # Opening the link again is a fresh, empty questionnaire (no way back to edit)
    phone.goto(url)
    expect(checked_in_active_step(phone)).to_have_count(0)
    assert steps == 3
    nacc_sees_a_flagged_burst(world, live_server, cycle, enrolment, desktop)


def nacc_sees_a_flagged_burst(world, live_server, cycle, enrolment, desktop):
    from itas.surveys import services
    from tests.surveys.conftest import answers_for, varied

    spec = cycle.framework.spec
    device = "ab12cd34" + "0" * 56
    for i in range(6):
        data = answers_for(spec, "iit", varied if i % 2 else (lambda n, s: s.choices[-1].value))
        chosen = {}
        for key, value in data.items():
            _q, code, sub = key.split("-")
            chosen.setdefault(code, {})[sub] = value
        services.submit_response(
            enrolment=enrolment,
            instrument="iit",
            chosen=chosen,
            submission_id=uuid.uuid4(),
            duration_seconds=20 + i,
            abuse_hash=device,
        )
    assert Response.objects.filter(abuse_hash=device, flags__icontains="burst").count() == 6

    login(desktop, live_server, world.nacc.email, PASSWORD)
    desktop.goto(f"{live_server.url}/surveys/cycles/{cycle.pk}/flags/")
    assert world.agency.full_name in desktop.content()
    screenshot(desktop, "flags-01-agencies")
    desktop.click(f"text={world.agency.full_name}")
    # to_have_count waits for the agency's page; a bare count() can read the list still showing
    expect(desktop.locator("text=#ab12cd34")).to_have_count(1)
    assert desktop.locator(".badge.text-bg-danger").count() >= 6
    screenshot(desktop, "flags-02-burst")
