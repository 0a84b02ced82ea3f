import rules

from itas.core.roles import Role


@rules.predicate
def is_nacc_admin(user) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return True
    return any(r.role == Role.NACC_ADMIN for r in user.cached_roles())


@rules.predicate
def oversees_agency(user, agency) -> bool:
    """A provincial coordinator of the agency's province or a district officer of its district
    (those who follow agencies up and watch their risk)."""
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


rules.add_perm("core.view_outbox", is_nacc_admin)
rules.add_perm("core.view_audit", is_nacc_admin)
rules.add_perm("core.edit_faq", is_nacc_admin)
