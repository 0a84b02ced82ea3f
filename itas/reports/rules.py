"""Who may see what of the results.

Published results are open data: anyone may read them. Preliminary numbers are seen only by the
agency itself and its supervisors: NACC, the assessors of the group that covers its province, the
coordinator of its province and the officer of its district.
"""

from __future__ import annotations

import rules

from itas.core.roles import AGENCY_ROLES, Role
from itas.core.rules import is_nacc_admin, oversees_agency


def _group_provinces(user) -> set[str]:
    if not hasattr(user, "_reports_group_provinces"):
        from itas.geo.models import Province

        groups = [r.assessor_group_id for r in user.cached_roles() if r.role == Role.ASSESSOR]
        user._reports_group_provinces = (
            set(Province.objects.filter(assessor_groups__in=groups).values_list("code", flat=True))
            if groups
            else set()
        )
    return user._reports_group_provinces


@rules.predicate
def sees_agency_preliminary(user, agency) -> bool:
    if agency is None or not getattr(user, "is_authenticated", False):
        return False
    if is_nacc_admin(user):
        return True
    for ra in user.cached_roles():
        if ra.role in AGENCY_ROLES and ra.agency_id == agency.pk:
            return True
    if oversees_agency(user, agency):
        return True
    return agency.province_id in _group_provinces(user)


@rules.predicate
def sees_area_preliminary(user, area) -> bool:
    """`area` is an itas.reports.queries.Area: national, a group, a province or a district."""
    if area is None or not getattr(user, "is_authenticated", False):
        return False
    if is_nacc_admin(user):
        return True
    if area.kind == "group":
        return any(
            r.role == Role.ASSESSOR and r.assessor_group_id == area.group.pk
            for r in user.cached_roles()
        )
    if area.kind == "province":
        code = area.province.code
        return code in _group_provinces(user) or any(
            r.role == Role.PROVINCE_COORDINATOR and r.province_id == code
            for r in user.cached_roles()
        )
    if area.kind == "district":
        return area.district.province_id in _group_provinces(user) or any(
            (r.role == Role.PROVINCE_COORDINATOR and r.province_id == area.district.province_id)
            or (r.role == Role.DISTRICT_OFFICER and r.district_id == area.district.code)
            for r in user.cached_roles()
        )
    return False


rules.add_perm("reports.publish_results", is_nacc_admin)
rules.add_perm("reports.view_agency_preliminary", sees_agency_preliminary)
rules.add_perm("reports.view_area_preliminary", sees_area_preliminary)
