"""Who may appoint, invite and revoke whom.

- NACC admins manage every role (appoint agency admins, assessors, coordinators...).
- An agency admin invites its own people (executive, officers) and revokes their roles,
  never its own admin role (so an agency is not left without one by mistake).
"""

import rules

from itas.core.roles import AGENCY_ROLES, Role
from itas.core.rules import is_nacc_admin


def _admin_agency_ids(user) -> set[int]:
    if not getattr(user, "is_authenticated", False):
        return set()
    return user.agency_ids(roles=(Role.AGENCY_ADMIN,))


@rules.predicate
def is_admin_of_agency(user, agency) -> bool:
    return agency is not None and agency.pk in _admin_agency_ids(user)


@rules.predicate
def is_admin_of_role_agency(user, assignment) -> bool:
    if assignment is None or assignment.role not in AGENCY_ROLES or not assignment.agency_id:
        return False
    if assignment.user_id == getattr(user, "pk", None) and assignment.role == Role.AGENCY_ADMIN:
        return False
    return assignment.agency_id in _admin_agency_ids(user)


@rules.predicate
def is_admin_of_invitation_agency(user, invitation) -> bool:
    return (
        invitation is not None
        and invitation.agency_id is not None
        and invitation.agency_id in _admin_agency_ids(user)
    )


rules.add_perm("accounts.manage_roles", is_nacc_admin)
rules.add_perm("accounts.invite_person", is_nacc_admin | is_admin_of_agency)
rules.add_perm("accounts.revoke_role", is_nacc_admin | is_admin_of_role_agency)
rules.add_perm("accounts.cancel_invitation", is_nacc_admin | is_admin_of_invitation_agency)


@rules.predicate
def follows_agencies(user) -> bool:
    """Provincial coordinators and district officers follow their own agencies."""
    if not getattr(user, "is_authenticated", False):
        return False
    return any(
        r.role in (Role.PROVINCE_COORDINATOR, Role.DISTRICT_OFFICER) for r in user.cached_roles()
    )


# Appointments: NACC sees the country; coordinators and district officers see (and remind)
# the agencies of their own scope — the rows are scoped by Agency.objects.in_scope.
rules.add_perm("accounts.view_appointments", is_nacc_admin | follows_agencies)
rules.add_perm("accounts.set_appointment_deadline", is_nacc_admin)
