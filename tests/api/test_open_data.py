"""Open data a portal takes as it is: the yearly Frictionless Data Package, validated by the
`frictionless` tool itself, and the DCAT catalogue a CKAN portal harvests."""

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from itas.scoring.models import AgencyResult, IndicatorResult

FRICTIONLESS = Path(sys.executable).with_name("frictionless")


def body(r) -> bytes:
    return b"".join(r.streaming_content) if r.streaming else r.content


@pytest.fixture
def unrounded(results, world):
    """Store the kind of unrounded values scoring writes (76.13381776442485)."""
    ar = AgencyResult.objects.get(result_set=results.pub, agency_id_copy=world.agency.pk)
    ar.iit, ar.oit = 76.13381776442485, 84.995
    ar.save()
    IndicatorResult.objects.filter(agency_result=ar, indicator_code="1").update(score=51.125)
    return ar


def save_package(client, tmp_path, fy=2567) -> tuple[dict, Path]:
    r = client.get(f"/api/v1/cycles/{fy}/datapackage.json")
    assert r.status_code == 200
    doc = r.json()
    (tmp_path / "datapackage.json").write_bytes(r.content)
    resource = doc["resources"][0]["path"]
    data = client.get(f"/api/v1/cycles/{fy}/{resource}")
    assert data.status_code == 200
    (tmp_path / resource).write_bytes(body(data))
    return doc, tmp_path / "datapackage.json"


def validate(path: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(FRICTIONLESS), "validate", str(path)],
        capture_output=True,
        text=True,
        cwd=path.parent,
        timeout=300,
    )


@pytest.mark.skipif(not FRICTIONLESS.exists(), reason="frictionless (a dev dependency) missing")
def test_the_yearly_package_is_valid_for_frictionless(client, unrounded, tmp_path):
    doc, path = save_package(client, tmp_path)
    run = validate(path)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "VALID" in run.stdout.upper() and "INVALID" not in run.stdout.upper()
    # Licence, bilingual field titles and descriptions, types, the rounding rule.
    assert doc["licenses"][0]["name"] == "CC-BY-4.0"
    fields = {f["name"]: f for f in doc["resources"][0]["schema"]["fields"]}
    assert fields["total"]["type"] == "number" and fields["passed"]["type"] == "boolean"
    assert fields["province_name"]["titles"] == {"th": "จังหวัด", "en": "Province"}
    assert "half-up" in fields["iit"]["description"] and "ครึ่งขึ้น" in fields["iit"]["description"]
    assert "indicator_10" in fields


@pytest.mark.skipif(not FRICTIONLESS.exists(), reason="frictionless (a dev dependency) missing")
def test_frictionless_catches_a_table_that_breaks_the_schema(client, results, tmp_path):
    """The validation is not a formality: a score that is not a number fails it."""
    _doc, path = save_package(client, tmp_path)
    table = tmp_path / "results.csv"
    lines = table.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    row = next(csv.reader([lines[1]]))
    row[header.index("total")] = "เจ็ดสิบ"
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerow(row)
    lines[1] = out.getvalue().rstrip("\n")
    table.write_text("\n".join(lines) + "\n", encoding="utf-8")
    run = validate(path)
    assert run.returncode != 0
    assert "type-error" in run.stdout


def test_figures_are_rounded_as_nacc_publishes_them(client, unrounded, world):
    raw = body(client.get("/api/v1/cycles/2567/results.csv")).decode()
    rows = list(csv.DictReader(io.StringIO(raw)))
    mine = next(r for r in rows if r["agency_code"] == world.agency.code)
    assert mine["iit"] == "76.13"
    assert mine["oit"] == "85.0"  # 84.995 half-up
    assert mine["indicator_1"] == "51.13"  # 51.125 half-up, not to even
    assert mine["province_name"] == "บึงกาฬ" and mine["district_name"]
    assert mine["agency_type_name"] == "เทศบาลตำบล"
    assert "76.1338" not in raw
    # The API and the older downloads round the same way.
    api = client.get(f"/api/v1/cycles/2567/results/{world.agency.code}/").json()
    assert (api["iit"], api["oit"], api["indicators"]["1"]) == (76.13, 85.0, 51.13)
    doc = json.loads(body(client.get("/api/v1/cycles/2567/download.json")))
    row = next(r for r in doc["results"] if r["agency"] == world.agency.code)
    assert row["iit"] == 76.13


