"""Reads of the result tables that several pages share: which result set a person sees, and
the aggregates of dashboards (GROUP BY queries on the summary tables, cached per result set)."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Avg, Count, F, Q, QuerySet
from django.db.models.functions import Floor
from django.utils.translation import gettext as _

from itas.agencies.models import AgencyKind
from itas.core.thaitext import thai_sort_key
from itas.cycles.models import Cycle
from itas.geo.models import AssessorGroup, District, Province
from itas.scoring.models import AgencyResult, IndicatorResult, ResultSet, ResultStatus

GOAL_PASS_RATE = 80.0  # the national master plan: 80 % of agencies at the pass mark or more
CACHE_SECONDS = 600
HISTOGRAM_STEP = 5


@dataclass(frozen=True)
class Area:
    """What a dashboard or list covers: the whole country, an assessor group, a province or a
    district."""

    kind: str = "national"
    province: Province | None = None
    district: District | None = None
    group: AssessorGroup | None = None

    @property
    def key(self) -> str:
        return {
            "national": "national",
            "group": f"group:{self.group.pk if self.group else ''}",
            "province": f"province:{self.province.code if self.province else ''}",
            "district": f"district:{self.district.code if self.district else ''}",
        }[self.kind]

    @property
    def name(self) -> str:
        if self.kind == "group":
            return str(self.group)
        if self.kind == "province":
            return _("Province %(name)s") % {"name": self.province.name_th}
        if self.kind == "district":
            return _("District %(name)s, %(province)s") % {
                "name": self.district.name_th,
                "province": self.district.province.name_th,
            }
        return _("Whole country")

    def province_codes(self) -> list[str] | None:
        if self.kind == "group":
            if not hasattr(self, "_codes"):
                object.__setattr__(
                    self, "_codes", list(self.group.provinces.values_list("code", flat=True))
                )
            return self._codes
        if self.kind == "province":
            return [self.province.code]
        return None

    def q(self) -> Q:
        if self.kind == "district":
            return Q(district_code=self.district.code)
        codes = self.province_codes()
        return Q(province_code__in=codes) if codes is not None else Q()


NATIONAL = Area()


# ---------------------------------------------------------------- which result set


def area_of(level: str, code: str | None) -> Area | None:
    """The area a dashboard URL names (national, province, district or assessor group)."""
    if level == "national":
        return NATIONAL
    if level == "province":
        p = Province.objects.filter(code=code).first()
        return Area("province", province=p) if p else None
    if level == "district":
        d = District.objects.select_related("province").filter(code=code).first()
        return Area("district", district=d, province=d.province) if d else None
    if level == "group":
        g = AssessorGroup.objects.filter(pk=int(str(code))).first() if str(code).isdigit() else None
        return Area("group", group=g) if g else None
    return None


def public_versions(cycle: Cycle) -> QuerySet[ResultSet]:
    return cycle.result_sets.public()


def result_set_for(
    user,
    cycle: Cycle,
    *,
    may_see_preliminary: bool,
    version: int | None = None,
    preliminary: bool = False,
) -> ResultSet | None:
    """The result set a person reads: a named published (or superseded) version; else the
    preliminary set when asked for and allowed; else the current published set; else the
    preliminary set for those allowed to see it before publication; else None."""
    if version is not None:
        return public_versions(cycle).filter(version=version).first()
    sets = list(cycle.result_sets.exclude(status=ResultStatus.SUPERSEDED).order_by("-version"))
    published = next((s for s in sets if s.status == ResultStatus.PUBLISHED), None)
    prelim = next((s for s in sets if s.status == ResultStatus.PRELIMINARY), None)
    if preliminary and may_see_preliminary and prelim is not None:
        return prelim
    if published is not None:
        return published
    if may_see_preliminary:
        return prelim
    return None


def previous_cycle(cycle: Cycle) -> Cycle | None:
    return Cycle.objects.real().select_related("framework").previous(cycle)


def current_public_set(cycle: Cycle | None) -> ResultSet | None:
    return cycle.result_sets.current_published() if cycle is not None else None


# ---------------------------------------------------------------- aggregates


def results_in(rs: ResultSet, area: Area = NATIONAL, kind: str | None = None) -> QuerySet:
    qs = AgencyResult.objects.filter(result_set=rs).filter(area.q())
    if kind:
        qs = qs.filter(agency_kind=kind)
    return qs


def _rate(part: int, whole: int) -> float | None:
    return round(100.0 * part / whole, 2) if whole else None


def summary(qs: QuerySet) -> dict:
    row = qs.aggregate(
        enrolled=Count("id"),
        assessed=Count("id", filter=Q(total__isnull=False)),
        passed=Count("id", filter=Q(passed=True)),
        average=Avg("total"),
        iit=Avg("iit"),
        eit=Avg("eit"),
        oit=Avg("oit"),
    )
    row["pass_rate"] = _rate(row["passed"], row["assessed"])
    row["failed"] = row["assessed"] - row["passed"]
    return row


def grouped(qs: QuerySet, field: str) -> list[dict]:
    rows = (
        qs.values(field)
        .annotate(
            assessed=Count("id", filter=Q(total__isnull=False)),
            passed=Count("id", filter=Q(passed=True)),
            average=Avg("total"),
        )
        .order_by(field)
    )
    out = []
    for r in rows:
        r["pass_rate"] = _rate(r["passed"], r["assessed"])
        out.append(r)
    return out


def grade_distribution(qs: QuerySet, grades: list[str]) -> list[dict]:
    counts = dict(
        qs.exclude(grade="").values_list("grade").annotate(n=Count("id")).values_list("grade", "n")
    )
    order = grades or sorted(counts)
    return [{"grade": g, "count": counts.get(g, 0)} for g in order] + [
        {"grade": g, "count": n} for g, n in sorted(counts.items()) if g not in order
    ]


def histogram(qs: QuerySet, step: int = HISTOGRAM_STEP) -> list[dict]:
    counts = dict(
        qs.filter(total__isnull=False)
        .annotate(bin=Floor(F("total") / step))
        .values_list("bin")
        .annotate(n=Count("id"))
        .values_list("bin", "n")
    )
    bins = []
    top = 100 // step
    for b in range(top):
        n = counts.get(b, 0) + (counts.get(top, 0) if b == top - 1 else 0)  # 100 joins the last bin
        low = b * step
        bins.append({"low": low, "high": low + step, "count": n})
    return bins


def indicator_averages(qs: QuerySet) -> dict[str, float | None]:
    rows = (
        IndicatorResult.objects.filter(agency_result__in=qs.values("pk"))
        .values("indicator_code")
        .annotate(avg=Avg("score"))
        .values_list("indicator_code", "avg")
    )
    return dict(rows)


def kind_names() -> dict[str, str]:
    return {k.value: str(k.label) for k in AgencyKind}


def dashboard(rs: ResultSet, area: Area = NATIONAL, kind: str | None = None) -> dict:
    """Every number of a dashboard for one result set and area, cached (published sets are
    frozen; a preliminary set's key changes when it is recomputed)."""
    key = f"reports:dash:{rs.pk}:{rs.computed_at.timestamp()}:{area.key}:{kind or ''}"
    data = cache.get(key)
    if data is None:
        data = _dashboard(rs, area, kind)
        cache.set(key, data, CACHE_SECONDS)
    return data


def _dashboard(rs: ResultSet, area: Area, kind: str | None) -> dict:
    qs = results_in(rs, area, kind)
    grades = _grade_order(rs.cycle)
    if area.kind == "province" or area.kind == "district":
        by_place_field = "district_code"
        names = dict(
            District.objects.filter(province=area.province or area.district.province).values_list(
                "code", "name_th"
            )
        )
    else:
        by_place_field = "province_code"
        names = dict(Province.objects.values_list("code", "name_th"))
    by_place = grouped(qs, by_place_field)
    for r in by_place:
        r["code"] = r.pop(by_place_field)
        r["name"] = names.get(r["code"], r["code"]) if r["code"] else str(_("No district"))
    by_place.sort(key=lambda r: thai_sort_key(r["name"]))
    kinds = kind_names()
    by_kind = grouped(qs, "agency_kind")
    for r in by_kind:
        r["code"] = r.pop("agency_kind")
        r["name"] = kinds.get(r["code"], r["code"])
    return {
        "summary": summary(qs),
        "grades": grade_distribution(qs, grades),
        "histogram": histogram(qs),
        "indicators": indicator_averages(qs),
        "by_place": by_place,
        "by_place_level": "district" if by_place_field == "district_code" else "province",
        "by_kind": by_kind,
    }


def _grade_order(cycle: Cycle) -> list[str]:
    from itas.reports.labels import labels_for

    return labels_for(cycle).grades or ["AA", "A", "B", "C", "D", "E", "F"]


def year_over_year(current: dict, previous: dict | None) -> dict | None:
    if not previous:
        return None
    a, b = current["summary"], previous["summary"]

    def delta(x, y):
        return None if x is None or y is None else round(x - y, 2)

    return {
        "average": delta(a["average"], b["average"]),
        "pass_rate": delta(a["pass_rate"], b["pass_rate"]),
        "assessed": a["assessed"] - b["assessed"],
        "previous": b,
    }


def rank(rs: ResultSet, result: AgencyResult, **same: str) -> tuple[int, int] | None:
    """The agency's place (1 = best) among the results of the set sharing the `same` fields."""
    if result.total is None:
        return None
    peers = AgencyResult.objects.filter(result_set=rs, total__isnull=False, **same)
    better = peers.filter(total__gt=result.total).count()
    return better + 1, peers.count()
