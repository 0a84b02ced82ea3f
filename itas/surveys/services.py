"""The verbs of the surveys: store a response exactly once, exclude or restore one (NACC),
receive a contact list, record a call, erase what must not outlive the cycle.

Anonymous submissions leave no audit entry on purpose: an audit row carries a precise time and
the response's id, which would undo the hour-truncation that keeps respondents anonymous.
Everything done by a signed-in person is audited as usual.
"""

from __future__ import annotations

import uuid

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.dispatch import receiver
from django.utils.translation import gettext as _

from itas.core import audit
from itas.core.permissions import require_perm
from itas.cycles.models import Cycle, Enrolment, PhaseKind
from itas.cycles.services import ensure_phase_open
from itas.cycles.signals import cycle_closed
from itas.frameworks.engine import question_score
from itas.surveys import flags as flagging
from itas.surveys import store
from itas.surveys.anon import TokenStatus, hour_of
from itas.surveys.credibility import evidence
from itas.surveys.errors import SurveyError
from itas.surveys.models import (
    ArrivalBucket,
    Channel,
    Contact,
    ContactList,
    ContactStatus,
    Flag,
    Instrument,
    Response,
)


def submit_response(
    *,
    enrolment: Enrolment,
    instrument: str,
    chosen: dict[str, dict[str, str]],
    submission_id: uuid.UUID,
    channel: str = Channel.ONLINE,
    interviewer=None,
    duration_seconds: int | None = None,
    abuse_hash: str = "",
    network_hash: str = "",
    token_status: str = TokenStatus.NOT_APPLICABLE,
    token_hash: str = "",
    unseen: bool = False,
    in_burst: bool = False,
) -> tuple[Response, bool]:
    """Store one respondent's answers: the Response and one Answer (question score) per
    question, in one transaction. A retried submission (same submission_id) is stored once:
    the existing response comes back with created=False, also when two copies race (the
    unique constraint decides; the loser reads the winner's row).

    `unseen`: the caller has just read that no response carries this submission id (the
    public form does, before any limit), so it is not read again; a copy stored since then
    meets the unique constraint like a racing one.

    The evidence (hashes, the start token's status; see anon.py) is stored beside it; a start
    token already carried by another submission turns the status into "reused" (decided by
    the INSERT itself, see store.py).

    `in_burst`: the caller read that this submission completes a burst of its abuse hash
    (flags.completes_burst), so it is stored with the flag."""
    if instrument not in Instrument.values:
        raise SurveyError(_("Unknown questionnaire."))
    if not unseen:
        existing = store.existing(submission_id)
        if existing is not None:
            return existing, False
    cycle = enrolment.cycle
    ensure_phase_open(cycle, PhaseKind.SURVEY)
    spec = cycle.framework.spec
    questions = spec.questions_for(instrument)
    try:
        scores = [(q.code, question_score(q, chosen[q.code])) for q in questions]
    except (KeyError, ValueError) as exc:
        raise SurveyError(_("Some answers do not match the questionnaire.")) from exc
    flags = flagging.answer_flags(spec, instrument, chosen, duration_seconds)
    if in_burst and abuse_hash:
        flags.append(Flag.BURST.value)
    sheet, mean_score, all_best = evidence.sheet_of(spec, instrument, chosen)
    response = Response(
        enrolment=enrolment,
        instrument=instrument,
        channel=channel,
        submission_id=submission_id,
        submitted_hour=hour_of(),
        choices=chosen,
        duration_seconds=duration_seconds,
        abuse_hash=abuse_hash,
        network_hash=network_hash,
        token_hash=token_hash,
        token_status=token_status,
        sheet=sheet,
        mean_score=mean_score,
        all_best=all_best,
        flags=flags,
        flagged=bool(flags),
        interviewer=interviewer if channel == Channel.INTERVIEW else None,
    )
    # The unique submission_id decides a race: the loser's insert fails and it reads the
    # winner's row. Waiting for the other writer is the database's job (PostgreSQL's row lock,
    # SQLite's busy timeout under BEGIN IMMEDIATE), never a sleep inside the request.
    arrival = {"device": abuse_hash, "network": network_hash}
    try:
        counted = store.insert(response, scores, arrival if channel == Channel.ONLINE else None)
    except IntegrityError:
        winner = store.existing(submission_id)
        if winner is None:
            raise
        return winner, False
    if channel == Channel.ONLINE:
        if not counted:
            evidence.note_arrival(enrolment_id=enrolment.pk, hashes=arrival)
        flagging.note_for_burst(response)
    else:
        audit.record(
            interviewer,
            "surveys.interview.entered",
            enrolment,
            changes={"instrument": [None, instrument]},
        )
    return response, True


