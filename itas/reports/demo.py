"""Demo: publish each cycle's computed results once its OIT scores are confirmed (guarded:
nothing happens while the demo calendar's confirmation is still ahead). To show dashboards
and the year-over-year comparison in any case, a previous fiscal year with published results is
generated from the demo agencies (marked as generated in its stats)."""

from __future__ import annotations

import random

from django.utils import timezone

from itas.cycles.models import Cycle, CycleStatus, Enrolment
from itas.reports import services
from itas.scoring.models import AgencyResult, IndicatorResult, ResultSet, ResultStatus


def load(command) -> None:
    for cycle in Cycle.objects.order_by("fiscal_year"):
        if services.published_set(cycle) is not None:
            continue
        if services.preliminary_set(cycle) is None:
            continue
        if not services.oit_scores_confirmed(cycle):
            command.stdout.write(
                f"reports {cycle.fiscal_year}: OIT scores not confirmed yet; results stay preliminary"
            )
            continue
        rs = services.publish_results(actor=None, cycle=cycle, note="")
        command.stdout.write(f"reports {cycle.fiscal_year}: published version {rs.version}")
    _previous_year(command)


def _previous_year(command) -> None:
    """A closed previous cycle whose published results are generated from the demo agencies,
    so that last year appears beside this year on scorecards and dashboards."""
    current = Cycle.objects.order_by("-fiscal_year").first()
    if current is None or not current.enrolments.exists():
        return
    fy = current.fiscal_year - 1
    if Cycle.objects.filter(fiscal_year=fy).exists():
        return
    previous = Cycle.objects.create(
        fiscal_year=fy,
        name=f"ITA ปีงบประมาณ พ.ศ. {fy} (ข้อมูลสาธิต)",
        framework=current.framework,
        status=CycleStatus.CLOSED,
        closed_at=timezone.now(),
    )
    spec = current.framework.spec
    weights = {i.code: i.weight for i in spec.indicators}
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
    results, indicator_rows = [], []
    for e in previous.enrolments.select_related("agency"):
        level = rnd.uniform(55, 98)
        scores = {c: max(0.0, min(100.0, rnd.gauss(level, 8))) for c in weights}
        by_tool: dict[str, list[float]] = {}
        for ind in spec.indicators:
            by_tool.setdefault(ind.tool, []).append(scores[ind.code])
        total = round(sum(weights[c] * s / 100 for c, s in scores.items()), 2)
        grade = next((b.grade for b in spec.grading.bands if total >= b.min), "F")
        ar = AgencyResult(
            result_set=rs,
            enrolment=e,
            agency_id_copy=e.agency_id,
            province_code=e.agency.province_id,
            district_code=e.agency.district_id or "",
            agency_kind=e.agency.kind,
            iit=sum(by_tool.get("IIT", [0])) / max(len(by_tool.get("IIT", [])), 1),
            eit=sum(by_tool.get("EIT", [0])) / max(len(by_tool.get("EIT", [])), 1),
            oit=sum(by_tool.get("OIT", [0])) / max(len(by_tool.get("OIT", [])), 1),
            total=total,
            grade=grade,
            passed=total >= spec.grading.pass_mark,
        )
        results.append((ar, scores))
    AgencyResult.objects.bulk_create([ar for ar, _ in results])
    for ar, scores in results:
        indicator_rows += [
            IndicatorResult(agency_result=ar, indicator_code=c, score=round(s, 2))
            for c, s in scores.items()
        ]
    IndicatorResult.objects.bulk_create(indicator_rows, batch_size=2000)
    command.stdout.write(
        f"reports {fy}: generated published results for {len(results)} agencies (last year)"
    )
