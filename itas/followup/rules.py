"""Who follows up agencies: NACC everywhere, a provincial coordinator in their province, a
district officer in their district."""

import rules

from itas.core.roles import Role
from itas.core.rules import is_nacc_admin, oversees_agency

FOLLOWERS = (Role.PROVINCE_COORDINATOR, Role.DISTRICT_OFFICER)


@rules.predicate
def follows_agencies(user) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return any(r.role in FOLLOWERS for r in user.cached_roles())


rules.add_perm("followup.view", is_nacc_admin | follows_agencies)
rules.add_perm("followup.remind_agency", is_nacc_admin | oversees_agency)
