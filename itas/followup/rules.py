"""Who follows up agencies: NACC everywhere, a provincial coordinator in their province, a
district officer in their district."""

import rules

from itas.core.roles import Role
from itas.core.rules import is_nacc_admin

FOLLOWERS = (Role.PROVINCE_COORDINATOR, Role.DISTRICT_OFFICER)


@rules.predicate
def follows_agencies(user) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return any(r.role in FOLLOWERS for r in user.cached_roles())


@rules.predicate
def follows_agency(user, agency) -> bool:
    if agency is None or not getattr(user, "is_authenticated", False):
        return False
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


rules.add_perm("followup.view", is_nacc_admin | follows_agencies)
rules.add_perm("followup.remind_agency", is_nacc_admin | follows_agency)
