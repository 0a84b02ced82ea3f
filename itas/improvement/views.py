"""Improvement pages: the road to the national goal (NACC) and the early warning (NACC,
coordinators and district officers for their scope)."""

from __future__ import annotations

import csv
from functools import wraps

from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from itas.core.permissions import permission
from itas.cycles.models import Cycle
from itas.improvement.errors import ImprovementError
from itas.improvement.goal import road_to_goal
from itas.scoring.models import ResultSet, ResultStatus

SHOWN = 100


def refusals(view):
    """Render an ImprovementError as a page with its Thai message and status (400, 404)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except ImprovementError as exc:
            titles = {400: _("Bad request"), 404: _("Not found")}
            return render(
                request,
                "core/error.html",
                {"status": exc.status, "title": titles.get(exc.status, ""), "message": str(exc)},
                status=exc.status,
            )

    return wrapper


def _goal_set(request, fy: int) -> tuple[Cycle, ResultSet]:
    cycle = Cycle.objects.select_related("framework").filter(fiscal_year=fy).first()
    if cycle is None:
        raise ImprovementError(
            _("There is no assessment cycle for fiscal year %(fy)s.") % {"fy": fy}, status=404
        )
    sets = ResultSet.objects.filter(cycle=cycle)
    rs = None if request.GET.get("preliminary") == "1" else sets.current_published()
    rs = rs or sets.current_preliminary()
    if rs is None:
        raise ImprovementError(_("Fiscal year %(fy)s has no results yet.") % {"fy": fy}, status=404)
    return cycle, rs


def _goal_param(request) -> float:
    raw = request.GET.get("goal", "").strip()
    if not raw:
        from itas.improvement.goal import GOAL_PASS_RATE

        return GOAL_PASS_RATE
    try:
        value = float(raw)
    except ValueError:
        value = -1
    if not 0 < value <= 100:
        raise ImprovementError(_("The goal must be a share between 0 and 100."), status=400)
    return value


@permission("improvement.view_goal")
@refusals
def goal(request, fy: int):
    cycle, rs = _goal_set(request, fy)
    road = road_to_goal(rs, _goal_param(request))
    context = {
        "cycle": cycle,
        "rs": rs,
        "road": road,
        "shown": road.chosen[:SHOWN],
        "projected": rs.status == ResultStatus.PRELIMINARY,
        "query": request.GET.urlencode(),
    }
    return render(request, "improvement/goal.html", context)


@permission("improvement.view_goal")
@refusals
def goal_csv(request, fy: int):
    """The outreach list: the agencies closest to passing, cheapest first, with their items."""
    cycle, rs = _goal_set(request, fy)
    road = road_to_goal(rs, _goal_param(request))
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="ita-{fy}-road-to-goal.csv"'
    response.write("\ufeff")  # Excel reads UTF-8 only with the BOM
    writer = csv.writer(response)
    writer.writerow(
        [
            _("No."),
            _("Agency code"),
            _("Agency"),
            _("Province"),
            _("District"),
            _("Total score"),
            _("OIT items to pass"),
            _("Items"),
        ]
    )
    for i, c in enumerate(road.chosen, start=1):
        writer.writerow(
            [i, c.code, c.name, c.province, c.district, c.total, c.cost, " ".join(c.items)]
        )
    return response
