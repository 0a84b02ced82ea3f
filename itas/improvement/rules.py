"""Who sees the improvement pages: the national goal is NACC's; the early warning is seen by
NACC and by coordinators and district officers for their own scope (and they may remind)."""

from __future__ import annotations

import rules

from itas.core.roles import Role
from itas.core.rules import is_nacc_admin, oversees_agency

WATCHERS = (Role.PROVINCE_COORDINATOR, Role.DISTRICT_OFFICER)


@rules.predicate
def watches_agencies(user) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return is_nacc_admin(user) or any(r.role in WATCHERS for r in user.cached_roles())


rules.add_perm("improvement.view_goal", is_nacc_admin)
rules.add_perm("improvement.view_warnings", watches_agencies)
rules.add_perm("improvement.remind_agency", is_nacc_admin | oversees_agency)
rules.add_perm("improvement.refresh_warnings", is_nacc_admin)
