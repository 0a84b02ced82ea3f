"""The OIT journey in a browser: an officer submits evidence, the pre-check runs against a local
web server (pytest-httpserver), the admin submits, an assessor reviews with the keyboard, the
agency disputes one item, the assessor changes it, NACC confirms. Screenshots in var/screenshots.
"""

import pytest
from playwright.sync_api import expect

from itas.cycles.models import Enrolment, PhaseKind
from itas.disclosure import services
from itas.disclosure.models import (
    CheckState,
    Decision,
    ItemAnswer,
    ItemDecision,
    ItemStatus,
    LinkCheck,
)
from itas.disclosure.queries import oit_item_scores
from tests.disclosure.conftest import make_cycle, open_phase
from tests.e2e.conftest import login, screenshot
from tests.factories import PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PAGE = """<!doctype html><html><head><meta charset="utf-8"><title>โครงสร้างองค์กร เทศบาลตำบลท่าสะอาด</title></head>
<body><h1>แผนผังโครงสร้างส่วนราชการ</h1><p>ประกาศ ณ วันที่ ๑๕ มีนาคม พ.ศ. ๒๕๖๕</p></body></html>"""


def sign_in(page, live_server, user):
    page.context.clear_cookies()
    login(page, live_server, user.email, PASSWORD)  # waits for the signed-in page


def tab_stops_to(page, element_id: str, limit: int = 80) -> int:
    """How many presses of Tab bring the focus to the element (limit + 1 if never)."""
    for n in range(1, limit + 1):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == element_id:
            return n
    return limit + 1


