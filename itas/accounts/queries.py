"""Reads of people and roles that other apps share."""

from __future__ import annotations

from collections.abc import Iterable

from itas.accounts.models import RoleAssignment
from itas.core.roles import Role


def agency_admin_emails(agency_ids: Iterable[int]) -> dict[int, list[str]]:
    """{agency id: e-mails of its active admins}; agencies without an admin are left out."""
    out: dict[int, list[str]] = {}
    for agency_id, email in RoleAssignment.objects.filter(
        agency_id__in=list(agency_ids), role=Role.AGENCY_ADMIN, is_active=True, user__is_active=True
    ).values_list("agency_id", "user__email"):
        if email:
            out.setdefault(agency_id, []).append(email)
    return out


def agency_people(agency_ids: Iterable[int], roles=(Role.AGENCY_ADMIN,)) -> dict[int, list]:
    """{agency id: active users holding one of `roles` there}: whom to notify (the
    notification service takes people, not addresses, so each one's inbox and e-mail
    preference count)."""
    out: dict[int, list] = {}
    for ra in (
        RoleAssignment.objects.filter(
            agency_id__in=list(agency_ids), role__in=list(roles), is_active=True
        )
        .filter(user__is_active=True)
        .select_related("user")
        .order_by("user__email")
    ):
        people = out.setdefault(ra.agency_id, [])
        if ra.user not in people:
            people.append(ra.user)
    return out
