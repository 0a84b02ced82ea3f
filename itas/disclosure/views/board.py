"""The agency's side: its board of OIT items, an item's page (evidence, pre-check, decision,
clarification, history). Assessors' and NACC's pages are in views.review and views.oversight."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from itas.accounts.models import User
from itas.accounts.queries import agency_people
from itas.core.http import safe_redirect
from itas.core.permissions import login, permission
from itas.core.roles import Function
from itas.cycles.models import Enrolment, PhaseKind
from itas.disclosure import queries, services
from itas.disclosure.errors import DisclosureError
from itas.disclosure.forms import ClarificationAnswerForm, ClarificationForm, EvidenceForm
from itas.disclosure.framework import oit_item, oit_items
from itas.disclosure.models import CheckState, Decision, ItemAnswer, ItemStatus, LinkCheck
from itas.disclosure.timeline import item_timeline
from itas.disclosure.visibility import can_see_decisions, visible_from


def _enrolment(request, enrolment_id, **kwargs):
    return get_object_or_404(
        Enrolment.objects.select_related("agency__province", "cycle__framework"), pk=enrolment_id
    )


def _answer(request, answer_id, **kwargs):
    return get_object_or_404(
        ItemAnswer.objects.select_related(
            "enrolment__agency__province",
            "enrolment__cycle__framework",
            "assignee",
            "current_evidence",
            "submitted_evidence",
            "latest_decision__decided_by",
            "open_clarification",
        ),
        pk=answer_id,
    )


def latest_checks(evidence_ids) -> dict[int, list[LinkCheck]]:
    """{evidence_id: [the latest check per URL position]}."""
    out: dict[int, dict[int, LinkCheck]] = {}
    for c in LinkCheck.objects.filter(evidence_id__in=list(evidence_ids)).order_by(
        "evidence_id", "position", "-requested_at", "-id"
    ):
        out.setdefault(c.evidence_id, {}).setdefault(c.position, c)
    return {k: list(v.values()) for k, v in out.items()}


def check_summary(checks: list[LinkCheck]) -> str:
    """ok / warn / bad / pending / none for a row's badge."""
    if not checks:
        return "none"
    if any(c.state in (CheckState.PENDING, CheckState.RUNNING) for c in checks):
        return "pending"
    if any(c.state == CheckState.NOT_CHECKED for c in checks):
        return "none"
    if any(c.state == CheckState.BLOCKED or not c.reachable for c in checks):
        return "bad"
    if any(c.on_agency_domain is False or c.mentions_fiscal_year is False for c in checks):
        return "warn"
    return "ok"


@login
def index(request):
    """Send each person to the OIT page of their role."""
    cycle = queries.current_cycle()
    user = request.user
    if user.has_perm("disclosure.view_queue"):
        return redirect("disclosure:queue")
    if user.has_perm("disclosure.view_progress"):
        return redirect("disclosure:progress")
    agency_ids = user.agency_ids()
    if cycle and agency_ids:
        enrolment = cycle.enrolments.filter(agency_id__in=agency_ids).first()
        if enrolment:
            return redirect("disclosure:board", enrolment.pk)
    messages.info(request, _("There is no OIT work for you in the current cycle."))
    return redirect("core:home")


