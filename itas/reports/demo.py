"""Demo: publish each cycle's computed results once its OIT scores are confirmed (guarded:
nothing happens while the demo calendar's confirmation is still ahead). To show dashboards
and the year-over-year comparison in any case, a previous fiscal year with published results is
generated from the demo agencies (marked as generated in its stats)."""

from __future__ import annotations

import random

from django.utils import timezone

from itas.agencies.demo import demo_agency
from itas.agencies.models import Agency, AgencyKind
from itas.cycles.models import Cycle, CycleStatus, Enrolment
from itas.frameworks.engine import oit_indicator, outcome
from itas.frameworks.spec import SURVEY_TOOLS
from itas.reports import services
from itas.scoring.models import (
    AgencyResult,
    IndicatorResult,
    QuestionResult,
    ResultSet,
    ResultStatus,
)

RECOMMENDATION = "เผยแพร่ข้อมูลบนเว็บไซต์ของหน่วยงานให้ครบตามเกณฑ์ และเชื่อมโยงจากหน้าแรก"
# Two agencies whose path to pass the demo shows (last year's published results):
# เทศบาลตำบลท่าสะอาด, IIT 82.5 and EIT 84 with seven OIT items missing (78.90): O42 and O36
# bring it to 85.15, a pass by OIT alone; อบต. ท่าสะอาด, IIT and EIT at 62 (37.20): even
# every OIT item (40) leaves it at 77.20, so IIT/EIT must rise.
PASSES_BY_OIT = ({"IIT": 82.5, "EIT": 84.0}, {"O16", "O31", "O36", "O37", "O40", "O42", "O25"})
CANNOT_BY_OIT = (
    {"IIT": 62.0, "EIT": 62.0},
    {"O4", "O10", "O11", "O19", "O21", "O23", "O31", "O36", "O37", "O40", "O42", "O43"},
)


def load(command) -> None:
    for cycle in Cycle.objects.real().order_by("fiscal_year"):
        if cycle.result_sets.current_published() is not None:
            continue
        if cycle.result_sets.current_preliminary() is None:
            continue
        if not services.oit_scores_confirmed(cycle):
            command.stdout.write(
                f"reports {cycle.fiscal_year}: OIT scores not confirmed yet; results stay preliminary"
            )
            continue
        rs = services.publish_results(actor=None, cycle=cycle, note="")
        command.stdout.write(f"reports {cycle.fiscal_year}: published version {rs.version}")
    _previous_year(command)


def _fixed_inputs(spec, levels: dict, unmet: set) -> tuple[dict, dict]:
    survey = {i.code: levels[i.tool] for i in spec.indicators if i.tool in SURVEY_TOOLS}
    return survey, {i.code: 0.0 if i.code in unmet else 100.0 for i in spec.oit_items}


def _path_examples() -> dict[int, tuple[dict, dict]]:
    from itas.agencies.demo import BUENG_KAN

    spec_source = Cycle.objects.real().order_by("-fiscal_year").first().framework.spec
    out = {}
    passes = demo_agency()
    if passes is not None:
        out[passes.pk] = _fixed_inputs(spec_source, *PASSES_BY_OIT)
    cannot = Agency.objects.filter(
        kind=AgencyKind.SAO, name="ท่าสะอาด", province_id=BUENG_KAN
    ).first()
    if cannot is not None:
        out[cannot.pk] = _fixed_inputs(spec_source, *CANNOT_BY_OIT)
    return out


def _random_inputs(spec, rnd: random.Random) -> tuple[dict, dict]:
    """An agency's IIT/EIT indicators around a level, and OIT items met more often the
    higher the level (as real agencies' are)."""
    level = rnd.uniform(55, 98)
    survey = {
        i.code: max(0.0, min(100.0, rnd.gauss(level, 8)))
        for i in spec.indicators
        if i.tool in SURVEY_TOOLS
    }
    chance = max(0.2, min(0.98, (level - 35) / 60))
    items = {i.code: 100.0 if rnd.random() < chance else 0.0 for i in spec.oit_items}
    return survey, items


def _drawn_to(spec, rnd: random.Random, *, passed: bool) -> tuple[dict, dict]:
    """Random inputs whose outcome passes (or fails), as the letter says of the agency: drawn
    until one does; the last resort is certain (every item met at 95, or none met at 60)."""
    for _attempt in range(50):
        survey, items = _random_inputs(spec, rnd)
        if outcome(spec, survey_indicators=survey, oit_items=items).grade.passed == passed:
            return survey, items
    level = 95.0 if passed else 60.0
    survey = {i.code: level for i in spec.indicators if i.tool in SURVEY_TOOLS}
    return survey, {i.code: 100.0 if passed else 0.0 for i in spec.oit_items}


