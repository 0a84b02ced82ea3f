"""The year's documents (versions, public or agencies only, new-version notice) and the ITA
centre's contact at the foot of agencies' pages."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from itas.core.models import AuditEntry
from itas.cycles.models import CycleDocument, DocumentVersion
from tests.factories import PASSWORD
from tests.scoring.builders import enrol, make_cycle

pytestmark = pytest.mark.django_db

MANUAL_NAME = "คู่มือการประเมินคุณธรรมและความโปร่งใสในการดำเนินงานขององค์กรปกครองส่วนท้องถิ่น ประจำปีงบประมาณ พ.ศ. ๒๕๗๐ ฉบับสมบูรณ์ สำหรับผู้ดูแลระบบและเจ้าหน้าที่.pdf"


@pytest.fixture
def cycle(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    cycle = make_cycle(fiscal_year=2570)
    enrol(cycle, world.agency)
    return cycle


def _pdf(content=b"%PDF-1.4 manual v1", name=MANUAL_NAME):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def _attach(client, cycle, **kw):
    data = {"kind": "manual", "title": "คู่มือ ITA 2570", "is_public": "on", "file": _pdf()}
    data.update(kw)
    return client.post(reverse("cycles:document_add", args=[cycle.pk]), data)


def test_nacc_attaches_versions_and_agencies_are_told_of_the_new_one(client, world, cycle):
    client.login(username=world.nacc.email, password=PASSWORD)
    assert _attach(client, cycle).status_code == 302
    document = CycleDocument.objects.get()
    v1 = document.versions.get()
    assert (v1.number, v1.original_name) == (1, MANUAL_NAME)
    assert len(v1.file.name) < 100  # stored under a generated name, not the Thai title
    assert AuditEntry.objects.filter(action="cycles.document.version_added").count() == 1

    client.login(username=world.agency_admin.email, password=PASSWORD)
    home = client.get("/").content.decode()
    assert "documents-panel" in home and "คู่มือ ITA 2570" in home
    assert 'badge text-bg-danger">ใหม่' in home
    download = client.get(reverse("cycles:download", args=[v1.pk]))
    assert b"".join(download.streaming_content) == b"%PDF-1.4 manual v1"
    assert "ITA" in download["Content-Disposition"] or "utf-8" in download["Content-Disposition"]
    assert 'badge text-bg-danger">ใหม่' not in client.get("/").content.decode()

    client.login(username=world.nacc.email, password=PASSWORD)
    client.post(
        reverse("cycles:version_add", args=[document.pk]),
        {"file": _pdf(b"%PDF-1.4 manual v2", "manual-v2.pdf"), "note": "แก้ไขปฏิทิน"},
    )
    assert list(document.versions.values_list("number", flat=True)) == [2, 1]
    client.login(username=world.agency_admin.email, password=PASSWORD)
    assert 'badge text-bg-danger">ใหม่' in client.get("/").content.decode()


def test_public_documents_for_everyone_the_rest_for_signed_in_people(client, world, cycle):
    client.login(username=world.nacc.email, password=PASSWORD)
    _attach(client, cycle)
    _attach(client, cycle, title="หนังสือแจ้งจังหวัด", kind="letter", is_public="", file=_pdf(b"x"))
    client.logout()
    public_v = DocumentVersion.objects.get(document__title="คู่มือ ITA 2570")
    private_v = DocumentVersion.objects.get(document__title="หนังสือแจ้งจังหวัด")
    page = client.get(reverse("cycles:documents", args=[cycle.pk])).content.decode()
    assert "คู่มือ ITA 2570" in page and "หนังสือแจ้งจังหวัด" not in page
    assert client.get(reverse("cycles:download", args=[public_v.pk])).status_code == 200
    refused = client.get(reverse("cycles:download", args=[private_v.pk]))
    assert refused.status_code == 302 and "/accounts/login/" in refused["Location"]


def test_bad_files_are_refused_and_nothing_is_stored(client, world, cycle):
    client.login(username=world.nacc.email, password=PASSWORD)
    response = _attach(client, cycle, file=SimpleUploadedFile("x.exe", b"MZ"))
    assert response.status_code == 302
    assert not CycleDocument.objects.exists()
    client.login(username=world.agency_admin.email, password=PASSWORD)
    assert _attach(client, cycle).status_code == 403
    assert not CycleDocument.objects.exists()


def test_the_centres_contact_is_at_the_foot_of_agencies_pages(client, world, cycle):
    client.login(username=world.nacc.email, password=PASSWORD)
    client.post(
        reverse("cycles:contact_set", args=[cycle.pk]),
        {
            "name": "ศูนย์ประเมินคุณธรรมและความโปร่งใสของหน่วยงานภาครัฐ",
            "phone": "0 2528 4500 ต่อ 2401-2402",
            "email": "ita@nacc.go.th",
            "hours": "จันทร์–ศุกร์ 08.30–16.30 น.",
        },
    )
    client.login(username=world.agency_admin.email, password=PASSWORD)
    for path in ("/", reverse("cycles:documents", args=[cycle.pk])):
        html = client.get(path).content.decode()
        assert 'id="centre-contact"' in html
        assert "0 2528 4500 ต่อ 2401-2402" in html and "ita@nacc.go.th" in html
    client.login(username=world.assessor.email, password=PASSWORD)
    assert 'id="centre-contact"' not in client.get("/").content.decode()
