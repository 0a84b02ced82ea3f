"""The confirmation's .ics, read back as a calendar application reads it: the times in Bangkok
time with the zone described in the file, who organises the event, and the reminders; and the
outbox lets NACC download it as it was sent."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.mail import EmailMultiAlternatives
from django.urls import reverse
from icalendar import Calendar

from itas.core.mail import OutboxBackend
from itas.core.models import OutboxMessage
from itas.events.mail import ics
from tests.events.conftest import make_event
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

BANGKOK = ZoneInfo("Asia/Bangkok")


def _parsed(text: str):
    cal = Calendar.from_ical(text)
    (event,) = [c for c in cal.walk() if c.name == "VEVENT"]
    return cal, event


def test_ics_has_the_bangkok_zone_the_organiser_and_two_reminders():
    event = make_event(contact_email="itagov@nacc.go.th")
    cal, item = _parsed(ics(event))

    (zone,) = [c for c in cal.walk() if c.name == "VTIMEZONE"]
    assert str(zone["TZID"]) == "Asia/Bangkok"
    start = item.decoded("DTSTART")
    assert item["DTSTART"].params["TZID"] == "Asia/Bangkok"
    assert start == event.starts_at and start.utcoffset() == dt.timedelta(hours=7)
    assert item.decoded("DTEND") == event.ends_at

    organizer = item["ORGANIZER"]
    assert str(organizer) == "mailto:itagov@nacc.go.th"
    assert organizer.params["CN"] == event.contact_name

    alarms = [c for c in item.walk() if c.name == "VALARM"]
    assert sorted(a.decoded("TRIGGER") for a in alarms) == [
        dt.timedelta(days=-1),
        dt.timedelta(minutes=-30),
    ]
    assert {str(a["ACTION"]) for a in alarms} == {"DISPLAY"}
    assert all(str(a["DESCRIPTION"]) == event.title for a in alarms)
    # The registrant's details are still there, unfolded.
    assert "ITA2564" in str(item["DESCRIPTION"])


def test_without_a_contact_e_mail_the_organiser_is_the_address_itas_sends_from(settings):
    settings.DEFAULT_FROM_EMAIL = "ITAS สำนักงาน ป.ป.ช. <no-reply@itas.example>"
    event = make_event(contact_email="", contact_name="")
    _cal, item = _parsed(ics(event))
    assert str(item["ORGANIZER"]) == "mailto:no-reply@itas.example"
    assert item["ORGANIZER"].params["CN"] == "ITAS สำนักงาน ป.ป.ช."


def test_outbox_offers_each_attachment_for_download_as_it_was_sent(client, world):
    event = make_event()
    calendar = ics(event)
    message = EmailMultiAlternatives(
        subject="ลงทะเบียนเรียบร้อย", body="ข้อความ", to=["somchai@bungngam.go.th"]
    )
    message.attach_alternative("<p>ข้อความ</p>", "text/html")
    message.attach("event.ics", calendar, "text/calendar")
    OutboxBackend().send_messages([message])
    stored = OutboxMessage.objects.get()
    url = reverse("core:outbox_attachment", args=[stored.pk, 0])

    client.login(username=world.nacc.email, password=PASSWORD)
    for page in ("core:outbox", "core:outbox_message"):
        args = [stored.pk] if page == "core:outbox_message" else []
        assert f'href="{url}"' in client.get(reverse(page, args=args)).content.decode()
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert response["Content-Disposition"] == 'attachment; filename="event.ics"'
    _cal, item = _parsed(response.content.decode())
    assert str(item["SUMMARY"]) == event.title

    # No such attachment: a clear 404, not a 500; and only NACC reads the outbox.
    assert client.get(reverse("core:outbox_attachment", args=[stored.pk, 1])).status_code == 404
    client.login(username=world.agency_admin.email, password=PASSWORD)
    assert client.get(url).status_code == 403
