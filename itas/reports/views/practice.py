"""The practice round's scores: NACC computes them on the practice round's own page (the same
background computation as the year's, asked for by name), and they are read only here, under
/results/practice/<round>/, every page and the PDF marked ทดลองใช้.

Nothing else reads them: dashboards, lists, exports, the API, open data, early warning and
credibility start from `Cycle.objects.real()`, and a practice set is never published
(reports.services.publish_results refuses it).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from itas.agencies.models import Agency
from itas.core.pdf import pdf_response, render_pdf
from itas.core.permissions import login, permission
from itas.cycles.models import Cycle, CycleStatus
from itas.reports.errors import ReportsError
from itas.reports.scorecard import Scorecard, build
from itas.scoring.models import AgencyResult, ResultSet

from .results import what_if_response

PAGE = 50


def _round(cycle_pk: int) -> Cycle:
    cycle = (
        Cycle.objects.practice()
        .select_related("framework", "practice_of")
        .filter(pk=cycle_pk, status=CycleStatus.OPEN)
        .first()
    )
    if cycle is None:
        raise ReportsError(
            _("There is no open practice round here; it may have been reset."), status=404
        )
    return cycle


def _scores(cycle: Cycle) -> ResultSet | None:
    return cycle.result_sets.current_preliminary()


def _cycle_of(request, cycle_pk: int, **_kw) -> Cycle | None:
    return Cycle.objects.practice().filter(pk=cycle_pk).first()


def _agency_of(request, cycle_pk: int, code: str) -> Agency | None:
    return Agency.objects.select_related("province", "district").filter(code=code).first()


@login
def practice(request, cycle_pk: int):
    """The round's scores: NACC computes them here; everyone sees the agencies of their scope."""
    cycle = _round(cycle_pk)
    rs = _scores(cycle)
    rows = AgencyResult.objects.none()
    if rs is not None:
        rows = (
            AgencyResult.objects.filter(
                result_set=rs,
                agency_id_copy__in=Agency.objects.in_scope(request.user).values("pk"),
            )
            .select_related("enrolment__agency")
            .order_by("province_code", "enrolment__agency__name", "pk")
        )
    can_compute = request.user.has_perm("scoring.compute", cycle)
    return render(
        request,
        "reports/practice.html",
        {
            "cycle": cycle,
            "scores": rs,
            "page": Paginator(rows, PAGE).get_page(request.GET.get("page")),
            "can_compute": can_compute,
            "run": cycle.scoring_runs.first() if can_compute else None,
            "status_url": reverse("reports:practice_compute_status", args=[cycle.pk]),
        },
    )


@permission("scoring.compute", obj=_cycle_of)
@require_http_methods(["POST"])
def practice_compute(request, cycle_pk: int, obj):
    from itas.scoring.errors import ScoringError
    from itas.scoring.services import start_scoring

    cycle = _round(cycle_pk)
    try:
        start_scoring(request.user, cycle=cycle)
    except ScoringError as exc:
        messages.error(request, str(exc))
    return redirect("reports:practice", cycle_pk=cycle.pk)


@permission("scoring.compute", obj=_cycle_of)
def practice_compute_status(request, cycle_pk: int, obj):
    """The progress card, polled by htmx while the practice computation runs."""
    cycle = _round(cycle_pk)
    return render(
        request,
        "reports/_compute_status.html",
        {
            "cycle": cycle,
            "run": cycle.scoring_runs.first(),
            "status_url": reverse("reports:practice_compute_status", args=[cycle.pk]),
        },
    )


def _card(cycle_pk: int, agency: Agency) -> Scorecard:
    cycle = _round(cycle_pk)
    rs = _scores(cycle)
    if rs is None:
        raise ReportsError(
            _("The practice round has not been scored yet: NACC computes it on its page."),
            status=404,
            title=_("Not scored yet"),
        )
    card = build(agency, rs)
    if card is None:
        raise ReportsError(
            _("%(agency)s has no practice score.") % {"agency": agency.full_name}, status=404
        )
    return card


def _context(request, card: Scorecard, **extra) -> dict:
    cycle = card.result_set.cycle
    code = card.agency.code
    return {
        "card": card,
        "cycle": cycle,
        # No dashboard holds practice scores: the breadcrumb leads back to the round's page.
        "area_links": {"national": False, "province": False},
        "keep_qs": "",
        "path": card.path_rows,
        "keep": {},
        "ticked": set(),
        "pdf_url": reverse("reports:practice_scorecard_pdf", args=[cycle.pk, code]),
        "what_if_url": reverse("reports:practice_what_if", args=[cycle.pk, code]),
        **extra,
    }


@permission("reports.view_agency_preliminary", obj=_agency_of)
def practice_scorecard(request, cycle_pk: int, code: str, obj):
    card = _card(cycle_pk, obj)
    return render(request, "reports/scorecard.html", _context(request, card))


@permission("reports.view_agency_preliminary", obj=_agency_of)
def practice_what_if(request, cycle_pk: int, code: str, obj):

    card = _card(cycle_pk, obj)
    return what_if_response(request, card, lambda **extra: _context(request, card, **extra))


@permission("reports.view_agency_preliminary", obj=_agency_of)
def practice_scorecard_pdf(request, cycle_pk: int, code: str, obj):
    card = _card(cycle_pk, obj)
    cycle = card.result_set.cycle
    data = render_pdf(
        "reports/pdf/scorecard.html",
        {"card": card, "cycle": cycle, "path": card.path_rows},
        request,
    )
    return pdf_response(data, f"ita-{cycle.fiscal_year}-practice-{card.agency.code}.pdf")
