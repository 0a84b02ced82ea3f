"""Issue 11 item 10 in Chromium: with the Content-Security-Policy the server sends, the main
journeys of the demo run with zero violations, scripts and all (charts drawn and hovered, htmx
swaps, Swagger UI, the e-mail preview). Every `securitypolicyviolation` event of every frame is
reported to the test through a function the browser context exposes (so nothing is lost when a
page navigates), and every console message about the policy is kept too.

The markup itself is checked page by page, without a browser, in tests/core/test_csp.py."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from tests.e2e.test_questionnaire_e2e import answer_active_step

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

DOMAIN = "demo.itas.local"
LISTEN = """
document.addEventListener("securitypolicyviolation", (e) => {
  window.cspViolation({
    page: location.href, directive: e.violatedDirective, blocked: e.blockedURI,
    source: e.sourceFile + ":" + e.lineNumber, sample: e.sample,
  });
});
"""
POLICY_WORDS = ("Content Security Policy", "Content-Security-Policy", "Refused to")


def watched(browser, found: list, **options):
    """A browser context whose pages report every policy violation into `found`."""
    context = browser.new_context(locale="th-TH", **options)
    context.expose_function("cspViolation", lambda v: found.append(v))
    context.add_init_script(LISTEN)
    page = context.new_page()
    page.on(
        "console",
        lambda m: (
            found.append({"console": m.text, "page": page.url})
            if any(w in m.text for w in POLICY_WORDS)
            else None
        ),
    )
    return context, page


def sign_in(page, base: str, local: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", f"{local}@{DOMAIN}")
    page.fill("#id_password", "demo-password")
    with page.expect_navigation():
        page.click("form button.btn-primary")
    assert "/accounts/login/" not in page.url


def hover_over(page, selector: str) -> None:
    """Move the pointer across a chart, so that ECharts draws its tooltips."""
    chart = page.locator(selector)
    chart.scroll_into_view_if_needed()
    box = chart.bounding_box()
    for fx, fy in ((0.2, 0.5), (0.5, 0.5), (0.55, 0.3), (0.8, 0.6)):
        page.mouse.move(box["x"] + box["width"] * fx, box["y"] + box["height"] * fy)
        page.wait_for_timeout(150)


def test_the_main_journeys_run_without_one_policy_violation(live_server, browser, settings):
    from itas.core.models import OutboxMessage
    from itas.cycles.models import Enrolment
    from itas.events.models import Event, Registration

    settings.EMAIL_BACKEND = "itas.core.mail.OutboxBackend"  # as in the demo: kept, not sent
    call_command("load_demo", stdout=StringIO())
    base = live_server.url
    found: list[dict] = []

    # 1. A respondent on a 360 px phone answers the questionnaire from the QR code's link.
    context, phone = watched(
        browser, found, viewport={"width": 360, "height": 780}, device_scale_factor=2
    )
    enrolment = Enrolment.objects.filter(cycle__fiscal_year=2570).order_by("agency__name").first()
    phone.goto(base + enrolment.public_path("eit"))
    expect(phone.locator(".survey-step.active")).to_have_count(1)  # js-on.js ran
    for _step in range(30):
        answer_active_step(phone)
        if phone.locator(".survey-step.active .step-submit").is_visible():
            break
        phone.click(".survey-step.active .step-next")
    phone.click(".survey-step.active .step-submit")
    phone.wait_for_url("**/thanks")
    assert "ขอบคุณ" in phone.locator("h1").inner_text()

    # 2. Someone registers for an event from the letter's link (htmx finds the agency).
    event = (
        Event.objects.filter(registration_deadline__gt=timezone.now(), target_group=None)
        .order_by("starts_at")
        .first()
    )
    phone.goto(base + event.public_path())
    phone.fill("#agency-q", "ท่า")
    phone.locator("input[name=agency]").first.wait_for()
    phone.locator("input[name=agency]").first.check()
    phone.fill("#id_full_name", "นายทดสอบ นโยบายความปลอดภัย")
    phone.fill("#id_position", "ปลัด")
    phone.fill("#id_email", "csp-test@example.org")
    phone.fill("#id_phone", "0812345678")
    before = Registration.objects.count()
    phone.click("main form button[type=submit]")
    phone.wait_for_selector("#awaiting")
    assert Registration.objects.count() == before + 1
    context.close()

    # 3. NACC on a desktop: sign in, the national dashboard with its charts and the province
    # map, a province's district chart, a scorecard, an OIT board, the e-mail preview, the API.
    context, page = watched(browser, found, viewport={"width": 1366, "height": 900})
    sign_in(page, base, "nacc")

    page.goto(f"{base}/results/2569/")
    page.wait_for_selector("#chart-map[data-ready='1'] svg path")
    for chart in ("#chart-grades", "#chart-histogram", "#chart-indicators", "#chart-kinds"):
        page.wait_for_selector(f"{chart} svg")
        hover_over(page, chart)
    hover_over(page, "#chart-map")
    expect(page.locator("#chart-map div strong").last).to_be_visible()  # a DOM tooltip
    page.click("label[for=map-pass]")
    hover_over(page, "#chart-map")

    page.locator("#table-places tbody a").first.click()
    page.wait_for_url("**/results/2569/province/*/")
    page.wait_for_selector("#chart-places svg")
    hover_over(page, "#chart-places")

    page.goto(f"{base}/results/2569/agencies/")
    page.locator("main table a[href*='/agency/']").first.click()
    page.wait_for_url("**/results/2569/agency/*/")
    expect(page.locator(".bars .fill").first).to_be_visible()
    width = page.locator(".bars .fill").first.evaluate("e => e.getBoundingClientRect().width")
    assert width > 0, "a score bar has no width: its w-pct class did not apply"

    # the OIT board of an agency that has begun its disclosure items
    board = (
        Enrolment.objects.filter(cycle__fiscal_year=2570, oit_items__isnull=False)
        .order_by("agency__name")
        .first()
    )
    response = page.goto(base + reverse("disclosure:board", args=[board.pk]))
    assert response.status == 200
    expect(page.locator("main h1")).to_be_visible()

    # behaviour.js in place of onclick=: the event poster's button prints
    page.goto(base + reverse("events:poster", args=[event.pk]))
    page.evaluate("window.print = () => { window.printed = true; }")
    page.click("[data-print]")
    assert page.evaluate("window.printed === true")

    # an HTML e-mail in the outbox: its own sandboxed document, styled by its inline styles
    message = (
        OutboxMessage.objects.filter(body_html__contains="background: #0d6efd")
        .order_by("-at")
        .first()
    )
    page.goto(base + reverse("core:outbox_message", args=[message.pk]))
    button = page.frame_locator("iframe").locator("[style*='background: #0d6efd']").first
    expect(button).to_have_css("background-color", "rgb(13, 110, 253)")  # allowed by its hash

    page.goto(f"{base}/api/docs/")
    page.wait_for_selector(".swagger-ui .info .title")
    page.locator(".opblock-summary").first.click()
    page.wait_for_selector(".opblock-body")
    context.close()

    # 4. An assessor's review queue: a filter submits itself when chosen (behaviour.js in place
    # of onchange=).
    context, page = watched(browser, found, viewport={"width": 1366, "height": 900})
    sign_in(page, base, "assessor")
    page.goto(f"{base}/oit/queue/")
    province = page.locator("#f-province option").nth(1).get_attribute("value")
    with page.expect_navigation():
        page.select_option("#f-province", province)
    assert f"province={province}" in page.url
    context.close()

    assert not found, "\n".join(str(v) for v in found)
