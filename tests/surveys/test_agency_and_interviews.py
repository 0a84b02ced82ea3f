import io
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from itas.core.roles import Role
from itas.surveys.models import Channel, Contact, ContactList, Response
from tests.factories import AgencyFactory, UserFactory, grant
from tests.surveys.conftest import answers_for, varied

pytestmark = pytest.mark.django_db

CSV = "ชื่อ,โทรศัพท์\nสมชาย ใจดี,081-234-5678\nสมหญิง รักงาน,0 4249 1234\n".encode("utf-8-sig")


def upload(client, enrolment, content=CSV, name="contacts.csv"):
    return client.post(
        reverse("surveys:contacts_upload", args=[enrolment.pk]),
        {"file": SimpleUploadedFile(name, content)},
    )


def test_agency_admin_sets_population_and_sees_minimum_and_progress(client, enrolment, world):
    client.force_login(world.agency_admin)
    url = reverse("surveys:respondents", args=[enrolment.pk])
    assert client.get(url).status_code == 200
    client.post(reverse("surveys:population", args=[enrolment.pk]), {"iit_population": "75"})
    enrolment.refresh_from_db()
    assert enrolment.iit_population == 75
    page = client.get(url)
    minimum = enrolment.cycle.framework.spec.minimum_sample(75)
    assert page.context["minimum"] == minimum
    assert f"/ {minimum}" in page.content.decode()
    client.post(reverse("surveys:population", args=[enrolment.pk]), {"iit_population": "abc"})
    enrolment.refresh_from_db()
    assert enrolment.iit_population == 75
    # the executive sees the page but cannot change the number
    client.force_login(world.executive)
    assert client.get(url).status_code == 200
    r = client.post(reverse("surveys:population", args=[enrolment.pk]), {"iit_population": "9"})
    assert r.status_code == 403
    client.force_login(world.outsider)
    assert client.get(url).status_code == 403


def test_rotation_from_the_page_needs_confirmation(client, enrolment, world):
    client.force_login(world.agency_admin)
    old = enrolment.access_code
    client.post(reverse("surveys:rotate", args=[enrolment.pk]))
    enrolment.refresh_from_db()
    assert enrolment.access_code == old
    client.post(reverse("surveys:rotate", args=[enrolment.pk]), {"confirm": "yes"})
    enrolment.refresh_from_db()
    assert enrolment.access_code != old


def test_contact_list_upload_csv_and_xlsx_with_thai_row_errors(client, enrolment, world):
    from openpyxl import Workbook

    client.force_login(world.agency_admin)
    assert upload(client, enrolment).status_code == 302
    assert list(Contact.objects.values_list("phone", flat=True).order_by("pk")) == [
        "0812345678",
        "042491234",
    ]
    bad = "ชื่อ,โทรศัพท์\n,0812345678\nนาย ก,12ab\nนาย ข,0812345678\n".encode()
    response = upload(client, enrolment, bad)
    assert response.status_code == 400
    text = response.content.decode()
    assert "แถวที่ 2: ไม่มีชื่อ" in text
    assert "แถวที่ 3: “12ab” ไม่ใช่หมายเลขโทรศัพท์ไทย" in text
    assert "แถวที่ 4: หมายเลข 0812345678 ซ้ำ" in text
    assert Contact.objects.count() == 2  # nothing of the bad file stored
    wb = Workbook()
    ws = wb.active
    ws.append(["ชื่อ", "โทรศัพท์"])
    ws.append(["ผู้รับบริการ หนึ่ง", 891112222])  # Excel dropped the leading zero
    buf = io.BytesIO()
    wb.save(buf)
    assert upload(client, enrolment, buf.getvalue(), "list.xlsx").status_code == 302
    assert Contact.objects.filter(phone="0891112222").exists()
    assert upload(client, enrolment, b"\x00\x01garbage", "list.xlsx").status_code == 400
    assert upload(client, enrolment, b"whatever", "list.pdf").status_code == 400
    assert ContactList.objects.count() == 2


