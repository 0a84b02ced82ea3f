"""Viewing sites in a browser: the coordinator of Bueng Kan sets up two sites in เซกา on a
desktop, the host of one takes attendance on a 360 px phone (from the list and by the agency's
QR code), and NACC's follow-up shows who represented each agency. Screenshots in
var/screenshots/sites-*.png."""

import pytest
from playwright.sync_api import expect

from itas.events.models import EventKind
from itas.events.models_sites import SiteAttendance, ViewingSite
from tests.e2e.conftest import login, screenshot
from tests.events.bueng_kan import BAN_TONG, THA_SA_AT, THA_SA_AT_SAO, create_bueng_kan_registry
from tests.events.conftest import make_event
from tests.factories import PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _add_site(page, venue, address, host, capacity):
    page.select_option("#id_district", label="เซกา")
    page.fill("#id_venue", venue)
    page.fill("#id_address", address)
    page.fill("#id_host_name", host)
    page.fill("#id_host_phone", "042 481 000")
    page.fill("#id_capacity", str(capacity))
    page.fill("#id_equipment_note", "จอโปรเจกเตอร์ ลำโพง อินเทอร์เน็ต")
    page.click("#site-form button.btn-primary")
    page.wait_for_selector("#assign-form")


def _assign(page, codes):
    for box in page.locator("#assign-form input[name=agency]").all():
        if box.get_attribute("data-code") in codes:
            box.check()
        else:
            box.uncheck()
    page.click("#assign-form button.btn-primary")
    page.wait_for_selector(".alert-success")


def test_two_sites_in_a_district_attendance_on_a_phone_and_the_followup(
    world, live_server, phone, desktop
):
    registry = {a.code: a for a in create_bueng_kan_registry()}
    event = make_event(kind=EventKind.LIVESTREAM, title="ชี้แจงกรอบการประเมิน ITA ผ่าน YouTube Live")

    # 1. The coordinator designates two sites in เซกา and assigns its agencies.
    login(desktop, live_server, world.coordinator.email, PASSWORD)
    desktop.goto(f"{live_server.url}/events/{event.pk}/sites/")
    _add_site(desktop, "หอประชุมอำเภอเซกา", "ที่ว่าการอำเภอเซกา", "นายปกครอง ดีงาม", 60)
    _assign(desktop, {THA_SA_AT, BAN_TONG})
    screenshot(desktop, "sites-01-desktop-site-agencies")
    desktop.goto(f"{live_server.url}/events/{event.pk}/sites/")
    _add_site(desktop, "ห้องประชุม อบต.ท่าสะอาด", "ตำบลท่าสะอาด อำเภอเซกา", "นางสาวใจดี มีสุข", 30)
    _assign(desktop, {THA_SA_AT_SAO})
    desktop.goto(f"{live_server.url}/events/{event.pk}/sites/")
    assert desktop.locator("#sites [data-site]").count() == 2
    screenshot(desktop, "sites-02-desktop-two-sites")
    first = ViewingSite.objects.get(venue="หอประชุมอำเภอเซกา")
    assert set(first.assignments.values_list("agency__code", flat=True)) == {THA_SA_AT, BAN_TONG}

    # 2. The host opens the host's link on a phone and ticks บ้านต้อง from the list.
    phone.goto(f"{live_server.url}{first.host_path()}")
    assert phone.locator("#host-list details").count() == 2
    screenshot(phone, "sites-03-phone-host-list")
    item = phone.locator(f"#a-{BAN_TONG}")
    item.locator("summary").click()
    item.locator("input[value=admin]").check()
    item.locator("input[value=executive]").check()
    item.locator("input[value=finance]").check()
    item.locator("input[name=people]").fill("นายสมปอง, นางสมใจ, นายเงิน")
    screenshot(phone, "sites-04-phone-tick-who-came")
    item.locator("button").click()
    phone.wait_for_selector(f"#a-{BAN_TONG} .present")
    # ... and ท่าสะอาด shows its QR code: the phone's camera opens the check-in.
    phone.goto(f"{live_server.url}/events/r/{event.public_code}/checkin/{THA_SA_AT}/")
    phone.check("input[value=website]")
    phone.check("input[value=personnel]")
    screenshot(phone, "sites-05-phone-qr-checkin")
    phone.click("main form button.btn-primary")
    phone.wait_for_selector(f"#a-{THA_SA_AT} .present")
    expect(phone.locator("#n-present")).to_contain_text("2")
    screenshot(phone, "sites-06-phone-two-present")
    assert SiteAttendance.objects.get(agency__code=THA_SA_AT).via == "qr"

    # 3. NACC's follow-up: per district, who was represented and by whom.
    login(desktop, live_server, world.nacc.email, PASSWORD)
    desktop.goto(f"{live_server.url}/events/{event.pk}/sites/follow-up/")
    row = desktop.locator(f"tr[data-code='{BAN_TONG}']")
    text = row.inner_text()
    assert "หอประชุมอำเภอเซกา" in text and "การเงินและบัญชี" in text
    assert "ยังไม่" not in text
    absent = desktop.locator(f"tr[data-code='{THA_SA_AT_SAO}']").inner_text()
    assert "ห้องประชุม อบต.ท่าสะอาด" in absent
    assert desktop.inner_text("#n-represented") == "2"
    screenshot(desktop, "sites-07-desktop-followup")
    phone.goto(f"{live_server.url}/accounts/login/")
    login(phone, live_server, world.nacc.email, PASSWORD)
    phone.goto(f"{live_server.url}/events/{event.pk}/sites/follow-up/")
    screenshot(phone, "sites-08-phone-followup")
    assert registry[BAN_TONG].full_name in phone.inner_text("main")
