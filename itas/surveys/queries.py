"""Reads several pages share: progress per agency (answers / minimum), flagged responses."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass

from django.db.models import Count

from itas.agencies.models import NAME_PREFIX, Agency
from itas.cycles.models import Cycle, Enrolment
from itas.surveys.models import Instrument, Response


@dataclass
class Progress:
    enrolment_id: int
    agency_id: int
    agency_name: str
    province: str
    district: str
    population: int | None
    iit: int
    eit: int
    iit_minimum: int | None

    @property
    def iit_ratio(self) -> float:
        """Share of the minimum reached (0 when the population is not entered yet)."""
        if not self.iit_minimum:
            return 0.0
        return self.iit / self.iit_minimum

    @property
    def iit_percent(self) -> int:
        return min(100, round(self.iit_ratio * 100))

    @property
    def iit_done(self) -> bool:
        return bool(self.iit_minimum) and self.iit >= self.iit_minimum


def counts_by_enrolment(enrolment_ids=None, *, cycle: Cycle | None = None) -> dict:
    """{enrolment_id: {"iit": n, "eit": n}} of counted (not excluded) responses: one query."""
    qs = Response.objects.filter(excluded=False)
    if cycle is not None:
        qs = qs.filter(enrolment__cycle=cycle)
    if enrolment_ids is not None:
        qs = qs.filter(enrolment_id__in=enrolment_ids)
    out: dict[int, dict[str, int]] = defaultdict(lambda: {"iit": 0, "eit": 0})
    for row in qs.values("enrolment_id", "instrument").annotate(n=Count("id")).order_by():
        out[row["enrolment_id"]][row["instrument"]] = row["n"]
    return out


SORTS = {
    "behind": lambda p: (p.iit_ratio, p.eit, p.agency_name),
    "name": lambda p: p.agency_name,
    "province": lambda p: (p.province, p.district, p.agency_name),
    "iit": lambda p: (p.iit, p.agency_name),
    "eit": lambda p: (p.eit, p.agency_name),
}


def progress_rows(cycle: Cycle, user, *, sort: str = "behind", reverse: bool = False, q: str = ""):
    """Progress of every agency of the cycle in the user's scope, furthest behind first by
    default. Two queries whatever the number of agencies (enrolments, grouped counts)."""
    spec = cycle.framework.spec
    scope = Agency.objects.in_scope(user)
    enrolments = Enrolment.objects.filter(cycle=cycle, agency__in=scope)
    if q:
        enrolments = enrolments.filter(agency__in=Agency.objects.search(q))
    values = enrolments.values_list(
        "pk",
        "agency_id",
        "agency__kind",
        "agency__name",
        "agency__province__name_th",
        "agency__district__name_th",
        "iit_population",
    )
    counts = counts_by_enrolment(enrolments.values("pk"), cycle=cycle)
    rows = []
    for pk, agency_id, kind, name, province, district, population in values:
        c = counts.get(pk, {"iit": 0, "eit": 0})
        rows.append(
            Progress(
                enrolment_id=pk,
                agency_id=agency_id,
                agency_name=f"{NAME_PREFIX.get(kind, '')}{name}",
                province=province or "",
                district=district or "",
                population=population,
                iit=c["iit"],
                eit=c["eit"],
                iit_minimum=spec.minimum_sample(population) if population else None,
            )
        )
    rows.sort(key=SORTS.get(sort, SORTS["behind"]), reverse=reverse)
    return rows


def flag_summary(cycle: Cycle) -> list[dict]:
    """Per agency: how many responses carry each flag, and how many are excluded (NACC)."""
    per: defaultdict[int, Counter] = defaultdict(Counter)
    for enrolment_id, flags, excluded in Response.objects.filter(
        enrolment__cycle=cycle, flagged=True
    ).values_list("enrolment_id", "flags", "excluded"):
        per[enrolment_id]["total"] += 1
        per[enrolment_id]["excluded"] += int(excluded)
        for f in flags or []:
            per[enrolment_id][f] += 1
    enrolments = Enrolment.objects.filter(pk__in=per).select_related("agency", "agency__province")
    rows = [{"enrolment": e, **per[e.pk]} for e in enrolments]
    rows.sort(key=lambda r: (-r.get("burst", 0), -r["total"]))
    return rows


INSTRUMENTS = Instrument.values
