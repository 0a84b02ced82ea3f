"""Who may do what with cycles: NACC runs them; an agency's admin manages its own enrolment;
anyone whose scope covers the agency may see (and print) its links."""

import rules

from itas.agencies.models import Agency
from itas.core.roles import Role
from itas.core.rules import is_nacc_admin


@rules.predicate
def is_admin_of_enrolment(user, enrolment) -> bool:
    if enrolment is None or not getattr(user, "is_authenticated", False):
        return False
    return enrolment.agency_id in user.agency_ids(roles=(Role.AGENCY_ADMIN,))


@rules.predicate
def sees_enrolment(user, enrolment) -> bool:
    if enrolment is None or not getattr(user, "is_authenticated", False):
        return False
    return Agency.objects.in_scope(user).filter(pk=enrolment.agency_id).exists()


rules.add_perm("cycles.manage_cycle", is_nacc_admin)
rules.add_perm("cycles.manage_enrolment", is_nacc_admin | is_admin_of_enrolment)
rules.add_perm("cycles.view_enrolment", is_nacc_admin | sees_enrolment)
