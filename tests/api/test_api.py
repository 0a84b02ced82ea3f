import csv
import io
import json

import pytest

from itas.scoring.models import ResultStatus
from tests.reports.factories import CycleFactory, add_result, make_result_set


def get(client, url, status=200):
    r = client.get(url)
    assert r.status_code == status, (url, r.status_code, r.content[:300])
    return r


def body(r) -> bytes:
    return b"".join(r.streaming_content) if r.streaming else r.content


def test_agencies_are_listed_without_contact_data(client, world):
    world.agency.email = "saraban@tasaad.go.th"
    world.agency.phone = "042-000-111"
    world.agency.address = "99 หมู่ 1"
    world.agency.save()
    data = get(client, "/api/v1/agencies/?province=38").json()
    assert data["count"] == 1
    row = data["results"][0]
    assert row["code"] == world.agency.code and row["full_name"] == "เทศบาลตำบลท่าสะอาด"
    assert not {"email", "phone", "address"} & set(row)
    assert get(client, f"/api/v1/agencies/{world.agency.code}/").json()["province"] == "38"
    get(client, "/api/v1/agencies/nope/", 404)
    get(client, "/api/v1/agencies/?province=zz", 400)
    get(client, "/api/v1/agencies/?kind=rocket", 400)


def test_cycles_list_published_versions_only(client, results):
    data = get(client, "/api/v1/cycles/").json()
    by_fy = {c["fiscal_year"]: c for c in data["results"]}
    assert by_fy[2567]["published_version"] == results.pub.version
    assert [v["version"] for v in by_fy[2567]["versions"]] == [results.pub.version]
    assert all(v["status"] != "preliminary" for c in data["results"] for v in c["versions"])
    get(client, "/api/v1/cycles/2599/", 404)


def test_results_are_the_published_set(client, results, world):
    data = get(client, "/api/v1/cycles/2567/results/").json()
    assert data["count"] == 6
    mine = next(r for r in data["results"] if r["agency"] == world.agency.code)
    assert mine["total"] == 72.5  # the preliminary set says 60
    assert mine["indicators"]["1"] == 51.0 and len(mine["indicators"]) == 10
    failing = get(client, "/api/v1/cycles/2567/results/?province=38&passed=false").json()
    assert failing["count"] == 3
    assert {r["passed"] for r in failing["results"]} == {False}
    one = get(client, f"/api/v1/cycles/2567/results/{world.agency.code}/").json()
    assert one["grade"] == "C"
    get(client, "/api/v1/cycles/2567/results/0000000/", 404)


def test_indicator_results_and_aggregates(client, results, world):
    rows = get(client, "/api/v1/cycles/2567/indicator-results/?indicator=9&province=38").json()
    assert rows["count"] == 5
    assert {r["indicator"] for r in rows["results"]} == {"9"}
    provinces = get(client, "/api/v1/cycles/2567/aggregates/provinces/").json()["results"]
    bk = next(p for p in provinces if p["code"] == "38")
    assert (bk["assessed"], bk["passed"], bk["pass_rate"]) == (5, 2, 40.0)
    assert bk["name"] == "บึงกาฬ"
    kinds = get(client, "/api/v1/cycles/2567/aggregates/kinds/?province=38").json()["results"]
    assert sum(k["assessed"] for k in kinds) == 5


@pytest.mark.parametrize(
    "url,status",
    [
        ("/api/v1/cycles/2599/results/", 404),
        ("/api/v1/cycles/2567/results/?page=99", 404),
        ("/api/v1/cycles/2567/results/?page=abc", 404),
        ("/api/v1/cycles/2567/results/?province=99", 400),
        ("/api/v1/cycles/2567/results/?passed=maybe", 400),
        ("/api/v1/cycles/2567/results/?group=abc", 400),
        ("/api/v1/cycles/2567/results/?version=abc", 400),
        ("/api/v1/cycles/2567/results/?version=999", 404),
        ("/api/v1/cycles/2599/download.csv", 404),
        ("/api/v1/cycles/2567/aggregates/provinces/?region=atlantis", 400),
    ],
)
def test_bad_input_is_4xx(client, results, url, status):
    get(client, url, status)


def test_preliminary_version_is_unreachable(client, results):
    get(client, f"/api/v1/cycles/2567/results/?version={results.prelim.version}", 404)


