"""The DLA registry import: both shapes, CSV and XLSX, idempotent, audited, all or nothing."""

import io
import time
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from itas.agencies.importer import ImportFormatError, import_registry
from itas.agencies.models import Agency, AgencyKind, AgencySource
from itas.core.models import AuditEntry

pytestmark = pytest.mark.django_db

HEADER = [
    "จังหวัด", "อำเภอ", "ตำบล", "รหัส อปท.", "ประเภท อปท.", "อปท.", "ที่ตั้งสำนักงานเลขที่",
    "หมู่ที่", "รหัสไปรษณีย์", "ขนาดพื้นที่", "LAT", "LONG", "เว็ปไซต์ของอปท",
]  # fmt: skip


def row(province, district, code, kind, name, tambon="", no="", moo="", postal="", area="",
        lat="", lng="", web=""):  # fmt: skip
    return [province, district, tambon, code, kind, name, no, moo, postal, area, lat, lng, web]


BK_ROWS = [
    row("บึงกาฬ", "เมืองบึงกาฬ", "2380190", "อบจ.", "บึงกาฬ", area="4305"),
    row(
        "บึงกาฬ",
        "เมืองบึงกาฬ",
        "4380191",
        "เทศบาลเมือง",
        "บึงกาฬ",
        area="120.5",
        lat="18.3612345",
        lng="103.6498765",
    ),  # fmt: skip
    row("บึงกาฬ", "เซกา", "5380492", "เทศบาลตำบล", "ท่าสะอาด"),
    row("บึงกาฬ", "เซกา", "6380493", "อบต.", "ท่าสะอาด"),
    # The code says อบต. (6) but the LAO was upgraded: the type column is the truth.
    row("ลพบุรี", "ลำสนธิ", "6160494", "เทศบาลตำบล", "ทดสอบยกฐานะ"),
]


def csv_bytes(rows, header=HEADER, bom=False) -> bytes:
    import csv

    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    data = buf.getvalue().encode("utf-8")
    return (b"\xef\xbb\xbf" + data) if bom else data


def xlsx_bytes(rows, header=HEADER) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(header)
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_one_row_per_lao_creates_agencies_with_full_thai_names():
    result = import_registry(csv_bytes(BK_ROWS, bom=True), filename="dla.csv")
    assert (result.created, result.updated, result.unchanged, len(result.rejected)) == (5, 0, 0, 0)
    town = Agency.objects.get(code="4380191")
    assert town.full_name == "เทศบาลเมืองบึงกาฬ"
    assert town.kind == AgencyKind.TOWN_MUNICIPALITY
    assert town.province_id == "38" and town.district.name_th == "เมืองบึงกาฬ"
    assert town.area_km2 == Decimal("120.50")
    assert town.latitude == Decimal("18.3612345")
    assert town.source == AgencySource.DLA
    assert Agency.objects.get(code="2380190").full_name == "องค์การบริหารส่วนจังหวัดบึงกาฬ"
    assert Agency.objects.get(code="5380492").district.name_th == "เซกา"


def test_the_type_column_is_the_truth_not_the_first_digit():
    import_registry(csv_bytes(BK_ROWS))
    upgraded = Agency.objects.get(code="6160494")
    assert upgraded.kind == AgencyKind.SUBDISTRICT_MUNICIPALITY
    assert upgraded.full_name == "เทศบาลตำบลทดสอบยกฐานะ"


def test_one_row_per_tambon_is_deduplicated_by_code_with_quotes_and_commas():
    rows = [
        # A PAO covers every district: the office row is the one whose district matches the code.
        row("บึงกาฬ", "เซกา", "2380190", "อบจ.", "บึงกาฬ", tambon="ซาง"),
        row(
            "บึงกาฬ",
            "เมืองบึงกาฬ",
            "2380190",
            "อบจ.",
            "บึงกาฬ",
            tambon="บึงกาฬ",
            no='99 "ศาลากลาง", ถ.บึงกาฬ-นครพนม',
            postal="38000",
        ),  # fmt: skip
        row(
            "บึงกาฬ", "ปากคาด", "2380190", "อบจ.", "บึงกาฬ", tambon="ปากคาด", web="www.bkpao.go.th"
        ),  # fmt: skip
        row("บึงกาฬ", "เซกา", "5380492", "เทศบาลตำบล", "ท่าสะอาด", tambon="ท่าสะอาด"),
        row("บึงกาฬ", "เซกา", "5380492", "เทศบาลตำบล", "ท่าสะอาด", tambon="ซาง"),
    ]
    result = import_registry(csv_bytes(rows))
    assert result.created == 2 and result.duplicate_rows == 3 and not result.rejected
    pao = Agency.objects.get(code="2380190")
    assert pao.district_id == "3801"  # เมืองบึงกาฬ, not the first row's เซกา
    assert pao.address == 'เลขที่ 99 "ศาลากลาง", ถ.บึงกาฬ-นครพนม'
    assert pao.postal_code == "38000"
    assert pao.website == "http://www.bkpao.go.th"  # filled from another row of the same LAO


