"""Confirmation: NACC freezes the decisions and tells agencies their preliminary results."""

from __future__ import annotations

from django.db import transaction
from django.db.models import F, OuterRef, Subquery
from django.utils.translation import gettext as _

from itas.core import audit
from itas.cycles.models import Cycle, Enrolment, PhaseKind

from .. import notify
from ..errors import DisclosureError
from ..framework import oit_items
from ..models import (
    Confirmation,
    Decision,
    DecisionKind,
    ItemAnswer,
    ItemDecision,
    ItemStatus,
)
from ._common import _require, _require_perm, _require_phase
from .board import item_rows


def confirm(actor, *, cycle: Cycle, enrolment: Enrolment | None = None) -> Confirmation:
    """NACC freezes the OIT decisions of the cycle (or of one agency).

    Agencies with a submitted item still unreviewed, or a clarification still unanswered, are
    left out (a whole-cycle confirmation skips them; a one-agency confirmation is refused).
    Items with no submitted evidence get an automatic ไม่มี. Confirming twice changes nothing.
    """
    _require_perm(actor, "disclosure.confirm", None)
    _require_phase(
        cycle, PhaseKind.CONFIRMATION, message=_("The OIT confirmation period is not open.")
    )
    enrolments = cycle.enrolments.all()
    if enrolment is not None:
        _require(enrolment.cycle_id == cycle.pk, _("This agency is not enrolled in this cycle."))
        enrolments = enrolments.filter(pk=enrolment.pk)
    with transaction.atomic():
        # Agencies not ready: some submitted item lacks a decision, or waits for an answer.
        blocked = set(
            ItemAnswer.objects.filter(enrolment__in=enrolments)
            .filter(submitted_evidence__isnull=False, latest_decision__isnull=True)
            .values_list("enrolment_id", flat=True)
        ) | set(
            ItemAnswer.objects.filter(
                enrolment__in=enrolments, open_clarification__isnull=False
            ).values_list("enrolment_id", flat=True)
        )
        if enrolment is not None and enrolment.pk in blocked:
            raise DisclosureError(
                _("This agency still has unreviewed items or unanswered clarifications.")
            )
        ready = enrolments.exclude(pk__in=blocked).exclude(
            pk__in=ItemAnswer.objects.filter(status=ItemStatus.CONFIRMED).values("enrolment_id")
        )
        ready_ids = list(ready.values_list("pk", flat=True))
        specs = oit_items(cycle)
        # Every framework item gets a row, so every item gets a confirmed decision.
        existing = set(
            ItemAnswer.objects.filter(enrolment_id__in=ready_ids).values_list(
                "enrolment_id", "code"
            )
        )
        ItemAnswer.objects.bulk_create(
            item_rows(ready_ids, specs, skip=existing), batch_size=2000, ignore_conflicts=True
        )
        undecided = ItemAnswer.objects.filter(
            enrolment_id__in=ready_ids, latest_decision__isnull=True
        )
        ItemDecision.objects.bulk_create(
            [
                ItemDecision(
                    answer_id=pk,
                    kind=DecisionKind.AUTOMATIC,
                    decision=Decision.FAIL,
                    recommendation=_("No evidence was submitted for this item."),
                    decided_by=actor,
                )
                for pk in undecided.values_list("pk", flat=True)
            ],
            batch_size=2000,
        )
        undecided.update(
            latest_decision=Subquery(
                ItemDecision.objects.filter(answer=OuterRef("pk")).order_by("-id").values("id")[:1]
            )
        )
        items = ItemAnswer.objects.filter(enrolment_id__in=ready_ids).update(
            confirmed_decision=F("latest_decision"), status=ItemStatus.CONFIRMED
        )
        row = Confirmation.objects.create(
            cycle=cycle,
            enrolment=enrolment,
            confirmed_by=actor,
            agencies=len(ready_ids),
            items=items,
        )
        audit.record(
            actor,
            "disclosure.decisions.confirmed",
            enrolment or cycle,
            note=f"{len(ready_ids)} agencies, {items} items, {len(blocked)} not ready",
        )
        transaction.on_commit(lambda: notify.confirmed(ready_ids, cycle))
    return row


def announce_preliminary_results(actor, *, cycle: Cycle) -> int:
    """E-mail every agency with decisions that its preliminary OIT results can be read."""
    _require_perm(actor, "disclosure.confirm", None)
    from ..visibility import decisions_visible

    _require(decisions_visible(cycle), _("The review period has not ended yet."))
    ids = list(
        ItemAnswer.objects.filter(enrolment__cycle=cycle, latest_decision__isnull=False)
        .order_by()
        .values_list("enrolment_id", flat=True)
        .distinct()
    )
    audit.record(actor, "disclosure.results.announced", cycle, note=f"{len(ids)} agencies")
    notify.preliminary_results(ids, cycle)
    return len(ids)
