"""The verbs of OIT disclosure: every write goes through here, in a transaction, audited.

Phases are checked on the server for every action (cycle.is_phase_open); permissions (who) are
checked here as well as in the views, so that a service called from elsewhere stays safe.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.db.models import F, OuterRef, Subquery
from django.utils.translation import gettext as _

from itas.core import audit
from itas.core.roles import Function
from itas.cycles.models import Cycle, Enrolment, PhaseKind

from . import notify
from .errors import DisclosureError
from .framework import oit_items
from .models import (
    MAX_URLS_PER_ITEM,
    CheckState,
    Clarification,
    Confirmation,
    Decision,
    DecisionKind,
    Evidence,
    ItemAnswer,
    ItemDecision,
    ItemStatus,
    LinkCheck,
    ReviewAssignment,
    Submission,
)
from .urlsafety import UnsafeURL, validate_url

MAX_TEXT = 5000


# --- the board -----------------------------------------------------------------------------


def item_rows(enrolment_ids, specs, *, skip=frozenset(), **fields) -> list[ItemAnswer]:
    """Unsaved ItemAnswer rows, one per OIT item spec and enrolment, in the framework's order;
    (enrolment_id, code) pairs in `skip` already exist. The board, the confirmation and the
    demo all build their rows here."""
    return [
        ItemAnswer(
            enrolment_id=e,
            code=s.code,
            indicator_code=s.indicator,
            subindicator_code=s.subindicator,
            position=i,
            **fields,
        )
        for e in enrolment_ids
        for i, s in enumerate(specs)
        if (e, s.code) not in skip
    ]


def ensure_items(enrolment: Enrolment) -> list[ItemAnswer]:
    """The enrolment's ItemAnswer rows, one per OIT item of its framework (created if missing)."""
    specs = oit_items(enrolment.cycle)
    existing = set(
        ItemAnswer.objects.filter(enrolment=enrolment).values_list("enrolment_id", "code")
    )
    missing = item_rows([enrolment.pk], specs, skip=existing)
    if missing:
        ItemAnswer.objects.bulk_create(missing, ignore_conflicts=True)
    return list(
        ItemAnswer.objects.filter(enrolment=enrolment)
        .select_related("assignee", "current_evidence", "latest_decision", "open_clarification")
        .order_by("position", "code")
    )


def _require(cond: bool, message: str) -> None:
    if not cond:
        raise DisclosureError(message)


def _require_perm(actor, perm: str, obj) -> None:
    if not actor.has_perm(perm, obj):
        raise DisclosureError(_("You may not do this for this agency."))


def _require_phase(cycle: Cycle, *kinds: str, message: str) -> None:
    if not any(cycle.is_phase_open(k) for k in kinds):
        raise DisclosureError(message)


def assign_items(actor, *, enrolment: Enrolment, codes: Iterable[str], assignee) -> int:
    """The agency admin makes an officer of the agency responsible for some items."""
    _require_perm(actor, "disclosure.manage_board", enrolment)
    if assignee is not None:
        _require(
            enrolment.agency_id in assignee.agency_ids(),
            _("The responsible officer must belong to this agency."),
        )
    codes = list(codes)
    with transaction.atomic():
        ensure_items(enrolment)
        answers = list(
            ItemAnswer.objects.select_for_update(of=("self",)).filter(
                enrolment=enrolment, code__in=codes
            )
        )
        _require(bool(answers), _("Choose at least one item."))
        for a in answers:
            before = a.assignee_id
            a.assignee = assignee
            a.save(update_fields=["assignee", "updated_at"])
            audit.record(
                actor,
                "disclosure.item.assigned",
                a,
                changes={"assignee": [before, assignee.pk if assignee else None]},
            )
    return len(answers)


def officers_by_function(enrolment: Enrolment) -> dict[str, list]:
    """{function: [users]} for the agency's active officers."""
    from itas.accounts.models import RoleAssignment
    from itas.core.roles import Role

    out: dict[str, list] = {}
    for ra in RoleAssignment.objects.filter(
        agency=enrolment.agency, role=Role.AGENCY_OFFICER, is_active=True
    ).select_related("user"):
        out.setdefault(ra.function or "", []).append(ra.user)
    return out


# The function usually responsible for each sub-indicator, when the framework does not say.
DEFAULT_FUNCTION = {
    "9.1": Function.WEBSITE,
    "9.2": Function.POLICY,
    "9.3": Function.FINANCE,
    "9.4": Function.PERSONNEL,
    "9.5": Function.WEBSITE,
    "10.1": Function.POLICY,
    "10.2": Function.POLICY,
}
PROCUREMENT_WORDS = ("จัดซื้อ", "procurement")


def suggested_function(spec) -> str:
    fn = getattr(spec, "function", "") or ""
    if fn:
        return fn
    title = f"{getattr(spec, 'title', '')}".lower()
    if any(w in title for w in PROCUREMENT_WORDS):
        return Function.PROCUREMENT
    return DEFAULT_FUNCTION.get(getattr(spec, "subindicator", ""), Function.WEBSITE)


def assign_by_function(actor, *, enrolment: Enrolment) -> int:
    """Give every unassigned item to the first officer whose function fits it."""
    _require_perm(actor, "disclosure.manage_board", enrolment)
    officers = officers_by_function(enrolment)
    assigned = 0
    with transaction.atomic():
        answers = {a.code: a for a in ensure_items(enrolment)}
        for spec in oit_items(enrolment.cycle):
            a = answers.get(spec.code)
            people = officers.get(suggested_function(spec))
            if a is None or a.assignee_id or not people:
                continue
            a.assignee = people[0]
            a.save(update_fields=["assignee", "updated_at"])
            audit.record(
                actor,
                "disclosure.item.assigned",
                a,
                changes={"assignee": [None, people[0].pk]},
                note=suggested_function(spec),
            )
            assigned += 1
    return assigned


