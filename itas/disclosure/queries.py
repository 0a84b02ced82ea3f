"""Reads shared by views and by downstream apps (scoring)."""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import Case, IntegerField, Value, When

from itas.cycles.models import Cycle

from .models import Decision, ItemAnswer


def oit_item_scores(cycle: Cycle, *, final: bool) -> Iterator[tuple[int, str, int, str]]:
    """(enrolment_id, item_code, score 0|100, recommendation) for every decided OIT item.

    final=True: the decisions NACC confirmed (frozen); items of unconfirmed agencies are absent.
    final=False: the latest decision per item (a first review, or the answer to a
    clarification), i.e. the preliminary picture; items not yet reviewed are absent.

    One query with one join, streamed: it serves 8,300 agencies × 43 items.
    """
    decision = "confirmed_decision" if final else "latest_decision"
    rows = (
        ItemAnswer.objects.filter(enrolment__cycle=cycle, **{f"{decision}__isnull": False})
        .annotate(
            score=Case(
                When(**{f"{decision}__decision": Decision.PASS}, then=Value(100)),
                default=Value(0),
                output_field=IntegerField(),
            )
        )
        .order_by()
        .values_list("enrolment_id", "code", "score", f"{decision}__recommendation")
    )
    return rows.iterator(chunk_size=5000)
