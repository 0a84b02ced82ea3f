"""Computing and publishing a cycle's results (NACC): the publication page, the background
computation and its progress card."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from itas.core.permissions import permission
from itas.reports import queries, services

from ._common import _cycle, _no_cycle


@permission("reports.publish_results")
@require_http_methods(["GET", "POST"])
def publish(request, fy: int):
    cycle = _cycle(fy)
    if cycle is None:
        _no_cycle(request, fy)
    if request.method == "POST":
        try:
            rs = services.publish_results(
                request.user, cycle=cycle, note=request.POST.get("note", "")
            )
        except services.ReportsError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(
                request,
                _("Results of fiscal year %(fy)s published as version %(v)s.")
                % {"fy": fy, "v": rs.version},
            )
            return redirect("reports:dashboard", fy=fy)
    preliminary = cycle.result_sets.current_preliminary()
    confirmed = services.oit_scores_confirmed(cycle)
    run = cycle.scoring_runs.first()
    context = {
        "cycle": cycle,
        "confirmed": confirmed,
        "preliminary": preliminary,
        # The same numbers the preliminary dashboard shows (one read: queries.dashboard).
        "preview": queries.dashboard(preliminary, queries.NATIONAL)["summary"]
        if preliminary
        else None,
        "blockers": services.publication_blockers(cycle, preliminary=preliminary, run=run),
        "run": run,
        "published": cycle.result_sets.current_published(),
        "versions": queries.public_versions(cycle),
    }
    return render(request, "reports/publish.html", context)


@permission("reports.publish_results")
@require_http_methods(["POST"])
def compute(request, fy: int):
    from itas.scoring.errors import ScoringError
    from itas.scoring.services import start_scoring

    cycle = _cycle(fy)
    if cycle is None:
        _no_cycle(request, fy)
    try:
        start_scoring(request.user, cycle=cycle)
    except ScoringError as exc:
        messages.error(request, str(exc))
    return redirect("reports:publish", fy=fy)


@permission("reports.publish_results")
def compute_status(request, fy: int):
    """The progress card, polled by htmx while a computation runs."""
    cycle = _cycle(fy)
    if cycle is None:
        _no_cycle(request, fy)
    return render(
        request, "reports/_compute_status.html", {"cycle": cycle, "run": cycle.scoring_runs.first()}
    )
