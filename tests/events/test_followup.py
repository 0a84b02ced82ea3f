"""Follow-up of a target group: who registered, exports, reminders, attendance, notices."""

import csv
import io

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from itas.core.roles import Role
from itas.events import services
from itas.events.models import Acknowledgement, Attachment, Registration
from tests.events.bueng_kan import BUNG_NGAM, NONG_DOEN, PAO
from tests.factories import PASSWORD, UserFactory, grant

pytestmark = pytest.mark.django_db


def _register(event, code, email, name="ผู้ลงทะเบียน"):
    request = services.register(
        None,
        event=event,
        agency_code=code,
        full_name=name,
        position="ปลัด",
        email=email,
        phone="0800000000",
    )
    return services.confirm_registration(None, registration=request)


def test_followup_lists_registered_and_unregistered_targets(client, world, webinar):
    _register(webinar, BUNG_NGAM, "a@bungngam.go.th", "นายก บึงงาม")
    client.login(username=world.nacc.email, password=PASSWORD)
    page = client.get(reverse("events:followup", args=[webinar.pk]))
    assert page.status_code == 200
    data = page.context["data"]
    assert (data.targets, data.registered_targets, data.people) == (6, 1, 1)
    missing = client.get(reverse("events:followup", args=[webinar.pk]), {"show": "missing"})
    codes = [r.agency.code for r in missing.context["rows"]]
    assert BUNG_NGAM not in codes and NONG_DOEN in codes and len(codes) == 5


def test_exports_are_csv_with_bom_and_xlsx(client, world, webinar):
    _register(webinar, NONG_DOEN, "b@nongdoen.go.th", "นางสาวสมศรี")
    client.login(username=world.nacc.email, password=PASSWORD)
    url = reverse("events:followup", args=[webinar.pk])
    response = client.get(url, {"format": "csv"})
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))
    assert rows[0][:4] == ["จังหวัด", "อำเภอ", "รหัส", "หน่วยงาน"]
    by_code = {r[2]: r for r in rows[1:]}
    assert len(by_code) == 6
    assert by_code[NONG_DOEN][6] == "ลงทะเบียนแล้ว" and "นางสาวสมศรี" in by_code[NONG_DOEN][7]
    assert by_code[BUNG_NGAM][6] == "ยังไม่ลงทะเบียน"
    xlsx = client.get(url, {"format": "xlsx"})
    sheet = load_workbook(io.BytesIO(xlsx.getvalue())).active
    assert sheet.max_row == 7 and sheet["D1"].value == "หน่วยงาน"


def test_coordinator_sees_only_their_province_in_the_followup(client, world, webinar):
    client.login(username=world.outsider.email, password=PASSWORD)
    assert client.get(reverse("events:followup", args=[webinar.pk])).status_code == 403
    client.login(username=world.district_officer.email, password=PASSWORD)
    page = client.get(reverse("events:followup", args=[webinar.pk]))
    # Mueang Bueng Kan only: the PAO and world.agency.
    assert {r.agency.code for r in page.context["rows"]} == {PAO, world.agency.code}


def test_reminder_goes_to_coordinators_of_provinces_with_unregistered_targets(
    client, world, webinar, django_capture_on_commit_callbacks
):
    from itas.core.models import Notification

    other_coordinator = UserFactory(email="coord-cm@example.org")
    grant(other_coordinator, Role.PROVINCE_COORDINATOR, province=world.other_province)
    client.login(username=world.nacc.email, password=PASSWORD)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("events:remind", args=[webinar.pk]))
    assert response.status_code == 302
    # In the coordinator's inbox too, linked to the follow-up page.
    note = Notification.objects.get(user=world.coordinator)
    assert "บึงกาฬ" in note.message and note.link == reverse("events:followup", args=[webinar.pk])
    assert not Notification.objects.filter(user=other_coordinator).exists()
    (message,) = mail.outbox  # Chiang Mai has no target, so its coordinator is not bothered
    assert message.to == ["coord@example.org"]
    assert "บึงกาฬ" in message.subject
    assert "องค์การบริหารส่วนตำบลหนองเดิ่น" in message.body
    assert "/events/r/" in message.body


