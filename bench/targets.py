"""What the bench reads and writes in the generated cycle: the pages and exports measured, the
access codes the load uses, and the clean-up of the submissions a load run added."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Count, Max


def codes(cycle, n: int) -> list[str]:
    from itas.cycles.models import Enrolment

    step = max(1, cycle.enrolments.count() // n)
    all_codes = list(
        Enrolment.objects.filter(cycle=cycle).order_by("id").values_list("access_code", flat=True)
    )
    return all_codes[::step][:n]


def _busiest_province(cycle) -> str:
    from itas.agencies.models import Agency

    row = (
        Agency.objects.filter(enrolments__cycle=cycle)
        .values("province_id")
        .annotate(n=Count("id"))
        .order_by("-n")
        .first()
    )
    return row["province_id"] if row else "38"


def _region_of(province: str) -> str:
    from itas.geo.models import Province

    return Province.objects.get(code=province).region_id


def pages(cycle) -> dict[str, list[str]]:
    from itas.cycles.models import Enrolment

    fy = cycle.fiscal_year
    province = _busiest_province(cycle)
    agencies = list(
        Enrolment.objects.filter(cycle=cycle).order_by("id").values_list("agency__code", flat=True)
    )
    sample = agencies[:: max(1, len(agencies) // 20)][:20]
    out = {
        "national dashboard": [f"/results/{fy}/"],
        f"province dashboard (largest province, {province})": [
            f"/results/{fy}/province/{province}/"
        ],
        "agency scorecard (20 agencies)": [f"/results/{fy}/agency/{c}/" for c in sample],
        "agency list, first page": [f"/results/{fy}/agencies/"],
        "agency list, failing agencies of a province": [
            f"/results/{fy}/agencies/?province={province}&passed=0"
        ],
    }
    api = api_list_path(cycle)
    if api:
        out["API list, first page"] = [api]
    return out


def api_list_path(cycle) -> str | None:
    """The API's list of published results, when the api app has one."""
    from django.urls import NoReverseMatch, reverse

    try:
        return reverse("api:results", kwargs={"fy": cycle.fiscal_year})
    except NoReverseMatch:
        return None


def api_download_path(cycle) -> str | None:
    from django.urls import NoReverseMatch, reverse

    try:
        return reverse("api:download_csv", kwargs={"fy": cycle.fiscal_year})
    except NoReverseMatch:
        return None


def exports(cycle) -> list[str]:
    """CSV exports, smallest first: the reports' agency list of one region, of the whole
    country, and the open-data download of every published result with its indicators."""
    fy = cycle.fiscal_year
    region = _region_of(_busiest_province(cycle))
    base = f"/results/{fy}/exports/agencies.csv"
    out = [f"{base}?region={region}", base]
    download = api_download_path(cycle)
    if download:
        out.append(download)
    return out


def response_mark() -> int:
    from itas.surveys.models import Response

    return Response.objects.aggregate(m=Max("id"))["m"] or 0


def drop_responses_after(mark: int) -> int:
    """Remove what a load run submitted, so that reruns measure the same data."""
    from itas.surveys.models import Answer, Response

    with transaction.atomic():
        Answer.objects.filter(response_id__gt=mark).delete()
        n, _ = Response.objects.filter(id__gt=mark).delete()
    return n
