"""The menu entries of the improvement pages, for those who may open them."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from itas.core.registry import MenuItem


def menu(request) -> list[MenuItem]:
    """One entry: the early warning for those who watch agencies; NACC reaches the national
    goal from it (the menu bar has no room for two)."""
    user = request.user
    if user.has_perm("improvement.view_warnings"):
        return [MenuItem(_("Early warning"), reverse("improvement:warnings"), order=63)]
    return []