def test_unpublished_cycle_leaks_nothing(client, world):
    cycle = CycleFactory(fiscal_year=2568)
    add_result(make_result_set(cycle), world.agency, 77.0)
    for url in [
        "/api/v1/cycles/2568/results/",
        f"/api/v1/cycles/2568/results/{world.agency.code}/",
        "/api/v1/cycles/2568/indicator-results/",
        "/api/v1/cycles/2568/aggregates/provinces/",
        "/api/v1/cycles/2568/aggregates/kinds/",
        "/api/v1/cycles/2568/download.csv",
        "/api/v1/cycles/2568/download.json",
    ]:
        r = get(client, url, 404)
        assert b"77" not in body(r)
    cycles = get(client, "/api/v1/cycles/").json()["results"]
    assert next(c for c in cycles if c["fiscal_year"] == 2568)["versions"] == []


def test_bulk_downloads(client, results, world):
    raw = body(get(client, "/api/v1/cycles/2567/download.csv"))
    assert raw.startswith("\ufeff".encode())
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert len(rows) == 6
    mine = next(r for r in rows if r["agency"] == world.agency.code)
    assert mine["total"] == "72.5" and mine["indicator_10"] == "60.0"
    assert mine["agency_name"] == "เทศบาลตำบลท่าสะอาด"
    doc = json.loads(body(get(client, "/api/v1/cycles/2567/download.json")))
    assert doc["version"] == results.pub.version and len(doc["results"]) == 6
    assert {r["total"] for r in doc["results"]} == {72.5, 91.0, 96.0, 86.5, 80.0, 40.0}


def test_open_data_csv_writes_a_formula_looking_name_as_text(client, results, world):
    # A central agency's name has no prefix, so the cell starts with what was typed.
    type(world.other_agency).objects.filter(pk=world.other_agency.pk).update(
        kind="central", name="@SUM(1+1)*cmd"
    )
    raw = body(get(client, "/api/v1/cycles/2567/download.csv"))
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    theirs = next(r for r in rows if r["agency"] == world.other_agency.code)
    assert theirs["agency_name"] == "'@SUM(1+1)*cmd"
    assert not [c for r in rows for c in r.values() if c and c.startswith(("=", "+", "@"))]


def test_no_personal_or_unpublished_data_anywhere_in_the_api(client, results, world):
    """Walk every list endpoint and download: no person's e-mail, name or phone, no agency
    contact, no preliminary number, no question-level responses."""
    world.agency_admin.phone = "081-234-5678"
    world.agency_admin.save()
    world.agency.email = "contact@tasaad.go.th"
    world.agency.phone = "042-999-888"
    world.agency.save()
    from itas.scoring.models import AgencyResult

    AgencyResult.objects.filter(result_set=results.prelim, agency_id_copy=world.agency.pk).update(
        total=12.34
    )
    urls = [
        "/api/v1/",
        "/api/v1/provinces/",
        "/api/v1/agencies/",
        "/api/v1/cycles/",
        "/api/v1/cycles/2567/",
        "/api/v1/cycles/2567/results/",
        f"/api/v1/cycles/2567/results/{world.agency.code}/",
        "/api/v1/cycles/2567/indicator-results/",
        "/api/v1/cycles/2567/aggregates/provinces/",
        "/api/v1/cycles/2567/aggregates/kinds/",
        "/api/v1/cycles/2567/download.csv",
        "/api/v1/cycles/2567/download.json",
    ]
    people = [
        getattr(world, p)
        for p in ("nacc", "assessor", "coordinator", "district_officer", "agency_admin", "officer")
    ]
    forbidden = [u.email for u in people] + [u.full_name for u in people]
    forbidden += ["081-234-5678", "contact@tasaad.go.th", "042-999-888", "12.34", "@example.org"]
    forbidden += ["recommendation", "responses", "เผยแพร่โครงสร้างองค์กร", "access_code"]
    for url in urls:
        text = body(get(client, url)).decode()
        for word in forbidden:
            assert word not in text, (url, word)
    assert ResultStatus.PRELIMINARY not in get(client, "/api/v1/cycles/").content.decode()


def test_schema_and_offline_swagger_ui(client):
    schema = get(client, "/api/schema/?format=json").json()
    assert "/api/v1/cycles/{fy}/results/" in schema["paths"]
    html = get(client, "/api/docs/").content.decode()
    assert "swagger-ui" in html.lower()
    assert "cdn" not in html.lower() and "unpkg" not in html.lower()
    assert "drf_spectacular_sidecar" in html or "/static/" in html
