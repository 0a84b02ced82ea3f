"""Who sees the improvement pages: the national goal is NACC's; the early warning is seen by
NACC and by coordinators and district officers for their own scope (and they may remind)."""

from __future__ import annotations

import rules

from itas.core.roles import Role
from itas.core.rules import is_nacc_admin

WATCHERS = (Role.PROVINCE_COORDINATOR, Role.DISTRICT_OFFICER)


@rules.predicate
def watches_agencies(user) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return is_nacc_admin(user) or any(r.role in WATCHERS for r in user.cached_roles())


@rules.predicate
def watches_agency(user, agency) -> bool:
    if agency is None or not getattr(user, "is_authenticated", False):
        return False
    if is_nacc_admin(user):
        return True
    for r in user.cached_roles():
        if r.role == Role.PROVINCE_COORDINATOR and r.province_id == agency.province_id:
            return True
        if (
            r.role == Role.DISTRICT_OFFICER
            and r.district_id
            and r.district_id == agency.district_id
        ):
            return True
    return False


rules.add_perm("improvement.view_goal", is_nacc_admin)
rules.add_perm("improvement.view_warnings", watches_agencies)
rules.add_perm("improvement.remind_agency", watches_agency)
rules.add_perm("improvement.refresh_warnings", is_nacc_admin)
