"""The OIT entry in the menu and a panel on the home page (registered in apps.py)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from itas.core.registry import MenuItem


def _involved(user) -> bool:
    return bool(
        getattr(user, "is_authenticated", False)
        and (
            user.agency_ids()
            or user.has_perm("disclosure.view_queue")
            or user.has_perm("disclosure.view_progress")
        )
    )


def menu(request):
    if not _involved(request.user):
        return []
    return [MenuItem(label=_("OIT evidence"), url=reverse("disclosure:index"), order=40)]


def home_panel(request):
    user = request.user
    if not _involved(user):
        return None
    from .queries import current_cycle

    cycle = current_cycle()
    if cycle is None:
        return None
    from .models import ItemAnswer, ItemStatus

    context = {"cycle": cycle, "url": reverse("disclosure:index")}
    if user.has_perm("disclosure.view_queue"):
        from django.db.models import Q

        from itas.disclosure.views.review import _group_provinces

        context["waiting"] = (
            ItemAnswer.objects.filter(
                enrolment__cycle=cycle, enrolment__agency__province__in=_group_provinces(user)
            )
            .filter(
                Q(submitted_evidence__isnull=False, latest_decision__isnull=True)
                | Q(open_clarification__isnull=False)
            )
            .count()
        )
        context["role"] = "assessor"
    elif user.agency_ids():
        enrolment = cycle.enrolments.filter(agency_id__in=user.agency_ids()).first()
        if enrolment is None:
            return None
        items = ItemAnswer.objects.filter(enrolment=enrolment)
        context.update(
            role="agency",
            enrolment=enrolment,
            with_evidence=items.filter(current_evidence__isnull=False).count(),
            mine=items.filter(assignee=user).exclude(status=ItemStatus.CONFIRMED).count(),
            total=len(cycle.framework.spec.oit_items),
        )
    else:
        context["role"] = "follower"
    return {
        "title": _("OIT evidence"),
        "template": "disclosure/_home_panel.html",
        "context": context,
        "order": 40,
    }


def practice_panel(request):
    """While a practice round is open, an agency's people find its practice questionnaire
    links, QR poster and OIT board on their home page, clearly marked as practice."""
    user = request.user
    if not getattr(user, "is_authenticated", False) or not user.agency_ids():
        return None
    from itas.cycles.models import Cycle, CycleStatus, Enrolment

    enrolments = list(
        Enrolment.objects.filter(
            cycle__in=Cycle.objects.practice().filter(status=CycleStatus.OPEN),
            agency_id__in=user.agency_ids(),
        ).select_related("agency", "cycle")
    )
    if not enrolments:
        return None
    items = [
        {
            "enrolment": e,
            "respondents": reverse("surveys:respondents", args=[e.pk]),
            "board": reverse("disclosure:board", args=[e.pk]),
        }
        for e in enrolments
    ]
    return {
        "title": _("Practice round: try the system"),
        "template": "disclosure/_panel_practice.html",
        "context": {"items": items},
        "order": 4,
        "width": 12,
    }
