"""Demo OIT data: evidence for part of the demo agencies, most of it submitted, some reviewed.

Bulk inserts (a few seconds on SQLite). No network: link checks are stored as "not checked";
press "Check again" on an item page to run one. Idempotent: skipped if the cycle has OIT rows.
"""

from __future__ import annotations

import random

from django.db.models import Exists, F, OuterRef, Subquery

from itas.accounts.models import RoleAssignment
from itas.core.roles import Role
from itas.cycles.models import Cycle

from .framework import oit_items
from .models import (
    CheckState,
    Decision,
    DecisionKind,
    Evidence,
    ItemAnswer,
    ItemDecision,
    ItemStatus,
    LinkCheck,
    Submission,
)
from .services import item_rows

MAX_AGENCIES = 240
RECOMMENDATIONS = [
    "ไม่พบข้อมูลของปีงบประมาณที่ประเมิน",
    "ลิงก์ไม่ได้อยู่บนเว็บไซต์ของหน่วยงาน",
    "เอกสารไม่ระบุวันที่เผยแพร่",
    "ข้อมูลไม่ครบตามที่ข้อนี้กำหนด",
    "เปิดลิงก์ไม่ได้ (ไม่พบหน้า)",
]


def load(command) -> None:
    cycle = (
        Cycle.objects.real()
        .filter(enrolments__isnull=False)
        .select_related("framework")
        .order_by("-fiscal_year")
        .first()
    )
    if cycle is None:
        command.stdout.write("disclosure: no cycle with agencies; nothing to do")
        return
    if ItemAnswer.objects.filter(enrolment__cycle=cycle).exists():
        command.stdout.write("disclosure: OIT data already there")
        return
    rng = random.Random(cycle.fiscal_year)
    specs = oit_items(cycle)
    # The demo agency admin's agency first, then Bueng Kan, then the rest.
    enrolments = list(
        cycle.enrolments.select_related("agency").order_by("agency__province_id", "agency__code")
    )
    enrolments.sort(key=lambda e: (e.agency.province_id != "38", e.agency.code))
    enrolments = enrolments[:MAX_AGENCIES]
    admins = dict(
        RoleAssignment.objects.filter(
            role=Role.AGENCY_ADMIN, agency_id__in=[e.agency_id for e in enrolments]
        ).values_list("agency_id", "user_id")
    )
    assessors = RoleAssignment.objects.filter(role=Role.ASSESSOR).order_by("user__email")
    assessor = (
        assessors.filter(user__email__startswith="assessor@")
        .values_list("user_id", flat=True)
        .first()
        or assessors.values_list("user_id", flat=True).first()
    )

    answers = ItemAnswer.objects.bulk_create(
        item_rows([e.pk for e in enrolments], specs), batch_size=2000
    )
    if any(a.pk is None for a in answers):  # databases that do not return ids
        answers = list(ItemAnswer.objects.filter(enrolment__in=enrolments))
    by_enrolment: dict[int, list[ItemAnswer]] = {}
    for a in answers:
        by_enrolment.setdefault(a.enrolment_id, []).append(a)

    plan = {}  # enrolment id -> (answered fraction, submitted?, reviewed?)
    for n, e in enumerate(enrolments):
        if n == 0:
            plan[e.pk] = (0.8, True, True)  # the demo agency: well on its way
        elif rng.random() < 0.75:
            submitted = rng.random() < 0.8
            plan[e.pk] = (rng.uniform(0.5, 1.0), submitted, submitted and rng.random() < 0.6)

    evidences = []
    for e in enrolments:
        if e.pk not in plan:
            continue
        fraction = plan[e.pk][0]
        site = (e.agency.website or f"https://www.{e.agency.code}.go.th").rstrip("/")
        for a in by_enrolment[e.pk]:
            if rng.random() < fraction:
                evidences.append(
                    Evidence(
                        answer=a,
                        version=1,
                        urls=[f"{site}/oit/{cycle.fiscal_year}/{a.code.lower()}"],
                        explanation=f"หน้าแรก > ITA {cycle.fiscal_year} > {a.code}",
                        created_by_id=a.assignee_id or admins.get(e.agency_id),
                    )
                )
    evidences = Evidence.objects.bulk_create(evidences, batch_size=2000)
    if any(ev.pk is None for ev in evidences):
        evidences = list(Evidence.objects.filter(answer__enrolment__in=enrolments))
    LinkCheck.objects.bulk_create(
        [LinkCheck(evidence=ev, url=ev.urls[0], state=CheckState.NOT_CHECKED) for ev in evidences],
        batch_size=2000,
    )
    evidence_of = {ev.answer_id: ev for ev in evidences}

    decisions = []
    submissions = 0
    for e in enrolments:
        if e.pk not in plan:
            continue
        _fraction, submitted, reviewed = plan[e.pk]
        mine = [a for a in by_enrolment[e.pk] if a.pk in evidence_of]
        if submitted:
            sub = Submission.objects.create(enrolment=e, submitted_by_id=admins.get(e.agency_id))
            sub.evidences.set([evidence_of[a.pk] for a in mine])
            submissions += 1
        for a in mine:
            if reviewed:
                passed = rng.random() < 0.85
                decisions.append(
                    ItemDecision(
                        answer=a,
                        evidence=evidence_of[a.pk],
                        kind=DecisionKind.REVIEW,
                        decision=Decision.PASS if passed else Decision.FAIL,
                        recommendation="" if passed else rng.choice(RECOMMENDATIONS),
                        decided_by_id=assessor,
                    )
                )
    decisions = ItemDecision.objects.bulk_create(decisions, batch_size=2000)
    if any(d.pk is None for d in decisions):
        decisions = list(ItemDecision.objects.filter(answer__enrolment__in=enrolments))
    _set_pointers(cycle, submitted_enrolments=[e for e in plan if plan[e][1]])
    last = _last_year(cycle, [e.agency_id for e in enrolments], rng, assessor)
    command.stdout.write(
        f"disclosure {cycle.fiscal_year}: {len(enrolments)} agencies, {len(evidences)} evidence "
        f"items (links not checked), {submissions} submitted, {len(decisions)} decisions; "
        f"last year: {last} confirmed decisions"
    )


