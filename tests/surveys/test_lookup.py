"""surveys.lookup.open_enrolment: one statement, the phases in one aggregated column; what it
gives must be what the ORM gives."""

import pytest

from itas.cycles.models import Enrolment, Phase
from itas.surveys import lookup

pytestmark = pytest.mark.django_db


def fields(instance) -> dict:
    return {f.attname: getattr(instance, f.attname) for f in instance._meta.concrete_fields}


def test_the_lookup_equals_the_orm_phases_in_order_included(enrolment):
    orm = Enrolment.objects.select_related("agency__province", "cycle__framework").get(
        pk=enrolment.pk
    )
    found = lookup.open_enrolment(enrolment.access_code)
    assert fields(found) == fields(orm)
    assert fields(found.agency) == fields(orm.agency)
    assert fields(found.agency.province) == fields(orm.agency.province)
    assert fields(found.cycle) == fields(orm.cycle)
    expected = [fields(p) for p in orm.cycle.phases.all()]
    assert len(expected) >= 2
    assert [fields(p) for p in found.cycle.phases.all()] == expected
    assert found.cycle.framework.spec.questions_for(
        "eit"
    ) == orm.cycle.framework.spec.questions_for("eit")


def test_a_cycle_without_phases_gives_none_and_an_unknown_code_nothing(enrolment):
    Phase.objects.filter(cycle=enrolment.cycle).delete()
    found = lookup.open_enrolment(enrolment.access_code)
    assert found.pk == enrolment.pk and list(found.cycle.phases.all()) == []
    assert not found.cycle.is_phase_open("survey")
    assert lookup.open_enrolment("ZZZZZZ") is None
