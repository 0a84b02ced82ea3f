"""The events journey in a browser: a person opens the registration link from the letter on a
phone, finds their agency, registers; the confirmation e-mail (with meeting ID and passcode) is
in the outbox; the organiser sees the agency registered in the follow-up. Screenshots in
var/screenshots/events-*.png."""

import re

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from itas.core.models import OutboxMessage
from itas.events.models import Registration, RegistrationStatus
from tests.e2e.conftest import login, screenshot
from tests.events.bueng_kan import (
    BAN_TONG,
    BUNG_NGAM,
    DON_YA_NANG,
    NONG_DOEN,
    PAO,
    THA_SA_AT,
    create_bueng_kan_registry,
)
from tests.events.conftest import make_event, make_group
from tests.factories import PASSWORD

# serialized_rollback: the geography of the data migration is back even after another
# transactional test flushed the tables.
pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_register_on_a_phone_then_the_organiser_follows_up(
    world, live_server, settings, phone, desktop
):
    settings.EMAIL_BACKEND = "itas.core.mail.OutboxBackend"
    cache.clear()  # registration limits count per client; the live server's client is 127.0.0.1
    registry = {a.code: a for a in create_bueng_kan_registry()}
    group = make_group([registry[c] for c in (BUNG_NGAM, NONG_DOEN, BAN_TONG, PAO, THA_SA_AT)])
    event = make_event(target_group=group)

    # 1. The link (or QR code) from the letter, opened on a 360 px phone.
    phone.goto(f"{live_server.url}{event.public_path()}")
    assert event.title in phone.inner_text("h1")
    assert event.passcode not in phone.content()
    screenshot(phone, "events-01-phone-registration-page")

    # 2. Find the agency by part of its name (htmx), choose it, fill in, register.
    phone.fill("#agency-q", "บึงงาม")
    phone.wait_for_selector(f"input[name=agency][value='{BUNG_NGAM}']")
    assert "เหลือ 2 ที่นั่ง" in phone.inner_text("#agency-options")
    screenshot(phone, "events-02-phone-agency-found")
    phone.check(f"input[name=agency][value='{BUNG_NGAM}']")
    phone.fill("#id_full_name", "นายสมชาย ใจดี")
    phone.fill("#id_position", "ปลัดเทศบาลตำบลบึงงาม")
    phone.fill("#id_email", "somchai@bungngam.go.th")
    phone.fill("#id_phone", "081 234 5678")
    phone.click("button[type=submit]")
    phone.wait_for_selector("#awaiting")
    assert "somchai@bungngam.go.th" in phone.inner_text("main")
    screenshot(phone, "events-03-phone-check-your-email")
    reg = Registration.objects.get()
    assert (reg.agency.code, reg.status) == (BUNG_NGAM, RegistrationStatus.PENDING)

    # 2b. The seat is held once the person confirms from the e-mail (which has no passcode).
    verify = OutboxMessage.objects.get()
    assert "ITA2564" not in verify.body_text
    confirm_path = re.search(r"(/events/confirm/[^/\s]+/)", verify.body_text).group(1)
    phone.goto(f"{live_server.url}{confirm_path}")
    screenshot(phone, "events-03a-phone-confirm")
    phone.click("main form button")
    phone.wait_for_selector("text=ลงทะเบียนเรียบร้อยแล้ว")
    screenshot(phone, "events-03b-phone-registered")
    reg.refresh_from_db()
    assert reg.status == RegistrationStatus.REGISTERED

    # 3. A bad input on the phone is refused in Thai, nothing stored: a malformed e-mail.
    phone.goto(f"{live_server.url}{event.public_path()}")
    phone.fill("#agency-q", NONG_DOEN)
    phone.wait_for_selector(f"input[name=agency][value='{NONG_DOEN}']")
    phone.check(f"input[name=agency][value='{NONG_DOEN}']")
    phone.fill("#id_full_name", "นางสาวสมศรี รักงาน")
    phone.fill("#id_position", "ปลัด อบต.")
    phone.fill("#id_email", "somsri(at)nongdoen")
    phone.fill("#id_phone", "0800000000")
    phone.click("button[type=submit]")
    phone.wait_for_selector(".invalid-feedback")
    assert "อีเมล" in phone.inner_text(".invalid-feedback")
    screenshot(phone, "events-04-phone-bad-email")
    assert Registration.objects.count() == 1

    # 4. The e-mail, in the outbox: join link, meeting ID, passcode, agenda, .ics, cancel link.
    message = OutboxMessage.objects.exclude(pk=verify.pk).get()
    assert message.to == ["somchai@bungngam.go.th"]
    assert [a["name"] for a in message.attachments] == ["event.ics"]
    login(desktop, live_server, world.nacc.email, PASSWORD)
    desktop.goto(f"{live_server.url}/outbox/{message.pk}/")
    body = desktop.inner_text("main")
    assert "912 3456 7890" in body and "ITA2564" in body
    screenshot(desktop, "events-05-outbox-confirmation")

    # 5. The organiser sees the agency registered, the others still to chase.
    desktop.goto(f"{live_server.url}/events/{event.pk}/follow-up/")
    row = desktop.locator(f"tr[data-code='{BUNG_NGAM}']")
    assert "นายสมชาย ใจดี" in row.inner_text()
    assert "1 คน" in row.inner_text()
    missing = desktop.locator(f"tr[data-code='{NONG_DOEN}']")
    assert "ยังไม่ลงทะเบียน" in missing.inner_text()
    assert desktop.inner_text("#n-registered") == "1"
    assert desktop.inner_text("#n-targets") == "5"
    screenshot(desktop, "events-06-organiser-followup")
    desktop.goto(f"{live_server.url}/events/{event.pk}/")
    assert "นายสมชาย ใจดี" in desktop.inner_text("#registrations")
    screenshot(desktop, "events-07-organiser-event")
    desktop.goto(f"{live_server.url}/events/{event.pk}/poster/")
    expect(desktop.locator("img[src*=qr]")).to_be_visible()
    screenshot(desktop, "events-07b-printable-qr")
    desktop.goto(
        f"{live_server.url}/events/target-groups/new/?source=registry&province=38&kind=sao"
    )
    assert "องค์การบริหารส่วนตำบลหนองเดิ่น" in desktop.inner_text("main")
    screenshot(desktop, "events-07c-target-group-from-registry")


