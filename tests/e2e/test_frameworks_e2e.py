"""NACC staff read the framework on a phone, are told every problem of a broken edit, and clone
last year's framework on a desktop."""

import pytest
from playwright.sync_api import expect

from itas.frameworks.models import Framework
from itas.frameworks.services import load_shipped_framework
from tests.e2e.conftest import SCREENSHOTS, login, screenshot
from tests.factories import PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_framework_page_on_a_phone(phone, live_server, world):
    load_shipped_framework()
    page = phone
    login(page, live_server, world.nacc.email, PASSWORD)
    page.goto(f"{live_server.url}/frameworks/")
    assert page.locator("h1").inner_text() == "กรอบการประเมิน"
    page.click("text=ปีงบประมาณ 2564")
    # click() does not wait for the next page: read nothing of it before it has loaded
    page.wait_for_url("**/frameworks/ita-2564-lao/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert page.locator("text=ตัวชี้วัดที่ 9: การเปิดเผยข้อมูล (ร้อยละ 20)").count() == 1
    page.click("summary:has-text('O36')")
    expect(page.locator("details[open] li").first).to_be_visible()
    screenshot(page, "frameworks-detail-phone")
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(SCREENSHOTS / "frameworks-detail-phone-top.png"))
    page.locator("#tool-OIT").scroll_into_view_if_needed()
    page.screenshot(path=str(SCREENSHOTS / "frameworks-detail-phone-oit.png"))


def test_broken_edit_then_clone_on_a_desktop(desktop, live_server, world):
    load_shipped_framework()
    page = desktop
    login(page, live_server, world.nacc.email, PASSWORD)
    page.goto(f"{live_server.url}/frameworks/ita-2564-lao/edit/")
    text = page.input_value("#id_text")
    page.fill(
        "#id_text",
        text.replace("pass_mark: 85", "pass_mark: 185").replace("weight: 40", "weight: 45"),
    )
    page.click("button:has-text('ตรวจสอบและบันทึก')")
    alert = page.locator(".alert-danger")
    expect(alert).to_contain_text("มีปัญหา 3 รายการ")
    assert "grading.pass_mark" in alert.inner_text()
    screenshot(page, "frameworks-edit-problems")
    assert Framework.objects.get(code="ita-2564-lao").document["grading"]["pass_mark"] == 85

    page.goto(f"{live_server.url}/frameworks/ita-2564-lao/")
    page.click("text=คัดลอกสำหรับปีใหม่")
    expect(page.locator("#id_code")).to_have_value("ita-2565-lao")
    page.click("button:has-text('สร้างฉบับคัดลอก')")
    page.wait_for_url("**/frameworks/ita-2565-lao/")
    assert "สร้างฉบับคัดลอกแล้ว" in page.locator(".alert-success").inner_text()
    screenshot(page, "frameworks-cloned")
    assert Framework.objects.get(code="ita-2565-lao").fiscal_year == 2565
