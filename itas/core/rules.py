import rules

from itas.core.roles import Role


@rules.predicate
def is_nacc_admin(user) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return True
    return any(r.role == Role.NACC_ADMIN for r in user.cached_roles())


rules.add_perm("core.view_outbox", is_nacc_admin)
rules.add_perm("core.view_audit", is_nacc_admin)
rules.add_perm("core.edit_faq", is_nacc_admin)
