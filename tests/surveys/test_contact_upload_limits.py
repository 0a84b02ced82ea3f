"""The contact-list upload refuses a workbook built to exhaust memory, and keeps what was
stored before."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from itas.surveys.models import ContactList
from tests.bombs import xlsx_with_one_huge_cell

pytestmark = pytest.mark.django_db


def test_a_small_xlsx_holding_a_huge_cell_gets_a_thai_message_and_nothing_is_stored(
    client, enrolment, world
):
    bomb = xlsx_with_one_huge_cell()
    client.force_login(world.agency_admin)
    before = ContactList.objects.count()
    response = client.post(
        reverse("surveys:contacts_upload", args=[enrolment.pk]),
        {"file": SimpleUploadedFile("contacts.xlsx", bomb)},
    )
    assert response.status_code == 400
    assert "ไม่รับสมุดงานนี้" in response.content.decode()
    assert ContactList.objects.count() == before
