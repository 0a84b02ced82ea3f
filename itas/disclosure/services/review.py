"""The assessors' review: who takes an agency, and มี / ไม่มี on each submitted item."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from itas.core import audit
from itas.cycles.models import Enrolment, PhaseKind

from ..models import (
    Decision,
    DecisionKind,
    ItemAnswer,
    ItemDecision,
    ItemStatus,
    ReviewAssignment,
)
from ._common import MAX_TEXT, _require, _require_perm, _require_phase


def assign_reviewer(actor, *, enrolment: Enrolment, assessor) -> ReviewAssignment:
    """Split a team's work: an assessor of the group takes an agency."""
    _require_perm(actor, "disclosure.review_item", enrolment)
    _require(
        assessor.has_perm("disclosure.review_item", enrolment),
        _("That person is not an assessor of this agency's group."),
    )
    with transaction.atomic():
        ra, created = ReviewAssignment.objects.update_or_create(
            enrolment=enrolment, defaults={"assessor": assessor, "assigned_by": actor}
        )
        audit.record(
            actor,
            "disclosure.reviewer.assigned",
            enrolment,
            changes={"assessor": [None, assessor.pk]},
        )
    return ra


def review_item(
    actor, *, answer: ItemAnswer, decision: str, recommendation: str = ""
) -> ItemDecision:
    """มี / ไม่มี on a submitted item, with a recommendation where it fails. A second review
    in the same phase is a new row that replaces the first as the latest."""
    _require_perm(actor, "disclosure.review_item", answer)
    _require_phase(
        answer.enrolment.cycle,
        PhaseKind.OIT_REVIEW,
        message=_("The OIT review period is not open."),
    )
    _require(decision in Decision.values, _("Choose มี or ไม่มี."))
    recommendation = (recommendation or "").strip()
    _require(
        decision == Decision.PASS or bool(recommendation),
        _("Write a recommendation: the agency needs to know what is missing."),
    )
    _require(
        len(recommendation) <= MAX_TEXT,
        _("The recommendation is too long (at most 5,000 characters)."),
    )
    with transaction.atomic():
        answer = ItemAnswer.objects.select_for_update(of=("self",)).get(pk=answer.pk)
        _require(
            answer.submitted_evidence_id is not None, _("This item has no submitted evidence.")
        )
        _require(not answer.is_locked, _("This item is confirmed and frozen."))
        _require(
            answer.status in (ItemStatus.SUBMITTED, ItemStatus.REVIEWED, ItemStatus.DRAFT),
            _("This item is in clarification; answer the clarification instead."),
        )
        previous = answer.latest_decision
        row = ItemDecision.objects.create(
            answer=answer,
            evidence_id=answer.submitted_evidence_id,
            kind=DecisionKind.REVIEW,
            decision=decision,
            recommendation=recommendation,
            decided_by=actor,
        )
        answer.latest_decision = row
        answer.status = ItemStatus.REVIEWED
        answer.save(update_fields=["latest_decision", "status", "updated_at"])
        audit.record(
            actor,
            "disclosure.item.reviewed",
            answer,
            changes={"decision": [previous.decision if previous else None, decision]},
        )
    return row
