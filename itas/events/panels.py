"""What the events app adds to the home page and the menu (registered in EventsConfig.ready)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from itas.core.registry import MenuItem


def notices_panel(request):
    return None


def organiser_panel(request):
    return None


def menu(request) -> list[MenuItem]:
    user = request.user
    if not user.is_authenticated or not user.has_perm("events.add_event"):
        return []
    return [MenuItem(label=_("Events"), url=reverse("events:list"), order=80)]
