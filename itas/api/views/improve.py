"""Open data on improvement, for published results only: an agency's path to pass and the road
to the national goal (the same arithmetic the pages show, from the engine)."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from itas.api.views.resources import CODE_PARAM, FY_PARAM, VERSION_PARAM, published_set
from itas.frameworks.spec import round2
from itas.improvement.goal import GOAL_PASS_RATE, road_to_goal
from itas.improvement.paths import agency_path
from itas.scoring.models import AgencyResult


def _r2(v):
    return None if v is None else round2(v)


@extend_schema(
    parameters=[FY_PARAM, CODE_PARAM, VERSION_PARAM],
    responses={200: OpenApiResponse(OpenApiTypes.OBJECT, description="The path to pass")},
)
class PathToPass(APIView):
    """Which OIT items raise the agency's total most (points each), the fewest that reach the
    pass mark and each higher grade band, and, where no OIT set is enough, by how much IIT and
    EIT must rise. An item not met counts 0; figures rounded half-up to two decimals."""

    filter_backends: list = []

    def get(self, request, fy: int, code: str):
        rs = published_set(fy, request.query_params.get("version"))
        result = (
            AgencyResult.objects.filter(result_set=rs, enrolment__agency__code=code)
            .prefetch_related("indicators", "questions")
            .first()
        )
        if result is None:
            raise NotFound(f"no published result for agency {code} in fiscal year {fy}")
        ap = agency_path(rs, result)
        p = ap.path
        return Response(
            {
                "agency": code,
                "fiscal_year": fy,
                "version": rs.version,
                "complete": p.complete,
                "total": _r2(p.current.total),
                "best_by_oit": _r2(p.best_by_oit.total),
                "gains": [{"item": g.code, "points": _r2(g.points)} for g in p.gains],
                "targets": [
                    {
                        "grade": t.grade,
                        "mark": t.mark,
                        "reached": t.reached,
                        "by_oit_alone": t.by_oit_alone,
                        "items": list(t.items),
                        "total_after": _r2(t.total_after),
                        "survey_points": _r2(t.survey_points),
                        "survey_rise": _r2(t.survey_rise),
                    }
                    for t in p.targets
                ],
                "below_peers": [
                    {"indicator": s.code, "score": _r2(s.score), "peers": _r2(s.peers)}
                    for s in ap.shortfalls
                ],
            }
        )


GOAL_PARAM = OpenApiParameter(
    "goal", OpenApiTypes.NUMBER, description="Share of agencies at 85+ aimed for (default 80)"
)


@extend_schema(
    parameters=[FY_PARAM, VERSION_PARAM, GOAL_PARAM],
    responses={200: OpenApiResponse(OpenApiTypes.OBJECT, description="The road to the goal")},
)
class RoadToGoal(APIView):
    """Share of agencies at 85+, the gap to the goal, and the agencies that would close it with
    the fewest OIT items (cheapest first), with totals by province."""

    filter_backends: list = []

    def get(self, request, fy: int):
        rs = published_set(fy, request.query_params.get("version"))
        raw = request.query_params.get("goal")
        goal = GOAL_PASS_RATE
        if raw not in (None, ""):
            try:
                goal = float(raw)
            except ValueError:
                goal = -1.0
            if not 0 < goal <= 100:
                raise ValidationError({"goal": "a share between 0 and 100"})
        road = road_to_goal(rs, goal)
        return Response(
            {
                "fiscal_year": fy,
                "version": rs.version,
                "goal": goal,
                "assessed": road.assessed,
                "passed": road.passed,
                "share": road.share,
                "gap": road.gap,
                "needed": road.needed,
                "items_needed": road.items_needed,
                "reachable_by_oit": road.reachable,
                "provinces": road.provinces,
                "agencies": [
                    {
                        "agency": c.code,
                        "name": c.name,
                        "province": c.province_code,
                        "total": c.total,
                        "items": list(c.items),
                    }
                    for c in road.chosen
                ],
            }
        )
