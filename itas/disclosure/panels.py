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

        from .review_views import _group_provinces

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
