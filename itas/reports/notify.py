"""Telling agencies that their results are published (inbox + e-mail, core.notifications)."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from itas.accounts.queries import agency_people
from itas.agencies.models import Agency
from itas.core.notifications import notify
from itas.core.roles import Role
from itas.scoring.models import ResultSet


def results_published(result_set_id: int) -> int:
    """One message per agency of the published version, to its admins and executives, linked
    to its scorecard. Returns how many agencies were told."""
    rs = ResultSet.objects.select_related("cycle").filter(pk=result_set_id).first()
    if rs is None:
        return 0
    ids = rs.agency_results.values_list("agency_id_copy", flat=True)
    people = agency_people(ids, roles=(Role.AGENCY_ADMIN, Role.AGENCY_EXECUTIVE))
    if not people:
        return 0
    fy = rs.cycle.fiscal_year
    told = 0
    with translation.override(settings.LANGUAGE_CODE):
        for agency in Agency.objects.filter(pk__in=list(people)).only("pk", "code", "name"):
            if rs.version > 1 or rs.note:
                text = _("ITA %(fy)s results of %(agency)s: a corrected version is published.")
            else:
                text = _("ITA %(fy)s results of %(agency)s are published.")
            notify(
                recipients=people[agency.pk],
                message=text % {"fy": fy, "agency": agency.name},
                link=reverse("reports:scorecard", args=[fy, agency.code]),
                kind="reports.results.published",
            )
            told += 1
    return told
