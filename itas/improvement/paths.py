"""Reads that feed the engine's inverse questions from the result tables: one agency's path to
pass (with its peers' averages), and every agency of a result set at once (a fixed number of
queries, whatever the number of agencies)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Avg

from itas.core.batches import batched
from itas.frameworks.engine import PathToPass, Shortfall, path_to_pass, shortfalls
from itas.frameworks.spec import SURVEY_TOOLS, FrameworkSpec
from itas.scoring.models import AgencyResult, IndicatorResult, QuestionResult, ResultSet

CHUNK = 2000


@dataclass
class AgencyPath:
    result: AgencyResult
    path: PathToPass
    shortfalls: list[Shortfall]
    inputs: tuple[dict[str, float | None], dict[str, float | None]]  # (indicators, items)


def inputs_of(spec: FrameworkSpec, result: AgencyResult) -> tuple[dict, dict]:
    """(IIT/EIT indicator scores, OIT item scores) of one stored result."""
    survey = {i.code for i in spec.indicators if i.tool in SURVEY_TOOLS}
    items = {i.code for i in spec.oit_items}
    indicators = {
        r.indicator_code: r.score for r in result.indicators.all() if r.indicator_code in survey
    }
    oit = {q.code: q.score for q in result.questions.all() if q.code in items}
    return indicators, oit


def peer_averages(result_set: ResultSet, result: AgencyResult) -> dict[str, float | None]:
    """IIT/EIT indicator averages of the agencies of the same type in the same province."""
    rows = (
        IndicatorResult.objects.filter(
            agency_result__result_set=result_set,
            agency_result__agency_kind=result.agency_kind,
            agency_result__province_code=result.province_code,
        )
        .exclude(agency_result=result)
        .values("indicator_code")
        .annotate(avg=Avg("score"))
        .values_list("indicator_code", "avg")
    )
    return dict(rows)


def agency_path(result_set: ResultSet, result: AgencyResult) -> AgencyPath:
    spec = result_set.cycle.framework.spec
    indicators, oit = inputs_of(spec, result)
    path = path_to_pass(spec, survey_indicators=indicators, oit_items=oit)
    below = shortfalls(spec, indicators, peer_averages(result_set, result)) if path.complete else []
    return AgencyPath(result, path, below, (indicators, oit))


def all_inputs(result_set: ResultSet, agency_result_ids: list[int] | None = None):
    """Yield (AgencyResult values dict, indicators, items) for every result of the set (or the
    given ones), in chunks: memory stays flat at national scale."""
    spec = result_set.cycle.framework.spec
    survey = {i.code for i in spec.indicators if i.tool in SURVEY_TOOLS}
    item_codes = [i.code for i in spec.oit_items]
    qs = AgencyResult.objects.filter(result_set=result_set)
    if agency_result_ids is not None:
        qs = qs.filter(pk__in=agency_result_ids)
    rows = qs.order_by("pk").values(
        "pk",
        "agency_id_copy",
        "province_code",
        "district_code",
        "agency_kind",
        "total",
        "passed",
        "enrolment__agency__code",
        "enrolment__agency__name",
        "enrolment__agency__kind",
    )

    def flush(chunk):
        ids = [r["pk"] for r in chunk]
        inds: dict[int, dict] = defaultdict(dict)
        for ar, code, score in IndicatorResult.objects.filter(
            agency_result_id__in=ids, indicator_code__in=survey
        ).values_list("agency_result_id", "indicator_code", "score"):
            inds[ar][code] = score
        items: dict[int, dict] = defaultdict(dict)
        for ar, code, score in QuestionResult.objects.filter(
            agency_result_id__in=ids, code__in=item_codes
        ).values_list("agency_result_id", "code", "score"):
            items[ar][code] = score
        for r in chunk:
            yield r, inds.get(r["pk"], {}), items.get(r["pk"], {})

    for chunk in batched(rows.iterator(chunk_size=CHUNK), CHUNK):
        yield from flush(chunk)


def all_paths(result_set: ResultSet, agency_result_ids: list[int] | None = None):
    """Yield (row, PathToPass) for every result of the set."""
    spec = result_set.cycle.framework.spec
    for row, indicators, items in all_inputs(result_set, agency_result_ids):
        yield row, path_to_pass(spec, survey_indicators=indicators, oit_items=items)