def test_oit_journey(world, live_server, httpserver, settings, desktop, phone):
    settings.ITAS_LINKCHECK_ALLOW_PRIVATE = [f"{httpserver.host}:{httpserver.port}"]
    for path in ("/about/structure", "/about/executives", "/about/duties"):
        httpserver.expect_request(path).respond_with_data(
            PAGE.encode(), content_type="text/html; charset=utf-8"
        )
    world.agency.website = httpserver.url_for("/")
    world.agency.save()
    cycle = make_cycle()
    open_phase(cycle, PhaseKind.OIT_ANSWERS)
    enrolment = Enrolment.objects.create(cycle=cycle, agency=world.agency, access_code="E2E001")
    services.open_board(None, enrolment=enrolment)
    services.assign_by_function(world.agency_admin, enrolment=enrolment)  # 9.1 → website officer
    page = desktop

    # 1. The website officer gives the evidence of O1 in the browser; the pre-check runs.
    sign_in(page, live_server, world.officer)
    page.goto(f"{live_server.url}/oit/")
    page.click("text=โครงสร้าง")
    page.wait_for_url("**/oit/item/*/")
    page.fill("#id_urls", httpserver.url_for("/about/structure"))
    page.fill("#id_explanation", "หน้าแรก > เกี่ยวกับเรา > โครงสร้าง")
    page.click("#save-evidence")
    page.wait_for_selector(".link-check[data-state=done]")
    body = page.inner_text("#checks")
    assert "เข้าถึงได้" in body and "โครงสร้างองค์กร เทศบาลตำบลท่าสะอาด" in body
    assert "อยู่บนเว็บไซต์ของหน่วยงาน" in body and "พบปีงบประมาณ 2565" in body
    screenshot(page, "oit-01-officer-item-precheck")
    check = LinkCheck.objects.get(evidence__answer__code="O1")
    assert check.state == CheckState.DONE and check.reachable and 2565 in check.years

    # Two more items given the same way (through the service, to keep the journey short).
    for code, path in (("O2", "/about/executives"), ("O3", "/about/duties")):
        services.save_evidence(
            world.officer,
            answer=ItemAnswer.objects.get(enrolment=enrolment, code=code),
            urls=[httpserver.url_for(path)],
            explanation="",
        )

    # 2. The agency admin submits; the board on a phone.
    sign_in(page, live_server, world.agency_admin)
    page.goto(f"{live_server.url}/oit/board/{enrolment.pk}/")
    page.click("#submit-board")  # a checklist first: submitting is a deliberate act
    page.wait_for_selector("#checklist")
    assert "O4" in page.inner_text("#without-evidence")
    screenshot(page, "oit-02a-submit-checklist")
    page.check("#confirm-submit")
    page.click("#confirm-send")
    page.wait_for_selector(".alert-success")
    screenshot(page, "oit-02-admin-board-submitted")
    sign_in(phone, live_server, world.agency_admin)
    phone.goto(f"{live_server.url}/oit/board/{enrolment.pk}/")
    screenshot(phone, "oit-03-board-phone")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    assert ItemAnswer.objects.filter(enrolment=enrolment, status=ItemStatus.SUBMITTED).count() == 3

    # 3. The review period: the assessor reviews the whole agency without a page load.
    open_phase(cycle, PhaseKind.OIT_REVIEW)
    sign_in(page, live_server, world.assessor)
    page.goto(f"{live_server.url}/oit/queue/")
    assert "ท่าสะอาด" in page.inner_text("table")
    screenshot(page, "oit-04-assessor-queue")
    page.click(f"a.btn[href='/oit/review/{enrolment.pk}/']")
    page.wait_for_selector("#btn-pass")
    page.evaluate("window.__noReload = true")
    screenshot(page, "oit-05-assessor-review-O1")
    # By keyboard: the decision is a few Tab stops away (the panel comes before the list of
    # items), fewer still through the skip link.
    assert tab_stops_to(page, "btn-pass") <= 25
    page.goto(page.url)
    page.wait_for_selector("#btn-pass")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className").find("skip-link") >= 0
    page.keyboard.press("Enter")
    assert tab_stops_to(page, "btn-pass") <= 10
    # WCAG 2.1.4: one-key shortcuts do nothing while the focus is on the list of items, nor
    # once they are switched off; nothing is recorded by either (checked by the count below).
    page.focus("nav[aria-label] a.list-group-item >> nth=1")
    page.keyboard.press("y")
    page.evaluate("document.activeElement.blur()")
    page.uncheck("#shortcuts-on")
    page.evaluate("document.activeElement.blur()")
    page.keyboard.press("y")
    page.check("#shortcuts-on")
    page.evaluate("document.activeElement.blur()")
    page.evaluate("window.__noReload = true")
    keys = 0
    page.keyboard.press("y")  # O1: มี — one key
    keys += 1
    page.wait_for_selector("text=บันทึกข้อ O1 แล้ว")
    page.keyboard.press("n")  # O2: ไม่มี, a quick reason, save — three keys
    page.keyboard.press("Alt+1")
    page.keyboard.press("Control+Enter")
    keys += 3
    page.wait_for_selector("text=บันทึกข้อ O2 แล้ว")
    page.keyboard.press("y")  # O3: มี
    keys += 1
    page.wait_for_selector("text=ตรวจครบทุกข้อของหน่วยงานนี้แล้ว")
    assert page.evaluate("window.__noReload") is True  # the same page all along (htmx swaps)
    screenshot(page, "oit-06-assessor-review-done")
    decisions = {
        a.code: a.latest_decision.decision
        for a in ItemAnswer.objects.filter(enrolment=enrolment, latest_decision__isnull=False)
    }
    assert decisions == {"O1": Decision.PASS, "O2": Decision.FAIL, "O3": Decision.PASS}
    assert ItemDecision.objects.filter(answer__enrolment=enrolment).count() == 3
    # after each save the focus is on the item's title, not dropped to <body>
    expect(page.locator("#panel-title")).to_be_focused()
    # keyboard hints are for keyboards: none on a phone-sized screen
    expect(page.locator("kbd").first).to_be_visible()
    page.set_viewport_size({"width": 360, "height": 780})
    expect(page.locator("kbd:visible")).to_have_count(0)
    expect(page.locator("#shortcuts-on")).to_be_hidden()
    page.set_viewport_size({"width": 1280, "height": 900})
    assert keys / 3 < 2  # 5 keys for 3 items
    o2 = ItemAnswer.objects.get(enrolment=enrolment, code="O2")
    assert o2.latest_decision.recommendation  # the quick reason filled the recommendation

    # 4. Clarification: the agency sees the decision and disputes O2 (the URL cannot change).
    open_phase(cycle, PhaseKind.CLARIFICATION)
    sign_in(page, live_server, world.agency_admin)
    page.goto(f"{live_server.url}/oit/board/{enrolment.pk}/")
    assert page.locator("#oit-score").count() == 1
    page.goto(f"{live_server.url}/oit/item/{o2.pk}/")
    page.fill("#id_explanation_clar", "รูปถ่ายและช่องทางติดต่อของผู้บริหารอยู่ท้ายหน้า")
    page.click("text=ส่งคำชี้แจง")
    page.wait_for_selector(".alert-success")
    screenshot(page, "oit-07-agency-clarification")

    # 5. The assessor changes the decision, with a reason (keyboard: C, reason, Ctrl+Enter).
    sign_in(page, live_server, world.assessor)
    page.goto(f"{live_server.url}/oit/review/{enrolment.pk}/")
    page.wait_for_selector("#clarification-form")
    page.keyboard.press("c")
    page.keyboard.type("พบรูปถ่ายและช่องทางติดต่อท้ายหน้า")
    page.keyboard.press("Control+Enter")
    page.wait_for_selector("text=บันทึกข้อ O2 แล้ว")
    o2.refresh_from_db()
    assert o2.status == ItemStatus.CLARIFIED and o2.latest_decision.decision == Decision.PASS

    # 6. NACC confirms; the decisions freeze and feed the score.
    open_phase(cycle, PhaseKind.CONFIRMATION)
    sign_in(page, live_server, world.nacc)
    page.goto(f"{live_server.url}/oit/confirm/{cycle.pk}/")
    page.click("#confirm-cycle")
    page.wait_for_selector(".alert-success")
    screenshot(page, "oit-08-nacc-confirmed")
    final = {code: score for e, code, score, _ in oit_item_scores(cycle, final=True)}
    assert final["O1"] == final["O2"] == final["O3"] == 100 and final["O4"] == 0
    assert len(final) == 43

    # The item's history reads like a conversation.
    sign_in(page, live_server, world.agency_admin)
    page.goto(f"{live_server.url}/oit/item/{o2.pk}/")
    timeline = page.inner_text(".timeline")
    for text in ("บันทึกหลักฐาน", "ส่งให้ผู้ประเมิน", "ขอชี้แจง", "เปลี่ยนผลหลังการชี้แจง", "ยืนยันผลแล้ว"):
        assert text in timeline
    screenshot(page, "oit-09-item-history")
    sign_in(phone, live_server, world.agency_admin)
    phone.goto(f"{live_server.url}/oit/item/{o2.pk}/")
    screenshot(phone, "oit-10-item-history-phone")
