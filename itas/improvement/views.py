"""Improvement pages: the road to the national goal (NACC) and the early warning (NACC,
coordinators and district officers for their scope)."""

from __future__ import annotations

from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from itas.core import tabular
from itas.core.permissions import permission
from itas.cycles.models import Cycle
from itas.improvement.errors import ImprovementError
from itas.improvement.goal import road_to_goal
from itas.scoring.models import ResultSet, ResultStatus

SHOWN = 100


def _goal_set(request, fy: int) -> tuple[Cycle, ResultSet]:
    cycle = Cycle.objects.real().select_related("framework").filter(fiscal_year=fy).first()
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
def goal_csv(request, fy: int):
    """The outreach list: the agencies closest to passing, cheapest first, with their items."""
    cycle, rs = _goal_set(request, fy)
    road = road_to_goal(rs, _goal_param(request))
    header = [
        _("No."),
        _("Agency code"),
        _("Agency"),
        _("Province"),
        _("District"),
        _("Total score"),
        _("OIT items to pass"),
        _("Items"),
    ]
    rows = (
        [i, c.code, c.name, c.province, c.district, c.total, c.cost, " ".join(c.items)]
        for i, c in enumerate(road.chosen, start=1)
    )
    return tabular.csv_response(f"ita-{fy}-road-to-goal.csv", header, rows)


# ---------------------------------------------------------------- early warning


def _open_cycle(request) -> Cycle:
    from itas.cycles.models import CycleStatus

    raw = request.GET.get("fy", "").strip()
    qs = Cycle.objects.real().select_related("framework")
    if raw:
        if not raw.isdigit():
            raise ImprovementError(_("The fiscal year must be a number."), status=400)
        cycle = qs.filter(fiscal_year=int(raw)).first()
    else:
        cycle = qs.filter(status=CycleStatus.OPEN).order_by("-fiscal_year").first()
    if cycle is None:
        raise ImprovementError(_("There is no open assessment cycle."), status=404)
    return cycle


@permission("improvement.view_warnings")
def warnings(request):
    from django.core.paginator import Paginator
    from django.db.models import Count, Q

    from itas.agencies.models import Agency
    from itas.geo.models import Province
    from itas.improvement.models import EarlyWarning
    from itas.improvement.reasons import readable

    cycle = _open_cycle(request)
    rows = EarlyWarning.objects.filter(cycle=cycle)
    national = request.user.has_perm("improvement.refresh_warnings")
    if not national:
        rows = rows.filter(agency_id_copy__in=Agency.objects.in_scope(request.user).values("pk"))
    province = request.GET.get("province", "").strip()
    if province:
        rows = rows.filter(province_code=province)
    counts = rows.aggregate(n=Count("id"), at_risk=Count("id", filter=Q(risk__gte=0.5)))
    by_province = []
    if national and not province:
        names = dict(Province.objects.values_list("code", "name_th"))
        by_province = [
            {**r, "name": names.get(r["province_code"], r["province_code"])}
            for r in rows.values("province_code")
            .annotate(n=Count("id"), at_risk=Count("id", filter=Q(risk__gte=0.5)))
            .order_by("-at_risk", "province_code")
        ]
    ranked = rows.select_related(
        "enrolment__agency", "enrolment__agency__district", "enrolment__agency__province"
    ).order_by("-risk", "enrolment__agency__code")
    page = Paginator(ranked, 50).get_page(request.GET.get("page") or 1)
    items = [
        {
            "w": w,
            "agency": w.enrolment.agency,
            "reasons": readable(w.reasons),
            "may_remind": request.user.has_perm("improvement.remind_agency", w.enrolment.agency),
        }
        for w in page
    ]
    latest = rows.order_by("-computed_at").values_list("computed_at", "elapsed").first()
    context = {
        "run": cycle.warning_runs.first() if national else None,
        "cycle": cycle,
        "page": page,
        "items": items,
        "counts": counts,
        "by_province": by_province,
        "national": national,
        "province": province,
        "computed_at": latest[0] if latest else None,
        "elapsed": round(latest[1] * 100) if latest else None,
    }
    return render(request, "improvement/warnings.html", context)


def _warning(request, pk: int, **kw):
    from django.shortcuts import get_object_or_404

    from itas.improvement.models import EarlyWarning

    return get_object_or_404(
        EarlyWarning.objects.select_related("enrolment__agency", "cycle"), pk=pk
    ).enrolment.agency


@permission("improvement.remind_agency", obj=_warning)
@require_POST
def remind(request, pk: int, obj=None):
    from django.contrib import messages
    from django.shortcuts import redirect

    from itas.improvement import services
    from itas.improvement.models import EarlyWarning

    warning = EarlyWarning.objects.select_related("enrolment__agency", "cycle").get(pk=pk)
    try:
        n = services.remind_agency(actor=request.user, warning=warning)
    except ImprovementError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _("%(agency)s reminded (%(n)s people).")
            % {"agency": warning.enrolment.agency.full_name, "n": n},
        )
    return redirect(f"{reverse('improvement:warnings')}?fy={warning.cycle.fiscal_year}")


@permission("improvement.refresh_warnings")
@require_POST
def refresh(request):
    """Queue the refresh for a worker (at once without a broker); the page shows its progress."""
    from django.contrib import messages
    from django.shortcuts import redirect

    from itas.improvement import services

    cycle = _open_cycle(request)
    run, created = services.start_refresh(request.user, cycle=cycle)
    if not created:
        messages.info(request, _("A refresh of the early warning is already running."))
    return redirect(f"{reverse('improvement:warnings')}?fy={cycle.fiscal_year}")


@permission("improvement.refresh_warnings")
def refresh_status(request):
    """The progress card, polled by htmx while a refresh runs. When the refresh the page was
    waiting for has finished, htmx reloads the page, which then shows the new ranking."""
    from django.http import HttpResponse

    cycle = _open_cycle(request)
    run = cycle.warning_runs.first()
    response: HttpResponse = render(
        request, "improvement/_refresh_status.html", {"cycle": cycle, "run": run}
    )
    if request.headers.get("HX-Request") and (run is None or not run.active):
        response["HX-Refresh"] = "true"
    return response
