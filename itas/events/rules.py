"""Who may organise events, follow them up, and build target groups."""

import rules

from itas.core.roles import Role
from itas.core.rules import is_nacc_admin


def _has(user, *roles) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return any(r.role in roles for r in user.cached_roles())


@rules.predicate
def is_coordinator(user) -> bool:
    return _has(user, Role.PROVINCE_COORDINATOR)


@rules.predicate
def is_district_officer(user) -> bool:
    return _has(user, Role.DISTRICT_OFFICER)


@rules.predicate
def coordinates_event_province(user, event) -> bool:
    """A coordinator organises the events of their own province (NACC's have none)."""
    if event is None or not event.province_id:
        return False
    return any(
        r.role == Role.PROVINCE_COORDINATOR and r.province_id == event.province_id
        for r in user.cached_roles()
    )


@rules.predicate
def created_group(user, group) -> bool:
    return group is not None and group.created_by_id == user.pk


@rules.predicate
def coordinates_site_province(user, site) -> bool:
    """A coordinator looks after the viewing sites in their own province, whoever's event."""
    if site is None:
        return False
    return any(
        r.role == Role.PROVINCE_COORDINATOR and r.province_id == site.district.province_id
        for r in user.cached_roles()
    )


can_organise = is_nacc_admin | is_coordinator

rules.add_perm("events.organise", can_organise)
rules.add_perm("events.manage_event", is_nacc_admin | coordinates_event_province)
# Provincial and district offices chase their own agencies for any event (rows are scoped).
rules.add_perm("events.follow_up", is_nacc_admin | is_coordinator | is_district_officer)
rules.add_perm("events.build_target_group", can_organise)
rules.add_perm("events.view_target_group", is_nacc_admin | created_group)
# Viewing sites: NACC and provincial coordinators designate them (a coordinator in their own
# province, checked on the site and again in the service).
rules.add_perm("events.manage_sites", is_nacc_admin | is_coordinator)
rules.add_perm("events.manage_site", is_nacc_admin | coordinates_site_province)
