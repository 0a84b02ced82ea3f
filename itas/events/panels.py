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


def sites_panel(request):
    """An agency's people see where the agency watches each coming live stream, with the QR
    code to show the site's host; when the province lets agencies choose, the admin chooses."""
    from itas.events.models import Event, EventKind
    from itas.events.models_sites import SiteAssignment, ViewingSite

    user = request.user
    agency_ids = user.agency_ids()
    if not agency_ids:
        return None
    from itas.agencies.models import Agency

    agencies = list(Agency.objects.filter(pk__in=agency_ids, is_active=True))
    events = Event.objects.filter(
        kind=EventKind.LIVESTREAM, ends_at__gte=timezone.now(), sites__isnull=False
    ).distinct()
    admin_of = user.agency_ids(roles=(Role.AGENCY_ADMIN,))
    items = []
    for event in events.order_by("starts_at")[:3]:
        for agency in agencies:
            assignment = (
                SiteAssignment.objects.filter(event=event, agency=agency)
                .select_related("site")
                .first()
            )
            choosable = []
            if agency.pk in admin_of:
                choosable = list(
                    ViewingSite.objects.filter(
                        event=event, district_id=agency.district_id, agencies_choose=True
                    )
                )
            if assignment or choosable:
                items.append(
                    {
                        "event": event,
                        "agency": agency,
                        "site": assignment.site if assignment else None,
                        "choosable": choosable,
                    }
                )
    if not items:
        return None
    return {
        "title": _("Where to watch the briefing"),
        "template": "events/_panel_sites.html",
        "context": {"items": items},
        "order": 6,
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
