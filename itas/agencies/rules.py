"""Who may do what with agencies.

- The registry is public open data: anyone may list agencies and read a profile's public part.
- People by role, contacts history: users whose scope covers the agency.
- Contacts and website: the agency's admin, and NACC.
- Adding agencies outside the DLA registry (Bangkok, central agencies): NACC.
"""

import rules

from itas.core.roles import Role
from itas.core.rules import is_nacc_admin


@rules.predicate
def is_agency_admin_of(user, agency) -> bool:
    if agency is None or not getattr(user, "is_authenticated", False):
        return False
    return agency.pk in user.agency_ids(roles=(Role.AGENCY_ADMIN,))


@rules.predicate
def has_agency_in_scope(user, agency) -> bool:
    """The agency is inside one of the user's scopes (its own people, district, province, group)."""
    if agency is None or not getattr(user, "is_authenticated", False):
        return False
    from itas.agencies.models import Agency

    return Agency.objects.in_scope(user).filter(pk=agency.pk).exists()


rules.add_perm("agencies.view_agency", rules.always_allow)
rules.add_perm("agencies.add_agency", is_nacc_admin)
rules.add_perm("agencies.change_agency", is_nacc_admin | is_agency_admin_of)
rules.add_perm("agencies.view_people", is_nacc_admin | has_agency_in_scope)
rules.add_perm("agencies.view_agency_history", is_nacc_admin | is_agency_admin_of)