ZOOM_REPORT = """Attendee Report,
Report Generated:,"3/19/2021 12:30 PM"
Topic,Webinar ID,Actual Start Time
สัมมนา ITA ภาค 4,912 3456 7890,"Mar 19, 2021 08:55:00"
Attendee Details,
Attended,User Name (Original Name),First Name,Last Name,Email,Registration Time,Approval Status,Join Time,Leave Time,Time in Session (minutes),Country/Region Name
Yes,นายก บึงงาม,นายก,บึงงาม,A@bungngam.go.th,"Mar 10, 2021",approved,"Mar 19, 2021 09:01:00","Mar 19, 2021 10:00:00",59,Thailand
Yes,นายก บึงงาม,นายก,บึงงาม,a@bungngam.go.th,"Mar 10, 2021",approved,"Mar 19, 2021 10:05:00","Mar 19, 2021 12:00:00",115,Thailand
No,ปลัด หนองเดิ่น,ปลัด,หนองเดิ่น,b@nongdoen.go.th,"Mar 11, 2021",approved,--,--,--,Thailand
Yes,แขก,แขก,ไม่ได้ลงทะเบียน,guest@example.org,,,"Mar 19, 2021 09:10:00","Mar 19, 2021 11:00:00",110,Thailand
"""


def test_attendance_import_matches_registrations_by_email(client, world, webinar):
    a = _register(webinar, BUNG_NGAM, "a@bungngam.go.th")
    b = _register(webinar, NONG_DOEN, "b@nongdoen.go.th")
    client.login(username=world.nacc.email, password=PASSWORD)
    upload = SimpleUploadedFile("report.csv", ZOOM_REPORT.encode("utf-8-sig"), "text/csv")
    response = client.post(reverse("events:attendance", args=[webinar.pk]), {"file": upload})
    assert response.status_code == 302
    a.refresh_from_db()
    b.refresh_from_db()
    assert (a.attended, a.attended_minutes) == (True, 174)
    assert (b.attended, b.attended_minutes) == (False, None)
    page = client.get(reverse("events:followup", args=[webinar.pk]))
    assert page.context["data"].attended_people == 1


def test_attendance_report_without_emails_is_refused(client, world, webinar):
    _register(webinar, BUNG_NGAM, "a@bungngam.go.th")
    client.login(username=world.nacc.email, password=PASSWORD)
    upload = SimpleUploadedFile("report.csv", b"name,minutes\nsomeone,12\n", "text/csv")
    response = client.post(reverse("events:attendance", args=[webinar.pk]), {"file": upload})
    assert response.status_code == 400
    assert Registration.objects.get().attended is None


def test_notice_shows_on_the_agency_home_until_acknowledged(client, world, webinar):
    letter = Attachment.objects.create(
        event=webinar,
        kind="letter",
        title="หนังสือ ปช 0017/ว 0015",
        file=SimpleUploadedFile("letter.pdf", b"%PDF-1.4 letter"),
    )
    client.login(username=world.nacc.email, password=PASSWORD)
    response = client.post(
        reverse("events:announce", args=[webinar.pk]),
        {"message": "ขอเชิญเข้าร่วมสัมมนา แห่งละ 2 คน", "letter": letter.pk},
    )
    assert response.status_code == 302
    announcement = webinar.announcements.get()
    assert announcement.agencies.count() == 6

    client.login(username=world.agency_admin.email, password=PASSWORD)
    home = client.get(reverse("core:home")).content.decode()
    assert "ขอเชิญเข้าร่วมสัมมนา" in home and "หนังสือ ปช 0017/ว 0015" in home
    # The outsider's agency was not in the group: nothing on their home page.
    client.login(username=world.outsider.email, password=PASSWORD)
    assert "ขอเชิญเข้าร่วมสัมมนา" not in client.get(reverse("core:home")).content.decode()

    client.login(username=world.agency_admin.email, password=PASSWORD)
    client.post(reverse("events:acknowledge", args=[announcement.pk]))
    assert Acknowledgement.objects.filter(agency=world.agency).exists()
    assert "ขอเชิญเข้าร่วมสัมมนา" not in client.get(reverse("core:home")).content.decode()

    client.login(username=world.nacc.email, password=PASSWORD)
    page = client.get(reverse("events:announcement", args=[announcement.pk]))
    assert page.context["acked"] == 1
    assert "รับทราบแล้ว 1 จาก 6 หน่วยงาน" in page.content.decode()


def test_an_officer_cannot_acknowledge_for_the_admin(world, webinar):
    ann = services.announce(world.nacc, event=webinar, message="แจ้ง")
    with pytest.raises(services.EventError):
        services.acknowledge(world.officer, announcement=ann, agency=world.agency)
    assert not Acknowledgement.objects.exists()
