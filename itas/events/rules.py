"""Who may organise events, follow them up, build target groups and look after viewing sites;
and the provinces a person's offices cover (the scope of the events' pages). The services and
the pages ask these rules; no other module of the app decides who may do what."""

import rules

from itas.accounts.rules import is_admin_of_agency
from itas.core.roles import Role
from itas.core.rules import is_nacc_admin


def _roles(user):
    return user.cached_roles() if getattr(user, "is_authenticated", False) else []


def _has(user, *roles) -> bool:
    return any(r.role in roles for r in _roles(user))


def coordinated_province_ids(user) -> set:
    """The provinces of the person's provincial roles (a coordinator's province)."""
    return {r.province_id for r in _roles(user) if r.province_id}


def office_province_ids(user) -> set:
    """The provinces of the person's provincial and district roles: the events and viewing
    sites their office sees."""
    return coordinated_province_ids(user) | {
        r.district.province_id for r in _roles(user) if r.district_id
    }


@rules.predicate
def is_coordinator(user) -> bool:
    return _has(user, Role.PROVINCE_COORDINATOR)


@rules.predicate
def is_district_officer(user) -> bool:
    return _has(user, Role.DISTRICT_OFFICER)


def _coordinates_province(user, province_id) -> bool:
    return any(
        r.role == Role.PROVINCE_COORDINATOR and r.province_id == province_id for r in _roles(user)
    )


@rules.predicate
def coordinates_event_province(user, event) -> bool:
    """A coordinator organises the events of their own province (NACC's have none)."""
    if event is None or not event.province_id:
        return False
    return _coordinates_province(user, event.province_id)


@rules.predicate
def created_group(user, group) -> bool:
    return group is not None and group.created_by_id == user.pk


@rules.predicate
def coordinates_site_province(user, site) -> bool:
    """A coordinator looks after the viewing sites in their own province, whoever's event (the
    site's district decides, also for a site not saved yet)."""
    if site is None:
        return False
    return _coordinates_province(user, site.district.province_id)


can_organise = is_nacc_admin | is_coordinator

rules.add_perm("events.organise", can_organise)
rules.add_perm("events.manage_event", is_nacc_admin | coordinates_event_province)
# Provincial and district offices chase their own agencies for any event (rows are scoped).
rules.add_perm("events.follow_up", is_nacc_admin | is_coordinator | is_district_officer)
rules.add_perm("events.build_target_group", can_organise)
rules.add_perm("events.view_target_group", is_nacc_admin | created_group)
# Viewing sites: NACC and provincial coordinators designate them (a coordinator in their own
# province, checked on the site by the page and again in the service).
rules.add_perm("events.manage_sites", is_nacc_admin | is_coordinator)
rules.add_perm("events.manage_site", is_nacc_admin | coordinates_site_province)
# An agency's admin answers for the agency: chooses where it watches (when the province lets
# agencies choose) and acknowledges a notice sent to it.
rules.add_perm("events.choose_site", is_admin_of_agency)
rules.add_perm("events.acknowledge_notice", is_admin_of_agency)
