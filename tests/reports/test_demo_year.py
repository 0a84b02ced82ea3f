"""The demo tells one year's story (issue 13, polish): the webinar of seed letter 004 is about
the demo's own year, for the Bueng Kan LAOs that failed the year before, and last year's
generated results fail exactly those LAOs, with respondents behind every survey score."""

import io
from types import SimpleNamespace

import pytest

from itas.agencies import seed_letter
from itas.agencies.demo import load_bueng_kan
from itas.agencies.models import Agency
from itas.cycles.models import Enrolment
from itas.events import demo as events_demo
from itas.reports import demo as reports_demo
from itas.scoring.models import AgencyResult
from tests.scoring.builders import make_cycle

pytestmark = pytest.mark.django_db


def test_last_year_fails_the_letters_list_and_passes_the_provinces_others():
    load_bueng_kan()
    current = make_cycle(fiscal_year=2570)
    agencies = list(seed_letter.build().agencies)  # the letter's 45 and the province's other SAOs
    for i, agency in enumerate(agencies):
        Enrolment.objects.create(cycle=current, agency_id=_pk(agency), access_code=f"Y{i:05d}")
    reports_demo._previous_year(SimpleNamespace(stdout=io.StringIO()))

    # The letter's LAOs, by place and name (their codes are numbered among the extras).
    listed = {
        Agency.objects.get(district_id=a.district_id, kind=a.kind, name=a.name).pk
        for a in seed_letter.build(extras=False).agencies
    }
    assert len(listed) == 45
    rows = AgencyResult.objects.filter(result_set__cycle__fiscal_year=2569)
    assert rows.count() == len(agencies) and rows.filter(result_set__status="published").exists()
    outcome = dict(rows.values_list("agency_id_copy", "passed"))
    assert {pk for pk, passed in outcome.items() if passed is False} == listed
    assert all(outcome[pk] for pk in outcome if pk not in listed)
    # A survey score always has respondents behind it.
    assert not rows.filter(iit__isnull=False, iit_respondents=0).exists()
    assert not rows.filter(eit__isnull=False, eit_respondents=0).exists()

    # The webinar and its target group are named for the demo's year and the one before.
    assert events_demo.demo_year() == 2570
    assert "พ.ศ. ๒๕๗๐" in events_demo.webinar_title(2570)
    assert "ไม่ผ่านเกณฑ์ ITA ปี ๒๕๖๙" in events_demo.group_name(2570)
    agenda = " ".join(
        topic + speakers for _s, _e, topic, speakers in events_demo.webinar_agenda(2570)
    )
    assert "๒๕๗๐" in agenda and "๒๕๖๔" not in agenda


def _pk(agency) -> int:
    return Agency.objects.get(code=agency.code).pk
