"""The credibility pages: the ranked list of a cycle (scoped), one agency's explanation, the
re-analysis with its progress, exclusions by reason, the request to explain and the agency's
page where its admin answers it."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from itas.agencies.models import Agency
from itas.core.permissions import permission
from itas.cycles.models import Cycle, Enrolment
from itas.surveys.credibility import services
from itas.surveys.credibility.models import AgencyRisk, CredibilityRun, ExplanationRequest
from itas.surveys.credibility.reasons import describe
from itas.surveys.models import Response
from itas.surveys.services import SurveyError


def _cycle(request, cycle_pk, **kwargs):
    return get_object_or_404(Cycle, pk=cycle_pk)


def _enrolment(request, pk, **kwargs):
    return get_object_or_404(
        Enrolment.objects.select_related("agency", "agency__province", "cycle"), pk=pk
    )


def _without_ids(reasons: list[dict]) -> list[dict]:
    """The reasons as shown to someone who may not see the responses behind them: the ids
    are left out of what the template receives, not only of what it prints."""
    return [{k: v for k, v in r.items() if k != "ids"} for r in reasons]


def _requests_by_enrolment(enrolment_ids: list[int]) -> dict[int, dict]:
    """The state of the requests to explain of each enrolment: how many were asked, how many
    answered, and the day of the latest."""
    state: dict[int, dict] = {}
    for q in ExplanationRequest.objects.filter(enrolment_id__in=enrolment_ids).only(
        "enrolment_id", "asked_at", "replied_at"
    ):
        s = state.setdefault(q.enrolment_id, {"asked": 0, "replied": 0, "last": q.asked_at})
        s["asked"] += 1
        s["replied"] += q.replied_at is not None
        s["last"] = max(s["last"], q.asked_at)
    return state


@permission("surveys.view_credibility", obj=_cycle)
def ranked(request, cycle_pk, obj):
    cycle = obj
    risks = (
        AgencyRisk.objects.filter(
            enrolment__cycle=cycle, enrolment__agency__in=Agency.objects.in_scope(request.user)
        )
        .select_related("enrolment__agency", "enrolment__agency__province")
        .order_by("-risk", "-behind", "enrolment__agency__name")
    )
    only = request.GET.get("show", "flagged")
    if only == "flagged":
        risks = risks.filter(flagged=True)
    elif only == "asked":
        risks = risks.filter(
            Exists(ExplanationRequest.objects.filter(enrolment=OuterRef("enrolment")))
        )
    else:
        only = "all"
    page = Paginator(risks, 50).get_page(request.GET.get("page"))
    asked = _requests_by_enrolment([r.enrolment_id for r in page])
    rows = [
        (r, _without_ids(describe(r.reasons[:3], flagged_only=True)), asked.get(r.enrolment_id))
        for r in page
    ]
    run = CredibilityRun.objects.filter(cycle=cycle).first()
    return render(
        request,
        "surveys/credibility_list.html",
        {
            "cycle": cycle,
            "page": page,
            "rows": rows,
            "show": only,
            "run": run,
            "can_run": request.user.has_perm("surveys.run_credibility", cycle),
            "tokens": services.counts_by_status(cycle)
            if request.user.has_perm("surveys.run_credibility", cycle)
            else {},
        },
    )


@require_POST
@permission("surveys.run_credibility", obj=_cycle)
def run(request, cycle_pk, obj):
    from itas.surveys.credibility.tasks import reanalyse_cycle

    try:
        started = services.start_run(request.user, cycle=obj)
    except services.CredibilityError as exc:
        messages.error(request, str(exc))
    else:
        reanalyse_cycle.delay(started.pk)
        messages.success(request, _("The re-analysis has started."))
    return redirect("surveys:credibility", cycle_pk=obj.pk)


@permission("surveys.view_credibility", obj=_cycle)
def run_progress(request, cycle_pk, obj):
    run = CredibilityRun.objects.filter(cycle=obj).first()
    return render(request, "surveys/_credibility_run.html", {"run": run, "cycle": obj})


@permission("surveys.view_agency_credibility", obj=_enrolment)
def agency(request, pk, obj):
    enrolment = obj
    can_see = request.user.has_perm("surveys.exclude_response", enrolment)
    risks = []
    for risk in AgencyRisk.objects.filter(enrolment=enrolment).order_by("instrument"):
        reasons = describe(risk.reasons)
        if can_see:
            ids = {i for r in risk.reasons for i in r.get("ids", [])}
            by_id = {
                r.pk: r
                for r in Response.objects.filter(pk__in=ids).only(
                    "pk", "submitted_hour", "token_status", "mean_score", "all_best", "excluded"
                )
            }
            for reason in reasons:
                reason["responses"] = sorted(
                    (by_id[i] for i in reason["ids"] if i in by_id),
                    key=lambda r: (r.submitted_hour, r.pk),
                )
                reason["excluded"] = sum(1 for r in reason["responses"] if r.excluded)
        else:
            reasons = _without_ids(reasons)
        risks.append((risk, reasons))
    return render(
        request,
        "surveys/credibility_agency.html",
        {
            "enrolment": enrolment,
            "cycle": enrolment.cycle,
            "agency": enrolment.agency,
            "risks": risks,
            "can_see": can_see,
            "requests": enrolment.explanation_requests.all()[:10],
        },
    )


@require_POST
@permission("surveys.exclude_response", obj=_enrolment)
def exclude_reason(request, pk, obj):
    risk = get_object_or_404(AgencyRisk, enrolment=obj, instrument=request.POST.get("instrument"))
    excluded = request.POST.get("excluded") == "1"
    try:
        n = services.set_reason_excluded(
            request.user,
            risk=risk,
            code=request.POST.get("code", ""),
            excluded=excluded,
            reason=request.POST.get("reason", ""),
        )
    except SurveyError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            (
                _("%(n)s responses no longer count.")
                if excluded
                else _("%(n)s responses count again.")
            )
            % {"n": n},
        )
    return redirect("surveys:credibility_agency", pk=obj.pk)


@require_POST
@permission("surveys.exclude_response", obj=_enrolment)
def ask(request, pk, obj):
    try:
        services.ask_explanation(
            request.user, enrolment=obj, message=request.POST.get("message", "")
        )
    except SurveyError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The agency was asked to explain."))
    return redirect("surveys:credibility_agency", pk=obj.pk)


@permission("surveys.view_explanations", obj=_enrolment)
def explanations(request, pk, obj):
    """The agency's requests to explain, newest first, each with its answer or (for its
    admin) a form to answer. Nothing of the credibility analysis is shown here: the agency
    reads NACC's question, never which answers lie behind it."""
    return render(
        request,
        "surveys/explanations.html",
        {
            "enrolment": obj,
            "agency": obj.agency,
            "cycle": obj.cycle,
            "requests": obj.explanation_requests.all(),
            "can_reply": request.user.has_perm("surveys.reply_explanation", obj),
            "max_reply": services.MAX_REPLY,
        },
    )


@require_POST
@permission("surveys.reply_explanation", obj=_enrolment)
def reply(request, pk, request_pk, obj):
    asked = get_object_or_404(ExplanationRequest, pk=request_pk, enrolment=obj)
    try:
        services.reply_explanation(request.user, request=asked, reply=request.POST.get("reply", ""))
    except SurveyError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Your explanation was sent to NACC."))
    return redirect("surveys:explanations", pk=obj.pk)
