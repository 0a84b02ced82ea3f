"""Telling agencies (inbox + e-mail in Thai, through core.notifications) when a decision or an
answer concerns them."""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from itas.accounts.queries import agency_people
from itas.core import links
from itas.core.notifications import notify
from itas.core.thaidate import format_date


def _send(template: str, recipients: list, context: dict, *, kind: str) -> None:
    """Through the one notification service: an inbox line for each person, and the full
    e-mail for those who want e-mail."""
    if not recipients:
        return
    with translation.override(settings.LANGUAGE_CODE):
        context = {**context, "base_url": links.public_base()}
        subject = render_to_string(f"disclosure/email/{template}_subject.txt", context).strip()
        body = render_to_string(f"disclosure/email/{template}.txt", context)
        html = render_to_string(f"disclosure/email/{template}.html", context)
        line = context.get("line") or subject
    notify(
        recipients=recipients,
        message=" ".join(line.split()),
        link=context["url"],
        kind=kind,
        subject=" ".join(subject.split()),
        body=body,
        html=html,
    )


def clarification_answered(decision) -> None:
    answer = decision.answer
    enrolment = answer.enrolment
    agency = enrolment.agency
    to = agency_people([agency.pk]).get(agency.pk, [])
    if answer.assignee_id:
        to.append(answer.assignee)
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
        kind="disclosure.clarification.answered",
    )


def _per_agency(template: str, enrolment_ids, cycle) -> None:
    from itas.accounts.models import User
    from itas.cycles.models import Enrolment, PhaseKind

    from .models import Decision, ItemAnswer

    enrolments = {
        e.pk: e
        for e in Enrolment.objects.filter(pk__in=list(enrolment_ids)).select_related("agency")
    }
    if not enrolments:
        return
    admins = agency_people(e.agency_id for e in enrolments.values())
    counts: dict[int, dict[str, int]] = {}
    officers: dict[int, set[int]] = {}
    pointer = "confirmed_decision" if template == "confirmed" else "latest_decision"
    for eid, decision, assignee in ItemAnswer.objects.filter(
        enrolment_id__in=list(enrolments), **{f"{pointer}__isnull": False}
    ).values_list("enrolment_id", f"{pointer}__decision", "assignee_id"):
        c = counts.setdefault(eid, {"pass": 0, "fail": 0})
        c["pass" if decision == Decision.PASS else "fail"] += 1
        if assignee:
            officers.setdefault(eid, set()).add(assignee)
    users = {u.pk: u for u in User.objects.filter(pk__in=set().union(*officers.values()))}
    clarification = cycle.phase(PhaseKind.CLARIFICATION)
    with translation.override(settings.LANGUAGE_CODE):
        for eid, e in enrolments.items():
            c = counts.get(eid, {"pass": 0, "fail": 0})
            people = admins.get(e.agency_id, [])
            people += [users[pk] for pk in officers.get(eid, ()) if pk in users]
            _send(
                template,
                people,
                {
                    "agency": e.agency,
                    "cycle": cycle,
                    "passed": c["pass"],
                    "failed": c["fail"],
                    "clarification": clarification,
                    "url": reverse("disclosure:board", args=[e.pk]),
                    "line": _line(template, e.agency, c, clarification),
                },
                kind=f"disclosure.results.{template}",
            )


def _line(template: str, agency, counts: dict, clarification) -> str:
    """The inbox line: what came back, and until when the agency may answer."""
    if template == "confirmed":
        return _("%(agency)s: OIT results confirmed (มี %(p)d, ไม่มี %(f)d).") % {
            "agency": agency,
            "p": counts["pass"],
            "f": counts["fail"],
        }
    line = _("%(agency)s: OIT review results are out (มี %(p)d, ไม่มี %(f)d).") % {
        "agency": agency,
        "p": counts["pass"],
        "f": counts["fail"],
    }
    if counts["fail"] and clarification is not None:
        line += " " + _("%(n)d item(s) returned: clarify by %(date)s.") % {
            "n": counts["fail"],
            "date": format_date(clarification.ends_on),
        }
    return line


def preliminary_results(enrolment_ids, cycle) -> None:
    _per_agency("preliminary", enrolment_ids, cycle)


def confirmed(enrolment_ids, cycle) -> None:
    _per_agency("confirmed", enrolment_ids, cycle)


__all__ = ["clarification_answered", "confirmed", "preliminary_results", "_"]
