"""Result rows made directly (not through the scoring engine), for the reports and API tests."""

from __future__ import annotations

import datetime as dt
import random

import factory
from django.utils import timezone

from itas.cycles.models import Cycle, CycleStatus, Enrolment, Phase, PhaseKind
from itas.frameworks.models import Framework
from itas.scoring.models import (
    AgencyResult,
    IndicatorResult,
    QuestionResult,
    ResultSet,
    ResultStatus,
)

INDICATORS = [str(i) for i in range(1, 11)]


def shipped_framework() -> Framework:
    """The shipped framework ita-2564-lao (names of tools, indicators, questions, items)."""
    from itas.frameworks.services import load_shipped_framework

    return load_shipped_framework()


class CycleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cycle
        django_get_or_create = ("fiscal_year",)

    fiscal_year = 2567
    name = factory.LazyAttribute(lambda o: f"ITA ปีงบประมาณ พ.ศ. {o.fiscal_year}")
    framework = factory.LazyFunction(shipped_framework)
    status = CycleStatus.OPEN


def confirmation_phase(cycle: Cycle, *, ended: bool) -> Phase:
    today = timezone.localdate()
    end = today - dt.timedelta(days=1) if ended else today + dt.timedelta(days=5)
    return Phase.objects.update_or_create(
        cycle=cycle,
        kind=PhaseKind.CONFIRMATION,
        defaults={"starts_on": end - dt.timedelta(days=14), "ends_on": end},
    )[0]


def review_ended(cycle: Cycle) -> Phase:
    """The OIT review is over: agencies see their decisions and their preliminary scorecard
    (disclosure.visibility, the one rule)."""
    today = timezone.localdate()
    return Phase.objects.update_or_create(
        cycle=cycle,
        kind=PhaseKind.OIT_REVIEW,
        defaults={
            "starts_on": today - dt.timedelta(days=20),
            "ends_on": today - dt.timedelta(days=1),
        },
    )[0]


def enrol(cycle: Cycle, agency) -> Enrolment:
    return Enrolment.objects.get_or_create(
        cycle=cycle,
        agency=agency,
        defaults={"access_code": f"{agency.pk:06d}"[-6:]},
    )[0]


def grade_of(total: float | None) -> str:
    if total is None:
        return ""
    for g, m in [("AA", 95), ("A", 85), ("B", 75), ("C", 65), ("D", 55), ("E", 50)]:
        if total >= m:
            return g
    return "F"


def make_result_set(cycle: Cycle, status=ResultStatus.PRELIMINARY, version=None) -> ResultSet:
    if version is None:
        last = cycle.result_sets.order_by("-version").values_list("version", flat=True).first()
        version = (last or 0) + 1
    return ResultSet.objects.create(
        cycle=cycle,
        version=version,
        status=status,
        computed_at=timezone.now(),
        published_at=timezone.now() if status != ResultStatus.PRELIMINARY else None,
    )


def add_result(
    rs: ResultSet,
    agency,
    total: float | None,
    *,
    iit: float | None = None,
    eit: float | None = None,
    oit: float | None = None,
    indicators: dict[str, float] | None = None,
    questions: dict[str, float] | None = None,
    recommendations: dict[str, str] | None = None,
) -> AgencyResult:
    enrolment = enrol(rs.cycle, agency)
    base = total if total is not None else 0
    ar = AgencyResult.objects.create(
        result_set=rs,
        enrolment=enrolment,
        agency_id_copy=agency.pk,
        province_code=agency.province_id,
        district_code=agency.district_id or "",
        agency_kind=agency.kind,
        iit=iit if iit is not None else base,
        eit=eit if eit is not None else base,
        oit=oit if oit is not None else base,
        total=total,
        grade=grade_of(total),
        passed=None if total is None else total >= 85,
        iit_respondents=12,
        eit_respondents=30,
    )
    scores = indicators or {code: base for code in INDICATORS}
    IndicatorResult.objects.bulk_create(
        [IndicatorResult(agency_result=ar, indicator_code=c, score=s) for c, s in scores.items()]
    )
    if questions:
        recs = recommendations or {}
        QuestionResult.objects.bulk_create(
            [
                QuestionResult(
                    agency_result=ar,
                    code=c,
                    score=s,
                    responses=10,
                    recommendation=recs.get(c, ""),
                )
                for c, s in questions.items()
            ]
        )
    return ar


def random_results(rs: ResultSet, agencies, seed: int = 1) -> list[AgencyResult]:
    rnd = random.Random(seed)
    return [add_result(rs, a, round(rnd.uniform(40, 100), 2)) for a in agencies]
