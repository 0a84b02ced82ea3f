"""Per-province summary of a cycle: agencies assessed, passed, pass rate and average."""

from __future__ import annotations

from collections.abc import Iterator

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from itas.geo.models import Province
from itas.reports.exports.base import Export, register
from itas.reports.forms import ResultFilterForm
from itas.reports.queries import grouped
from itas.scoring.models import AgencyResult


@register
class ProvinceSummaryExport(Export):
    identifier = "provinces"
    name = gettext_lazy("Summary by province")
    form_class = ResultFilterForm
    formats = ("csv", "xlsx")

    def title(self) -> str:
        return _("ITA results by province, fiscal year B.E. %(fy)s") % {
            "fy": self.cycle.fiscal_year
        }

    def filename(self) -> str:
        return f"ita-{self.cycle.fiscal_year}-provinces"

    def columns(self) -> list[str]:
        return [
            _("Province code"),
            _("Province"),
            _("Assessed"),
            _("Passed"),
            _("Pass rate (%)"),
            _("Average score"),
        ]

    def rows(self) -> Iterator[list]:
        names = dict(Province.objects.values_list("code", "name_th"))
        qs = AgencyResult.objects.filter(result_set=self.result_set).filter(self.form.q())
        for r in grouped(qs, "province_code"):
            avg = r["average"]
            yield [
                r["province_code"],
                names.get(r["province_code"], ""),
                r["assessed"],
                r["passed"],
                r["pass_rate"],
                None if avg is None else round(avg, 2),
            ]
