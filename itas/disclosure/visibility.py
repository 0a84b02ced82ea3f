"""THE rule of what an agency may see of its OIT review before results are published, used
by the board, the item page, the e-mails and the preliminary scorecard (reports):

- assessors of the agency's group and NACC see decisions as they are made;
- everyone else, the agency first, sees the outcome of each item (มี/ไม่มี, the
  recommendation, by whom, when) and anything computed from it (the preliminary OIT score,
  the preliminary scorecard) from the day after the OIT review period ends
  (`visible_from`), when the preliminary results are announced.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from itas.cycles.models import Cycle, PhaseKind


def visible_from(cycle: Cycle) -> dt.date | None:
    """The first day the agency sees its decisions (None: no review period scheduled)."""
    review = cycle.phase(PhaseKind.OIT_REVIEW)
    return review.ends_on + dt.timedelta(days=1) if review is not None else None


def decisions_visible(cycle: Cycle) -> bool:
    """True after the OIT review phase has ended (the preliminary results are out)."""
    start = visible_from(cycle)
    return start is not None and timezone.localdate() >= start


def can_see_decisions(user, enrolment) -> bool:
    """Assessors and NACC always; the agency and its followers once the review has ended."""
    if user.has_perm("disclosure.review_item", enrolment) or user.has_perm("disclosure.confirm"):
        return True
    return decisions_visible(enrolment.cycle)


def agency_side(user) -> bool:
    """Whether the person sees results only as an agency (no supervising role)."""
    from itas.core.roles import AGENCY_ROLES

    if getattr(user, "is_superuser", False):
        return False
    roles = user.cached_roles() if getattr(user, "is_authenticated", False) else []
    return bool(roles) and all(r.role in AGENCY_ROLES for r in roles)


def preliminary_visible_to(user, cycle: Cycle) -> bool:
    """The same rule for the preliminary scorecard: it is computed from the decisions, so an
    agency sees it from `visible_from(cycle)`, like the decisions themselves."""
    return not agency_side(user) or decisions_visible(cycle)
