"""The verbs of a cycle: open it, set its calendar, enrol agencies, rotate an access code, enter
the IIT population, close it. Each takes the acting user first, checks its preconditions, runs
in one transaction and leaves an audit entry."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from itas.agencies.models import Agency
from itas.core import audit
from itas.core.permissions import require_perm
from itas.cycles import codes
from itas.cycles.errors import CycleError, PhaseClosed
from itas.cycles.models import (
    PHASE_ORDER,
    Cycle,
    CycleStatus,
    Enrolment,
    Phase,
    PhaseKind,
    RetiredAccessCode,
)
from itas.cycles.signals import cycle_closed
from itas.frameworks.models import Framework


def phase_notice(cycle: Cycle, kind: str, at: dt.datetime | None = None) -> str:
    """A sentence for a person who tries an action outside its phase: when theirs opens (or
    closed) and which phase is open now."""
    from itas.core.thaidate import format_date

    phase = cycle.phase(kind)
    label = PhaseKind(kind).label
    if cycle.status != CycleStatus.OPEN:
        text = _("The %(cycle)s assessment is not open.") % {"cycle": cycle}
    elif phase is None:
        text = _("The %(cycle)s calendar has no “%(phase)s” phase.") % {
            "cycle": cycle,
            "phase": label,
        }
    elif phase.state(at) == "upcoming":
        text = _("“%(phase)s” opens on %(start)s and runs until %(end)s.") % {
            "phase": label,
            "start": format_date(phase.starts_on),
            "end": format_date(phase.ends_on),
        }
    else:
        text = _("“%(phase)s” closed on %(end)s.") % {
            "phase": label,
            "end": format_date(phase.ends_on),
        }
    open_now = cycle.open_phases(at)
    if open_now:
        text += " " + _("Open now: %(phases)s.") % {
            "phases": ", ".join(
                _("%(phase)s (until %(date)s)")
                % {"phase": p.get_kind_display(), "date": format_date(p.ends_on)}
                for p in open_now
            )
        }
    return text


def ensure_phase_open(cycle: Cycle, kind: str, at: dt.datetime | None = None) -> None:
    """Raise PhaseClosed (with the notice above) unless `kind` is open: services of every app
    call this before they act."""
    if not cycle.is_phase_open(kind, at):
        raise PhaseClosed(phase_notice(cycle, kind, at))


# -- the cycle ------------------------------------------------------------------------------


def _validate_phases(phases: dict[str, tuple[dt.date, dt.date]]) -> None:
    unknown = set(phases) - set(PHASE_ORDER)
    if unknown:
        raise CycleError(_("Unknown phase: %(kinds)s.") % {"kinds": ", ".join(sorted(unknown))})
    for kind, (start, end) in phases.items():
        if start is None or end is None:
            raise CycleError(
                _("“%(phase)s” needs a first and a last day.") % {"phase": PhaseKind(kind).label}
            )
        if end < start:
            raise CycleError(
                _("“%(phase)s” ends before it starts.") % {"phase": PhaseKind(kind).label}
            )


def create_cycle(
    actor,
    *,
    fiscal_year: int,
    framework: Framework,
    name: str = "",
    phases: dict[str, tuple[dt.date, dt.date]] | None = None,
) -> Cycle:
    """A draft cycle: its calendar can be prepared before it opens."""
    require_perm(actor, "cycles.manage_cycle", None, error=CycleError)
    if Cycle.objects.real().filter(fiscal_year=fiscal_year).exists():
        raise CycleError(
            _("A cycle for fiscal year %(year)s already exists.") % {"year": fiscal_year}
        )
    phases = phases or {}
    _validate_phases(phases)
    with transaction.atomic():
        cycle = Cycle.objects.create(
            fiscal_year=fiscal_year,
            framework=framework,
            name=name or _("ITA fiscal year %(year)s") % {"year": fiscal_year},
        )
        Phase.objects.bulk_create(
            [Phase(cycle=cycle, kind=k, starts_on=s, ends_on=e) for k, (s, e) in phases.items()]
        )
        audit.record(
            actor,
            "cycles.cycle.created",
            cycle,
            changes={"fiscal_year": [None, fiscal_year], "framework": [None, framework.code]},
        )
    return cycle


def set_phases(actor, *, cycle: Cycle, phases: dict[str, tuple[dt.date, dt.date]]) -> Cycle:
    """Set (add or move) the dates of some phases; phases not named stay as they are."""
    require_perm(actor, "cycles.manage_cycle", cycle, error=CycleError)
    if cycle.status == CycleStatus.CLOSED:
        raise CycleError(_("A closed cycle's calendar cannot change."))
    _validate_phases(phases)
    with transaction.atomic():
        changes = {}
        existing = {p.kind: p for p in cycle.phases.select_for_update()}
        for kind, (start, end) in phases.items():
            phase = existing.get(kind)
            before = [str(phase.starts_on), str(phase.ends_on)] if phase else None
            if phase is None:
                Phase.objects.create(cycle=cycle, kind=kind, starts_on=start, ends_on=end)
            elif (phase.starts_on, phase.ends_on) != (start, end):
                phase.starts_on, phase.ends_on = start, end
                phase.save(update_fields=["starts_on", "ends_on"])
            else:
                continue
            changes[kind] = [before, [str(start), str(end)]]
        if changes:
            audit.record(actor, "cycles.cycle.phases_set", cycle, changes=changes)
    if hasattr(cycle, "_prefetched_objects_cache"):
        cycle._prefetched_objects_cache.pop("phases", None)
    return cycle


def open_cycle(actor, *, cycle: Cycle) -> int:
    """Open a draft cycle and enrol every active agency (in bulk). Returns how many enrolled."""
    require_perm(actor, "cycles.manage_cycle", cycle, error=CycleError)
    if cycle.status != CycleStatus.DRAFT:
        raise CycleError(_("Only a draft cycle can be opened."))
    if not cycle.phases.filter(kind=PhaseKind.SURVEY).exists():
        raise CycleError(_("Set the calendar (at least the IIT/EIT collection) before opening."))
    with transaction.atomic():
        cycle.status = CycleStatus.OPEN
        cycle.opened_at = timezone.now()
        cycle.save(update_fields=["status", "opened_at"])
        enrolled = _enrol(cycle, Agency.objects.filter(is_active=True))
        audit.record(
            actor,
            "cycles.cycle.opened",
            cycle,
            changes={"status": [CycleStatus.DRAFT, CycleStatus.OPEN], "enrolled": [0, enrolled]},
        )
    return enrolled


def enrol_agencies(actor, *, cycle: Cycle, agencies) -> int:
    """Enrol agencies added to the registry after the cycle opened (skips those enrolled)."""
    require_perm(actor, "cycles.manage_cycle", cycle, error=CycleError)
    if cycle.status == CycleStatus.CLOSED:
        raise CycleError(_("A closed cycle takes no new agencies."))
    with transaction.atomic():
        enrolled = _enrol(cycle, agencies)
        if enrolled:
            audit.record(
                actor, "cycles.cycle.enrolled", cycle, changes={"enrolled": [None, enrolled]}
            )
    return enrolled


def _enrol(cycle: Cycle, agencies) -> int:
    done = set(cycle.enrolments.values_list("agency_id", flat=True))
    ids = [pk for pk in agencies.values_list("pk", flat=True) if pk not in done]
    taken = set(cycle.enrolments.values_list("access_code", flat=True))
    taken |= set(cycle.retired_codes.values_list("access_code", flat=True))
    new_codes = codes.unique_codes(len(ids), taken)
    Enrolment.objects.bulk_create(
        [
            Enrolment(cycle=cycle, agency_id=pk, access_code=code)
            for pk, code in zip(ids, new_codes, strict=True)
        ],
        batch_size=1000,
    )
    return len(ids)


def close_cycle(actor, *, cycle: Cycle) -> Cycle:
    """Close a cycle. Receivers of `cycle_closed` erase what must not outlive it (the abuse
    hashes beside survey answers, the telephone contact lists), in the same transaction."""
    require_perm(actor, "cycles.manage_cycle", cycle, error=CycleError)
    if cycle.status != CycleStatus.OPEN:
        raise CycleError(_("Only an open cycle can be closed."))
    with transaction.atomic():
        cycle.status = CycleStatus.CLOSED
        cycle.closed_at = timezone.now()
        cycle.save(update_fields=["status", "closed_at"])
        erased: dict = {}
        for _receiver, result in cycle_closed.send(sender=Cycle, cycle=cycle):
            erased.update(result or {})
        audit.record(
            actor,
            "cycles.cycle.closed",
            cycle,
            changes={"status": [CycleStatus.OPEN, CycleStatus.CLOSED]},
            note="; ".join(f"{k}: {v}" for k, v in sorted(erased.items())),
        )
    return cycle


# -- an enrolment ---------------------------------------------------------------------------


def rotate_code(actor, *, enrolment: Enrolment) -> Enrolment:
    """Give the agency a new access code (the old one leaked). The old code is kept as retired,
    so its links explain that they were replaced, and it is never reused in the cycle."""
    require_perm(actor, "cycles.manage_enrolment", enrolment, error=CycleError)
    cycle = enrolment.cycle
    if cycle.status != CycleStatus.OPEN:
        raise CycleError(_("The access code can only change while the cycle is open."))
    for _attempt in range(5):
        try:
            with transaction.atomic():
                old = enrolment.access_code
                taken = set(cycle.enrolments.values_list("access_code", flat=True))
                taken |= set(cycle.retired_codes.values_list("access_code", flat=True))
                new = codes.unique_codes(1, taken)[0]
                RetiredAccessCode.objects.create(cycle=cycle, enrolment=enrolment, access_code=old)
                enrolment.access_code = new
                enrolment.save(update_fields=["access_code"])
                audit.record(
                    actor,
                    "cycles.enrolment.code_rotated",
                    enrolment,
                    changes={"access_code": [old, new]},
                )
            return enrolment
        except IntegrityError:  # a concurrent rotation took the same code: draw again
            enrolment.refresh_from_db()
    raise CycleError(_("Could not make a new code; please try again."))


def set_population(actor, *, enrolment: Enrolment, population: int) -> Enrolment:
    """The agency's IIT population: staff with at least one year of service (a number only)."""
    require_perm(actor, "cycles.manage_enrolment", enrolment, error=CycleError)
    cycle = enrolment.cycle
    survey = cycle.phase(PhaseKind.SURVEY)
    if cycle.status != CycleStatus.OPEN or (survey and survey.state() == "past"):
        raise PhaseClosed(
            _("The IIT population can be changed only until the IIT/EIT collection ends.")
        )
    if population is None or population < 1 or population > 1_000_000:
        raise CycleError(_("Enter the number of staff, from 1 to 1,000,000."))
    with transaction.atomic():
        before = enrolment.iit_population
        enrolment.iit_population = population
        enrolment.save(update_fields=["iit_population"])
        audit.record(
            actor,
            "cycles.enrolment.population_set",
            enrolment,
            changes={"iit_population": [before, population]},
        )
    return enrolment
