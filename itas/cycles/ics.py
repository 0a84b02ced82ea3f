"""The cycle's calendar as an iCalendar feed that agencies subscribe to (one all-day event per
phase; a moved phase keeps its UID, so subscribed calendars update it in place)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from icalendar import Calendar, Event

from itas.core import links
from itas.cycles.models import Cycle


def cycle_calendar(cycle: Cycle) -> bytes:
    host = links.public_host()
    url = links.absolute(reverse("cycles:calendar", args=[cycle.pk]))
    cal = Calendar()
    cal.add("prodid", "-//ITAS//Integrity and Transparency Assessment//TH")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", str(cycle))
    cal.add("x-wr-timezone", settings.TIME_ZONE)
    stamp = timezone.now()
    with translation.override("th"):
        for phase in cycle.phases.all():
            event = Event()
            event.add("uid", f"cycle-{cycle.pk}-{phase.kind}@{host}")
            event.add("dtstamp", stamp)
            event.add("summary", f"{phase.get_kind_display()} · {cycle}")
            event.add("dtstart", phase.starts_on)
            event.add("dtend", phase.ends_on + dt.timedelta(days=1))  # exclusive end
            event.add("url", url)
            event.add("transp", "TRANSPARENT")
            cal.add_component(event)
    return cal.to_ical()
