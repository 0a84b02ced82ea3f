"""Who may do what with OIT evidence. Phases (deadlines) are checked in the services."""

import rules

from itas.agencies.models import Agency
from itas.core.roles import Role
from itas.core.rules import is_nacc_admin
from itas.geo.models import Province


def _agency_of(obj) -> Agency | None:
    """Accepts an Agency, an Enrolment, an ItemAnswer or a Clarification."""
    if obj is None:
        return None
    if isinstance(obj, Agency):
        return obj
    if hasattr(obj, "answer"):  # Clarification, Evidence, ItemDecision
        obj = obj.answer
    if hasattr(obj, "enrolment"):  # ItemAnswer
        obj = obj.enrolment
    return getattr(obj, "agency", None)


def _roles(user):
    if not getattr(user, "is_authenticated", False):
        return []
    return user.cached_roles()


def assessor_group_ids(user) -> set[int]:
    return {
        r.assessor_group_id for r in _roles(user) if r.role == Role.ASSESSOR and r.assessor_group_id
    }


def assessor_covers(user, agency: Agency | None) -> bool:
    """The user is an assessor of a group whose provinces include the agency's."""
    groups = assessor_group_ids(user)
    if not groups or agency is None:
        return False
    return Province.objects.filter(pk=agency.province_id, assessor_groups__in=groups).exists()


@rules.predicate
def is_agency_admin(user, obj) -> bool:
    agency = _agency_of(obj)
    return agency is not None and any(
        r.role == Role.AGENCY_ADMIN and r.agency_id == agency.pk for r in _roles(user)
    )


@rules.predicate
def is_agency_member(user, obj) -> bool:
    agency = _agency_of(obj)
    return agency is not None and agency.pk in (
        user.agency_ids() if getattr(user, "is_authenticated", False) else set()
    )


@rules.predicate
def is_assigned_officer(user, obj) -> bool:
    """The officer responsible for this item (an ItemAnswer), still a member of the agency."""
    return (
        getattr(obj, "assignee_id", None) is not None
        and obj.assignee_id == getattr(user, "pk", None)
        and is_agency_member(user, obj)
    )


@rules.predicate
def is_covering_assessor(user, obj) -> bool:
    return assessor_covers(user, _agency_of(obj))


def _role_covers(ra, agency: Agency) -> bool:
    if ra.role == Role.NACC_ADMIN:
        return True
    if ra.role == Role.ASSESSOR and ra.assessor_group_id:
        return Province.objects.filter(
            pk=agency.province_id, assessor_groups=ra.assessor_group_id
        ).exists()
    if ra.role == Role.PROVINCE_COORDINATOR:
        return ra.province_id == agency.province_id
    if ra.role == Role.DISTRICT_OFFICER:
        return ra.district_id == agency.district_id
    if ra.role == Role.INTERVIEWER:
        return False
    return ra.agency_id is not None and ra.agency_id == agency.pk


@rules.predicate
def sees_oit_board(user, obj) -> bool:
    """NACC, the coordinator and district officer of its area, the assessors of its group and
    its own people. Not telephone interviewers: they collect IIT/EIT answers by phone and have
    no part in OIT evidence, so their group scope does not open the boards (need to know)."""
    agency = _agency_of(obj)
    if agency is None or not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return True
    return any(_role_covers(ra, agency) for ra in _roles(user))


@rules.predicate
def is_assessor(user) -> bool:
    return bool(assessor_group_ids(user))


@rules.predicate
def follows_agencies(user) -> bool:
    return any(
        r.role in (Role.NACC_ADMIN, Role.PROVINCE_COORDINATOR, Role.DISTRICT_OFFICER, Role.ASSESSOR)
        for r in _roles(user)
    ) or bool(getattr(user, "is_superuser", False))


rules.add_perm("disclosure.view_board", sees_oit_board)
rules.add_perm("disclosure.manage_board", is_agency_admin)
rules.add_perm("disclosure.edit_item", is_agency_admin | is_assigned_officer)
rules.add_perm("disclosure.file_clarification", is_agency_admin | is_assigned_officer)
rules.add_perm("disclosure.review_item", is_covering_assessor)
rules.add_perm("disclosure.view_queue", is_assessor)
rules.add_perm("disclosure.view_progress", follows_agencies)
rules.add_perm("disclosure.confirm", is_nacc_admin)