def _set_pointers(cycle, *, submitted_enrolments) -> None:
    """Point each item at its evidence and decision in a few UPDATEs (no row-by-row save)."""
    items = ItemAnswer.objects.filter(enrolment__cycle=cycle)
    latest_evidence = Subquery(
        Evidence.objects.filter(answer=OuterRef("pk")).order_by("-version").values("pk")[:1]
    )
    latest_decision = Subquery(
        ItemDecision.objects.filter(answer=OuterRef("pk")).order_by("-id").values("pk")[:1]
    )
    has_evidence = items.filter(Exists(Evidence.objects.filter(answer=OuterRef("pk"))))
    has_evidence.update(current_evidence=latest_evidence, status=ItemStatus.DRAFT)
    has_evidence.filter(enrolment_id__in=submitted_enrolments).update(
        submitted_evidence=F("current_evidence"), status=ItemStatus.SUBMITTED
    )
    items.filter(Exists(ItemDecision.objects.filter(answer=OuterRef("pk")))).update(
        latest_decision=latest_decision, status=ItemStatus.REVIEWED
    )


def _last_year(cycle, agency_ids, rng, assessor) -> int:
    """Confirmed decisions of the previous fiscal year, so that assessors see last year's
    decision beside this year's evidence."""
    previous = Cycle.objects.real().filter(fiscal_year=cycle.fiscal_year - 1).first()
    if previous is None or ItemAnswer.objects.filter(enrolment__cycle=previous).exists():
        return 0
    specs = oit_items(previous) if previous.framework_id else []
    enrolments = list(previous.enrolments.filter(agency_id__in=agency_ids))
    answers = ItemAnswer.objects.bulk_create(
        item_rows([e.pk for e in enrolments], specs, status=ItemStatus.CONFIRMED), batch_size=2000
    )
    if any(a.pk is None for a in answers):
        answers = list(ItemAnswer.objects.filter(enrolment__in=enrolments))
    decisions = ItemDecision.objects.bulk_create(
        [
            ItemDecision(
                answer=a,
                kind=DecisionKind.REVIEW,
                decision=Decision.PASS if (ok := rng.random() < 0.8) else Decision.FAIL,
                recommendation="" if ok else rng.choice(RECOMMENDATIONS),
                decided_by_id=assessor,
            )
            for a in answers
        ],
        batch_size=2000,
    )
    if any(d.pk is None for d in decisions):
        decisions = list(ItemDecision.objects.filter(answer__enrolment__in=enrolments))
    by_answer = {d.answer_id: d for d in decisions}
    for a in answers:
        a.latest_decision = a.confirmed_decision = by_answer[a.pk]
    ItemAnswer.objects.bulk_update(
        answers, ["latest_decision", "confirmed_decision"], batch_size=1000
    )
    return len(decisions)
