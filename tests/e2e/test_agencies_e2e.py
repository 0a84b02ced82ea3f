"""On a 360 px phone: the agency list, a live search by Thai name, and the agency's profile."""

from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

from itas.agencies.demo import load_bueng_kan
from itas.agencies.generator import plan
from itas.agencies.models import Agency
from tests.e2e.conftest import screenshot
from tests.events.bueng_kan import THA_SA_AT

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def registry(db):
    Agency.objects.bulk_create(
        [a for a in plan(600, seed=2564) if a.province_id != "38"], ignore_conflicts=True
    )
    load_bueng_kan()
    Agency.objects.filter(code=THA_SA_AT).update(
        website="https://www.thasaat.go.th", phone="042 000 401", email="saraban@thasaat.go.th"
    )


def test_agency_list_search_and_profile_on_a_phone(phone, live_server, registry):
    page = phone
    page.goto(f"{live_server.url}/agencies/")
    assert page.locator("h1").inner_text() == "หน่วยงาน"
    # Nothing sticks out sideways at 360 px.
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.select_option("#id_province", "38")
    # htmx narrowed the districts to Bueng Kan's
    expect(page.locator("#id_district")).to_contain_text("เซกา")
    assert "เมืองเชียงใหม่" not in page.locator("#id_district").inner_text()
    page.fill("#id_q", "ท่าสะอาด")
    # The province's own first page may already show Tha Sa-at (เซกา sorts first), so wait for
    # the search itself to reach the address bar, then for its results.
    page.wait_for_url(lambda url: parse_qs(urlsplit(url).query).get("q") == ["ท่าสะอาด"])
    results = page.locator("#agency-results .list-group-item")
    expect(results).to_have_count(2)  # the municipality and the SAO of Tha Sa-at
    path = screenshot(page, "agency-list-360")
    assert path.exists() and path.stat().st_size > 10_000
    assert "q=" in page.url  # the search is in the address: shareable, back button works
    page.locator("#agency-results .list-group-item", has_text="เทศบาลตำบลท่าสะอาด").click()
    page.wait_for_url(f"**/agencies/{THA_SA_AT}/")
    assert page.locator("h1").inner_text() == "เทศบาลตำบลท่าสะอาด"
    body = page.locator("main").inner_text()
    assert THA_SA_AT in body and "เซกา" in body and "https://www.thasaat.go.th" in body
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(page, "agency-profile-360")


def test_agency_admin_invites_an_officer_on_a_phone(phone, live_server, world, settings):
    from itas.core.models import OutboxMessage
    from tests.e2e.conftest import login
    from tests.factories import PASSWORD

    settings.EMAIL_BACKEND = "itas.core.mail.OutboxBackend"
    page = phone
    login(page, live_server, world.agency_admin.email, PASSWORD)
    page.goto(f"{live_server.url}/accounts/agencies/{world.agency.code}/people/")
    assert page.locator("h1").inner_text() == "บุคลากรของหน่วยงาน"
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.fill("#id_email", "procurement@thasaat.go.th")
    page.select_option("#id_role", "agency_officer")
    page.select_option("#id_function", "procurement")
    page.click("text=ส่งคำเชิญ")
    expect(page.locator(".alert-success")).to_contain_text("procurement@thasaat.go.th")
    assert "procurement@thasaat.go.th" in page.locator("main").inner_text()
    screenshot(page, "agency-people-360")
    message = OutboxMessage.objects.get()
    assert message.to == ["procurement@thasaat.go.th"]