def test_unpublished_years_have_no_package(client, world):
    from tests.reports.factories import CycleFactory, add_result, make_result_set

    cycle = CycleFactory(fiscal_year=2568)
    add_result(make_result_set(cycle), world.agency, 77.0)
    for url in ["/api/v1/cycles/2568/datapackage.json", "/api/v1/cycles/2568/results.csv"]:
        r = client.get(url)
        assert r.status_code == 404
        assert b"77" not in body(r)
    assert "2568" not in client.get("/api/v1/catalog.jsonld").content.decode()


def test_dcat_catalogue_parses_as_rdf_with_one_dataset_per_published_year(client, results):
    rdflib = pytest.importorskip("rdflib", reason="rdflib (a dev dependency) missing")
    r = client.get("/api/v1/catalog.jsonld")
    assert r["Content-Type"].startswith("application/ld+json")
    g = rdflib.Graph().parse(data=r.content.decode(), format="json-ld")
    DCAT = rdflib.Namespace("http://www.w3.org/ns/dcat#")
    DCT = rdflib.namespace.DCTERMS
    datasets = set(g.subjects(rdflib.RDF.type, DCAT.Dataset))
    # FY2566 and FY2567 are published; the preliminary set adds nothing.
    assert {str(d).rstrip("/").rsplit("/", 1)[-1] for d in datasets} == {"2566", "2567"}
    for d in datasets:
        assert (d, DCT.license, None) in g
        titles = {t.language for t in g.objects(d, DCT.title)}
        assert titles == {"th", "en"}
        downloads = {
            str(u)
            for dist in g.objects(d, DCAT.distribution)
            for u in g.objects(dist, DCAT.downloadURL)
        }
        assert any(u.endswith("/datapackage.json") for u in downloads)
        assert any(u.endswith("/results.csv") for u in downloads)
    catalogue = next(g.subjects(rdflib.RDF.type, DCAT.Catalog))
    assert set(g.objects(catalogue, DCAT.dataset)) == datasets


def test_open_data_is_in_the_openapi_schema(client):
    schema = client.get("/api/schema/?format=json").json()
    for path in [
        "/api/v1/cycles/{fy}/datapackage.json",
        "/api/v1/cycles/{fy}/results.csv",
        "/api/v1/catalog.jsonld",
        "/api/v1/cycles/{fy}/results/{code}/path/",
        "/api/v1/cycles/{fy}/goal/",
    ]:
        assert path in schema["paths"], path


def test_path_to_pass_and_goal_through_the_api(client, world):
    from itas.scoring.models import ResultStatus
    from tests.factories import AgencyFactory
    from tests.reports.factories import CycleFactory, add_result, make_result_set

    cycle = CycleFactory(fiscal_year=2567)
    rs = make_result_set(cycle, status=ResultStatus.PUBLISHED)
    prelim = make_result_set(cycle)
    indicators = {str(i): 80.0 for i in range(1, 9)}
    items = {f"O{i}": 100.0 for i in range(1, 44)}
    add_result(rs, world.agency, 83.0, indicators=indicators, questions={**items, "O42": 0.0})
    add_result(rs, AgencyFactory(name="ทดสอบผ่าน", province=world.province), 90.0)
    add_result(prelim, world.agency, 10.0, indicators=indicators, questions=items)
    data = client.get(f"/api/v1/cycles/2567/results/{world.agency.code}/path/").json()
    assert data["total"] == 83.0 and data["best_by_oit"] == 88.0
    assert data["gains"] == [{"item": "O42", "points": 5.0}]
    assert data["targets"][0]["items"] == ["O42"] and data["targets"][0]["by_oit_alone"]
    assert data["targets"][1]["by_oit_alone"] is False
    goal = client.get("/api/v1/cycles/2567/goal/").json()
    assert (goal["assessed"], goal["passed"], goal["needed"]) == (2, 1, 1)
    assert goal["agencies"][0]["items"] == ["O42"]
    assert client.get("/api/v1/cycles/2567/goal/?goal=abc").status_code == 400
    assert client.get("/api/v1/cycles/2567/results/0000000/path/").status_code == 404
    assert client.get("/api/v1/cycles/2568/goal/").status_code == 404