@permission("disclosure.view_board", obj=_enrolment)
def board(request, enrolment_id: int, obj: Enrolment, status: int = 200):
    enrolment = obj
    cycle = enrolment.cycle
    answers = queries.board_items(enrolment)
    specs = {s.code: s for s in oit_items(cycle)}
    spec = cycle.framework.spec
    checks = latest_checks(a.current_evidence_id for a in answers if a.current_evidence_id)
    show_decisions = can_see_decisions(request.user, enrolment)
    mine_only = request.GET.get("mine") == "1"
    groups = []
    for ind in spec.indicators_for("OIT"):
        for sub in ind.subindicators:
            rows = []
            for a in answers:
                if a.subindicator_code != sub.code:
                    continue
                if mine_only and a.assignee_id != request.user.pk:
                    continue
                rows.append(
                    {
                        "answer": a,
                        "spec": specs.get(a.code),
                        "check": check_summary(checks.get(a.current_evidence_id, [])),
                        "can_edit": request.user.has_perm("disclosure.edit_item", a),
                        "function": spec.function if (spec := specs.get(a.code)) else "",
                    }
                )
            if rows:
                groups.append({"code": sub.code, "name": sub.name, "rows": rows})
    counts: dict[str, int] = {}
    for a in answers:
        counts[a.status] = counts.get(a.status, 0) + 1
    with_evidence = sum(1 for a in answers if a.current_evidence_id)
    officers = services.officers_by_function(enrolment)
    context = {
        "enrolment": enrolment,
        "agency": enrolment.agency,
        "cycle": cycle,
        "groups": groups,
        "counts": counts,
        "total": len(answers),
        "with_evidence": with_evidence,
        "submitted": sum(1 for a in answers if a.submitted_evidence_id),
        "unsubmitted_changes": sum(
            1
            for a in answers
            if a.current_evidence_id and a.current_evidence_id != a.submitted_evidence_id
        ),
        "percent": round(100 * with_evidence / len(answers)) if answers else 0,
        "can_manage": request.user.has_perm("disclosure.manage_board", enrolment),
        "answers_open": cycle.is_phase_open(PhaseKind.OIT_ANSWERS),
        "clarification_open": cycle.is_phase_open(PhaseKind.CLARIFICATION),
        "phase_answers": cycle.phase(PhaseKind.OIT_ANSWERS),
        "phase_clarification": cycle.phase(PhaseKind.CLARIFICATION),
        "show_decisions": show_decisions,
        "visible_from": visible_from(cycle),
        "returned": sum(
            1
            for a in answers
            if show_decisions
            and a.latest_decision_id
            and a.latest_decision.decision == Decision.FAIL
            and a.status != ItemStatus.CONFIRMED
        ),
        "score": queries.preliminary_oit_score(enrolment) if show_decisions else None,
        "officers": [
            (Function(fn).label if fn in Function.values else _("Other"), people)
            for fn, people in sorted(officers.items())
        ],
        "mine_only": mine_only,
        "my_count": sum(1 for a in answers if a.assignee_id == request.user.pk),
        "admins": agency_people([enrolment.agency_id]).get(enrolment.agency_id, []),
        "my_functions": [
            Function(r.function).label
            for r in request.user.cached_roles()
            if r.agency_id == enrolment.agency_id and r.function in Function.values
        ],
        "last_submission": enrolment.oit_submissions.select_related("submitted_by").first(),
        "Decision": Decision,
    }
    return render(request, "disclosure/board.html", context, status=status)


def _fail(request, view, status=400, **kwargs):
    """Show the page again with the refusal, as a 4xx (nothing stored)."""
    return view(request, status=status, **kwargs)


@require_POST
@permission("disclosure.manage_board", obj=_enrolment)
def assign(request, enrolment_id: int, obj: Enrolment):
    codes = request.POST.getlist("codes")
    assignee_id = request.POST.get("assignee") or ""
    assignee = None
    if assignee_id:
        assignee = User.objects.filter(pk=assignee_id if assignee_id.isdigit() else 0).first()
        if assignee is None:
            messages.error(request, _("Choose an officer of this agency."))
            return board(request, enrolment_id=enrolment_id, status=400)
    try:
        n = services.assign_items(request.user, enrolment=obj, codes=codes, assignee=assignee)
    except DisclosureError as exc:
        messages.error(request, str(exc))
        return board(request, enrolment_id=enrolment_id, status=400)
    messages.success(request, _("%(n)d items assigned.") % {"n": n})
    return redirect("disclosure:board", obj.pk)


@require_POST
@permission("disclosure.manage_board", obj=_enrolment)
def open_board(request, enrolment_id: int, obj: Enrolment):
    """The daily job opens boards when the answer period starts; an admin who arrives first
    need not wait for it."""
    if not obj.cycle.is_phase_open(PhaseKind.OIT_ANSWERS):
        messages.error(request, _("The OIT answer period is not open."))
        return board(request, enrolment_id=enrolment_id, status=400)
    services.open_board(request.user, enrolment=obj)
    return redirect("disclosure:board", obj.pk)


@require_POST
@permission("disclosure.manage_board", obj=_enrolment)
def assign_by_function(request, enrolment_id: int, obj: Enrolment):
    n = services.assign_by_function(request.user, enrolment=obj)
    if n:
        messages.success(
            request, _("%(n)d items assigned to officers by their function.") % {"n": n}
        )
    else:
        messages.info(request, _("No unassigned item matched an officer's function."))
    return redirect("disclosure:board", obj.pk)


