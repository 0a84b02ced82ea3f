"""The results panel of the home page and the menu item (registered in ReportsConfig.ready)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from itas.core.registry import Action, MenuItem
from itas.core.roles import AGENCY_ROLES, Role


def menu(request) -> list[MenuItem]:
    return [
        MenuItem(label=pgettext("results pages", "Results"), url=reverse("reports:index"), order=80)
    ]


def _area_link(user, fy: int) -> tuple[str, str]:
    for ra in user.cached_roles():
        if ra.role == Role.NACC_ADMIN:
            break
        if ra.role == Role.PROVINCE_COORDINATOR and ra.province_id:
            return reverse("reports:province", kwargs={"fy": fy, "code": ra.province_id}), str(
                ra.province
            )
        if ra.role == Role.DISTRICT_OFFICER and ra.district_id:
            return reverse("reports:district", kwargs={"fy": fy, "code": ra.district_id}), str(
                ra.district
            )
        if ra.role == Role.ASSESSOR and ra.assessor_group_id:
            return reverse("reports:group", kwargs={"fy": fy, "code": ra.assessor_group_id}), str(
                ra.assessor_group
            )
    return reverse("reports:dashboard", kwargs={"fy": fy}), _("Whole country")


def list_filter_of(user) -> dict:
    """The agency-list filter a person's work starts from: their province, district or
    assessor group ({} for NACC and for people of an agency)."""
    for ra in user.cached_roles() if user.is_authenticated else []:
        if ra.role == Role.NACC_ADMIN:
            return {}
        if ra.role == Role.PROVINCE_COORDINATOR and ra.province_id:
            return {"province": ra.province_id}
        if ra.role == Role.DISTRICT_OFFICER and ra.district_id:
            return {"province": ra.district.province_id, "district": ra.district_id}
        if ra.role == Role.ASSESSOR and ra.assessor_group_id:
            return {"group": ra.assessor_group_id}
    return {}


def home_panel(request) -> dict | None:
    from itas.agencies.models import Agency
    from itas.cycles.models import Cycle
    from itas.disclosure.visibility import preliminary_visible_to
    from itas.reports import queries
    from itas.scoring.models import AgencyResult, ResultStatus

    user = request.user
    if not user.is_authenticated:
        return None
    agency_ids = [r.agency_id for r in user.cached_roles() if r.role in AGENCY_ROLES]
    agency = Agency.objects.filter(pk__in=agency_ids).first() if agency_ids else None
    supervisor = any(r.role not in AGENCY_ROLES for r in user.cached_roles())
    rows = []
    for cycle in Cycle.objects.real().select_related("framework").order_by("-fiscal_year")[:2]:
        may = user.has_perm("reports.view_agency_preliminary", agency) if agency else False
        may = may and preliminary_visible_to(user, cycle)
        rs = queries.result_set_for(user, cycle, may_see_preliminary=may or supervisor)
        if rs is None:
            continue
        url, area = _area_link(user, cycle.fiscal_year)
        preliminary = rs.status == ResultStatus.PRELIMINARY
        row = {
            "fy": cycle.fiscal_year,
            "preliminary": preliminary,
            # An agency's own people see its preliminary scorecard, not the area's numbers.
            "url": ""
            if preliminary and not supervisor
            else url + ("?preliminary=1" if preliminary else ""),
            "area": area,
        }
        if agency:
            mine = AgencyResult.objects.filter(result_set=rs, agency_id_copy=agency.pk).first()
            if mine:
                row["own"] = {
                    "agency": agency.full_name,
                    "total": mine.total,
                    "grade": mine.grade,
                    "url": reverse(
                        "reports:scorecard", kwargs={"fy": cycle.fiscal_year, "code": agency.code}
                    ),
                }
        rows.append(row)
    return {
        "title": pgettext("results pages", "Results"),
        "template": "reports/panel.html",
        "context": {"rows": rows},
        "order": 80,
    }


def compute_action(request, *, cycle) -> Action | None:
    """On the cycle's page, for NACC: compute the scores and publish them."""
    if not request.user.has_perm("reports.publish_results") or cycle.is_practice:
        return None
    return Action(
        label=_("Compute scores and publish"),
        url=reverse("reports:publish", kwargs={"fy": cycle.fiscal_year}),
        element_id="compute-and-publish",
    )


def practice_action(request, *, cycle) -> Action | None:
    """On an open practice round's page, for NACC: its practice scores (computed there)."""
    if not cycle.is_practice or cycle.status != "open":
        return None
    if not request.user.has_perm("scoring.compute", cycle):
        return None
    return Action(
        label=_("Practice scores"),
        url=reverse("reports:practice", kwargs={"cycle_pk": cycle.pk}),
        element_id="practice-scores",
    )


def practice_panel(request) -> dict | None:
    """For an agency's people: the practice scorecard, once NACC has scored the practice round
    (marked ทดลองใช้; it is not a result)."""
    from itas.agencies.models import Agency
    from itas.cycles.models import Cycle, CycleStatus
    from itas.scoring.models import AgencyResult

    user = request.user
    if not user.is_authenticated:
        return None
    agency_ids = [r.agency_id for r in user.cached_roles() if r.role in AGENCY_ROLES]
    if not agency_ids:
        return None
    rows = []
    for cycle in Cycle.objects.practice().filter(status=CycleStatus.OPEN).order_by("-pk"):
        rs = cycle.result_sets.current_preliminary()
        if rs is None:
            continue
        for result in AgencyResult.objects.filter(result_set=rs, agency_id_copy__in=agency_ids):
            agency = Agency.objects.get(pk=result.agency_id_copy)
            rows.append(
                {
                    "agency": agency.full_name,
                    "total": result.total,
                    "grade": result.grade,
                    "url": reverse(
                        "reports:practice_scorecard",
                        kwargs={"cycle_pk": cycle.pk, "code": agency.code},
                    ),
                }
            )
    if not rows:
        return None
    return {
        "title": _("Practice scores"),
        "template": "reports/_panel_practice.html",
        "context": {"rows": rows},
        "order": 5,
    }
