"""The dashboard's numbers as the page shows them: this year beside the previous published year
(per indicator and per place) and the series its charts draw. The page passes the request's
choices in; everything here is a read."""

from __future__ import annotations

from itas.cycles.models import Cycle
from itas.reports import maps, queries
from itas.reports.labels import labels_for
from itas.reports.queries import Area
from itas.reports.scorecard import _natural
from itas.scoring.models import ResultSet


def _round(v):
    return None if v is None else round(v, 2)


def _change(now, before):
    return round(now - before, 2) if now is not None and before is not None else None


def indicator_order(labels, scores: dict) -> list[str]:
    """The framework's order first, then any other code in natural order."""
    known = [c for c in labels.indicator_order if c in scores]
    return known + sorted((c for c in scores if c not in known), key=_natural)


def dashboard(cycle: Cycle, rs: ResultSet, area: Area, kind: str | None, *, keep_qs: str) -> dict:
    """The dashboard of `area` from `rs` (a result set of `cycle`), with the previous year's public results beside it:
    `data`, `prev`, `prev_cycle` (None without a previous year), `yoy`, `indicators` (each with
    its change) and `charts` (the series the page's charts draw)."""
    data = queries.dashboard(rs, area, kind)
    prev_cycle = queries.previous_cycle(cycle)
    prev_set = queries.current_public_set(prev_cycle)
    prev = queries.dashboard(prev_set, area, kind) if prev_set else None
    labels = labels_for(cycle)
    indicators = [
        {
            "code": c,
            "name": labels.indicator(c),
            "tool": labels.tool_of(c),
            "average": data["indicators"].get(c),
            "previous": prev["indicators"].get(c) if prev else None,
        }
        for c in indicator_order(labels, data["indicators"])
    ]
    for i in indicators:
        i["change"] = _change(i["average"], i["previous"])
    prev_places = {r["code"]: r for r in prev["by_place"]} if prev else {}
    for r in data["by_place"]:
        p = prev_places.get(r["code"])
        r["previous_average"] = p["average"] if p else None
        r["change"] = _change(r["average"], p["average"]) if p else None
    return {
        "data": data,
        "prev": prev,
        "prev_cycle": prev_cycle if prev else None,
        "yoy": queries.year_over_year(data, prev),
        "indicators": indicators,
        "charts": _charts(cycle.fiscal_year, data, indicators, keep_qs),
    }


def _charts(fy: int, data: dict, indicators: list[dict], keep_qs: str) -> dict:
    # The bar chart reads best from the highest average down; the table stays alphabetical.
    places_sorted = sorted(
        data["by_place"], key=lambda r: (r["average"] is None, -(r["average"] or 0))
    )
    return {
        "map": maps.province_rows(fy, data["by_place"], keep=keep_qs)
        if data["by_place_level"] == "province"
        else None,
        "grades": [[g["grade"], g["count"]] for g in data["grades"]],
        "histogram": [[f"{b['low']}–{b['high']}", b["count"]] for b in data["histogram"]],
        "indicators": [
            [i["code"], _round(i["average"]), _round(i["previous"])] for i in indicators
        ],
        "places": [[r["name"], _round(r["average"]), r["pass_rate"]] for r in places_sorted],
        "kinds": [[r["name"], _round(r["average"]), r["pass_rate"]] for r in data["by_kind"]],
        "goal": queries.GOAL_PASS_RATE,
    }
