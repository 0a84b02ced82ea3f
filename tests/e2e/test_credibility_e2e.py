"""Credibility in a browser: NACC's ranked list on a desktop and a 360 px phone, one agency's
explanation, excluding the answers behind a reason, asking the agency to explain, the agency's
admin answering from the inbox on a phone, NACC reading the answer. Data from the generator
through the real form. Screenshots in var/screenshots."""

import pytest
from playwright.sync_api import expect

from bench import credibility as gen
from itas.core.roles import Role
from itas.frameworks.services import load_shipped_framework
from itas.surveys.credibility import services
from itas.surveys.credibility.models import AgencyRisk
from itas.surveys.models import Response
from tests.cycles.helpers import make_cycle
from tests.e2e.conftest import login, screenshot
from tests.factories import PASSWORD, UserFactory, grant
from tests.surveys.credibility_world import enrol_new_agencies

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _analysed_cycle(world):
    framework = load_shipped_framework()
    cycle = make_cycle(world.nacc, framework=framework, fiscal_year=framework.fiscal_year)
    enrolments = enrol_new_agencies(cycle, 6)
    agencies = [gen.Agency(e, "") for e in enrolments[:3]] + [
        gen.Agency(e, p)
        for e, p in zip(enrolments[3:], ("stuffing", "coached", "few_phones"), strict=True)
    ]
    gen.fill(agencies, framework.spec, seed=11)
    services.analyse_cycle(services.start_run(world.nacc, cycle=cycle))
    return cycle


def test_ranked_list_and_explanation(world, live_server, desktop, phone):
    cycle = _analysed_cycle(world)
    top = AgencyRisk.objects.filter(enrolment__cycle=cycle).order_by("-risk").first()
    assert top.flagged
    for page, name in ((desktop, "desktop"), (phone, "phone")):
        login(page, live_server, world.nacc.email, PASSWORD)
        page.goto(f"{live_server.url}/surveys/cycles/{cycle.pk}/credibility/")
        page.wait_for_selector("#ranked .risk-row")
        assert page.locator("#ranked .risk-row").count() >= 3
        assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]
        screenshot(page, f"credibility-ranked-{name}")
    page = desktop
    page.click(f"#ranked a[href$='/enrolments/{top.enrolment_id}/credibility/']")
    page.wait_for_url(f"**/enrolments/{top.enrolment_id}/credibility/")
    page.wait_for_selector("#risk-iit")
    screenshot(page, "credibility-agency-desktop")
    phone.goto(f"{live_server.url}/surveys/enrolments/{top.enrolment_id}/credibility/")
    phone.wait_for_selector("#risk-iit")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(phone, "credibility-agency-phone")
    # exclude the answers behind the first flagged reason, by keyboard
    form = page.locator("#risk-iit form").first
    form.locator("input[name=reason]").fill("ส่งซ้ำจากเครื่องเดียว")
    with page.expect_navigation():  # a form POST: the page after it, not the page before
        form.locator("input[name=reason]").press("Enter")
    before = top.score
    top.refresh_from_db()
    assert Response.objects.filter(enrolment_id=top.enrolment_id, excluded=True).exists()
    assert top.score < before  # recomputed without the excluded answers
    screenshot(page, "credibility-agency-after-exclusion")

    # ask the agency to explain; its admin answers from the inbox on a phone
    question = "โปรดชี้แจงคำตอบที่เข้ามาพร้อมกันจำนวนมาก"
    answer = "วันนั้นมีการประชุมประจำเดือน เจ้าหน้าที่ตอบแบบวัดพร้อมกันหลังประชุม"
    admin = UserFactory(email="admin-top@example.org")  # before the request: it is notified
    grant(admin, Role.AGENCY_ADMIN, agency=top.enrolment.agency)
    page.fill("#ask-message", question)
    page.click("#ask-message ~ button")
    expect(page.locator("#explanation-requests .explanation")).to_contain_text(question)
    phone.context.clear_cookies()
    login(phone, live_server, admin.email, PASSWORD)
    phone.goto(f"{live_server.url}/inbox/")
    phone.click(f"#inbox form:has-text('{question}') button")
    phone.wait_for_url(f"**/surveys/enrolments/{top.enrolment_id}/explanations/")
    expect(phone.locator(".explanation").first).to_contain_text(question)
    screenshot(phone, "credibility-explanation-request-phone")
    phone.fill("textarea[name=reply]", answer)
    phone.click(".explanation form button")
    expect(phone.locator(".explanation .reply")).to_contain_text(answer)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(phone, "credibility-explanation-answered-phone")
    page.reload()
    expect(page.locator("#explanation-requests .reply")).to_contain_text(answer)
    page.locator("#explanation-requests").scroll_into_view_if_needed()
    screenshot(page, "credibility-agency-explained-desktop")

    # the province's coordinator, on a phone: the request's state on the list, the question
    # and the answer on the agency's page, read-only, and no answer behind any reason
    coordinator = UserFactory(email="coord-top@example.org")
    grant(coordinator, Role.PROVINCE_COORDINATOR, province=top.enrolment.agency.province)
    phone.context.clear_cookies()
    login(phone, live_server, coordinator.email, PASSWORD)
    phone.goto(f"{live_server.url}/surveys/cycles/{cycle.pk}/credibility/?show=asked")
    row = phone.locator("#ranked .risk-row", has_text=top.enrolment.agency.name).first
    expect(row.locator(".explanation-state")).to_contain_text("ชี้แจงแล้ว")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(phone, "credibility-coordinator-ranked-phone")
    row.locator("a").first.click()
    phone.wait_for_url(f"**/enrolments/{top.enrolment_id}/credibility/")
    expect(phone.locator("#explanation-requests .reply")).to_contain_text(answer)
    expect(phone.locator("#main form")).to_have_count(0)
    expect(phone.locator("#main table")).to_have_count(0)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(phone, "credibility-coordinator-agency-phone")
