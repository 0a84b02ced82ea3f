"""The assessor's side: the queue of agencies, and a whole agency reviewed item by item without
page reloads (htmx swaps one item panel; keyboard shortcuts in review.html)."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_POST

from itas.accounts.models import User
from itas.core.http import safe_redirect
from itas.core.permissions import permission
from itas.core.roles import Role
from itas.cycles.models import Enrolment, PhaseKind
from itas.disclosure import queries, services
from itas.disclosure.errors import DisclosureError
from itas.disclosure.forms import ClarificationAnswerForm, ReviewForm
from itas.disclosure.framework import oit_item, oit_items
from itas.disclosure.models import Decision, ItemAnswer, ItemStatus
from itas.disclosure.rules import assessor_group_ids
from itas.disclosure.views.board import _answer, _enrolment, latest_checks
from itas.geo.models import Province

STAGES = [
    ("not_started", gettext_noop("Not started")),
    ("draft", gettext_noop("Draft")),
    ("submitted", gettext_noop("To review")),
    ("in_review", gettext_noop("Review under way")),
    ("reviewed", gettext_noop("Reviewed")),
    ("disputed", gettext_noop("Clarification requested")),
    ("confirmed", gettext_noop("Confirmed")),
]


def stage_labels():
    from django.utils.translation import gettext

    return [(k, gettext(v)) for k, v in STAGES]


def _group_provinces(user):
    return Province.objects.filter(assessor_groups__in=assessor_group_ids(user)).distinct()


def _team(user):
    return (
        User.objects.filter(
            role_assignments__role=Role.ASSESSOR,
            role_assignments__is_active=True,
            role_assignments__assessor_group__in=assessor_group_ids(user),
        )
        .distinct()
        .order_by("full_name", "email")
    )


def _queue_enrolments(request, cycle):
    provinces = _group_provinces(request.user)
    qs = cycle.enrolments.filter(agency__province__in=provinces).select_related(
        "agency__province", "agency__district", "oit_reviewer__assessor"
    )
    province = request.GET.get("province", "")
    if province:
        qs = qs.filter(agency__province_id=province)
    who = request.GET.get("who", "")
    if who == "mine":
        qs = qs.filter(oit_reviewer__assessor=request.user)
    elif who == "unassigned":
        qs = qs.filter(oit_reviewer__isnull=True)
    text = request.GET.get("q", "").strip()
    if text:
        qs = qs.filter(Q(agency__name__icontains=text) | Q(agency__code__startswith=text))
    return qs.order_by("agency__province__name_th", "agency__code"), provinces


@permission("disclosure.view_queue")
def queue(request, status: int = 200):
    cycle = queries.current_cycle(request.GET.get("cycle") or None)
    if cycle is None:
        messages.info(request, _("There is no assessment cycle yet."))
        return redirect("core:home")
    enrolments, provinces = _queue_enrolments(request, cycle)
    rows = list(enrolments)
    ids = [e.pk for e in rows]
    counts = queries.status_counts(ids)
    decided = queries.decided_counts(ids)
    total_items = len(oit_items(cycle))
    stage = request.GET.get("stage", "")
    table = []
    for e in rows:
        c = counts.get(e.pk, {})
        s = queries.agency_stage(c, total_items)
        if stage and s != stage:
            continue
        table.append(
            {
                "enrolment": e,
                "stage": s,
                "to_review": c.get(ItemStatus.SUBMITTED, 0),
                "disputed": c.get(ItemStatus.DISPUTED, 0),
                "decided": decided.get(e.pk, {"pass": 0, "fail": 0}),
                "reviewer": getattr(getattr(e, "oit_reviewer", None), "assessor", None),
            }
        )
    page = Paginator(table, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "disclosure/queue.html",
        {
            "cycle": cycle,
            "page": page,
            "provinces": provinces,
            "stages": stage_labels(),
            "team": _team(request.user),
            "filters": request.GET,
            "review_open": cycle.is_phase_open(PhaseKind.OIT_REVIEW),
            "total_agencies": len(rows),
        },
        status=status,
    )


@require_POST
@permission("disclosure.view_queue")
def assign_reviewers(request):
    """Give the ticked agencies to one assessor of the team."""
    assessor = _team(request.user).filter(pk=request.POST.get("assessor") or 0).first()
    ids = [i for i in request.POST.getlist("enrolments") if i.isdigit()]
    if assessor is None or not ids:
        messages.error(request, _("Tick at least one agency and choose an assessor of your team."))
        return queue(request, status=400)
    done = 0
    try:
        for e in Enrolment.objects.filter(pk__in=ids).select_related("agency"):
            services.assign_reviewer(request.user, enrolment=e, assessor=assessor)
            done += 1
    except DisclosureError as exc:
        messages.error(request, str(exc))
        return queue(request, status=400)
    messages.success(
        request, _("%(n)d agencies assigned to %(who)s.") % {"n": done, "who": assessor}
    )
    return safe_redirect(request, request.POST.get("back"), "disclosure:queue")


def _todo(answers, cycle) -> list[ItemAnswer]:
    """Items needing the assessor now: open clarifications, else submitted and undecided."""
    disputed = [a for a in answers if a.open_clarification_id]
    if disputed or not cycle.is_phase_open(PhaseKind.OIT_REVIEW):
        return disputed
    return [a for a in answers if a.submitted_evidence_id and a.latest_decision_id is None]


def _next_agency(request, enrolment):
    """The next agency in the assessor's provinces with work waiting (mine or unassigned)."""
    provinces = _group_provinces(request.user)
    waiting = (
        ItemAnswer.objects.filter(enrolment__cycle=enrolment.cycle)
        .filter(
            Q(status=ItemStatus.DISPUTED)
            | Q(status=ItemStatus.SUBMITTED, latest_decision__isnull=True)
        )
        .values("enrolment_id")
    )
    qs = (
        enrolment.cycle.enrolments.filter(agency__province__in=provinces, pk__in=waiting)
        .filter(Q(oit_reviewer__isnull=True) | Q(oit_reviewer__assessor=request.user))
        .exclude(pk=enrolment.pk)
        .order_by("agency__province__name_th", "agency__code")
    )
    after = qs.filter(
        Q(agency__province__name_th__gt=enrolment.agency.province.name_th)
        | Q(
            agency__province__name_th=enrolment.agency.province.name_th,
            agency__code__gt=enrolment.agency.code,
        )
    )
    return after.first() or qs.first()


