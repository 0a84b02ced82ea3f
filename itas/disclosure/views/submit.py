"""Submitting OIT evidence is a deliberate act: before "ส่ง" the admin (and the executive who
approves what the agency sends) sees what goes, what is missing, which links failed their
check and which items nobody answers, and confirms."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from itas.core.permissions import permission
from itas.cycles.models import Enrolment, PhaseKind
from itas.disclosure import queries, services
from itas.disclosure.errors import DisclosureError
from itas.disclosure.framework import oit_items
from itas.disclosure.views.board import _enrolment, check_summary, latest_checks


def checklist(enrolment: Enrolment) -> dict:
    answers = queries.board_items(enrolment)
    titles = {s.code: s.title for s in oit_items(enrolment.cycle)}
    checks = latest_checks(a.current_evidence_id for a in answers if a.current_evidence_id)
    rows = [
        {
            "answer": a,
            "title": titles.get(a.code, ""),
            "check": check_summary(checks.get(a.current_evidence_id or 0, [])),
            "changed": a.current_evidence_id != a.submitted_evidence_id,
        }
        for a in answers
    ]
    with_evidence = [r for r in rows if r["answer"].current_evidence_id]
    return {
        "rows": with_evidence,
        "without_evidence": [r for r in rows if not r["answer"].current_evidence_id],
        "failed_links": [r for r in with_evidence if r["check"] == "bad"],
        "unchecked": [r for r in with_evidence if r["check"] in ("pending", "none")],
        "unassigned": [r for r in rows if not r["answer"].assignee_id],
        "changed": [r for r in with_evidence if r["changed"]],
        "total": len(rows),
    }


@permission("disclosure.view_board", obj=_enrolment)
def submit_check(request, enrolment_id: int, obj: Enrolment, status: int = 200):
    """The checklist before sending; also the executive's view of what the agency sends."""
    cycle = obj.cycle
    context = {
        "enrolment": obj,
        "agency": obj.agency,
        "cycle": cycle,
        "can_submit": request.user.has_perm("disclosure.manage_board", obj)
        and cycle.is_phase_open(PhaseKind.OIT_ANSWERS),
        "phase_answers": cycle.phase(PhaseKind.OIT_ANSWERS),
        "last_submission": obj.oit_submissions.select_related("submitted_by").first(),
        **checklist(obj),
    }
    return render(request, "disclosure/submit_check.html", context, status=status)


@permission("disclosure.manage_board", obj=_enrolment)
def submit(request, enrolment_id: int, obj: Enrolment):
    if request.method != "POST":
        return redirect("disclosure:submit_check", obj.pk)
    if request.POST.get("confirm") != "1":
        messages.error(request, _("Tick the confirmation to send the evidence."))
        return submit_check(request, enrolment_id=enrolment_id, status=400)
    try:
        submission = services.submit(request.user, enrolment=obj)
    except DisclosureError as exc:
        messages.error(request, str(exc))
        return submit_check(request, enrolment_id=enrolment_id, status=400)
    messages.success(
        request,
        _("Submitted: %(n)d items handed in to the assessors.")
        % {"n": submission.evidences.count()},
    )
    return redirect("disclosure:board", obj.pk)
