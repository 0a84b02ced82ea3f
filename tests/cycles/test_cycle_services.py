import datetime as dt

import pytest
from django.utils import timezone

from itas.agencies.models import Agency
from itas.core.models import AuditEntry
from itas.cycles import codes, services
from itas.cycles.models import CycleStatus, PhaseKind, RetiredAccessCode
from tests.cycles.helpers import make_cycle
from tests.factories import AgencyFactory

pytestmark = pytest.mark.django_db


def test_opening_enrols_every_active_agency_with_a_unique_unambiguous_code(world):
    AgencyFactory.create_batch(30)
    AgencyFactory(is_active=False)
    cycle = make_cycle(world.nacc)
    active = Agency.objects.filter(is_active=True).count()
    assert cycle.status == CycleStatus.OPEN
    assert cycle.enrolments.count() == active
    found = list(cycle.enrolments.values_list("access_code", flat=True))
    assert len(set(found)) == len(found)
    assert all(codes.is_well_formed(c) for c in found)
    assert not set("0O1IL").intersection("".join(found))
    assert AuditEntry.objects.filter(action="cycles.cycle.opened", target_id=str(cycle.pk)).exists()


def test_is_phase_open_follows_calendar_and_status(world):
    cycle = make_cycle(world.nacc, open_it=False)
    assert not cycle.is_phase_open(PhaseKind.SURVEY)  # draft
    services.open_cycle(world.nacc, cycle=cycle)
    assert cycle.is_phase_open(PhaseKind.SURVEY)
    assert cycle.is_phase_open(PhaseKind.OIT_ANSWERS)
    assert not cycle.is_phase_open(PhaseKind.CLARIFICATION)
    later = timezone.now() + dt.timedelta(days=35)
    assert cycle.is_phase_open(PhaseKind.CLARIFICATION, later)
    services.close_cycle(world.nacc, cycle=cycle)
    assert not cycle.is_phase_open(PhaseKind.SURVEY)


def test_outside_a_phase_the_notice_says_when_it_opens_and_what_is_open(world):
    cycle = make_cycle(world.nacc)
    with pytest.raises(services.PhaseClosed) as err:
        services.ensure_phase_open(cycle, PhaseKind.CLARIFICATION)
    text = str(err.value)
    clar = cycle.phase(PhaseKind.CLARIFICATION)
    assert str(clar.starts_on.year + 543) in text
    assert str(PhaseKind.SURVEY.label) in text  # which phase is open now


def test_set_phases_moves_dates_with_audit_and_refuses_reversed(world):
    cycle = make_cycle(world.nacc)
    survey = cycle.phase(PhaseKind.SURVEY)
    new_end = survey.ends_on + dt.timedelta(days=3)
    services.set_phases(world.nacc, cycle=cycle, phases={"survey": (survey.starts_on, new_end)})
    cycle.refresh_from_db()
    assert cycle.phases.get(kind="survey").ends_on == new_end
    entry = AuditEntry.objects.get(action="cycles.cycle.phases_set")
    assert entry.changes["survey"][1] == [str(survey.starts_on), str(new_end)]
    with pytest.raises(services.CycleError):
        services.set_phases(world.nacc, cycle=cycle, phases={"survey": (new_end, survey.starts_on)})
    assert cycle.phases.get(kind="survey").ends_on == new_end


def test_rotating_a_code_retires_the_old_one(world):
    cycle = make_cycle(world.nacc)
    enrolment = cycle.enrolments.get(agency=world.agency)
    old = enrolment.access_code
    services.rotate_code(world.agency_admin, enrolment=enrolment)
    enrolment.refresh_from_db()
    assert enrolment.access_code != old and codes.is_well_formed(enrolment.access_code)
    assert RetiredAccessCode.objects.filter(cycle=cycle, access_code=old).exists()
    # a later enrolment never receives a retired code
    taken = set(cycle.retired_codes.values_list("access_code", flat=True))
    AgencyFactory.create_batch(5)
    services.enrol_agencies(world.nacc, cycle=cycle, agencies=Agency.objects.all())
    assert not taken & set(cycle.enrolments.values_list("access_code", flat=True))


def test_population_is_validated_and_audited(world):
    cycle = make_cycle(world.nacc)
    enrolment = cycle.enrolments.get(agency=world.agency)
    services.set_population(world.agency_admin, enrolment=enrolment, population=87)
    enrolment.refresh_from_db()
    assert enrolment.iit_population == 87
    for bad in (0, -3, 10**7):
        with pytest.raises(services.CycleError):
            services.set_population(world.agency_admin, enrolment=enrolment, population=bad)
    enrolment.refresh_from_db()
    assert enrolment.iit_population == 87


def test_close_cycle_only_once_and_command(world):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    cycle = make_cycle(world.nacc)
    call_command("close_cycle", str(cycle.fiscal_year))
    cycle.refresh_from_db()
    assert cycle.status == CycleStatus.CLOSED and cycle.closed_at
    with pytest.raises(CommandError):
        call_command("close_cycle", str(cycle.fiscal_year))


@pytest.mark.parametrize("persona", ["outsider", "officer", "coordinator", "nobody"])
def test_only_nacc_and_the_agencys_admin_rotate_its_code_or_set_its_population(world, persona):
    """The services check cycles.manage_enrolment themselves (the contract), so a caller other
    than the respondents page cannot change another agency's code or population."""
    cycle = make_cycle(world.nacc)
    enrolment = cycle.enrolments.get(agency=world.agency)
    code, population = enrolment.access_code, enrolment.iit_population
    audited = AuditEntry.objects.count()
    actor = getattr(world, persona)
    with pytest.raises(services.CycleError) as refused:
        services.rotate_code(actor, enrolment=enrolment)
    assert refused.value.status == 403
    with pytest.raises(services.CycleError):
        services.set_population(actor, enrolment=enrolment, population=87)
    enrolment.refresh_from_db()
    assert (enrolment.access_code, enrolment.iit_population) == (code, population)
    assert not RetiredAccessCode.objects.filter(cycle=cycle).exists()
    assert AuditEntry.objects.count() == audited
    # NACC and the system (actor None, a task) may.
    services.set_population(world.nacc, enrolment=enrolment, population=40)
    services.rotate_code(None, enrolment=enrolment)
    enrolment.refresh_from_db()
    assert enrolment.iit_population == 40 and enrolment.access_code != code
