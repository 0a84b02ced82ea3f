"""Issue 13 item 1: the agency sees the outcome of its work, under ONE rule for what it may
see before publication (disclosure.visibility), on the board, the item page and the
preliminary scorecard alike."""

import pytest
from django.urls import reverse

from itas.core.thaidate import format_date
from itas.cycles.models import PhaseKind
from itas.disclosure import services
from itas.disclosure.models import Decision
from itas.disclosure.visibility import visible_from
from tests.disclosure.test_flow import _submitted, item_of, login
from tests.reports.factories import add_result, make_result_set

pytestmark = pytest.mark.django_db


def _reviewed(world, oit):
    _submitted(world, oit, ["O1", "O2"])
    oit.open(PhaseKind.OIT_REVIEW)
    services.review_item(world.assessor, answer=item_of(oit, "O1"), decision=Decision.PASS)
    services.review_item(
        world.assessor,
        answer=item_of(oit, "O2"),
        decision=Decision.FAIL,
        recommendation="ไม่ระบุวันที่ประกาศ",
    )


def test_during_the_review_the_agency_is_told_when_not_what(client, world, oit):
    _reviewed(world, oit)
    day = format_date(visible_from(oit.cycle))
    login(client, world.agency_admin)
    board = client.get(reverse("disclosure:board", args=[oit.enrolment.pk])).content.decode()
    assert 'id="visible-from"' in board and day in board
    assert "ไม่ระบุวันที่ประกาศ" not in board and "badge-fail" not in board
    item = client.get(reverse("disclosure:item", args=[item_of(oit, "O2").pk])).content.decode()
    assert 'id="decision-later"' in item and day in item
    assert "ไม่ระบุวันที่ประกาศ" not in item
    # The preliminary scorecard follows the same rule: it is computed from the decisions.
    rs = make_result_set(oit.cycle)
    add_result(
        rs, world.agency, 61.0, questions={"O2": 0}, recommendations={"O2": "ไม่ระบุวันที่ประกาศ"}
    )
    url = reverse("reports:scorecard", args=[oit.cycle.fiscal_year, world.agency.code])
    r = client.get(url + "?preliminary=1")
    assert r.status_code == 404 and day in r.content.decode()
    assert "ไม่ระบุวันที่ประกาศ" not in r.content.decode()
    # The assessor sees it all the while.
    login(client, world.assessor)
    assert "ไม่ระบุวันที่ประกาศ" in client.get(url + "?preliminary=1").content.decode()


def test_after_the_review_the_agency_sees_each_outcome_and_until_when_to_clarify(
    client, world, oit
):
    _reviewed(world, oit)
    oit.open(PhaseKind.CLARIFICATION)
    end = format_date(oit.cycle.phase(PhaseKind.CLARIFICATION).ends_on)
    login(client, world.agency_admin)
    board = client.get(reverse("disclosure:board", args=[oit.enrolment.pk])).content.decode()
    assert 'id="returned"' in board and end in board
    assert "ไม่ระบุวันที่ประกาศ" in board and str(world.assessor) in board  # what, by whom
    item = client.get(reverse("disclosure:item", args=[item_of(oit, "O2").pk])).content.decode()
    assert 'id="decided-by"' in item and str(world.assessor) in item
    assert 'id="clarify-until"' in item and end in item
    rs = make_result_set(oit.cycle)
    add_result(
        rs, world.agency, 61.0, questions={"O2": 0}, recommendations={"O2": "ไม่ระบุวันที่ประกาศ"}
    )
    url = reverse("reports:scorecard", args=[oit.cycle.fiscal_year, world.agency.code])
    assert client.get(url + "?preliminary=1").status_code == 200
