"""The practice round: a copy of the year's cycle that people try during and after the
briefing (questionnaire links, the QR poster, the OIT board, the assessor's view) without
touching real data.

It is a Cycle with is_practice set, the same framework, the same phases with the same lengths
but all starting today (so that everything can be tried at once), the same agencies with their
own access codes (never one a real cycle uses). Everything that counts reads cycles through
`Cycle.objects.real()`, so nothing from it reaches results, dashboards, exports, the API,
reminders or credibility statistics. Scoring refuses it unless asked by name: NACC's practice
scores (itas/reports/views/practice.py) are read only by the practice pages.

Reset closes the round and opens a fresh copy with the same access codes (posters printed at
the briefing keep working); what was tried in the old one stays closed and out of sight.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from itas.core import audit
from itas.core.permissions import require_perm
from itas.cycles import codes
from itas.cycles.errors import CycleError
from itas.cycles.models import Cycle, CycleStatus, Enrolment, Phase, RetiredAccessCode


def current_practice(cycle: Cycle) -> Cycle | None:
    return (
        Cycle.objects.practice()
        .filter(practice_of=cycle, status=CycleStatus.OPEN)
        .order_by("-pk")
        .first()
    )


def _codes_in_use() -> set[str]:
    live = Cycle.objects.filter(status__in=[CycleStatus.OPEN, CycleStatus.DRAFT])
    taken = set(Enrolment.objects.filter(cycle__in=live).values_list("access_code", flat=True))
    taken |= set(
        RetiredAccessCode.objects.filter(cycle__in=live).values_list("access_code", flat=True)
    )
    return taken


def _copy(actor, cycle: Cycle, keep_codes: dict[int, str] | None = None) -> Cycle:
    today = timezone.localdate()
    practice = Cycle.objects.create(
        fiscal_year=cycle.fiscal_year,
        framework=cycle.framework,
        name=_("Practice round · %(name)s") % {"name": cycle.name},
        status=CycleStatus.OPEN,
        opened_at=timezone.now(),
        is_practice=True,
        practice_of=cycle,
    )
    Phase.objects.bulk_create(
        [
            Phase(
                cycle=practice,
                kind=p.kind,
                starts_on=today,
                ends_on=today + dt.timedelta(days=(p.ends_on - p.starts_on).days),
            )
            for p in cycle.phases.all()
        ]
    )
    agencies = list(cycle.enrolments.values_list("agency_id", flat=True))
    keep_codes = keep_codes or {}
    taken = _codes_in_use()
    fresh = iter(codes.unique_codes(len(agencies), taken | set(keep_codes.values())))
    Enrolment.objects.bulk_create(
        [
            Enrolment(cycle=practice, agency_id=pk, access_code=keep_codes.get(pk) or next(fresh))
            for pk in agencies
        ],
        batch_size=1000,
    )
    return practice


def open_practice(actor, *, cycle: Cycle) -> Cycle:
    require_perm(actor, "cycles.manage_cycle", cycle, error=CycleError)
    if cycle.is_practice:
        raise CycleError(_("A practice round is made from a real cycle."))
    if cycle.status == CycleStatus.CLOSED:
        raise CycleError(_("A closed cycle has no practice round."))
    if not cycle.enrolments.exists():
        raise CycleError(_("Open the cycle (enrol the agencies) before its practice round."))
    with transaction.atomic():
        Cycle.objects.select_for_update().get(pk=cycle.pk)
        if current_practice(cycle) is not None:
            raise CycleError(_("This cycle already has an open practice round."))
        practice = _copy(actor, cycle)
        audit.record(
            actor,
            "cycles.practice.opened",
            practice,
            changes={"practice_of": [None, cycle.fiscal_year]},
        )
    return practice


def reset_practice(actor, *, practice: Cycle) -> Cycle:
    """Close the practice round and open a clean copy with the same access codes."""
    require_perm(actor, "cycles.manage_cycle", practice, error=CycleError)
    if not practice.is_practice:
        raise CycleError(_("Only a practice round can be reset."))
    if practice.status != CycleStatus.OPEN:
        raise CycleError(_("This practice round is already closed."))
    with transaction.atomic():
        old = Cycle.objects.select_for_update().get(pk=practice.pk)
        keep = dict(old.enrolments.values_list("agency_id", "access_code"))
        old.status = CycleStatus.CLOSED
        old.closed_at = timezone.now()
        old.save(update_fields=["status", "closed_at"])
        fresh = _copy(actor, old.practice_of, keep_codes=keep)
        audit.record(
            actor,
            "cycles.practice.reset",
            fresh,
            changes={"replaces": [old.pk, fresh.pk]},
        )
    return fresh