@permission("disclosure.view_board", obj=_answer)
def item(
    request,
    answer_id: int,
    obj: ItemAnswer,
    status: int = 200,
    form=None,
    clar_form=None,
    handle_post: bool = True,
):
    answer = obj
    enrolment = answer.enrolment
    cycle = enrolment.cycle
    user = request.user
    can_edit = user.has_perm("disclosure.edit_item", answer) and cycle.is_phase_open(
        PhaseKind.OIT_ANSWERS
    )
    if request.method == "POST" and handle_post:
        if not user.has_perm("disclosure.edit_item", answer):
            raise DisclosureError(_("You may not edit this item."), status=403)
        form = EvidenceForm(request.POST)
        if form.is_valid():
            try:
                services.save_evidence(
                    user,
                    answer=answer,
                    urls=form.url_list(),
                    explanation=form.cleaned_data["explanation"],
                )
            except DisclosureError as exc:
                if can_edit:
                    form.add_error(None, str(exc))
                else:  # the form is not shown any more (deadline passed): say it above
                    messages.error(request, str(exc))
            else:
                messages.success(request, _("Evidence saved. The links are being checked."))
                return redirect("disclosure:item", answer.pk)
        status = 400
    if form is None and can_edit:
        ev = answer.current_evidence
        form = EvidenceForm(
            initial={"urls": "\n".join(ev.urls), "explanation": ev.explanation} if ev else None
        )
    show_decisions = can_see_decisions(user, enrolment)
    decision = answer.latest_decision if show_decisions else None
    can_clarify = (
        decision is not None
        and decision.decision == Decision.FAIL
        and answer.open_clarification_id is None
        and not answer.clarifications.exists()
        and cycle.is_phase_open(PhaseKind.CLARIFICATION)
        and user.has_perm("disclosure.file_clarification", answer)
    )
    can_answer = (
        answer.open_clarification_id is not None
        and user.has_perm("disclosure.review_item", answer)
        and (
            cycle.is_phase_open(PhaseKind.CLARIFICATION)
            or cycle.is_phase_open(PhaseKind.CONFIRMATION)
        )
    )
    shown = answer.current_evidence or answer.submitted_evidence
    context = {
        "answer": answer,
        "enrolment": enrolment,
        "agency": enrolment.agency,
        "cycle": cycle,
        "spec": oit_item(cycle, answer.code),
        "evidence": shown,
        "submitted": answer.submitted_evidence,
        "checks": latest_checks([shown.pk]).get(shown.pk, []) if shown else [],
        "form": form,
        "can_edit": can_edit,
        "decision": decision,
        "show_decisions": show_decisions,
        "can_clarify": can_clarify,
        "clar_form": clar_form or (ClarificationForm() if can_clarify else None),
        "can_answer": can_answer,
        "answer_form": ClarificationAnswerForm() if can_answer else None,
        "timeline": item_timeline(answer, show_decisions=show_decisions),
        "visible_from": visible_from(cycle),
        "phase_clarification": cycle.phase(PhaseKind.CLARIFICATION),
        "Decision": Decision,
        "ItemStatus": ItemStatus,
    }
    return render(request, "disclosure/item.html", context, status=status)


@require_POST
@permission("disclosure.view_board", obj=_answer)
def recheck(request, answer_id: int, obj: ItemAnswer):
    evidence = obj.current_evidence or obj.submitted_evidence
    if evidence is None:
        messages.error(request, _("There is no URL to check yet."))
        return item(request, answer_id=answer_id, status=400, handle_post=False)
    try:
        services.recheck_links(request.user, evidence=evidence)
    except DisclosureError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The links are being checked again."))
    return redirect(reverse("disclosure:item", args=[obj.pk]) + "#checks")


@require_POST
@permission("disclosure.file_clarification", obj=_answer)
def clarify(request, answer_id: int, obj: ItemAnswer):
    form = ClarificationForm(request.POST)
    if not form.is_valid():
        return item(request, answer_id=answer_id, status=400, clar_form=form, handle_post=False)
    urls = request.POST.getlist("urls") if "urls" in request.POST else None
    try:
        services.file_clarification(
            request.user, answer=obj, explanation=form.cleaned_data["explanation"], urls=urls
        )
    except DisclosureError as exc:
        messages.error(request, str(exc))
        return item(request, answer_id=answer_id, status=400, handle_post=False)
    messages.success(request, _("Your clarification was sent to the assessors."))
    return redirect("disclosure:item", obj.pk)


@require_POST
@permission("disclosure.review_item", obj=_answer)
def answer_clarification(request, answer_id: int, obj: ItemAnswer):
    form = ClarificationAnswerForm(request.POST)
    clarification = obj.open_clarification
    if clarification is None:
        messages.error(request, _("This clarification has already been answered."))
        return item(request, answer_id=answer_id, status=400, handle_post=False)
    if not form.is_valid():
        messages.error(request, _("Choose uphold or change, and give the reason for your answer."))
        return item(request, answer_id=answer_id, status=400, handle_post=False)
    try:
        services.answer_clarification(request.user, clarification=clarification, **form.answer())
    except DisclosureError as exc:
        messages.error(request, str(exc))
        return item(request, answer_id=answer_id, status=400, handle_post=False)
    messages.success(request, _("Your answer was recorded and the agency was told by e-mail."))
    return safe_redirect(request, request.POST.get("next"), "disclosure:item", obj.pk)
