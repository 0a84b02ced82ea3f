"""Reminding agencies that are behind (the services contract: docs/development.md)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from itas.core import audit
from itas.core.notifications import notify
from itas.core.permissions import require_perm
from itas.cycles.models import Cycle

from .errors import FollowupError
from .models import AgencyReminder
from .queries import Row, behind_rows

# One reminder per agency per gap, whoever sends it: a province and its districts following
# up the same agency must not flood its admin.
REMINDER_GAP = dt.timedelta(hours=getattr(settings, "ITAS_FOLLOWUP_REMINDER_HOURS", 72))
MAX_AT_ONCE = 2000


def reminder_text(row: Row, actor) -> str:
    parts = []
    if "survey" in row.reasons:
        if row.population is None:
            parts.append(_("the IIT population is not entered yet"))
        else:
            parts.append(
                _("IIT answers %(n)d of at least %(min)d")
                % {"n": row.iit, "min": row.iit_minimum or 0}
            )
    if "oit" in row.reasons:
        parts.append(
            _("OIT items handed in %(n)d of %(total)d")
            % {"n": row.oit_submitted, "total": row.oit_total}
        )
    for event in row.events:
        parts.append(_("not registered for “%(title)s”") % {"title": event.title})
    return _("Reminder from %(who)s to %(agency)s: %(what)s.") % {
        "who": str(actor),
        "agency": row.agency,
        "what": "; ".join(parts),
    }


def _link(row: Row) -> str:
    if "oit" in row.reasons:
        return reverse("disclosure:board", args=[row.enrolment_id])
    if "survey" in row.reasons:
        return reverse("surveys:respondents", args=[row.enrolment_id])
    if row.events:
        return row.events[0].public_path()
    return "/"


def remind(actor, *, cycle: Cycle, agency_ids: Iterable[int]) -> dict[str, int]:
    """Remind the admins of the given agencies (in the actor's scope, behind, not reminded
    within REMINDER_GAP) through the notification service; record who reminded whom."""
    ids = set(agency_ids)
    if not ids:
        raise FollowupError(_("Choose at least one agency."))
    if len(ids) > MAX_AT_ONCE:
        raise FollowupError(_("At most %(n)d agencies at once.") % {"n": MAX_AT_ONCE})
    rows = [r for r in behind_rows(cycle, actor) if r.agency.pk in ids]
    for r in rows:
        require_perm(
            actor,
            "followup.remind_agency",
            r.agency,
            error=FollowupError,
            message=_("You may remind only agencies in your area."),
        )
    since = timezone.now() - REMINDER_GAP
    recent = set(
        AgencyReminder.objects.filter(agency_id__in=ids, sent_at__gte=since).values_list(
            "agency_id", flat=True
        )
    )
    out = {"sent": 0, "recent": 0, "without_admin": 0, "not_behind": len(ids) - len(rows)}
    with transaction.atomic(), translation.override(settings.LANGUAGE_CODE):
        for row in rows:
            if row.agency.pk in recent:
                out["recent"] += 1
                continue
            if not row.admins:
                out["without_admin"] += 1
                continue
            notify(
                recipients=row.admins,
                message=reminder_text(row, actor),
                link=_link(row),
                kind="followup.agency.reminded",
            )
            AgencyReminder.objects.create(
                cycle=cycle,
                agency=row.agency,
                sent_by=actor,
                reasons=row.reasons,
                recipients=len(row.admins),
            )
            out["sent"] += 1
        audit.record(
            actor,
            "followup.agencies.reminded",
            cycle,
            changes={k: [None, v] for k, v in out.items()},
        )
    return out
