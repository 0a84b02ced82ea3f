"""From scores to improvement, in a browser on the demo: the path to pass of two demo agencies
(เทศบาลตำบลท่าสะอาด passes by OIT alone; อบต. ท่าสะอาด cannot), the what-if computed by the
server as boxes are ticked, what the บึงกาฬ failing list (seed letter 004) needs to learn, the
road to the national goal and the early warning, at 360 px and on a desktop. Screenshots in
var/screenshots/improvement-*.png."""

import shutil
import subprocess
from io import StringIO

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests.e2e.conftest import SCREENSHOTS, screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

DOMAIN = "demo.itas.local"


def sign_in(page, base: str, local: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", f"{local}@{DOMAIN}")
    page.fill("#id_password", "demo-password")
    # The login page is already loaded: wait for the page the POST opens, not for "load".
    with page.expect_navigation():
        page.click("form button[type=submit], form button.btn-primary")
    assert "/accounts/login/" not in page.url, f"{local} could not sign in"


def pdf_pages(page, url: str, name: str) -> list:
    """Fetch a PDF in the signed-in page's context; keep it, and its pages as PNG (pdftoppm)."""
    response = page.request.get(url)
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    pdf = SCREENSHOTS / f"{name}.pdf"
    pdf.write_bytes(response.body())
    if not shutil.which("pdftoppm"):
        return []
    subprocess.run(["pdftoppm", "-png", "-r", "80", str(pdf), str(SCREENSHOTS / name)], check=True)
    return sorted(SCREENSHOTS.glob(f"{name}-*.png"))


@pytest.fixture
def demo(live_server):
    call_command("load_demo", stdout=StringIO())
    from itas.agencies.models import Agency, AgencyKind
    from itas.events.models import TargetGroup

    bk = dict(province_id="38", name="ท่าสะอาด")
    return type(
        "Demo",
        (),
        {
            "base": live_server.url,
            "passes": Agency.objects.get(kind=AgencyKind.SUBDISTRICT_MUNICIPALITY, **bk),
            "cannot": Agency.objects.get(kind=AgencyKind.SAO, **bk),
            "group": TargetGroup.objects.get(name__startswith="อปท. จังหวัดบึงกาฬที่ไม่ผ่าน"),
        },
    )


def test_path_to_pass_and_what_if(demo, phone, desktop):
    for page, size in ((desktop, "desktop"), (phone, "phone")):
        page.goto(f"{demo.base}/results/2569/agency/{demo.passes.code}/")
        section = page.locator("#path-to-pass")
        first = section.locator(".path-target").first
        assert first.get_attribute("data-oit-alone") == "yes"
        assert "85.15" in first.inner_text()
        assert first.locator("li").all_inner_texts()[0].startswith("O42")
        section.scroll_into_view_if_needed()
        screenshot(page, f"improvement-scorecard-passes-by-oit-{size}")
        # The what-if: ticking boxes asks the server, which answers with the engine's total.
        total = page.locator("#what-if-total")
        page.check("#wi-O42")
        expect(total).to_contain_text("83.90")
        page.check("#wi-O36")
        expect(total).to_contain_text("85.15")
        expect(total).to_contain_text("ผ่าน")
        page.locator("#what-if-total").scroll_into_view_if_needed()
        screenshot(page, f"improvement-what-if-{size}")

        page.goto(f"{demo.base}/results/2569/agency/{demo.cannot.code}/")
        first = page.locator("#path-to-pass .path-target").first
        assert first.get_attribute("data-oit-alone") == "no"
        assert "ไม่มีชุดข้อ OIT ใดเพียงพอ" in first.inner_text()
        assert "77.20" in first.inner_text()
        assert page.locator("#shortfalls li").count() >= 1
        page.locator("#path-to-pass").scroll_into_view_if_needed()
        screenshot(page, f"improvement-scorecard-cannot-by-oit-{size}")
        if size == "desktop":
            for agency, name in ((demo.passes, "passes"), (demo.cannot, "cannot")):
                url = f"{demo.base}/results/2569/agency/{agency.code}/pdf/"
                pdf_pages(page, url, f"improvement-scorecard-pdf-{name}")
        # Wider than the viewport would mean a horizontal scroll on a phone.
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0


def test_group_needs_goal_and_warnings(demo, phone, desktop):
    for page, size in ((desktop, "desktop"), (phone, "phone")):
        sign_in(page, demo.base, "nacc")
        page.goto(f"{demo.base}/events/target-groups/{demo.group.pk}/needs/")
        summary = page.inner_text("#needs-summary")
        assert "45" in summary
        rows = page.locator("#needs-items tbody tr")
        assert rows.count() >= 5
        points = [
            float(t.replace(",", ""))
            for t in page.locator("#needs-items tbody tr td:last-child").all_inner_texts()
        ]
        assert points == sorted(points, reverse=True)
        screenshot(page, f"improvement-group-needs-bueng-kan-{size}")
        if size == "desktop":
            url = f"{demo.base}/events/target-groups/{demo.group.pk}/needs.pdf"
            pngs = pdf_pages(page, url, "improvement-group-needs-bueng-kan-pdf")
            assert len(pngs) <= 1  # one page, for the agenda

        page.goto(f"{demo.base}/improve/2569/goal/")
        assert "%" in page.inner_text("#share")
        assert page.locator("#closest tbody tr").count() >= 1
        screenshot(page, f"improvement-goal-{size}")

        if size == "desktop":
            # NACC recomputes the early warning: without a broker the job runs as the request
            # commits, so the page comes back with the finished card and the ranking.
            page.goto(f"{demo.base}/improve/warnings/")
            with page.expect_navigation():
                page.click("form[action*='/improve/warnings/refresh/'] button")
            expect(page.locator("#refresh-done")).to_be_visible()
            assert page.locator("#warnings tbody tr").count() >= 1
            screenshot(page, "improvement-warnings-refreshed-desktop")

        page.context.clear_cookies()
        sign_in(page, demo.base, "coordinator")
        page.goto(f"{demo.base}/improve/warnings/")
        risks = [
            int(t.strip(" %"))
            for t in page.locator("#warnings tbody tr td:nth-child(2)").all_inner_texts()
        ]
        assert risks and risks == sorted(risks, reverse=True)
        screenshot(page, f"improvement-warnings-{size}")
