"""What the events app adds to the home page and the menu (registered in EventsConfig.ready)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from itas.core.registry import Action, MenuItem
from itas.core.roles import Role


def notices_panel(request):
    """An agency admin sees each notice sent to their agency until they acknowledge it."""
    from itas.events.models import Acknowledgement, Announcement

    user = request.user
    agency_ids = user.agency_ids(roles=(Role.AGENCY_ADMIN,))
    if not agency_ids:
        return None
    acked = Acknowledgement.objects.filter(agency_id__in=agency_ids).values("announcement_id")
    notices = (
        Announcement.objects.filter(agencies__in=agency_ids)
        .exclude(pk__in=acked)
        .select_related("event", "letter")
        .distinct()
        .order_by("-created_at")[:5]
    )
    notices = list(notices)
    if not notices:
        return None
    return {
        "title": _("Notices"),
        "template": "events/_panel_notices.html",
        "context": {"notices": notices},
        "order": 5,
        "width": 12,
    }


def organiser_panel(request):
    from itas.events.models import Event

    user = request.user
    if not user.has_perm("events.follow_up"):
        return None
    upcoming = list(Event.objects.filter(ends_at__gte=timezone.now()).order_by("starts_at")[:5])
    return {
        "title": _("Upcoming events"),
        "template": "events/_panel_events.html",
        "context": {"events": upcoming},
        "order": 60,
    }


def menu(request) -> list[MenuItem]:
    user = request.user
    if not user.is_authenticated or not user.has_perm("events.follow_up"):
        return []
    return [MenuItem(label=_("Events"), url=reverse("events:list"), order=80)]


def target_group_action(request, *, result_set, params: dict) -> Action | None:
    """A list of published results can be saved as a target group by those who organise."""
    from itas.scoring.models import ResultStatus

    if result_set.status != ResultStatus.PUBLISHED or not request.user.has_perm(
        "events.build_target_group"
    ):
        return None
    query = urlencode({"source": "results", "cycle": result_set.cycle.fiscal_year, **params})
    return Action(
        label=_("Save as target group"),
        url=f"{reverse('events:group_new')}?{query}",
        element_id="save-target-group",
    )