def test_list_from_the_letter_then_notice_on_the_agency_home(world, live_server, desktop, phone):
    """NACC uploads the letter's list, settles the line the matcher left open, saves the group,
    announces the event; the agency admin sees the notice on a phone and acknowledges it."""
    from pathlib import Path

    registry = {a.code: a for a in create_bueng_kan_registry()}
    fixture = Path(__file__).resolve().parents[1] / "events" / "fixtures" / "seed004_bueng_kan.txt"

    login(desktop, live_server, world.nacc.email, PASSWORD)
    desktop.goto(f"{live_server.url}/events/target-groups/upload/")
    desktop.fill("#id_name", "อปท. บึงกาฬ ไม่ผ่าน ITA 2563")
    desktop.set_input_files("#id_file", str(fixture))
    desktop.select_option("#id_province", "38")
    desktop.click("button.btn-primary")
    desktop.wait_for_selector("#lines")
    open_rows = desktop.locator("#lines tr[data-status=unmatched]")
    assert open_rows.count() == 1
    assert "ดอนภูพานาง" in open_rows.first.inner_text()
    screenshot(desktop, "events-08-list-matched")
    # Saving before the open line is settled is refused.
    desktop.click("form button.btn-primary")
    desktop.wait_for_selector(".alert-danger")
    assert "30" in desktop.inner_text(".alert-danger")
    # The registry built from the letter names line 30's municipality ดอนหญ้านาง (its tambon in
    # geothai), too far from the letter's ดอนภูพานาง for the matcher: a person chooses it.
    open_rows.first.locator("select").select_option(DON_YA_NANG)
    desktop.click("form button.btn-primary")
    desktop.wait_for_selector("text=เลือกโดยเจ้าหน้าที่")
    screenshot(desktop, "events-09-target-group")
    group = registry[DON_YA_NANG].target_groups.get()
    assert group.members.count() == 45

    event = make_event(target_group=group)
    desktop.goto(f"{live_server.url}/events/{event.pk}/")
    desktop.fill("#id_message", "ขอเชิญผู้บริหารหรือผู้แทน และเจ้าหน้าที่ แห่งละ ๒ คน เข้าร่วมสัมมนา")
    desktop.click("text=ประกาศแจ้งกลุ่มเป้าหมาย >> nth=-1")
    desktop.wait_for_selector("text=รับทราบแล้ว 0 จาก")

    # world.agency is not in the letter's list: make its admin the admin of ท่าสะอาด (line 1).
    from itas.core.roles import Role
    from tests.factories import UserFactory, grant

    admin = UserFactory(email="admin-thasaat@example.org")
    grant(admin, Role.AGENCY_ADMIN, agency=registry[THA_SA_AT])
    login(phone, live_server, admin.email, PASSWORD)
    expect(phone.locator(".notice")).to_be_visible()
    assert "ขอเชิญผู้บริหาร" in phone.inner_text(".notice")
    screenshot(phone, "events-10-phone-notice-on-home")
    phone.click(".notice button")
    expect(phone.locator(".alert-success")).to_be_visible()
    expect(phone.locator(".notice")).to_have_count(0)
    desktop.goto(f"{live_server.url}/events/notices/{event.announcements.get().pk}/")
    assert "รับทราบแล้ว 1 จาก 45 หน่วยงาน" in desktop.inner_text("main")
    screenshot(desktop, "events-11-acknowledgements")
