"""E-mails to agencies (plain text + HTML, in Thai) when a decision or an answer concerns them."""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from itas.accounts.queries import agency_admin_emails
from itas.core.tasks import send_mail


def _send(template: str, to: list[str], context: dict) -> None:
    to = sorted(set(e for e in to if e))
    if not to:
        return
    with translation.override(settings.LANGUAGE_CODE):
        context = {**context, "base_url": settings.PUBLIC_BASE_URL.rstrip("/")}
        subject = render_to_string(f"disclosure/email/{template}_subject.txt", context).strip()
        body = render_to_string(f"disclosure/email/{template}.txt", context)
        html = render_to_string(f"disclosure/email/{template}.html", context)
    send_mail.delay(subject=" ".join(subject.split()), body=body, to=to, html=html)


def clarification_answered(decision) -> None:
    answer = decision.answer
    enrolment = answer.enrolment
    agency = enrolment.agency
    to = agency_admin_emails([agency.pk]).get(agency.pk, [])
    if answer.assignee_id and answer.assignee.is_active:
        to.append(answer.assignee.email)
    _send(
        "clarification_answered",
        to,
        {
            "agency": agency,
            "answer": answer,
            "decision": decision,
            "clarification": decision.clarification,
            "url": reverse("disclosure:item", args=[answer.pk]),
        },
    )


def _per_agency(template: str, enrolment_ids, cycle) -> None:
    from itas.cycles.models import Enrolment

    from .models import Decision, ItemAnswer

    enrolments = {
        e.pk: e
        for e in Enrolment.objects.filter(pk__in=list(enrolment_ids)).select_related("agency")
    }
    if not enrolments:
        return
    admins = agency_admin_emails(e.agency_id for e in enrolments.values())
    counts: dict[int, dict[str, int]] = {}
    officers: dict[int, set[str]] = {}
    pointer = "confirmed_decision" if template == "confirmed" else "latest_decision"
    for eid, decision, email in ItemAnswer.objects.filter(
        enrolment_id__in=list(enrolments), **{f"{pointer}__isnull": False}
    ).values_list("enrolment_id", f"{pointer}__decision", "assignee__email"):
        c = counts.setdefault(eid, {"pass": 0, "fail": 0})
        c["pass" if decision == Decision.PASS else "fail"] += 1
        if email:
            officers.setdefault(eid, set()).add(email)
    for eid, e in enrolments.items():
        c = counts.get(eid, {"pass": 0, "fail": 0})
        _send(
            template,
            admins.get(e.agency_id, []) + sorted(officers.get(eid, ())),
            {
                "agency": e.agency,
                "cycle": cycle,
                "passed": c["pass"],
                "failed": c["fail"],
                "url": reverse("disclosure:board", args=[e.pk]),
            },
        )


def preliminary_results(enrolment_ids, cycle) -> None:
    _per_agency("preliminary", enrolment_ids, cycle)


def confirmed(enrolment_ids, cycle) -> None:
    _per_agency("confirmed", enrolment_ids, cycle)


__all__ = ["clarification_answered", "confirmed", "preliminary_results", "_"]
