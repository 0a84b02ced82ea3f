"""Following the OIT: progress per province (coordinators, district offices, NACC), and NACC's
confirmation page."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from itas.agencies.models import Agency
from itas.core.permissions import permission
from itas.cycles.models import Cycle, PhaseKind
from itas.disclosure import queries, services
from itas.disclosure.errors import DisclosureError
from itas.disclosure.framework import oit_items
from itas.disclosure.models import Confirmation, ItemAnswer, ItemStatus
from itas.disclosure.visibility import decisions_visible


def _province_rows(cycle, agencies):
    """Per province: agencies enrolled, with evidence, submitted, fully reviewed, confirmed."""
    enrolments = cycle.enrolments.filter(agency__in=agencies)
    totals = {
        code: (name, n)
        for code, name, n in enrolments.values("agency__province_id", "agency__province__name_th")
        .annotate(n=Count("id"))
        .values_list("agency__province_id", "agency__province__name_th", "n")
    }
    per_agency = (
        ItemAnswer.objects.filter(enrolment__in=enrolments)
        .values("enrolment_id", "enrolment__agency__province_id")
        .annotate(
            evidence=Count("id", filter=Q(current_evidence__isnull=False)),
            submitted=Count("id", filter=Q(submitted_evidence__isnull=False)),
            waiting=Count(
                "id",
                filter=Q(submitted_evidence__isnull=False, latest_decision__isnull=True)
                | Q(open_clarification__isnull=False),
            ),
            decided=Count("id", filter=Q(latest_decision__isnull=False)),
            confirmed=Count("id", filter=Q(status=ItemStatus.CONFIRMED)),
        )
        .order_by()
    )
    rows: dict[str, dict] = {
        code: {
            "code": code,
            "province": name,
            "agencies": n,
            "started": 0,
            "submitted": 0,
            "reviewed": 0,
            "confirmed": 0,
        }
        for code, (name, n) in totals.items()
    }
    for r in per_agency:
        row = rows[r["enrolment__agency__province_id"]]
        row["started"] += 1 if r["evidence"] else 0
        row["submitted"] += 1 if r["submitted"] else 0
        row["reviewed"] += 1 if r["submitted"] and not r["waiting"] and r["decided"] else 0
        row["confirmed"] += 1 if r["confirmed"] else 0
    out = sorted(rows.values(), key=lambda r: r["province"])
    for r in out:
        r["percent_submitted"] = round(100 * r["submitted"] / r["agencies"]) if r["agencies"] else 0
    return out


@permission("disclosure.view_progress")
def progress(request):
    cycle = queries.current_cycle(request.GET.get("cycle") or None)
    if cycle is None:
        messages.info(request, _("There is no assessment cycle yet."))
        return redirect("core:home")
    agencies = Agency.objects.in_scope(request.user)
    province = request.GET.get("province", "")
    provinces = _province_rows(cycle, agencies)
    agency_rows = []
    if province or len(provinces) == 1:
        code_filter = agencies.filter(province_id=province) if province else agencies
        enrolments = list(
            cycle.enrolments.filter(agency__in=code_filter).select_related("agency__district")
        )
        ids = [e.pk for e in enrolments]
        counts = queries.status_counts(ids)
        decided = queries.decided_counts(ids)
        total = len(oit_items(cycle))
        for e in enrolments:
            c = counts.get(e.pk, {})
            with_evidence = total - c.get(ItemStatus.NOT_STARTED, 0) - (total - sum(c.values()))
            agency_rows.append(
                {
                    "enrolment": e,
                    "stage": queries.agency_stage(c, total),
                    "with_evidence": with_evidence,
                    "percent": round(100 * with_evidence / total) if total else 0,
                    "decided": decided.get(e.pk),
                }
            )
    from itas.disclosure.views.review import stage_labels

    return render(
        request,
        "disclosure/progress.html",
        {
            "cycle": cycle,
            "provinces": provinces,
            "agency_rows": agency_rows,
            "province": province,
            "stages": dict(stage_labels()),
            "total_items": len(oit_items(cycle)),
            "can_confirm": request.user.has_perm("disclosure.confirm"),
        },
    )


def _cycle(request, cycle_id, **kwargs):
    return get_object_or_404(Cycle.objects.select_related("framework"), pk=cycle_id)


@permission("disclosure.confirm")
def confirmation(request, cycle_id: int, status: int = 200):
    cycle = _cycle(request, cycle_id)
    answers = ItemAnswer.objects.filter(enrolment__cycle=cycle)
    stats = answers.aggregate(
        agencies=Count("enrolment", distinct=True),
        waiting=Count(
            "id", filter=Q(submitted_evidence__isnull=False, latest_decision__isnull=True)
        ),
        disputed=Count("id", filter=Q(open_clarification__isnull=False)),
        decided=Count("id", filter=Q(latest_decision__isnull=False)),
        confirmed=Count("id", filter=Q(status=ItemStatus.CONFIRMED)),
    )
    stats["enrolled"] = cycle.enrolments.count()
    return render(
        request,
        "disclosure/confirmation.html",
        {
            "cycle": cycle,
            "stats": stats,
            "confirm_open": cycle.is_phase_open(PhaseKind.CONFIRMATION),
            "phase": cycle.phase(PhaseKind.CONFIRMATION),
            "results_visible": decisions_visible(cycle),
            "confirmations": Confirmation.objects.filter(cycle=cycle).select_related(
                "confirmed_by", "enrolment__agency"
            )[:20],
            "enrolments": cycle.enrolments.select_related("agency").order_by("agency__code")[:0],
        },
        status=status,
    )


@require_POST
@permission("disclosure.confirm")
def confirm(request, cycle_id: int):
    cycle = _cycle(request, cycle_id)
    enrolment = None
    code = (request.POST.get("agency_code") or "").strip()
    if code:
        enrolment = cycle.enrolments.filter(agency__code=code).first()
        if enrolment is None:
            messages.error(
                request,
                _("No agency with code %(code)s is enrolled in this cycle.") % {"code": code},
            )
            return confirmation(request, cycle_id=cycle_id, status=400)
    try:
        row = services.confirm(request.user, cycle=cycle, enrolment=enrolment)
    except DisclosureError as exc:
        messages.error(request, str(exc))
        return confirmation(request, cycle_id=cycle_id, status=400)
    messages.success(
        request,
        _("Confirmed: %(a)d agencies, %(i)d items. Their OIT decisions are now frozen.")
        % {"a": row.agencies, "i": row.items},
    )
    return redirect("disclosure:confirmation", cycle.pk)


@require_POST
@permission("disclosure.confirm")
def announce(request, cycle_id: int):
    cycle = _cycle(request, cycle_id)
    try:
        n = services.announce_preliminary_results(request.user, cycle=cycle)
    except DisclosureError as exc:
        messages.error(request, str(exc))
        return confirmation(request, cycle_id=cycle_id, status=400)
    messages.success(
        request, _("%(n)d agencies were e-mailed about their preliminary results.") % {"n": n}
    )
    return redirect("disclosure:confirmation", cycle.pk)
