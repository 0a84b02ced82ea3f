"""Registration by the public link: seats, deadline, bad input, the confirmation e-mail, cancel."""

import datetime as dt
import re
import threading

import pytest
from django.core import mail
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from itas.core.models import AuditEntry
from itas.events import services
from itas.events.models import Registration, RegistrationStatus
from tests.events.bueng_kan import BUNG_NGAM, NONG_DOEN

pytestmark = pytest.mark.django_db


def _post(client, event, **overrides):
    data = {
        "agency": BUNG_NGAM,
        "full_name": "นายสมชาย ใจดี",
        "position": "ปลัดเทศบาล",
        "email": "somchai@bungngam.go.th",
        "phone": "081 234 5678",
    }
    data.update(overrides)
    return client.post(reverse("events:register", args=[event.public_code]), data)


def test_register_sends_confirmation_with_meeting_details_ics_and_cancel_link(client, webinar):
    page = client.get(reverse("events:register", args=[webinar.public_code]))
    assert page.status_code == 200
    # The meeting ID and passcode are for registrants only, never on the public page.
    assert webinar.passcode not in page.content.decode()
    assert webinar.meeting_id not in page.content.decode()

    response = _post(client, webinar)
    assert response.status_code == 302
    assert response["Location"] == reverse("events:registered", args=[webinar.public_code])
    reg = Registration.objects.get()
    assert (reg.agency.code, reg.email, reg.status) == (
        BUNG_NGAM,
        "somchai@bungngam.go.th",
        RegistrationStatus.REGISTERED,
    )
    assert AuditEntry.objects.filter(action="events.registration.created").count() == 1

    (message,) = mail.outbox
    assert message.to == ["somchai@bungngam.go.th"]
    assert "ลงทะเบียน" in message.subject
    for text in (message.body, message.alternatives[0][0]):
        assert "912 3456 7890" in text and "ITA2564" in text
        assert "https://zoom.example/j/91234567890" in text
        assert "เจาะลึกการประเมิน ITA" in text
        assert "/events/cancel/" in text
    assert message.alternatives[0][1] == "text/html"
    name, ics, mimetype = message.attachments[0]
    assert (name, mimetype) == ("event.ics", "text/calendar")
    assert "BEGIN:VEVENT" in ics and "ITA2564" in ics.replace("\r\n ", "")

    done = client.get(response["Location"])
    assert "somchai@bungngam.go.th" in done.content.decode()

    # The link in the e-mail cancels the seat.
    cancel_path = re.search(r"(/events/cancel/[^/\s]+/)", message.body).group(1)
    assert client.get(cancel_path).status_code == 200
    client.post(cancel_path + "confirm/")
    reg.refresh_from_db()
    assert reg.status == RegistrationStatus.CANCELLED


def test_seat_limit_per_agency_holds_and_a_cancelled_seat_frees_up(client, webinar):
    assert _post(client, webinar, email="a@x.go.th").status_code == 302
    assert _post(client, webinar, email="b@x.go.th").status_code == 302
    third = _post(client, webinar, email="c@x.go.th")
    assert third.status_code == 400
    assert "ครบ" in third.content.decode() or "2" in third.content.decode()
    assert Registration.objects.filter(agency__code=BUNG_NGAM).count() == 2
    first = Registration.objects.get(email="a@x.go.th")
    services.cancel_registration(registration=first)
    assert _post(client, webinar, email="c@x.go.th").status_code == 302


def test_total_seats_hold(client, webinar):
    webinar.seats_total = 1
    webinar.save()
    assert _post(client, webinar).status_code == 302
    second = _post(client, webinar, agency=NONG_DOEN, email="other@x.go.th")
    assert second.status_code == 400
    assert Registration.objects.count() == 1


def test_registration_after_the_deadline_is_refused(client, webinar):
    webinar.registration_deadline = timezone.now() - dt.timedelta(minutes=1)
    webinar.save()
    page = client.get(reverse("events:register", args=[webinar.public_code]))
    assert "ปิด" in page.content.decode()  # the page says registration has closed
    response = _post(client, webinar)
    assert response.status_code == 400
    assert Registration.objects.count() == 0
    assert not mail.outbox


@pytest.mark.parametrize(
    "overrides",
    [
        {"agency": "9999999"},  # made up
        {"agency": "6500101"},  # exists, but in Chiang Mai, not in the target group
        {"agency": ""},
        {"email": "somchai(at)bungngam"},
        {"email": "somchai@"},
        {"full_name": ""},
    ],
)
def test_bad_input_is_refused_with_a_message_and_nothing_stored(client, webinar, overrides):
    response = _post(client, webinar, **overrides)
    assert response.status_code == 400
    assert 'class="invalid-feedback' in response.content.decode() or "alert-danger" in (
        response.content.decode()
    )
    assert Registration.objects.count() == 0
    assert not mail.outbox


def test_same_email_twice_is_refused(client, webinar):
    assert _post(client, webinar).status_code == 302
    again = _post(client, webinar, agency=NONG_DOEN)
    assert again.status_code == 400
    assert Registration.objects.count() == 1


def test_agency_search_offers_only_target_agencies_with_seats_left(client, webinar):
    url = reverse("events:agency_search", args=[webinar.public_code])
    html = client.get(url, {"q": "บึง"}).content.decode()
    assert "เทศบาลตำบลบึงงาม" in html
    assert "องค์การบริหารส่วนจังหวัดบึงกาฬ" in html
    assert "บึงโขงหลง" not in html.split("เทศบาลตำบลบึงงาม")[0]  # not a target
    by_code = client.get(url, {"q": NONG_DOEN}).content.decode()
    assert "หนองเดิ่น" in by_code
    assert "ทดสอบเชียงใหม่" not in client.get(url, {"q": "ทดสอบ"}).content.decode()


def test_forged_cancel_token_is_refused(client, webinar):
    response = client.get(reverse("events:cancel", args=["not-a-token"]))
    assert response.status_code == 400


def test_qr_code_is_an_svg_and_a_png(client, webinar):
    svg = client.get(reverse("events:qr", args=[webinar.public_code]))
    assert svg["Content-Type"] == "image/svg+xml" and b"<svg" in svg.content
    png = client.get(reverse("events:qr", args=[webinar.public_code]), {"format": "png"})
    assert png.content[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="concurrency is tested on PostgreSQL (SQLite serialises writers with BEGIN IMMEDIATE)",
)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_registrations_never_exceed_the_seats(world, bk_registry):
    """Eight people of one agency register at once for two seats (PostgreSQL: row lock)."""
    from tests.events.conftest import make_event, make_group

    event = make_event(target_group=make_group([bk_registry[BUNG_NGAM]]))
    barrier = threading.Barrier(8)
    outcomes = []

    def attempt(i):
        from django.db import connection as conn

        barrier.wait()
        try:
            services.register(
                event=event,
                agency_code=BUNG_NGAM,
                full_name=f"คนที่ {i}",
                position="เจ้าหน้าที่",
                email=f"p{i}@bungngam.go.th",
                phone="0800000000",
            )
            outcomes.append("ok")
        except services.EventError:
            outcomes.append("refused")
        finally:
            conn.close()

    threads = [threading.Thread(target=attempt, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert outcomes.count("ok") == 2
    assert outcomes.count("refused") == 6
    assert Registration.objects.filter(event=event).count() == 2
