"""Help inside ITAS in a browser: from the header's วิธีใช้งาน link an agency admin on a phone
opens the guides and the FAQ; the year's documents with a new version and the ITA centre's
contact at the foot of the page. Screenshots in var/screenshots/help-*.png."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from itas.core.models import FaqEntry
from itas.cycles import documents
from tests.e2e.conftest import login, screenshot
from tests.factories import PASSWORD
from tests.scoring.builders import enrol, make_cycle

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_help_guides_faq_documents_and_contact_on_a_phone(
    world, live_server, phone, desktop, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    cycle = make_cycle(fiscal_year=2570)
    enrol(cycle, world.agency)
    manual = documents.add_document(
        world.nacc,
        cycle=cycle,
        kind="manual",
        title="คู่มือการประเมิน ITA ประจำปีงบประมาณ พ.ศ. 2570",
        is_public=True,
        file=SimpleUploadedFile("manual.pdf", b"%PDF-1.4 v1"),
    )
    documents.add_version(
        world.nacc,
        document=manual,
        file=SimpleUploadedFile("manual.pdf", b"%PDF-1.4 v2"),
        note="ปรับปฏิทิน",
    )
    documents.set_contact(
        world.nacc,
        cycle=cycle,
        name="ศูนย์ประเมินคุณธรรมและความโปร่งใสของหน่วยงานภาครัฐ",
        phone="0 2528 4500 ต่อ 2401-2402",
        email="ita@nacc.go.th",
        hours="จันทร์–ศุกร์ 08.30–16.30 น.",
    )
    FaqEntry.objects.create(
        question="ต้องแต่งตั้งผู้รับผิดชอบกี่คน",
        answer="ผู้ดูแลระบบ ๑ คน ผู้บริหาร ๑ คน และเจ้าหน้าที่แต่ละด้าน",
    )

    login(phone, live_server, world.agency_admin.email, PASSWORD)
    assert "0 2528 4500" in phone.inner_text("#centre-contact")
    assert "ใหม่" in phone.inner_text(".documents-panel")
    screenshot(phone, "help-01-phone-home-documents-contact")
    phone.goto(f"{live_server.url}/help/")
    assert phone.locator("#guides [data-guide]").count() == 7
    phone.click("#faq .accordion-button")
    phone.wait_for_selector("#faq .accordion-collapse.show")
    screenshot(phone, "help-02-phone-guides-and-faq")
    phone.click("[data-guide=coordinator]")
    phone.wait_for_url("**/coordinator/")
    phone.wait_for_selector("#steps")
    screenshot(phone, "help-03-phone-coordinator-guide")

    desktop.goto(f"{live_server.url}/cycles/{cycle.pk}/documents/")
    assert "คู่มือการประเมิน" in desktop.inner_text("#documents")
    screenshot(desktop, "help-04-desktop-public-documents")
