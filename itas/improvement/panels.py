"""The menu entries of the improvement pages, for those who may open them."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from itas.core.registry import MenuItem


def _latest_fy() -> int | None:
    from itas.cycles.models import Cycle

    return (
        Cycle.objects.real()
        .filter(result_sets__isnull=False)
        .order_by("-fiscal_year")
        .values_list("fiscal_year", flat=True)
        .first()
    )


def menu(request) -> list[MenuItem]:
    user = request.user
    out = []
    if user.has_perm("improvement.view_goal") and (fy := _latest_fy()):
        out.append(MenuItem(_("National goal"), reverse("improvement:goal", args=[fy]), order=62))
    if user.has_perm("improvement.view_warnings"):
        out.append(MenuItem(_("Early warning"), reverse("improvement:warnings"), order=63))
    return out