def test_second_run_changes_nothing_and_says_so():
    data = csv_bytes(BK_ROWS)
    import_registry(data)
    stamps = dict(Agency.objects.values_list("code", "updated_at"))
    audits = AuditEntry.objects.filter(action="agencies.agency.updated_from_registry").count()
    result = import_registry(data)
    assert (result.created, result.updated, result.unchanged) == (0, 0, len(BK_ROWS))
    assert dict(Agency.objects.values_list("code", "updated_at")) == stamps
    assert (
        AuditEntry.objects.filter(action="agencies.agency.updated_from_registry").count() == audits
    )


def test_changed_row_is_updated_with_an_audit_entry_naming_the_fields():
    import_registry(csv_bytes(BK_ROWS))
    changed = [list(r) for r in BK_ROWS]
    changed[2][4] = "เทศบาลเมือง"  # upgraded
    changed[2][12] = "https://www.thasaat.go.th"
    result = import_registry(csv_bytes(changed), filename="dla-2.csv")
    assert (result.created, result.updated, result.unchanged) == (0, 1, 4)
    agency = Agency.objects.get(code="5380492")
    assert agency.kind == AgencyKind.TOWN_MUNICIPALITY
    assert agency.website == "https://www.thasaat.go.th"
    entry = AuditEntry.objects.get(action="agencies.agency.updated_from_registry")
    assert entry.target_id == str(agency.pk)
    assert set(entry.changes) == {"kind", "website"}
    assert entry.changes["kind"] == [
        AgencyKind.SUBDISTRICT_MUNICIPALITY,
        AgencyKind.TOWN_MUNICIPALITY,
    ]


def test_registry_does_not_wipe_a_website_the_agency_admin_set():
    import_registry(csv_bytes(BK_ROWS))
    Agency.objects.filter(code="5380492").update(website="https://example.go.th")
    result = import_registry(csv_bytes(BK_ROWS))
    assert result.updated == 0
    assert Agency.objects.get(code="5380492").website == "https://example.go.th"


def test_bad_rows_are_rejected_with_line_number_and_thai_reason():
    rows = [
        row("บึงกาฬ", "เซกา", "5380492", "เทศบาลตำบล", "ท่าสะอาด", no="12\nหลังวัด"),  # 2 lines
        row("บึงกาฬ", "เซกา", "53804", "เทศบาลตำบล", "สั้น"),  # line 4: bad code
        row("บึงกาฬX", "เซกา", "5380499", "เทศบาลตำบล", "ไม่มีจังหวัด"),  # line 5
        row("บึงกาฬ", "ไม่มีอำเภอ", "5380498", "เทศบาลตำบล", "ไม่มีอำเภอ"),  # line 6
        row("บึงกาฬ", "เซกา", "5380497", "สุขาภิบาล", "ประเภทแปลก"),  # line 7
        row("บึงกาฬ", "เซกา", "6380493", "อบต.", "ท่าสะอาด"),  # line 8: fine
    ]
    with translation.override("th"):
        result = import_registry(csv_bytes(rows))
        reasons = {r.line: str(r) for r in result.rejected}
    assert result.created == 2
    assert sorted(reasons) == [4, 5, 6, 7]
    assert "รหัส" in reasons[4] and "บรรทัด 4" in reasons[4]
    assert "จังหวัด" in reasons[5] and "บึงกาฬX" in reasons[5]
    assert "อำเภอ" in reasons[6] and "ไม่มีอำเภอ" in reasons[6]
    assert "ประเภท" in reasons[7] and "สุขาภิบาล" in reasons[7]


