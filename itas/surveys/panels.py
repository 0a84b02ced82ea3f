"""What the surveys put on the home page and in the menu, per role."""

from django.urls import reverse
from django.utils.translation import gettext as _

from itas.core.registry import MenuItem
from itas.cycles.models import Cycle, CycleStatus, Enrolment


def _current_cycle():
    return Cycle.objects.real().filter(status=CycleStatus.OPEN).order_by("-fiscal_year").first()


def home_panel(request):
    user = request.user
    cycle = _current_cycle()
    if cycle is None:
        return None
    links = []
    agency_ids = user.agency_ids()
    if agency_ids:
        for e in Enrolment.objects.filter(cycle=cycle, agency_id__in=agency_ids).select_related(
            "agency"
        ):
            links.append(
                (
                    _("Respondents of %(agency)s") % {"agency": e.agency},
                    reverse("surveys:respondents", args=[e.pk]),
                )
            )
    if user.has_perm("surveys.view_progress"):
        links.append((_("Survey progress by agency"), reverse("surveys:progress", args=[cycle.pk])))
    if user.has_perm("surveys.view_credibility"):
        links.append((_("Credibility of answers"), reverse("surveys:credibility", args=[cycle.pk])))
    if user.has_perm("surveys.view_flags"):
        links.append((_("Doubtful answers (flags)"), reverse("surveys:flags", args=[cycle.pk])))
    if user.has_perm("surveys.list_interviews"):
        links.append((_("Telephone interviews"), reverse("surveys:interviews")))
    if not links:
        return None
    return {
        "title": _("IIT/EIT surveys · %(cycle)s") % {"cycle": cycle},
        "template": "surveys/_home_panel.html",
        "context": {"links": links, "cycle": cycle},
        "order": 30,
    }


def menu(request):
    user = request.user
    if not user.is_authenticated:
        return []
    items = []
    if user.agency_ids():
        items.append(MenuItem(_("Respondents"), reverse("surveys:mine"), 30))
    if user.has_perm("surveys.list_interviews"):
        items.append(MenuItem(_("Interviews"), reverse("surveys:interviews"), 31))
    return items
