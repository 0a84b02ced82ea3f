"""The list of agencies matching a filter, e.g. the LAOs of a province that did not pass: the
attachment of an official letter (title, count, sequence number, full name, district)."""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from itas.agencies.models import NAME_PREFIX
from itas.core.thaidate import thai_digits
from itas.reports.exports.base import Export, register
from itas.reports.forms import ResultFilterForm
from itas.scoring.models import AgencyResult

ORDER = (
    "enrolment__agency__province__sort_key",
    "enrolment__agency__district__sort_key",
    "enrolment__agency__kind",
    "enrolment__agency__name",
)
FIELDS = (
    "enrolment__agency__code",
    "enrolment__agency__kind",
    "enrolment__agency__name",
    "enrolment__agency__district__name_th",
    "enrolment__agency__province__name_th",
    "total",
    "grade",
    "passed",
)


def agency_results(result_set, form: ResultFilterForm) -> QuerySet:
    return AgencyResult.objects.filter(result_set=result_set).filter(form.q()).order_by(*ORDER)


def full_name(kind: str, name: str) -> str:
    return f"{NAME_PREFIX.get(kind, '')}{name}"


def district_label(name: str | None) -> str:
    if not name:
        return ""
    return name if name.startswith(("อำเภอ", "เขต")) else f"อำเภอ{name}"


@register
class AgencyListExport(Export):
    identifier = "agencies"
    name = gettext_lazy("List of agencies with their results")
    form_class = ResultFilterForm
    pdf_template = "reports/pdf/agency_list.html"

    def queryset(self) -> QuerySet:
        return agency_results(self.result_set, self.form)

    def count(self) -> int:
        return self.queryset().count()

    def _head(self) -> str:
        passed = self.form.cleaned_data.get("passed")
        if passed == "0":
            return _("Agencies that did not pass the ITA")
        if passed == "1":
            return _("Agencies that passed the ITA")
        return _("Results of the ITA")

    def _year(self) -> str:
        return _("fiscal year B.E. %(fy)s") % {"fy": self.cycle.fiscal_year}

    def title(self) -> str:
        return " ".join([self._head(), *self.form.describe(), self._year()])

    def heading(self) -> list[str]:
        """The lines above a letter's attachment: the province, what the list is, the year."""
        d = self.form.cleaned_data
        lines = []
        if d.get("province"):
            lines.append(_("Province %(name)s") % {"name": d["province"].name_th})
        others = [
            p
            for p in self.form.describe()
            if not d.get("province") or d["province"].name_th not in p
        ]
        lines.append(" ".join([self._head(), *others]))
        lines.append(self._year())
        return [thai_digits(x) if self.thai_digits else x for x in lines]

    def filename(self) -> str:
        params = self.form.params()
        suffix = "-".join(f"{k}{v}" for k, v in sorted(params.items()))
        # The Thai-digit PDF is a variant of its own and must not overwrite the other on disk.
        variant = "-thai-digits" if self.thai_digits else ""
        return f"ita-{self.cycle.fiscal_year}-agencies{'-' + suffix if suffix else ''}{variant}"

    def columns(self) -> list[str]:
        return [
            _("No."),
            _("Agency code"),
            _("Agency"),
            _("District"),
            _("Province"),
            _("Total score"),
            _("Grade"),
            _("Passed"),
        ]

    def rows(self) -> Iterator[list]:
        values = self.queryset().values_list(*FIELDS)
        for n, (code, kind, name, district, province, total, grade, passed) in enumerate(
            values.iterator(chunk_size=2000), start=1
        ):
            yield [
                n,
                code,
                full_name(kind, name),
                district_label(district),
                province,
                total,
                grade,
                "" if passed is None else (_("Passed") if passed else _("Did not pass")),
            ]

    def pdf_context(self) -> dict:
        rows = [
            {
                "no": thai_digits(r[0]) if self.thai_digits else r[0],
                "name": r[2],
                "district": r[3],
                "total": r[5],
            }
            for r in self.rows()
        ]
        count = len(rows)
        return {
            "title": self.title(),
            "heading": self.heading(),
            "count": thai_digits(count) if self.thai_digits else count,
            "rows": rows,
            "cycle": self.cycle,
            "result_set": self.result_set,
            "fy": thai_digits(self.cycle.fiscal_year)
            if self.thai_digits
            else self.cycle.fiscal_year,
        }

    @property
    def thai_digits(self) -> bool:
        return bool(self.request and self.request.GET.get("digits") == "thai")
