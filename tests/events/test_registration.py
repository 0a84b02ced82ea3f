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
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def _post(client, event, **overrides):
    data = {
        "agency": BUNG_NGAM,
        "full_name": "นายสมชาย ใจดี",
        "position": "ปลัดเทศบาล",
        "email": "somchai@bungngam.go.th",
        "phone": "081 234 5678",
    }
    extra = {"REMOTE_ADDR": overrides.pop("REMOTE_ADDR")} if "REMOTE_ADDR" in overrides else {}
    data.update(overrides)
    return client.post(reverse("events:register", args=[event.public_code]), data, **extra)


def _confirm_path(message) -> str:
    return re.search(r"(/events/confirm/[^/\s]+/)", message.body).group(1)


def _register_and_confirm(client, event, **overrides):
    response = _post(client, event, **overrides)
    assert response.status_code == 302, response.content.decode()[:2000]
    message = mail.outbox[-1]
    return client.post(_confirm_path(message))


def test_a_request_holds_no_seat_until_confirmed_from_the_email(client, webinar):
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
        RegistrationStatus.PENDING,
    )
    assert reg.expires_at > timezone.now()
    assert Registration.objects.holding_seats().count() == 0
    waiting = client.get(response["Location"]).content.decode()
    assert 'id="awaiting"' in waiting and "somchai@bungngam.go.th" in waiting

    # The first e-mail carries only the link to confirm: nothing an outsider could use.
    (verify,) = mail.outbox
    assert verify.to == ["somchai@bungngam.go.th"]
    assert "ยืนยัน" in verify.subject
    for text in (verify.body, verify.alternatives[0][0]):
        assert "/events/confirm/" in text
        assert "ITA2564" not in text and "912 3456 7890" not in text
        assert "zoom.example" not in text

    # Opening the link (as a mail scanner would) takes nothing; the person's POST does.
    path = _confirm_path(verify)
    assert "ยืนยันการลงทะเบียน" in client.get(path).content.decode()
    reg.refresh_from_db()
    assert reg.status == RegistrationStatus.PENDING
    done = client.post(path)
    assert done.status_code == 302
    reg.refresh_from_db()
    assert reg.status == RegistrationStatus.REGISTERED and reg.confirmed_at is not None
    assert AuditEntry.objects.filter(action="events.registration.created").count() == 1

    message = mail.outbox[-1]
    assert len(mail.outbox) == 2
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

    registered = client.get(done["Location"]).content.decode()
    assert "somchai@bungngam.go.th" in registered and 'id="awaiting"' not in registered

    # Confirming twice changes nothing and sends nothing more.
    client.post(path)
    assert len(mail.outbox) == 2

    # The link in the e-mail cancels the seat.
    cancel_path = re.search(r"(/events/cancel/[^/\s]+/)", message.body).group(1)
    assert client.get(cancel_path).status_code == 200
    client.post(cancel_path + "confirm/")
    reg.refresh_from_db()
    assert reg.status == RegistrationStatus.CANCELLED


def test_seat_limit_per_agency_holds_and_a_cancelled_seat_frees_up(client, webinar):
    assert _register_and_confirm(client, webinar, email="a@x.go.th").status_code == 302
    assert _register_and_confirm(client, webinar, email="b@x.go.th").status_code == 302
    third = _post(client, webinar, email="c@x.go.th")
    assert third.status_code == 400
    assert "ครบ" in third.content.decode()
    assert Registration.objects.filter(agency__code=BUNG_NGAM).count() == 2
    first = Registration.objects.get(email="a@x.go.th")
    services.cancel_registration(None, registration=first)
    assert _register_and_confirm(client, webinar, email="c@x.go.th").status_code == 302
    assert Registration.objects.holding_seats().filter(agency__code=BUNG_NGAM).count() == 2


def test_the_seat_goes_to_whoever_confirms_first(client, webinar):
    webinar.seats_per_agency = 1
    webinar.save()
    assert _post(client, webinar, email="a@x.go.th").status_code == 302
    assert _post(client, webinar, email="b@x.go.th").status_code == 302
    first, second = (_confirm_path(m) for m in mail.outbox)
    assert client.post(second).status_code == 302
    late = client.post(first)
    assert late.status_code == 400
    assert "ครบ" in late.content.decode()
    assert Registration.objects.get(email="a@x.go.th").status == RegistrationStatus.PENDING
    assert Registration.objects.holding_seats().get().email == "b@x.go.th"


def test_an_unconfirmed_request_expires(client, webinar):
    assert _post(client, webinar).status_code == 302
    reg = Registration.objects.get()
    later = reg.expires_at + dt.timedelta(seconds=1)
    with pytest.raises(services.EventError, match="หมดอายุ"):
        services.confirm_registration(None, registration=reg, now=later)
    reg.refresh_from_db()
    assert reg.status == RegistrationStatus.EXPIRED
    assert Registration.objects.holding_seats().count() == 0
    page = client.get(_confirm_path(mail.outbox[0]))
    assert "ลงทะเบียนใหม่" in page.content.decode()


def test_total_seats_hold(client, webinar):
    webinar.seats_total = 1
    webinar.save()
    assert _register_and_confirm(client, webinar).status_code == 302
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


