"""Deadline reminders: e-mails to agency admins N days (settings.ITAS_REMINDER_DAYS_BEFORE)
before the last day of each phase an agency must act in. Run daily (the `send_reminders`
command or the Celery task); a ReminderSent row per (phase, agency, deadline, days) makes a
second run the same day send nothing."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core import mail
from django.core.cache import cache
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from itas.accounts.queries import agency_admin_emails
from itas.core import cacheguard, links
from itas.core.thaidate import format_date
from itas.cycles.models import AGENCY_DEADLINE_PHASES, Cycle, CycleStatus, ReminderSent

LOCK_KEY = "itas:cycles:reminders-running"


def due_reminders(today: dt.date, days_before: list[int]):
    """(phase, days) pairs whose deadline is exactly `days` away from today."""
    targets = {today + dt.timedelta(days=d): d for d in days_before}
    for cycle in Cycle.objects.real().filter(status=CycleStatus.OPEN).prefetch_related("phases"):
        for phase in cycle.phases.all():
            if phase.kind in AGENCY_DEADLINE_PHASES and phase.ends_on in targets:
                yield phase, targets[phase.ends_on]


def send_deadline_reminders(*, today: dt.date | None = None) -> int:
    """Send the reminders due today; returns how many e-mails went out."""
    today = today or timezone.localdate()
    days_before = sorted(set(getattr(settings, "ITAS_REMINDER_DAYS_BEFORE", [7, 1])))
    # The lock only keeps two runs from working at once; with the cache down the run goes on
    # (the rows of reminders already sent still keep an agency from getting one twice).
    if not cacheguard.guarded(
        "reminders.lock", lambda: cache.add(LOCK_KEY, "1", timeout=3600), fallback=True
    ):
        return 0  # another run is sending right now
    try:
        sent = 0
        for phase, days in due_reminders(today, days_before):
            sent += _send_for_phase(phase, days)
        return sent
    finally:
        cacheguard.guarded("reminders.lock", lambda: cache.delete(LOCK_KEY), fallback=False)


def _send_for_phase(phase, days: int) -> int:
    cycle = phase.cycle
    done = set(
        ReminderSent.objects.filter(
            phase=phase, deadline=phase.ends_on, days_before=days
        ).values_list("enrolment_id", flat=True)
    )
    enrolments = {
        e.agency_id: e
        for e in cycle.enrolments.exclude(pk__in=done)
        .select_related("agency")
        .only("pk", "agency_id", "agency__name", "agency__kind")
    }
    admins = agency_admin_emails(enrolments)

    calendar_url = links.public_base() + reverse("cycles:calendar", args=[cycle.pk])
    messages, rows = [], []
    with translation.override("th"):
        subject = _("Reminder: “%(phase)s” of %(cycle)s ends on %(date)s") % {
            "phase": phase.get_kind_display(),
            "cycle": cycle,
            "date": format_date(phase.ends_on),
        }
        for agency_id, enrolment in enrolments.items():
            to = admins.get(agency_id)
            if not to:
                continue
            body = _(
                "Dear administrator of %(agency)s,\n\n"
                "“%(phase)s” of %(cycle)s ends on %(date)s, in %(days)s day(s).\n"
                "Please finish your agency's part before then.\n\n"
                "The whole calendar: %(url)s\n\n"
                "This e-mail was sent automatically by ITAS."
            ) % {
                "agency": enrolment.agency,
                "phase": phase.get_kind_display(),
                "cycle": cycle,
                "date": format_date(phase.ends_on),
                "days": days,
                "url": calendar_url,
            }
            messages.append(mail.EmailMessage(subject, body, to=to))
            rows.append(
                ReminderSent(
                    phase=phase,
                    enrolment=enrolment,
                    deadline=phase.ends_on,
                    days_before=days,
                    recipients=len(to),
                )
            )
    if not messages:
        return 0
    # Record first (ignore_conflicts keeps the unique constraint honest under a race), then send.
    with transaction.atomic():
        ReminderSent.objects.bulk_create(rows, batch_size=1000, ignore_conflicts=True)
    connection = mail.get_connection()
    return connection.send_messages(messages) or 0
