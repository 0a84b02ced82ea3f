import io
from types import SimpleNamespace

import pytest

from itas.cycles.models import Enrolment
from itas.disclosure import demo
from itas.disclosure.models import CheckState, ItemAnswer, ItemDecision, LinkCheck
from itas.disclosure.queries import oit_item_scores
from tests.factories import AgencyFactory


@pytest.mark.django_db
def test_demo_loads_quickly_without_network_and_only_once(world, oit):
    for i in range(8):
        agency = AgencyFactory()
        Enrolment.objects.create(cycle=oit.cycle, agency=agency, access_code=f"D{i:05d}")
    out = io.StringIO()
    command = SimpleNamespace(stdout=out)
    demo.load(command)
    assert ItemAnswer.objects.filter(enrolment__cycle=oit.cycle).count() == 10 * 43
    assert LinkCheck.objects.exists()
    assert set(LinkCheck.objects.values_list("state", flat=True)) == {CheckState.NOT_CHECKED}
    # Some items reviewed; the preliminary feed reads them.
    decided = ItemDecision.objects.count()
    assert decided > 0
    assert len(list(oit_item_scores(oit.cycle, final=False))) == decided
    demo.load(command)  # again: nothing added
    assert ItemDecision.objects.count() == decided
    assert "already" in out.getvalue()


@pytest.mark.django_db
def test_demo_gives_last_year_confirmed_decisions(world, oit):
    from itas.disclosure.queries import previous_decisions
    from tests.disclosure.conftest import make_cycle

    last = make_cycle(fiscal_year=2564, framework=oit.cycle.framework)
    Enrolment.objects.create(cycle=last, agency=world.agency, access_code="L00001")
    demo.load(SimpleNamespace(stdout=io.StringIO()))
    assert len(list(oit_item_scores(last, final=True))) == 43
    assert len(previous_decisions(oit.enrolment)) == 43
