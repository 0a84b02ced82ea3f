"""The follow-up page of coordinators, district officers and NACC: who is behind, contact
details, reminders (one or the whole filtered list) and who reminded whom when."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from itas.core.permissions import permission
from itas.cycles.models import Cycle, CycleStatus

from . import services
from .errors import FollowupError
from .queries import REASONS, behind_rows


def _cycle(request, cycle_id, **kwargs):
    return get_object_or_404(Cycle.objects.select_related("framework"), pk=cycle_id)


def _filters(params) -> dict:
    reason = params.get("reason", "")
    return {
        "reason": reason if reason in REASONS else "",
        "q": params.get("q", "").strip()[:100],
    }


@permission("followup.view")
def index(request):
    cycle = (
        Cycle.objects.filter(status=CycleStatus.OPEN).order_by("-fiscal_year").first()
        or Cycle.objects.order_by("-fiscal_year").first()
    )
    if cycle is None:
        messages.info(request, _("There is no assessment cycle yet."))
        return redirect("core:home")
    return redirect("followup:agencies", cycle.pk)


@permission("followup.view", obj=_cycle)
def agencies(request, cycle_id: int, obj: Cycle):
    f = _filters(request.GET)
    rows = behind_rows(obj, request.user, reason=f["reason"], q=f["q"])
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "followup/agencies.html",
        {
            "cycle": obj,
            "page": page,
            "count": len(rows),
            "reasons": REASONS,
            "gap_hours": int(services.REMINDER_GAP.total_seconds() // 3600),
            "query": urlencode({k: v for k, v in f.items() if v}),
            **f,
        },
    )


@require_POST
@permission("followup.view", obj=_cycle)
def remind(request, cycle_id: int, obj: Cycle):
    f = _filters(request.POST)
    if request.POST.get("scope") == "all":
        ids = [r.agency.pk for r in behind_rows(obj, request.user, reason=f["reason"], q=f["q"])]
    else:
        ids = [int(x) for x in request.POST.getlist("agency") if x.isdigit()]
    try:
        out = services.remind(request.user, cycle=obj, agency_ids=ids)
    except FollowupError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _(
                "Reminders sent: %(sent)d. Reminded recently, skipped: %(recent)d. Without an admin account: %(without)d."
            )
            % {"sent": out["sent"], "recent": out["recent"], "without": out["without_admin"]},
        )
    query = urlencode({k: v for k, v in f.items() if v})
    return redirect(reverse("followup:agencies", args=[obj.pk]) + (f"?{query}" if query else ""))
