"""The province map of the national and regional dashboards: one row per shape of the vendored
SVG (itas.geo.svgmap), with the numbers the map colours by and the page a click opens."""

from django.urls import reverse

from itas.geo import svgmap


def province_rows(fy: int, by_place: list[dict], *, keep: str = "") -> list[dict]:
    """Rows for the provinces that have results; the map leaves the others grey. `keep` is the
    query that keeps the click on the same set of results ("?preliminary=1")."""
    shape_of = {code: shape for shape, code in svgmap.shape_to_province().items()}
    return [
        {
            "shape": shape_of[r["code"]],
            "name": r["name"],
            "average": None if r["average"] is None else round(r["average"], 2),
            "pass_rate": r["pass_rate"],
            "assessed": r["assessed"],
            "url": reverse("reports:province", kwargs={"fy": fy, "code": r["code"]}) + keep,
        }
        for r in by_place
        if r["code"] in shape_of
    ]
