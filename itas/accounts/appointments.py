"""Appointments with a deadline: who each agency must have named (seed letter 000: one admin,
one responsible executive, an officer for each function), what is missing, coverage by
province and district, and reminders to the agencies with gaps (at most one a day each).
The roles themselves are the record; nothing here grants or widens any role."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from itas.accounts.models import RoleAssignment
from itas.accounts.models_appointments import AppointmentDeadline, AppointmentReminder
from itas.agencies.models import Agency
from itas.core import audit, thaidate
from itas.core.errors import DomainError
from itas.core.permissions import require_perm
from itas.core.roles import Function, Role

REMIND_EVERY = dt.timedelta(hours=24)

# (code, label): what every agency must have.
REQUIRED = [
    ("admin", gettext_lazy("Admin")),
    ("executive", gettext_lazy("Responsible executive")),
    *[(f.value, f.label) for f in Function],
]


class AppointmentError(DomainError):
    pass


def deadline(fiscal_year: int) -> AppointmentDeadline | None:
    return AppointmentDeadline.objects.filter(fiscal_year=fiscal_year).first()


def current_deadline() -> AppointmentDeadline | None:
    return AppointmentDeadline.objects.order_by("-fiscal_year").first()


def set_deadline(actor, *, fiscal_year: int, due_on: dt.date) -> AppointmentDeadline:
    require_perm(
        actor,
        "accounts.set_appointment_deadline",
        error=AppointmentError,
        message=_("Only NACC sets the appointment deadline."),
    )
    with transaction.atomic():
        row, created = AppointmentDeadline.objects.update_or_create(
            fiscal_year=fiscal_year, defaults={"due_on": due_on, "set_by": actor}
        )
        audit.record(
            actor,
            "accounts.appointments.deadline_set",
            row,
            changes={"due_on": [None, due_on.isoformat()]},
        )
    return row


def _code(role: str, function: str) -> str | None:
    if role == Role.AGENCY_ADMIN:
        return "admin"
    if role == Role.AGENCY_EXECUTIVE:
        return "executive"
    if role == Role.AGENCY_OFFICER and function:
        return function
    return None


def filled(agency_ids) -> dict[int, set[str]]:
    """{agency id: the required codes it has someone active for}, in one query."""
    out: dict[int, set[str]] = defaultdict(set)
    rows = RoleAssignment.objects.filter(
        agency_id__in=agency_ids, is_active=True, user__is_active=True
    ).values_list("agency_id", "role", "function")
    for agency_id, role, function in rows:
        code = _code(role, function)
        if code:
            out[agency_id].add(code)
    return out


def missing_labels(codes: set[str]) -> list[str]:
    return [str(label) for code, label in REQUIRED if code not in codes]


@dataclass
class Coverage:
    name: str
    agencies: int = 0
    complete: int = 0
    by_code: dict[str, int] = field(default_factory=dict)

    @property
    def percent(self) -> int:
        return round(100 * self.complete / self.agencies) if self.agencies else 0


def coverage(user, *, by: str = "province"):
    """Per province (or district) of the user's scope: agencies, how many have everyone, and
    how many have each required person; plus the agencies with gaps."""
    agencies = list(
        Agency.objects.in_scope(user)
        .filter(is_active=True)
        .select_related("province", "district")
        .order_by("province__sort_key", "district__sort_key", "kind", "name")
    )
    have = filled([a.pk for a in agencies])
    groups: dict[str, Coverage] = {}
    gaps = []
    for a in agencies:
        key = a.province.name_th if by == "province" else (a.district.name_th if a.district else "")
        group = groups.setdefault(key, Coverage(name=key, by_code={c: 0 for c, _l in REQUIRED}))
        codes = have.get(a.pk, set())
        group.agencies += 1
        for code in codes:
            if code in group.by_code:
                group.by_code[code] += 1
        missing = missing_labels(codes)
        if missing:
            gaps.append((a, missing))
        else:
            group.complete += 1
    return list(groups.values()), gaps


def remind(actor, *, fiscal_year: int) -> dict[str, int]:
    """Tell each agency of the actor's scope with gaps what is missing and by when: its admin
    through the inbox (and e-mail), or, without an admin, the agency's registry e-mail. At most
    once a day per agency, however often the button is pressed."""
    from itas.core.notifications import notify
    from itas.core.tasks import send_mail

    require_perm(actor, "accounts.view_appointments", error=AppointmentError)
    due = deadline(fiscal_year)
    _groups, gaps = coverage(actor)
    now = timezone.now()
    recent = set(
        AppointmentReminder.objects.filter(
            fiscal_year=fiscal_year, sent_at__gt=now - REMIND_EVERY
        ).values_list("agency_id", flat=True)
    )
    admins: dict[int, list] = defaultdict(list)
    for ra in RoleAssignment.objects.filter(
        role=Role.AGENCY_ADMIN,
        agency_id__in=[a.pk for a, _m in gaps],
        is_active=True,
        user__is_active=True,
    ).select_related("user"):
        admins[ra.agency_id].append(ra.user)
    sent = skipped = 0
    with transaction.atomic():
        for agency, missing in gaps:
            if agency.pk in recent:
                skipped += 1
                continue
            message = _(
                "%(agency)s has not yet named: %(missing)s. Please appoint them in ITAS%(by)s."
            ) % {
                "agency": agency.full_name,
                "missing": ", ".join(missing),
                "by": (_(" by %(date)s") % {"date": thaidate.format_date(due.due_on)})
                if due
                else "",
            }
            if admins.get(agency.pk):
                notify(
                    recipients=admins[agency.pk],
                    kind="accounts.appointments.reminder",
                    message=message,
                    link=reverse("accounts:agency_people", args=[agency.code]),
                )
            elif agency.email:
                transaction.on_commit(
                    lambda m=message, to=agency.email: send_mail.delay(
                        subject=_("ITA: people to appoint"), body=m, to=[to]
                    )
                )
            else:
                skipped += 1
                continue
            AppointmentReminder.objects.create(agency=agency, fiscal_year=fiscal_year)
            sent += 1
        audit.record(
            actor,
            "accounts.appointments.reminded",
            None,
            changes={"agencies": [None, sent]},
            note=str(fiscal_year),
        )
    return {"gaps": len(gaps), "reminded": sent, "skipped": skipped}
