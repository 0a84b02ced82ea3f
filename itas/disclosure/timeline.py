"""An item's history as a conversation: every evidence version, submission, decision,
clarification and answer, oldest first, each with who and when (all rows, nothing rebuilt)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import Q

from .models import ItemAnswer, Submission


@dataclass
class Event:
    at: datetime
    kind: str  # evidence | submitted | decision | clarification | answer | confirmed
    actor: Any
    side: str  # agency | assessor | nacc
    data: dict = field(default_factory=dict)


def item_timeline(answer: ItemAnswer, *, show_decisions: bool) -> list[Event]:
    events: list[Event] = []
    evidences = list(answer.evidences.select_related("created_by"))
    for ev in evidences:
        events.append(Event(ev.created_at, "evidence", ev.created_by, "agency", {"evidence": ev}))
    for sub in (
        Submission.objects.filter(evidences__answer=answer)
        .select_related("submitted_by")
        .prefetch_related("evidences")
        .distinct()
    ):
        version = next((e.version for e in sub.evidences.all() if e.answer_id == answer.pk), None)
        events.append(
            Event(sub.submitted_at, "submitted", sub.submitted_by, "agency", {"version": version})
        )
    for clar in answer.clarifications.select_related("filed_by"):
        events.append(
            Event(clar.filed_at, "clarification", clar.filed_by, "agency", {"clarification": clar})
        )
    if show_decisions:
        for d in answer.decisions.select_related("decided_by", "evidence"):
            kind = "answer" if d.clarification_id else "decision"
            side = "nacc" if d.kind == "automatic" else "assessor"
            events.append(Event(d.decided_at, kind, d.decided_by, side, {"decision": d}))
        if answer.confirmed_decision_id:
            conf = (
                answer.enrolment.cycle.oit_confirmations.filter(
                    Q(enrolment__isnull=True) | Q(enrolment_id=answer.enrolment_id),
                    confirmed_at__gte=answer.confirmed_decision.decided_at,
                )
                .select_related("confirmed_by")
                .order_by("confirmed_at")
                .first()
            )
            if conf:
                events.append(Event(conf.confirmed_at, "confirmed", conf.confirmed_by, "nacc", {}))
    events.sort(key=lambda e: (e.at, {"evidence": 0, "submitted": 1}.get(e.kind, 2)))
    return events