def test_contact_lists_are_seen_only_by_the_groups_interviewers(client, enrolment, world):
    interviewer = UserFactory(email="caller@example.org")
    grant(interviewer, Role.INTERVIEWER, assessor_group=world.group_a)
    other_caller = UserFactory(email="caller-b@example.org")
    grant(other_caller, Role.INTERVIEWER, assessor_group=world.group_b)
    client.force_login(world.agency_admin)
    upload(client, enrolment)
    contacts_url = reverse("surveys:interview_contacts", args=[enrolment.pk])
    for user, expected in (
        (interviewer, 200),
        (world.assessor, 200),
        (other_caller, 403),
        (world.other_assessor, 403),
        (world.nacc, 403),
        (world.coordinator, 403),
        (world.agency_admin, 403),
        (world.outsider, 403),
    ):
        client.force_login(user)
        response = client.get(contacts_url)
        assert response.status_code == expected, user
        if expected == 403:
            assert "สมชาย" not in response.content.decode()
            assert "0812345678" not in client.get(reverse("surveys:interviews")).content.decode()
    # the agency admin's own page shows the count, never the names
    client.force_login(world.agency_admin)
    page = client.get(reverse("surveys:respondents", args=[enrolment.pk])).content.decode()
    assert "สมชาย" not in page and "0812345678" not in page
    client.force_login(interviewer)
    listing = client.get(reverse("surveys:interviews")).content.decode()
    assert enrolment.agency.full_name in listing


def test_interviewer_enters_an_interview_marked_as_such(client, enrolment, world):
    interviewer = UserFactory(email="caller@example.org")
    grant(interviewer, Role.INTERVIEWER, assessor_group=world.group_a)
    client.force_login(world.agency_admin)
    upload(client, enrolment)
    contact = Contact.objects.first()
    client.force_login(interviewer)
    url = reverse("surveys:interview_new", args=[enrolment.pk])
    form = client.get(url + f"?contact={contact.pk}")
    assert form.status_code == 200 and contact.phone in form.content.decode()
    data = answers_for(enrolment.cycle.framework.spec, "eit", varied)
    data.update(submission_id=str(uuid.uuid4()), contact=str(contact.pk))
    response = client.post(url, data)
    assert response.status_code == 302
    stored = Response.objects.get()
    assert stored.channel == Channel.INTERVIEW and stored.interviewer == interviewer
    assert stored.abuse_hash == ""
    contact.refresh_from_db()
    assert contact.status == "interviewed"
    # a retry of the same interview is stored once
    client.post(url, data)
    assert Response.objects.count() == 1


def test_closing_the_cycle_erases_the_contact_lists(client, enrolment, world):
    from itas.cycles.services import close_cycle

    client.force_login(world.agency_admin)
    upload(client, enrolment)
    assert Contact.objects.count() == 2
    close_cycle(world.nacc, cycle=enrolment.cycle)
    assert Contact.objects.count() == 0 and ContactList.objects.count() == 0


def test_progress_for_scope_furthest_behind_first_in_constant_queries(client, cycle, world):
    from itas.agencies.models import Agency
    from itas.cycles.services import enrol_agencies

    AgencyFactory.create_batch(12, province=world.province)
    enrol_agencies(world.nacc, cycle=cycle, agencies=Agency.objects.all())
    spec = cycle.framework.spec
    e_a = cycle.enrolments.get(agency=world.agency)
    e_a.iit_population = 10
    e_a.save()
    data = answers_for(spec, "iit", varied)
    for _ in range(3):
        data["submission_id"] = str(uuid.uuid4())
        client.post(reverse("surveys:go", args=["iit", e_a.access_code]), data)
    url = reverse("surveys:progress", args=[cycle.pk])
    client.force_login(world.coordinator)
    with CaptureQueriesContext(connection) as small:
        page = client.get(url)
    assert page.status_code == 200
    names = [r.agency_name for r in page.context["page"]]
    assert world.other_agency.full_name not in names  # Chiang Mai: not in Bueng Kan's scope
    assert names[-1] == world.agency.full_name  # 3/10 is the furthest ahead
    AgencyFactory.create_batch(30, province=world.province)
    enrol_agencies(world.nacc, cycle=cycle, agencies=Agency.objects.all())
    with CaptureQueriesContext(connection) as large:
        client.get(url)
    assert len(large) == len(small)  # no N+1
    client.force_login(world.nacc)
    page = client.get(url + "?sort=name")
    assert world.other_agency.full_name in [r.agency_name for r in page.context["page"]]
    client.force_login(world.agency_admin)
    assert client.get(url).status_code == 403
