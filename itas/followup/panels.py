"""The menu item for those who follow agencies up, and the request to an agency admin to
complete the agency's contact details (registered in FollowupConfig.ready)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from itas.core.registry import MenuItem
from itas.core.roles import Role


def menu(request) -> list[MenuItem]:
    if not request.user.has_perm("followup.view"):
        return []
    return [
        MenuItem(
            label=pgettext("agencies behind", "Follow-up"), url=reverse("followup:index"), order=45
        )
    ]


def contact_panel(request) -> dict | None:
    """Coordinators can only call or write to an agency whose details exist: ask its admin."""
    from itas.agencies.models import Agency

    user = request.user
    if not user.is_authenticated:
        return None
    ids = [r.agency_id for r in user.cached_roles() if r.role == Role.AGENCY_ADMIN]
    missing = [
        a
        for a in Agency.objects.filter(pk__in=ids).only(
            "pk", "code", "name", "kind", "email", "phone"
        )
        if not (a.email and a.phone)
    ]
    if not missing:
        return None
    return {
        "title": _("Complete your agency's contact details"),
        "template": "followup/_contact_panel.html",
        "context": {"agencies": missing},
        "order": 5,
    }
