import datetime as dt

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from icalendar import Calendar

from itas.cycles.models import PhaseKind, ReminderSent
from itas.cycles.reminders import send_deadline_reminders
from itas.cycles.tasks import send_reminders
from tests.cycles.helpers import make_cycle
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def test_calendar_page_shows_buddhist_era_dates(client, world):
    cycle = make_cycle(world.nacc)
    survey = cycle.phase(PhaseKind.SURVEY)
    response = client.get(reverse("cycles:calendar", args=[cycle.pk]))
    assert response.status_code == 200
    text = response.content.decode()
    assert str(survey.ends_on.year + 543) in text
    assert "เก็บข้อมูล" in text or "IIT/EIT" in text
    assert reverse("cycles:ics", args=[cycle.pk]) in text


def test_ics_feed_has_one_all_day_event_per_phase(client, world):
    cycle = make_cycle(world.nacc)
    response = client.get(reverse("cycles:ics", args=[cycle.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    cal = Calendar.from_ical(response.content)
    events = [c for c in cal.walk() if c.name == "VEVENT"]
    assert len(events) == cycle.phases.count() == 7
    survey = cycle.phase(PhaseKind.SURVEY)
    ev = next(e for e in events if str(e["uid"]).startswith(f"cycle-{cycle.pk}-survey@"))
    assert ev.decoded("dtstart") == survey.starts_on
    assert ev.decoded("dtend") == survey.ends_on + dt.timedelta(days=1)


def test_reminders_go_to_agency_admins_once(world, settings):
    settings.ITAS_REMINDER_DAYS_BEFORE = [7]
    cycle = make_cycle(world.nacc)
    oit = cycle.phase(PhaseKind.OIT_ANSWERS)
    today = oit.ends_on - dt.timedelta(days=7)
    sent = send_deadline_reminders(today=today)
    admins_of_enrolled = {"admin@example.org", "outsider@example.org"}
    assert sent == len(mail.outbox) == 2
    assert {m.to[0] for m in mail.outbox} == admins_of_enrolled
    assert all("exec@example.org" not in m.to for m in mail.outbox)
    assert str(oit.ends_on.year + 543) in mail.outbox[0].subject
    # the same day again: nothing new
    assert send_deadline_reminders(today=today) == 0
    assert len(mail.outbox) == 2
    assert ReminderSent.objects.filter(phase=oit).count() == 2
    # a day that is no deadline minus 7: nothing
    assert send_deadline_reminders(today=today + dt.timedelta(days=1)) == 0


def test_reminder_task_and_command_run(world, settings):
    settings.ITAS_REMINDER_DAYS_BEFORE = [0]
    cycle = make_cycle(world.nacc)
    oit = cycle.phase(PhaseKind.OIT_ANSWERS)
    call_command("send_reminders", "--today", oit.ends_on.isoformat())
    assert len(mail.outbox) == 2
    assert send_reminders.delay().get() == 0  # eager; nothing due today for days_before=0


def test_only_nacc_manages_cycles(client, world):
    cycle = make_cycle(world.nacc)
    for user, expected in ((world.agency_admin, 403), (world.coordinator, 403), (world.nacc, 200)):
        client.force_login(user)
        assert client.get(reverse("cycles:phases", args=[cycle.pk])).status_code == expected
        assert client.get(reverse("cycles:new")).status_code == expected


def test_nacc_creates_a_cycle_in_the_browser_and_bad_dates_are_refused(client, world):
    from itas.frameworks.models import Framework

    fw = Framework.objects.create(code="fw-x", fiscal_year=2570, name="x", document={})
    client.login(username="nacc@example.org", password=PASSWORD)
    data = {
        "fiscal_year": 2570,
        "framework": fw.pk,
        "name": "",
        "survey_start": "2027-04-01",
        "survey_end": "2027-03-01",
    }
    response = client.post(reverse("cycles:new"), data)
    assert response.status_code == 400
    assert "ก่อนวันแรก" in response.content.decode() or "before" in response.content.decode()
    data["survey_end"] = "2027-05-31"
    response = client.post(reverse("cycles:new"), data)
    assert response.status_code == 302
    from itas.cycles.models import Cycle

    cycle = Cycle.objects.get(fiscal_year=2570)
    assert cycle.phase("survey").ends_on == dt.date(2027, 5, 31)
    response = client.post(reverse("cycles:open", args=[cycle.pk]))
    assert response.status_code == 302
    cycle.refresh_from_db()
    assert cycle.status == "open" and cycle.enrolments.count() == 2
    # closing needs the confirmation tick
    assert client.post(reverse("cycles:close", args=[cycle.pk])).status_code == 409
    cycle.refresh_from_db()
    assert cycle.status == "open"


def test_reminders_go_out_while_the_cache_is_down(world, settings):
    """The run's lock lives in the cache; with Redis down the reminders still go, once."""
    from itas.core import cacheguard
    from tests.private_services import free_port

    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{free_port()}/0",  # nothing listens there
            "OPTIONS": {"socket_timeout": 0.3, "socket_connect_timeout": 0.3},
        }
    }
    cacheguard.reset()
    try:
        settings.ITAS_REMINDER_DAYS_BEFORE = [7]
        cycle = make_cycle(world.nacc)
        today = cycle.phase(PhaseKind.OIT_ANSWERS).ends_on - dt.timedelta(days=7)
        assert send_deadline_reminders(today=today) == 2
        assert send_deadline_reminders(today=today) == 0  # the rows, not the lock, say so
        assert len(mail.outbox) == 2
    finally:
        cacheguard.reset()
