"""The agency's board: item rows, who answers what, evidence, link checks, submission."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from itas.core import audit
from itas.core.models import AuditEntry
from itas.cycles.models import Cycle, Enrolment, PhaseKind

from ..errors import DisclosureError
from ..framework import oit_items
from ..models import (
    MAX_URLS_PER_ITEM,
    CheckState,
    Evidence,
    ItemAnswer,
    ItemStatus,
    LinkCheck,
    Submission,
)
from ..urlsafety import UnsafeURL, validate_url
from ._common import MAX_TEXT, _require, _require_perm, _require_phase

log = logging.getLogger(__name__)


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


def open_boards(actor, *, cycle: Cycle, enrolment_ids: Iterable[int] | None = None) -> int:
    """Create the item rows the OIT board needs (one per OIT item of the framework) for the
    cycle's enrolments (or those given) that miss some; idempotent, one audit entry. Run when
    the OIT answer period opens (`open_due_boards`, daily), never from a page that only reads."""
    specs = oit_items(cycle)
    ids = list(
        cycle.enrolments.values_list("pk", flat=True)
        if enrolment_ids is None
        else cycle.enrolments.filter(pk__in=list(enrolment_ids)).values_list("pk", flat=True)
    )
    if not ids or not specs:
        return 0
    with transaction.atomic():
        existing = set(
            ItemAnswer.objects.filter(enrolment_id__in=ids).values_list("enrolment_id", "code")
        )
        missing = item_rows(ids, specs, skip=existing)
        if not missing:
            return 0
        ItemAnswer.objects.bulk_create(missing, batch_size=2000, ignore_conflicts=True)
        audit.record(
            actor,
            "disclosure.boards.opened",
            cycle,
            changes={"items": [0, len(missing)]},
            note=f"{len({r.enrolment_id for r in missing})} agencies",
        )
    return len(missing)


def open_board(actor, *, enrolment: Enrolment) -> list[ItemAnswer]:
    """One agency's board opened (its missing item rows created, audited); its rows. A
    person must be allowed to manage the board; actor None is the system (tasks, tests)."""
    if actor is not None:
        _require_perm(actor, "disclosure.manage_board", enrolment)
    open_boards(actor, cycle=enrolment.cycle, enrolment_ids=[enrolment.pk])
    from ..queries import board_items

    return board_items(enrolment)


def open_due_boards(*, at=None) -> int:
    """Daily (and idempotent): open the boards of every open cycle whose OIT answer period is
    open, so the agency finds its items the day the period starts."""
    from itas.cycles.models import CycleStatus

    created = 0
    for cycle in Cycle.objects.filter(status=CycleStatus.OPEN).select_related("framework"):
        if cycle.framework_id and cycle.is_phase_open(PhaseKind.OIT_ANSWERS, at):
            created += open_boards(None, cycle=cycle)
    return created


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
        open_boards(actor, cycle=enrolment.cycle, enrolment_ids=[enrolment.pk])
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


def assign_by_function(actor, *, enrolment: Enrolment) -> int:
    """Give every unassigned item to the first officer whose function fits it."""
    _require_perm(actor, "disclosure.manage_board", enrolment)
    officers = officers_by_function(enrolment)
    assigned = 0
    with transaction.atomic():
        answers = {a.code: a for a in open_board(actor, enrolment=enrolment)}
        for spec in oit_items(enrolment.cycle):
            a = answers.get(spec.code)
            people = officers.get(spec.function)
            if a is None or a.assignee_id or not people:
                continue
            a.assignee = people[0]
            a.save(update_fields=["assignee", "updated_at"])
            audit.record(
                actor,
                "disclosure.item.assigned",
                a,
                changes={"assignee": [None, people[0].pk]},
                note=spec.function,
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
    """Hand the checks to a worker. With a broker configured nothing is fetched inside the web
    request; if the broker cannot take the message now, the row stays PENDING and the sweep
    (requeue_stranded_checks) queues it later: saving evidence never fails because of it.
    Without a broker (development, demo) the checks run here, bounded by the fetch deadline."""
    from ..tasks import run_link_check

    for pk in check_ids:
        if settings.CELERY_TASK_ALWAYS_EAGER:
            run_link_check.delay(pk)
            continue
        try:
            run_link_check.apply_async((pk,), retry=False)
        except Exception as exc:  # noqa: BLE001 - any broker failure: the sweep retries
            log.warning(
                "link check not queued; the sweep will queue it",
                extra={"check": pk, "error": exc.__class__.__name__},
            )


def requeue_stranded_checks() -> int:
    """Queue again the checks PENDING for too long (their message was lost) and those RUNNING
    past their time limit (their worker died); run_check claims each row once."""
    from ..linkcheck import stale_seconds

    stale = stale_seconds()
    now = timezone.now()
    stranded = LinkCheck.objects.filter(
        Q(
            state=CheckState.PENDING,
            requested_at__lt=now - dt.timedelta(seconds=stale["pending"]),
        )
        | Q(
            state=CheckState.RUNNING,
            checked_at__lt=now - dt.timedelta(seconds=stale["running"]),
        )
    ).values_list("pk", flat=True)[:1000]
    ids = list(stranded)
    queue_link_checks(ids)
    return len(ids)


# "Check again" is a human action; these bound what one person or one item can ask of the
# workers and of the agencies' web sites.
RECHECK_ITEM_SECONDS = 120
RECHECK_USER_PER_HOUR = 30


def recheck_links(actor, *, evidence: Evidence) -> list[LinkCheck]:
    """Ask for a new pre-check of every URL of this evidence version (new rows)."""
    _require_perm(actor, "disclosure.view_board", evidence.answer)
    limits = getattr(settings, "ITAS_LINKCHECK_RECHECK", {})
    item_seconds = limits.get("item_seconds", RECHECK_ITEM_SECONDS)
    per_hour = limits.get("user_per_hour", RECHECK_USER_PER_HOUR)
    now = timezone.now()
    recent = LinkCheck.objects.filter(
        evidence__answer=evidence.answer,
        requested_at__gte=now - dt.timedelta(seconds=item_seconds),
    )
    _require(
        not recent.exists(),
        _("These links were checked moments ago. Please wait two minutes before checking again."),
    )
    by_actor = AuditEntry.objects.filter(
        actor=actor,
        action="disclosure.links.rechecked",
        at__gte=now - dt.timedelta(hours=1),
    ).count()
    _require(
        by_actor < per_hour,
        _("You have asked for many checks in the last hour. Please try again later."),
    )
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
