"""Creating and editing events: who may, what the form checks, attachments, the printable QR."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from itas.core.models import AuditEntry
from itas.events.models import Attachment, Event
from tests.events.conftest import make_event
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

FORM = {
    "title": "ประชุมชี้แจงกรอบการประเมิน ITA ผ่าน YouTube Live",
    "kind": "livestream",
    "starts_at": "2031-09-26T09:30",
    "ends_at": "2031-09-26T16:30",
    "registration_deadline": "2031-09-20T16:30",
    "join_url": "https://youtube.example/live/itas",
    "seats_per_agency": "2",
    "contact_name": "นางสาวจิราภรณ์ พีพันธ์",
    "contact_phone": "09-8359-5526",
    "s-TOTAL_FORMS": "2",
    "s-INITIAL_FORMS": "0",
    "s-0-starts": "09:30",
    "s-0-ends": "09:45",
    "s-0-topic": "ชี้แจงวัตถุประสงค์",
    "s-0-speakers": "หัวหน้าศูนย์ประเมินคุณธรรมและความโปร่งใส",
    "s-1-starts": "",
    "s-1-topic": "",
}


def test_nacc_creates_an_event_with_its_agenda(client, world):
    client.login(username=world.nacc.email, password=PASSWORD)
    response = client.post(reverse("events:create"), FORM)
    assert response.status_code == 302, response.content.decode()[:2000]
    event = Event.objects.get()
    assert event.province is None and event.created_by == world.nacc
    assert [s.topic for s in event.sessions.all()] == ["ชี้แจงวัตถุประสงค์"]
    assert AuditEntry.objects.filter(action="events.event.created").exists()
    detail = client.get(event.get_absolute_url()).content.decode()
    assert "26 กันยายน 2574" in detail  # Buddhist era
    assert "09.30 น." in detail


def test_a_coordinators_event_belongs_to_their_province(client, world):
    client.login(username=world.coordinator.email, password=PASSWORD)
    assert client.post(reverse("events:create"), FORM).status_code == 302
    event = Event.objects.get()
    assert event.province == world.province
    assert client.get(event.get_absolute_url()).status_code == 200
    nacc_event = make_event()
    assert client.get(nacc_event.get_absolute_url()).status_code == 403
    assert client.get(reverse("events:edit", args=[nacc_event.pk])).status_code == 403


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("ends_at", "2031-09-26T08:00"),  # before it starts
        ("registration_deadline", "2031-09-27T08:00"),  # after it ends
        ("seats_per_agency", "0"),
        ("join_url", "not a url"),
        ("s-0-ends", "09:00"),  # session ends before it starts
    ],
)
def test_bad_event_input_is_refused(client, world, field, value):
    client.login(username=world.nacc.email, password=PASSWORD)
    response = client.post(reverse("events:create"), {**FORM, field: value})
    assert response.status_code == 400
    assert Event.objects.count() == 0


def test_others_cannot_organise(client, world):
    for user in (world.agency_admin, world.outsider, world.assessor):
        client.login(username=user.email, password=PASSWORD)
        assert client.get(reverse("events:create")).status_code == 403
        assert client.get(reverse("events:list")).status_code == 403
    client.logout()
    assert client.get(reverse("events:create")).status_code == 302  # to the sign-in page


def test_attachments_are_checked_for_type_and_size(client, world, settings):
    event = make_event()
    client.login(username=world.nacc.email, password=PASSWORD)
    url = reverse("events:attachment_add", args=[event.pk])
    ok = client.post(
        url,
        {
            "kind": "letter",
            "title": "หนังสือเชิญ",
            "file": SimpleUploadedFile("letter.pdf", b"%PDF-1.4"),
        },
    )
    assert ok.status_code == 302
    exe = client.post(
        url, {"kind": "other", "title": "x", "file": SimpleUploadedFile("run.exe", b"MZ...")}
    )
    assert exe.status_code == 400
    big = client.post(
        url,
        {
            "kind": "manual",
            "title": "คู่มือ",
            "file": SimpleUploadedFile("manual.pdf", b"0" * (10 * 1024 * 1024 + 1)),
        },
    )
    assert big.status_code == 400
    assert Attachment.objects.count() == 1
    # Anyone with the registration link can download the letter.
    client.logout()
    attachment = Attachment.objects.get()
    download = client.get(reverse("events:attachment", args=[event.public_code, attachment.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == b"%PDF-1.4"


def test_poster_prints_the_qr_code_and_the_date_in_thai_digits(client, world):
    event = make_event()
    client.login(username=world.nacc.email, password=PASSWORD)
    html = client.get(reverse("events:poster", args=[event.pk])).content.decode()
    assert reverse("events:qr", args=[event.public_code]) in html
    assert event.public_path() in html
    assert "๒๕" in html  # the Buddhist-era year in Thai digits


def test_event_list_sends_followers_who_cannot_manage_to_the_registration_page(
    client, world, webinar
):
    # A district officer follows up registrations but does not organise the event: the list
    # must not offer the organiser's page, which would answer 403.
    assert client.login(username=world.district_officer.email, password=PASSWORD)
    body = client.get("/events/").content.decode()
    assert f'href="/events/r/{webinar.public_code}/"' in body
    assert f'href="/events/{webinar.pk}/"' not in body
    client.logout()
    assert client.login(username=world.nacc.email, password=PASSWORD)
    assert f'href="/events/{webinar.pk}/"' in client.get("/events/").content.decode()


def test_an_attachment_is_titled_as_a_document_not_as_the_event():
    from django.utils import translation

    from itas.events.forms import AttachmentForm

    with translation.override("th"):
        assert str(AttachmentForm()["title"].label) == "ชื่อเอกสาร"