def _panel_context(request, enrolment, answer, *, error="", form_data=None):
    cycle = enrolment.cycle
    answers = queries.board_items(enrolment)
    todo = _todo(answers, cycle)
    ev = answer.submitted_evidence if answer else None
    checks = latest_checks([ev.pk]).get(ev.pk, []) if ev else []
    prev = queries.previous_decisions(enrolment) if answer else {}
    position = next((i for i, a in enumerate(answers) if answer and a.pk == answer.pk), 0)
    spec = oit_item(cycle, answer.code) if answer else None
    return {
        "enrolment": enrolment,
        "agency": enrolment.agency,
        "cycle": cycle,
        "answers": answers,
        "answer": answer,
        "spec": spec,
        "evidence": ev,
        "checks": checks,
        "previous": prev.get(answer.code) if answer else None,
        "todo_count": len(todo),
        "prev_answer": answers[position - 1] if answer and position > 0 else None,
        "next_answer": answers[position + 1] if answer and position + 1 < len(answers) else None,
        "next_agency": _next_agency(request, enrolment),
        "review_open": cycle.is_phase_open(PhaseKind.OIT_REVIEW),
        "clarification": answer.open_clarification if answer else None,
        "error": error,
        "form_data": form_data or {},
        "Decision": Decision,
        "quick_reasons": list(spec.criteria) if spec else [],
        "titles": {s.code: s.title for s in oit_items(cycle)},
    }


@permission("disclosure.review_item", obj=_enrolment)
def review(request, enrolment_id: int, obj: Enrolment):
    """The workspace: the item list on the side, one item in the panel."""
    enrolment = obj
    answers = queries.board_items(enrolment)
    code = request.GET.get("item", "")
    answer = next((a for a in answers if a.code == code), None)
    if answer is None:
        todo = _todo(answers, enrolment.cycle)
        answer = todo[0] if todo else (answers[0] if answers else None)
    context = _panel_context(request, enrolment, answer)
    return render(request, "disclosure/review.html", context)


@permission("disclosure.review_item", obj=_answer)
def review_panel(request, answer_id: int, obj: ItemAnswer):
    """One item's panel (htmx GET when moving between items)."""
    context = _panel_context(request, obj.enrolment, obj)
    return render(request, "disclosure/_review_panel.html", context)


def _after_decision(request, answer, *, error="", form_data=None):
    enrolment = answer.enrolment
    if error:
        context = _panel_context(request, enrolment, answer, error=error, form_data=form_data)
        return render(request, "disclosure/_review_panel.html", context, status=400)
    answers = queries.board_items(enrolment)
    todo = _todo(answers, enrolment.cycle)
    # The next waiting item after this one, else the first waiting, else stay.
    after = [a for a in todo if a.position > answer.position] or todo
    nxt = after[0] if after else next(a for a in answers if a.pk == answer.pk)
    context = _panel_context(request, enrolment, nxt)
    context["saved"] = answer.code
    return render(request, "disclosure/_review_panel.html", context)


@require_POST
@permission("disclosure.review_item", obj=_answer)
def decide(request, answer_id: int, obj: ItemAnswer):
    form = ReviewForm(request.POST)
    if not form.is_valid():
        return _after_decision(
            request, obj, error=_("Choose มี or ไม่มี."), form_data=request.POST.dict()
        )
    try:
        services.review_item(
            request.user,
            answer=obj,
            decision=form.cleaned_data["decision"],
            recommendation=form.cleaned_data["recommendation"],
        )
    except DisclosureError as exc:
        return _after_decision(request, obj, error=str(exc), form_data=request.POST.dict())
    return _after_decision(request, obj)


@require_POST
@permission("disclosure.review_item", obj=_answer)
def decide_clarification(request, answer_id: int, obj: ItemAnswer):
    form = ClarificationAnswerForm(request.POST)
    clarification = obj.open_clarification
    if clarification is None:
        return _after_decision(
            request, obj, error=_("This clarification has already been answered.")
        )
    if not form.is_valid():
        return _after_decision(
            request,
            obj,
            error=_("Choose uphold or change, and give the reason for your answer."),
            form_data=request.POST.dict(),
        )
    try:
        services.answer_clarification(request.user, clarification=clarification, **form.answer())
    except DisclosureError as exc:
        return _after_decision(request, obj, error=str(exc), form_data=request.POST.dict())
    return _after_decision(request, obj)