def set_excluded(actor, *, response: Response, excluded: bool, reason: str = "") -> Response:
    """NACC's decision on a doubtful response: excluded responses do not count in scores and
    progress; nothing is deleted, and the decision can be undone."""
    require_perm(actor, "surveys.exclude_response", response, error=SurveyError)
    reason = (reason or "").strip()[:500]
    if excluded and not reason:
        raise SurveyError(_("Give a reason for excluding this response."))
    with transaction.atomic():
        response = Response.objects.select_for_update().get(pk=response.pk)
        if response.excluded == excluded:
            return response
        response.excluded = excluded
        response.save(update_fields=["excluded"])
        audit.record(
            actor,
            "surveys.response.excluded" if excluded else "surveys.response.restored",
            response,
            changes={"excluded": [not excluded, excluded]},
            note=reason,
        )
    return response


# -- telephone interviews -------------------------------------------------------------------


def add_contact_list(
    actor, *, enrolment: Enrolment, filename: str, rows: list[tuple[str, str]]
) -> ContactList:
    require_perm(actor, "surveys.upload_contacts", enrolment, error=SurveyError)
    cycle = enrolment.cycle
    ensure_phase_open(cycle, PhaseKind.SURVEY)
    if not rows:
        raise SurveyError(_("The file has no contacts."))
    with transaction.atomic():
        contact_list = ContactList.objects.create(
            enrolment=enrolment, uploaded_by=actor, filename=filename[:200], rows=len(rows)
        )
        Contact.objects.bulk_create(
            [
                Contact(contact_list=contact_list, enrolment=enrolment, name=name, phone=phone)
                for name, phone in rows
            ],
            batch_size=1000,
        )
        # The audit names the file and the count only: the contacts are personal data that
        # must vanish with the cycle, so they are never copied into the audit log.
        audit.record(
            actor,
            "surveys.contacts.uploaded",
            enrolment,
            changes={"contacts": [None, len(rows)]},
            note=filename[:200],
        )
    return contact_list


def set_contact_status(actor, *, contact: Contact, status: str) -> Contact:
    require_perm(actor, "surveys.interview", contact.enrolment, error=SurveyError)
    if status not in ContactStatus.values:
        raise SurveyError(_("Unknown call result."))
    ensure_phase_open(contact.enrolment.cycle, PhaseKind.SURVEY)
    with transaction.atomic():
        before = contact.status
        contact.status = status
        contact.save(update_fields=["status", "updated_at"])
        audit.record(
            actor,
            "surveys.contact.called",
            contact.enrolment,
            changes={"status": [before, status]},
        )
    return contact


@receiver(cycle_closed, dispatch_uid="surveys.erase_on_close")
def erase_on_close(sender, cycle: Cycle, **kwargs) -> dict[str, int]:
    """When a cycle closes: erase the abuse hashes (device, network, start token), the arrival
    buckets and the telephone contact lists. The credibility re-analysis needs the hashes, so
    if no run has read the cycle's last answers, closing runs it first (same transaction)."""
    from itas.surveys.credibility import services as credibility
    from itas.surveys.credibility.models import CredibilityRun

    analysed = {}
    if not credibility.is_current(cycle):
        run = credibility.analyse_cycle(CredibilityRun.objects.create(cycle=cycle))
        analysed = {"credibility re-analysis (agencies)": run.total}
    hashes = (
        Response.objects.filter(enrolment__cycle=cycle)
        .filter(~Q(abuse_hash="") | ~Q(network_hash="") | ~Q(token_hash=""))
        .update(abuse_hash="", network_hash="", token_hash="")
    )
    ArrivalBucket.objects.filter(enrolment__cycle=cycle).delete()
    contacts = Contact.objects.filter(enrolment__cycle=cycle).count()
    ContactList.objects.filter(enrolment__cycle=cycle).delete()
    return {"abuse hashes erased": hashes, "contacts erased": contacts, **analysed}
