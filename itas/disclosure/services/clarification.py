"""Clarification: the agency disputes a failed item once, the assessor upholds or changes it."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils.translation import gettext as _

from itas.core import audit
from itas.cycles.models import PhaseKind

from .. import notify
from ..models import (
    Clarification,
    Decision,
    DecisionKind,
    ItemAnswer,
    ItemDecision,
    ItemStatus,
)
from ._common import MAX_TEXT, _require, _require_perm, _require_phase


def file_clarification(
    actor, *, answer: ItemAnswer, explanation: str, urls: Iterable[str] | None = None
) -> Clarification:
    """The agency disputes a failed decision. The evidence URLs cannot change: assessors
    re-check what was at the original link."""
    _require_perm(actor, "disclosure.file_clarification", answer)
    _require_phase(
        answer.enrolment.cycle,
        PhaseKind.CLARIFICATION,
        message=_("The clarification period is not open."),
    )
    explanation = (explanation or "").strip()
    _require(bool(explanation), _("Explain why the decision should change."))
    _require(
        len(explanation) <= MAX_TEXT, _("The explanation is too long (at most 5,000 characters).")
    )
    with transaction.atomic():
        answer = (
            ItemAnswer.objects.select_for_update(of=("self",))
            .select_related("submitted_evidence")
            .get(pk=answer.pk)
        )
        latest = answer.latest_decision
        _require(latest is not None, _("This item has no decision to dispute."))
        _require(latest.decision == Decision.FAIL, _("Only failed items (ไม่มี) can be disputed."))
        _require(
            answer.open_clarification_id is None,
            _("A clarification of this item is already waiting for an answer."),
        )
        _require(
            not answer.clarifications.exists(),
            _("This item has already been clarified once."),
        )
        if urls is not None:
            submitted = answer.submitted_evidence.urls if answer.submitted_evidence else []
            given = [u.strip() for u in urls if u and u.strip()]
            _require(
                given == list(submitted),
                _(
                    "The evidence URL cannot change in a clarification: assessors re-check what was at the original link."
                ),
            )
        row = Clarification.objects.create(
            answer=answer, disputed_decision=latest, explanation=explanation, filed_by=actor
        )
        answer.open_clarification = row
        answer.status = ItemStatus.DISPUTED
        answer.save(update_fields=["open_clarification", "status", "updated_at"])
        audit.record(actor, "disclosure.clarification.filed", answer)
    return row


def answer_clarification(
    actor, *, clarification: Clarification, changed: bool, reason: str, recommendation: str = ""
) -> ItemDecision:
    """The assessor upholds or changes the disputed decision, giving a reason."""
    answer = clarification.answer
    _require_perm(actor, "disclosure.review_item", answer)
    _require_phase(
        answer.enrolment.cycle,
        PhaseKind.CLARIFICATION,
        PhaseKind.CONFIRMATION,
        message=_(
            "Clarifications can be answered only in the clarification or confirmation period."
        ),
    )
    reason = (reason or "").strip()
    _require(bool(reason), _("Give the reason for your answer."))
    _require(len(reason) <= MAX_TEXT, _("The reason is too long (at most 5,000 characters)."))
    with transaction.atomic():
        answer = ItemAnswer.objects.select_for_update(of=("self",)).get(pk=answer.pk)
        _require(
            answer.open_clarification_id == clarification.pk,
            _("This clarification has already been answered."),
        )
        disputed = clarification.disputed_decision
        new_decision = (
            (Decision.PASS if disputed.decision == Decision.FAIL else Decision.FAIL)
            if changed
            else disputed.decision
        )
        row = ItemDecision.objects.create(
            answer=answer,
            evidence=disputed.evidence,
            kind=DecisionKind.CHANGED if changed else DecisionKind.UPHELD,
            decision=new_decision,
            recommendation=(recommendation or "").strip() if changed else disputed.recommendation,
            reason=reason,
            clarification=clarification,
            decided_by=actor,
        )
        answer.latest_decision = row
        answer.open_clarification = None
        answer.status = ItemStatus.CLARIFIED
        answer.save(update_fields=["latest_decision", "open_clarification", "status", "updated_at"])
        audit.record(
            actor,
            "disclosure.clarification.answered",
            answer,
            changes={"decision": [disputed.decision, new_decision]},
            note="changed" if changed else "upheld",
        )
        transaction.on_commit(lambda: notify.clarification_answered(row))
    return row