@pytest.mark.parametrize(
    "data, expected",
    [
        (b"", "empty"),
        (b"\n\n  \n", "empty"),
        ("จังหวัด,อำเภอ,อปท.\nบึงกาฬ,เซกา,ท่าสะอาด\n".encode(), "รหัส อปท."),
        (",".join(HEADER).encode("utf-8") + b"\r\n", "no rows"),
        # Thai Windows' code page is read (the header is found): only the rows are missing
        (",".join(HEADER).encode("cp874") + b"\r\n", "no rows"),
        (b"\xff\xfe" + ",".join(HEADER).encode("utf-8"), "UTF-8"),
        (b"PK\x03\x04 this is not really a zip", "XLSX"),
    ],
    ids=[
        "empty",
        "blank-lines",
        "missing-columns",
        "header-only",
        "tis620",
        "neither-utf8-nor-cp874",
        "broken-xlsx",
    ],
)
def test_a_file_that_is_not_the_format_is_refused_and_nothing_is_written(data, expected):
    with translation.override("en"), pytest.raises(ImportFormatError) as exc:
        import_registry(data)
    assert expected in str(exc.value)
    assert Agency.objects.count() == 0
    assert AuditEntry.objects.count() == 0


def test_xlsx_with_the_same_columns_gives_the_same_agencies():
    result = import_registry(xlsx_bytes(BK_ROWS), filename="dla.xlsx")
    assert result.created == len(BK_ROWS) and not result.rejected
    assert Agency.objects.get(code="4380191").full_name == "เทศบาลเมืองบึงกาฬ"
    assert import_registry(csv_bytes(BK_ROWS)).unchanged == len(BK_ROWS)


def test_command_prints_the_summary_and_each_rejected_row(tmp_path):
    path = tmp_path / "dla.csv"
    path.write_bytes(csv_bytes([*BK_ROWS, row("บึงกาฬ", "เซกา", "12", "อบต.", "x")]))
    out = io.StringIO()
    with translation.override("th"):
        call_command("import_agencies", str(path), stdout=out)
    text = out.getvalue()
    assert "created 5, updated 0, unchanged 0, rejected 1" in text
    assert "บรรทัด 7" in text
    out = io.StringIO()
    call_command("import_agencies", str(path), stdout=out)
    assert "created 0, updated 0, unchanged 5, rejected 1" in out.getvalue()


def test_command_dry_run_writes_nothing(tmp_path):
    path = tmp_path / "dla.csv"
    path.write_bytes(csv_bytes(BK_ROWS))
    out = io.StringIO()
    call_command("import_agencies", str(path), "--dry-run", stdout=out)
    assert "created 5" in out.getvalue()
    assert Agency.objects.count() == 0


def test_command_refuses_a_wrong_file_with_one_clear_message(tmp_path):
    path = tmp_path / "dla.csv"
    path.write_bytes("ชื่อ,ที่อยู่\nก,ข\n".encode())
    with translation.override("th"), pytest.raises(CommandError) as exc:
        call_command("import_agencies", str(path))
    assert "จังหวัด" in str(exc.value)
    with pytest.raises(CommandError):
        call_command("import_agencies", str(tmp_path / "missing.csv"))
    assert Agency.objects.count() == 0


REAL_FILE = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "dla-lao-registry.csv"


@pytest.mark.realdata
@pytest.mark.skipif(not REAL_FILE.exists(), reason=f"real DLA registry not found at {REAL_FILE}")
def test_real_registry_imports_7849_agencies_in_the_national_mix():
    started = time.monotonic()
    result = import_registry(REAL_FILE.read_bytes(), filename=REAL_FILE.name)
    elapsed = time.monotonic() - started
    assert (result.created, len(result.rejected)) == (7849, 0), result.rejected[:5]
    counts = {k: Agency.objects.filter(kind=k).count() for k in AgencyKind}
    assert counts == {
        AgencyKind.PAO: 76,
        AgencyKind.CITY_MUNICIPALITY: 30,
        AgencyKind.TOWN_MUNICIPALITY: 195,
        AgencyKind.SUBDISTRICT_MUNICIPALITY: 2247,
        AgencyKind.SAO: 5300,
        AgencyKind.SPECIAL: 1,
        AgencyKind.CENTRAL: 0,
    }
    assert Agency.objects.get(code="3200408").full_name == "เมืองพัทยา"
    again = import_registry(REAL_FILE.read_bytes())
    assert (again.created, again.updated, again.unchanged) == (0, 0, 7849)
    print(f"\nreal registry: {result.summary} in {elapsed:.2f} s")
