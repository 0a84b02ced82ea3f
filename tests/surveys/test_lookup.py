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


def test_with_a_submission_id_it_also_tells_what_is_stored_under_it(enrolment, world):
    import uuid

    from itas.surveys import services, store

    spec = enrolment.cycle.framework.spec
    chosen = {
        q.code: {sub.code: sub.choices[0].value for sub in q.subitems}
        for q in spec.questions_for("eit")
    }
    kept = uuid.uuid4()
    services.submit_response(
        enrolment=enrolment, instrument="eit", chosen=chosen, submission_id=kept
    )
    other = enrolment.cycle.enrolments.get(agency=world.other_agency)
    fresh = uuid.uuid4()
    for code in (enrolment.access_code, other.access_code, "ZZZZZZ"):
        for submission_id in (kept, fresh):
            found, stored = lookup.open_enrolment_and_stored(code, submission_id)
            alone = lookup.open_enrolment(code)
            assert (found is None) == (alone is None), code
            if alone is not None:
                assert fields(found) == fields(alone)
                assert fields(found.cycle) == fields(alone.cycle)
                assert [fields(p) for p in found.cycle.phases.all()] == [
                    fields(p) for p in alone.cycle.phases.all()
                ]
            assert stored == store.stored_under(submission_id)
            assert stored == ((enrolment.access_code, "eit") if submission_id == kept else None)