def clean_urls(urls: Iterable[str]) -> list[str]:
    """Strip, drop blanks and duplicates, validate each (http(s), no private address)."""
    out: list[str] = []
    for raw in urls:
        url = (raw or "").strip()
        if url and url not in out:
            out.append(url)
    _require(bool(out), _("Give at least one URL."))
    _require(
        len(out) <= MAX_URLS_PER_ITEM,
        _("At most %(max)d URLs per item; you gave %(n)d.")
        % {"max": MAX_URLS_PER_ITEM, "n": len(out)},
    )
    for url in out:
        try:
            validate_url(url, allow_private=settings.ITAS_LINKCHECK_ALLOW_PRIVATE)
        except UnsafeURL as exc:
            raise DisclosureError(f"{url}: {exc.message}") from exc
    return out


def save_evidence(actor, *, answer: ItemAnswer, urls: Iterable[str], explanation: str) -> Evidence:
    """A new version of the item's evidence (a draft until the admin submits); queues link checks."""
    _require_perm(actor, "disclosure.edit_item", answer)
    cycle = answer.enrolment.cycle
    _require_phase(
        cycle,
        PhaseKind.OIT_ANSWERS,
        message=_("The OIT answer period is closed: evidence can no longer be changed."),
    )
    urls = clean_urls(urls)
    explanation = (explanation or "").strip()
    _require(
        len(explanation) <= MAX_TEXT, _("The explanation is too long (at most 5,000 characters).")
    )
    with transaction.atomic():
        answer = ItemAnswer.objects.select_for_update(of=("self",)).get(pk=answer.pk)
        _require(not answer.is_locked, _("This item is confirmed and frozen."))
        current = answer.current_evidence
        if current and current.urls == urls and current.explanation == explanation:
            return current
        version = (current.version if current else 0) + 1
        evidence = Evidence.objects.create(
            answer=answer, version=version, urls=urls, explanation=explanation, created_by=actor
        )
        before = answer.status
        answer.current_evidence = evidence
        if answer.status in (ItemStatus.NOT_STARTED, ItemStatus.SUBMITTED):
            answer.status = ItemStatus.DRAFT
        answer.save(update_fields=["current_evidence", "status", "updated_at"])
        checks = LinkCheck.objects.bulk_create(
            [LinkCheck(evidence=evidence, url=u, position=i) for i, u in enumerate(urls)]
        )
        audit.record(
            actor,
            "disclosure.evidence.saved",
            answer,
            changes={"status": [before, answer.status], "version": [version - 1, version]},
        )
        transaction.on_commit(lambda: queue_link_checks([c.pk for c in checks]))
    return evidence


def queue_link_checks(check_ids: list[int]) -> None:
    from .tasks import run_link_check

    for pk in check_ids:
        run_link_check.delay(pk)


def recheck_links(actor, *, evidence: Evidence) -> list[LinkCheck]:
    """Ask for a new pre-check of every URL of this evidence version (new rows)."""
    _require_perm(actor, "disclosure.view_board", evidence.answer)
    with transaction.atomic():
        checks = LinkCheck.objects.bulk_create(
            [LinkCheck(evidence=evidence, url=u, position=i) for i, u in enumerate(evidence.urls)]
        )
        audit.record(actor, "disclosure.links.rechecked", evidence.answer)
        transaction.on_commit(lambda: queue_link_checks([c.pk for c in checks]))
    return checks


def submit(actor, *, enrolment: Enrolment) -> Submission:
    """The agency admin hands in every item that has evidence (again, if already submitted)."""
    _require_perm(actor, "disclosure.manage_board", enrolment)
    _require_phase(
        enrolment.cycle,
        PhaseKind.OIT_ANSWERS,
        message=_("The OIT answer period is closed: the agency can no longer submit."),
    )
    with transaction.atomic():
        answers = list(
            ItemAnswer.objects.select_for_update(of=("self",))
            .filter(enrolment=enrolment, current_evidence__isnull=False)
            .select_related("current_evidence")
        )
        _require(bool(answers), _("No item has evidence yet: nothing to submit."))
        submission = Submission.objects.create(enrolment=enrolment, submitted_by=actor)
        submission.evidences.set([a.current_evidence for a in answers])
        for a in answers:
            changed = a.submitted_evidence_id != a.current_evidence_id
            a.submitted_evidence = a.current_evidence
            if a.status in (ItemStatus.NOT_STARTED, ItemStatus.DRAFT):
                a.status = ItemStatus.SUBMITTED
            a.save(update_fields=["submitted_evidence", "status", "updated_at"])
            if changed:
                audit.record(
                    actor,
                    "disclosure.evidence.submitted",
                    a,
                    changes={"evidence": [None, a.current_evidence.version]},
                )
        audit.record(actor, "disclosure.board.submitted", enrolment, note=f"{len(answers)} items")
    return submission


# --- the review ------------------------------------------------------------------------------


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
            recommendation=recommendation if decision == Decision.FAIL else recommendation,
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


# --- clarification ---------------------------------------------------------------------------


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


# --- confirmation -----------------------------------------------------------------------------


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
    from .visibility import decisions_visible

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


__all__ = [
    "CheckState",
    "DisclosureError",
    "answer_clarification",
    "assign_by_function",
    "assign_items",
    "assign_reviewer",
    "confirm",
    "ensure_items",
    "file_clarification",
    "recheck_links",
    "review_item",
    "save_evidence",
    "submit",
]
