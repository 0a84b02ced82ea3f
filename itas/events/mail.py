"""The e-mails of events: the confirmation (HTML + text + .ics) and the coordinators' reminder.
Sent through core's background task (in-process when no broker is set)."""

from __future__ import annotations

import datetime as dt
import logging
from email.utils import parseaddr
from zoneinfo import ZoneInfo

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Alarm, Calendar, vCalAddress, vText
from icalendar import Event as CalendarEvent

from itas.core import links, thaidate
from itas.core.tasks import send_mail
from itas.events.models import Event, Registration

log = logging.getLogger(__name__)


def _base(base_url: str) -> str:
    return (base_url or links.public_base()).rstrip("/")


def agenda_text(event: Event) -> str:
    lines = []
    for s in event.sessions.all():
        when = thaidate.format_time(s.starts)
        if s.ends:
            when += " – " + thaidate.format_time(s.ends)
        line = f"{when}  {s.topic}"
        if s.speakers:
            line += f" ({_('by')} {s.speakers})"
        lines.append(line)
    return "\n".join(lines)


# Reminders the calendar app shows before the event: the day before, and shortly before it starts.
ALARMS = (dt.timedelta(days=-1), dt.timedelta(minutes=-30))


def _organizer(event: Event) -> vCalAddress:
    """Who runs the event: its contact officer's e-mail, else the address ITAS sends from."""
    name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    address = event.contact_email or address
    organizer = vCalAddress(f"mailto:{address}")
    organizer.params["cn"] = vText(event.contact_name or name or "ITAS")
    return organizer


def ics(event: Event, registration: Registration | None = None) -> str:
    """The event as an iCalendar file: times in Bangkok time with the zone described in the file
    (VTIMEZONE), who organises it, and two reminders."""
    tz = ZoneInfo(settings.TIME_ZONE)
    cal = Calendar()
    cal.add("prodid", "-//ITAS//events//TH")
    cal.add("version", "2.0")
    cal.add("method", "PUBLISH")
    item = CalendarEvent()
    item.add("uid", f"itas-event-{event.pk}-{registration.pk if registration else 0}@itas")
    item.add("dtstamp", timezone.now())
    item.add("dtstart", event.starts_at.astimezone(tz))
    item.add("dtend", event.ends_at.astimezone(tz))
    item.add("summary", event.title)
    details = [agenda_text(event)]
    if event.join_url:
        details.append(f"{_('Join link')}: {event.join_url}")
    if event.meeting_id:
        details.append(f"{_('Meeting ID')}: {event.meeting_id}")
    if event.passcode:
        details.append(f"{_('Passcode')}: {event.passcode}")
    item.add("description", "\n".join(d for d in details if d))
    item.add("location", event.join_url or event.venue or "")
    if event.join_url:
        item.add("url", event.join_url)
    item.add("organizer", _organizer(event))
    for trigger in ALARMS:
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", event.title)
        alarm.add("trigger", trigger)
        item.add_component(alarm)
    cal.add_component(item)
    cal.add_missing_timezones()
    return cal.to_ical().decode("utf-8")


def _send(*, subject: str, to: list[str], template: str, context: dict, attachments=()) -> bool:
    """E-mail `events/email/<template>.txt` and `.html` rendered with `context`."""
    text = render_to_string(f"events/email/{template}.txt", context)
    html = render_to_string(f"events/email/{template}.html", context)
    # A line break in a subject makes Django refuse the whole message (BadHeaderError); titles
    # are cleaned at input, and this keeps an older stored title from silencing every e-mail.
    subject = " ".join(subject.split())
    try:
        send_mail.delay(subject=subject, body=text, to=to, html=html, attachments=list(attachments))
        return True
    except Exception:  # noqa: BLE001 - the registration stands; the mail can be re-sent
        log.exception("events: e-mail to %s not sent", to)
        return False


def send_verification(registration: Registration, *, base_url: str = "") -> bool:
    """The first e-mail: a link to confirm, and nothing an outsider could use (no join link,
    no passcode), so a request made with someone else's address gives nothing away."""
    from itas.events.services import confirm_token

    event = registration.event
    base = _base(base_url)
    context = {
        "registration": registration,
        "event": event,
        "confirm_url": base + reverse("events:confirm", args=[confirm_token(registration)]),
        "event_url": base + event.public_path(),
    }
    subject = _("Confirm your registration: %(title)s") % {"title": event.title}
    return _send(subject=subject[:250], to=[registration.email], template="verify", context=context)


def send_confirmation(registration: Registration, *, base_url: str = "") -> bool:
    from itas.events.services import cancel_token

    event = registration.event
    base = _base(base_url)
    context = {
        "registration": registration,
        "event": event,
        "sessions": list(event.sessions.all()),
        "attachments": list(event.attachments.all()),
        "base": base,
        "cancel_url": base + reverse("events:cancel", args=[cancel_token(registration)]),
        "event_url": base + event.public_path(),
    }
    subject = _("Registration confirmed: %(title)s") % {"title": event.title}
    return _send(
        subject=subject[:250],
        to=[registration.email],
        template="confirmation",
        context=context,
        attachments=[("event.ics", ics(event, registration), "text/calendar")],
    )


def send_reminder(event: Event, province, missing: list, coordinators: list, *, base_url: str = ""):
    """The coordinators' reminder goes through the one notification service: a line in their
    inbox linked to the follow-up page, and this e-mail for those who want e-mail."""
    from itas.core.notifications import notify

    base = _base(base_url)
    followup = reverse("events:followup", args=[event.pk])
    context = {
        "event": event,
        "province": province,
        "missing": missing,
        "event_url": base + event.public_path(),
        "followup_url": base + followup,
        "deadline": event.registration_deadline,
    }
    subject = _("%(n)s target agencies of %(province)s have not registered: %(title)s") % {
        "n": len(missing),
        "province": province.name_th,
        "title": event.title,
    }
    return notify(
        recipients=coordinators,
        message=subject,
        link=followup,
        kind="events.event.reminder",
        subject=" ".join(subject.split())[:250],
        body=render_to_string("events/email/reminder.txt", context),
        html=render_to_string("events/email/reminder.html", context),
    )