def test_emails_to_one_address_are_limited(client, webinar, settings):
    settings.ITAS_EVENT_LIMITS = {"per_address_per_hour": 3}
    for i in range(3):
        # Each is a new client, so only the address's limit can trip.
        response = _post(client, webinar, REMOTE_ADDR=f"10.0.0.{i}")
        assert response.status_code == 302
    fourth = _post(client, webinar, agency=NONG_DOEN)
    assert fourth.status_code == 429
    assert int(fourth["Retry-After"]) > 0
    assert "somchai@bungngam.go.th" in fourth.content.decode()
    assert len(mail.outbox) == 3
    # Repeated requests from one address reuse one row: no pile of pending requests.
    assert Registration.objects.count() == 1


def test_the_recorded_flood_is_stopped_and_flagged(client, world, webinar, bk_registry, settings):
    """The attack on record: one client asked for seats for every target agency with made-up
    addresses. Now nothing holds a seat, the client is stopped at its hourly limit, and the
    organiser sees the requests as suspicious and can release them."""
    from itas.events.models import TargetMember

    settings.ITAS_EVENT_LIMITS = {"per_client_per_hour": 30}
    for agency in bk_registry.values():
        TargetMember.objects.get_or_create(group=webinar.target_group, agency=agency)
    codes = list(webinar.target_group.members.values_list("agency__code", flat=True))
    statuses = []
    for i in range(40):
        statuses.append(
            _post(
                client, webinar, agency=codes[i % len(codes)], email=f"x{i}@evil.example"
            ).status_code
        )
    assert statuses.count(302) == 30 and statuses[30:] == [429] * 10
    assert len(mail.outbox) == 30
    assert Registration.objects.holding_seats().count() == 0

    client.login(username=world.nacc.email, password=PASSWORD)
    page = client.get(reverse("events:detail", args=[webinar.pk]))
    flagged = page.context["suspicious"]
    assert len(flagged) == 30
    assert 'id="suspicious"' in page.content.decode()
    target = flagged[0]
    response = client.post(reverse("events:release", args=[target.pk]))
    assert response.status_code == 302
    target.refresh_from_db()
    assert target.status == RegistrationStatus.RELEASED
    assert AuditEntry.objects.filter(
        action="events.registration.released", actor=world.nacc
    ).exists()
    # A released request cannot be confirmed afterwards.
    with pytest.raises(services.EventError):
        services.confirm_registration(None, registration=target)


def test_an_honest_office_is_not_flagged(client, world, webinar):
    _register_and_confirm(client, webinar, email="a@x.go.th")
    _register_and_confirm(client, webinar, email="b@x.go.th")
    _register_and_confirm(client, webinar, agency=NONG_DOEN, email="c@x.go.th")
    client.login(username=world.nacc.email, password=PASSWORD)
    page = client.get(reverse("events:detail", args=[webinar.pk]))
    assert page.context["suspicious"] == []
    assert 'id="suspicious"' not in page.content.decode()


def test_only_the_organiser_may_release(client, world, webinar):
    _register_and_confirm(client, webinar)
    reg = Registration.objects.get()
    client.login(username=world.agency_admin.email, password=PASSWORD)
    assert client.post(reverse("events:release", args=[reg.pk])).status_code == 403
    reg.refresh_from_db()
    assert reg.status == RegistrationStatus.REGISTERED


def test_a_title_with_a_line_break_is_cleaned_and_emails_still_go(client, world, webinar):
    client.login(username=world.nacc.email, password=PASSWORD)
    local = timezone.localtime(webinar.starts_at)
    data = {
        "title": "สัมมนา ITA\r\nBcc: victim@example.org",
        "kind": "webinar",
        "starts_at": local.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (local + dt.timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M"),
        "registration_deadline": timezone.localtime(webinar.registration_deadline).strftime(
            "%Y-%m-%dT%H:%M"
        ),
        "seats_per_agency": 2,
        "target_group": webinar.target_group_id,
        "s-TOTAL_FORMS": 0,
        "s-INITIAL_FORMS": 0,
    }
    response = client.post(reverse("events:edit", args=[webinar.pk]), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    webinar.refresh_from_db()
    assert webinar.title == "สัมมนา ITA Bcc: victim@example.org"
    client.logout()
    assert _register_and_confirm(client, webinar).status_code == 302
    assert len(mail.outbox) == 2
    assert all("\n" not in m.subject and "\r" not in m.subject for m in mail.outbox)
    assert mail.outbox[0].to == ["somchai@bungngam.go.th"]


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
    assert _register_and_confirm(client, webinar).status_code == 302
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
    """Eight people of one agency confirm at once for two seats (PostgreSQL: row lock)."""
    from tests.events.conftest import make_event, make_group

    event = make_event(target_group=make_group([bk_registry[BUNG_NGAM]]))
    requests = [
        services.register(
            None,
            event=event,
            agency_code=BUNG_NGAM,
            full_name=f"คนที่ {i}",
            position="เจ้าหน้าที่",
            email=f"p{i}@bungngam.go.th",
            phone="0800000000",
        )
        for i in range(8)
    ]
    barrier = threading.Barrier(8)
    outcomes = []

    def attempt(registration):
        from django.db import connection as conn

        barrier.wait()
        try:
            services.confirm_registration(None, registration=registration)
            outcomes.append("ok")
        except services.EventError:
            outcomes.append("refused")
        finally:
            conn.close()

    threads = [threading.Thread(target=attempt, args=(r,)) for r in requests]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert outcomes.count("ok") == 2
    assert outcomes.count("refused") == 6
    assert Registration.objects.filter(event=event).holding_seats().count() == 2