def _letter_outcomes(spec, rnd: random.Random) -> dict[int, tuple[dict, dict]]:
    """Bueng Kan as seed letter 004 tells it: the LAOs on its list failed last year, the
    province's others passed (so the webinar's target group, "failed last year", is true of
    last year's results on every page)."""
    from itas.agencies import seed_letter

    listed: set[int] = set()
    for agency in seed_letter.build(extras=False).agencies:
        found = Agency.objects.filter(
            province_id=agency.province_id,
            district_id=agency.district_id,
            kind=agency.kind,
            name=agency.name,
        ).values_list("pk", flat=True)
        listed.update(found)
    out = {}
    for pk in (
        Agency.objects.filter(province_id=seed_letter.PROVINCE)
        .order_by("code")
        .values_list("pk", flat=True)
    ):
        out[pk] = _drawn_to(spec, rnd, passed=pk not in listed)
    return out


def _previous_year(command) -> None:
    """A closed previous cycle whose published results are generated from the demo agencies,
    so that last year appears beside this year on scorecards and dashboards."""
    current = Cycle.objects.real().order_by("-fiscal_year").first()
    if current is None or not current.enrolments.exists():
        return
    fy = current.fiscal_year - 1
    if Cycle.objects.real().filter(fiscal_year=fy).exists():
        return
    previous = Cycle.objects.create(
        fiscal_year=fy,
        name=f"ITA ปีงบประมาณ พ.ศ. {fy} (ข้อมูลสาธิต)",
        framework=current.framework,
        status=CycleStatus.CLOSED,
        closed_at=timezone.now(),
    )
    spec = current.framework.spec
    rnd = random.Random(fy)
    now = timezone.now()
    rs = ResultSet.objects.create(
        cycle=previous,
        version=1,
        status=ResultStatus.PUBLISHED,
        computed_at=now,
        published_at=now,
        stats={"generated": True},
    )
    enrolments = []
    for e in current.enrolments.select_related("agency").order_by("pk"):
        enrolments.append(Enrolment(cycle=previous, agency=e.agency, access_code=e.access_code))
    Enrolment.objects.bulk_create(enrolments)
    fixed = {**_letter_outcomes(spec, random.Random(fy + 1)), **_path_examples()}
    results, indicator_rows, item_rows = [], [], []
    for e in previous.enrolments.select_related("agency"):
        survey, items = fixed.get(e.agency_id) or _random_inputs(spec, rnd)
        indicators = dict(survey)
        subindicators: dict[str, float | None] = {}
        for ind in spec.indicators:
            if ind.tool not in SURVEY_TOOLS:
                indicators[ind.code], subs = oit_indicator(spec, ind.code, items)
                subindicators.update(subs)
        result = outcome(spec, survey_indicators=survey, oit_items=items)
        ar = AgencyResult(
            result_set=rs,
            enrolment=e,
            agency_id_copy=e.agency_id,
            province_code=e.agency.province_id,
            district_code=e.agency.district_id or "",
            agency_kind=e.agency.kind,
            iit=result.tools.get("IIT"),
            eit=result.tools.get("EIT"),
            oit=result.tools.get("OIT"),
            total=result.total_rounded,
            grade=result.grade.grade,
            label=result.grade.label,
            passed=result.grade.passed,
            iit_respondents=rnd.randint(12, 60),
            eit_respondents=rnd.randint(30, 120),
        )
        results.append((ar, {**indicators, **subindicators}, items))
    AgencyResult.objects.bulk_create([ar for ar, _i, _o in results])
    for ar, scores, items in results:
        indicator_rows += [
            IndicatorResult(agency_result=ar, indicator_code=c, score=s) for c, s in scores.items()
        ]
        item_rows += [
            QuestionResult(
                agency_result=ar,
                code=c,
                score=s,
                responses=1,
                recommendation="" if s else RECOMMENDATION,
            )
            for c, s in items.items()
        ]
    IndicatorResult.objects.bulk_create(indicator_rows, batch_size=2000)
    QuestionResult.objects.bulk_create(item_rows, batch_size=2000)
    command.stdout.write(
        f"reports {fy}: generated published results for {len(results)} agencies (last year)"
    )
