"""Reads shared by views and by downstream apps (scoring)."""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import Case, Count, IntegerField, Value, When

from itas.cycles.models import Cycle, Enrolment

from .models import Decision, ItemAnswer, ItemDecision


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


def oit_item_picture(
    cycle: Cycle, enrolment_ids: list[int] | None = None
) -> list[tuple[int, str, int, str, bool]]:
    """(enrolment_id, item_code, score 0|100, recommendation, confirmed) for every decided OIT
    item: its confirmed decision where NACC confirmed one, else its latest. What
    oit_item_scores gives in two passes (latest, then confirmed over it), in one query read
    whole: scoring reads every item of the cycle (8,300 agencies × 43 items), or of the
    agencies `enrolment_ids` names."""
    from django.db import connection

    if enrolment_ids is not None and not enrolment_ids:
        return []
    qn = connection.ops.quote_name
    item, decision = qn(ItemAnswer._meta.db_table), qn(ItemDecision._meta.db_table)
    enrolment = qn(Enrolment._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT ia.enrolment_id, ia.code,
                   CASE WHEN COALESCE(cd.decision, ld.decision) = %s THEN 100 ELSE 0 END,
                   CASE WHEN cd.id IS NOT NULL THEN cd.recommendation
                        ELSE ld.recommendation END,
                   cd.id IS NOT NULL
            FROM {item} ia
            LEFT JOIN {decision} ld ON ld.id = ia.latest_decision_id
            LEFT JOIN {decision} cd ON cd.id = ia.confirmed_decision_id
            WHERE ia.enrolment_id IN (SELECT id FROM {enrolment} WHERE cycle_id = %s)
              AND (ia.latest_decision_id IS NOT NULL OR ia.confirmed_decision_id IS NOT NULL)
              {
                "AND ia.enrolment_id IN (" + ", ".join(["%s"] * len(enrolment_ids)) + ")"
                if enrolment_ids is not None
                else ""
            }
            """,
            [str(Decision.PASS), cycle.pk, *(enrolment_ids or [])],
        )
        return cursor.fetchall()


# --- boards, queues, progress ----------------------------------------------------------------


def board_items(enrolment) -> list[ItemAnswer]:
    """The enrolment's OIT item rows in the framework's order (a read: the rows are created
    when the board opens, by services.open_boards)."""
    return list(
        ItemAnswer.objects.filter(enrolment=enrolment)
        .select_related(
            "assignee", "current_evidence", "latest_decision__decided_by", "open_clarification"
        )
        .order_by("position", "code")
    )


def current_cycle(cycle_id: int | None = None) -> Cycle | None:
    """The cycle asked for, else the latest open one, else the latest one."""
    from itas.cycles.models import CycleStatus

    qs = Cycle.objects.select_related("framework").prefetch_related("phases")
    if cycle_id:
        return qs.filter(pk=cycle_id).first()
    real = qs.real()  # a practice round is opened by its id, never by default
    return real.filter(status=CycleStatus.OPEN).first() or real.first()


def status_counts(enrolment_ids) -> dict[int, dict[str, int]]:
    """{enrolment_id: {status: n}} in one GROUP BY."""
    out: dict[int, dict[str, int]] = {}
    for eid, status, n in (
        ItemAnswer.objects.filter(enrolment_id__in=enrolment_ids)
        .values("enrolment_id", "status")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("enrolment_id", "status", "n")
    ):
        out.setdefault(eid, {})[status] = n
    return out


def decided_counts(enrolment_ids) -> dict[int, dict[str, int]]:
    """{enrolment_id: {"pass": n, "fail": n}} from the latest decisions."""
    out: dict[int, dict[str, int]] = {}
    for eid, decision, n in (
        ItemAnswer.objects.filter(enrolment_id__in=enrolment_ids, latest_decision__isnull=False)
        .values("enrolment_id", "latest_decision__decision")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("enrolment_id", "latest_decision__decision", "n")
    ):
        out.setdefault(eid, {"pass": 0, "fail": 0})[decision] = n
    return out


def agency_stage(counts: dict[str, int], total_items: int) -> str:
    """One word for an agency's place in the flow, for filters and badges."""
    from .models import ItemStatus as S

    if counts.get(S.CONFIRMED):
        return "confirmed"
    if counts.get(S.DISPUTED):
        return "disputed"
    submitted = counts.get(S.SUBMITTED, 0)
    reviewed = counts.get(S.REVIEWED, 0) + counts.get(S.CLARIFIED, 0)
    if reviewed and not submitted:
        return "reviewed"
    if reviewed:
        return "in_review"
    if submitted:
        return "submitted"
    if counts.get(S.DRAFT):
        return "draft"
    return "not_started"


def previous_decisions(enrolment) -> dict[str, object]:
    """{item code: ItemDecision} of the same agency in the previous fiscal year's cycle."""
    from .models import ItemDecision

    prev = (
        ItemAnswer.objects.filter(
            enrolment__agency_id=enrolment.agency_id,
            enrolment__cycle__in=Cycle.objects.real().filter(
                fiscal_year=enrolment.cycle.fiscal_year - 1
            ),
        )
        .exclude(latest_decision__isnull=True)
        .values_list("code", "confirmed_decision_id", "latest_decision_id")
    )
    ids = {code: (conf or latest) for code, conf, latest in prev}
    rows = ItemDecision.objects.in_bulk(list(ids.values()))
    return {code: rows[pk] for code, pk in ids.items() if pk in rows}


def preliminary_oit_score(enrolment, *, final: bool = False) -> dict | None:
    """The agency's OIT score from its item decisions, for display (marked preliminary).

    Uses the pure engine (itas.frameworks.engine.oit_indicator) when every item is decided; while
    a review is under way, each sub-indicator is the mean of its decided items and each
    indicator the equal-weight mean of its sub-indicators with a decision, flagged partial.
    Items without submitted evidence count as ไม่มี (0), as the confirmation will make them.
    """
    from itas.frameworks import engine

    spec = enrolment.cycle.framework.spec
    pointer = "confirmed_decision" if final else "latest_decision"
    rows = list(
        ItemAnswer.objects.filter(enrolment=enrolment).values_list(
            "code", f"{pointer}__decision", "submitted_evidence_id"
        )
    )
    if not any(d for _, d, _ in rows):
        return None
    scores: dict[str, float] = {}
    submitted = {c for c, _, ev in rows if ev}
    for code, decision, _ in rows:
        if decision:
            scores[code] = 100.0 if decision == Decision.PASS else 0.0
    for item in spec.oit_items:
        if item.code not in scores and item.code not in submitted:
            scores[item.code] = 0.0
    indicators, subs = {}, {}
    partial = False
    for ind in spec.indicators_for("OIT"):
        value, sub = engine.oit_indicator(spec, ind.code, scores)
        if value is None:
            partial = True
            sub = {}
            for s in ind.subindicators:
                known = [scores[i.code] for i in spec.items_for(s.code) if i.code in scores]
                sub[s.code] = sum(known) / len(known) if known else None
            known_subs = [v for v in sub.values() if v is not None]
            value = sum(known_subs) / len(known_subs) if known_subs else None
        indicators[ind.code] = value
        subs.update(sub)
    weights = [(ind.weight, indicators[ind.code]) for ind in spec.indicators_for("OIT")]
    known = [(w, s) for w, s in weights if s is not None]
    tool = sum(w * s for w, s in known) / sum(w for w, _ in known) if known else None
    contribution = engine.weighted_contribution(weights) if not partial else None
    return {
        "tool": tool,
        "contribution": contribution,
        "tool_weight": sum(w for w, _ in weights),
        "indicators": indicators,
        "subindicators": subs,
        "decided": sum(1 for _, d, _ in rows if d),
        "total_items": len(spec.oit_items),
        "partial": partial,
        "final": final,
    }
