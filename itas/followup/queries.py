"""Which agencies in a person's scope are behind, and why: the survey sample below its
minimum, OIT items not yet handed in, an event they are targeted by and not registered for.
A handful of grouped queries whatever the number of agencies."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from itas.accounts.queries import agency_people
from itas.agencies.models import Agency
from itas.cycles.models import Cycle, PhaseKind
from itas.disclosure.framework import oit_items
from itas.disclosure.models import ItemAnswer
from itas.events.models import Event, RegistrationStatus
from itas.surveys.queries import progress_rows

from .models import AgencyReminder

REASONS = {
    "survey": _("IIT sample below the minimum"),
    "oit": _("OIT items not handed in"),
    "event": _("Not registered for an event"),
}


@dataclass
class Row:
    agency: Agency
    enrolment_id: int = 0
    iit: int = 0
    iit_minimum: int | None = None
    population: int | None = None
    oit_submitted: int = 0
    oit_total: int = 0
    events: list = field(default_factory=list)
    reasons: list = field(default_factory=list)
    admins: list = field(default_factory=list)
    last: AgencyReminder | None = None

    @property
    def reason_labels(self) -> list[str]:
        return [str(REASONS[r]) for r in self.reasons]


def open_events_by_agency(agency_ids) -> dict[int, list[Event]]:
    """Events still taking registrations whose target group names the agency and where the
    agency has no confirmed registration."""
    now = timezone.now()
    out: dict[int, list[Event]] = {}
    events = Event.objects.filter(target_group__isnull=False, registration_deadline__gt=now).only(
        "pk", "title", "registration_deadline", "target_group_id"
    )
    for event in events:
        registered = set(
            event.registrations.filter(status=RegistrationStatus.REGISTERED).values_list(
                "agency_id", flat=True
            )
        )
        for aid in event.target_group.agencies.filter(pk__in=list(agency_ids)).values_list(
            "pk", flat=True
        ):
            if aid not in registered:
                out.setdefault(aid, []).append(event)
    return out


def behind_rows(cycle: Cycle, user, *, reason: str = "", q: str = "", behind_only=True):
    """Rows for the agencies of the cycle in `user`'s scope; behind first."""
    survey_open = cycle.is_phase_open(PhaseKind.SURVEY)
    oit_open = cycle.is_phase_open(PhaseKind.OIT_ANSWERS)
    progress = {p.agency_id: p for p in progress_rows(cycle, user, q=q)}
    ids = list(progress)
    agencies = Agency.objects.filter(pk__in=ids).select_related("province", "district")
    total = len(oit_items(cycle)) if cycle.framework_id else 0
    submitted = dict(
        ItemAnswer.objects.filter(enrolment__cycle=cycle, enrolment__agency_id__in=ids)
        .values("enrolment__agency_id")
        .annotate(n=Count("pk", filter=Q(submitted_evidence__isnull=False)))
        .values_list("enrolment__agency_id", "n")
    )
    events = open_events_by_agency(ids)
    admins = agency_people(ids)
    last: dict[int, AgencyReminder] = {}
    for r in AgencyReminder.objects.filter(cycle=cycle, agency_id__in=ids).select_related(
        "sent_by"
    ):
        last.setdefault(r.agency_id, r)
    rows = []
    for agency in agencies:
        p = progress[agency.pk]
        row = Row(
            agency=agency,
            enrolment_id=p.enrolment_id,
            iit=p.iit,
            iit_minimum=p.iit_minimum,
            population=p.population,
            oit_submitted=submitted.get(agency.pk, 0),
            oit_total=total,
            events=events.get(agency.pk, []),
            admins=admins.get(agency.pk, []),
            last=last.get(agency.pk),
        )
        if survey_open and not p.iit_done:
            row.reasons.append("survey")
        if oit_open and total and row.oit_submitted < total:
            row.reasons.append("oit")
        if row.events:
            row.reasons.append("event")
        if reason and reason not in row.reasons:
            continue
        if behind_only and not row.reasons:
            continue
        rows.append(row)
    rows.sort(key=lambda r: (-len(r.reasons), r.agency.province_id, r.agency.name))
    return rows
