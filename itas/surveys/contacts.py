"""Reading a contact list of service users (name, telephone) from CSV or XLSX, with a clear
Thai message per bad row. Nothing is stored unless the whole file is good."""

from __future__ import annotations

import re

from django.utils.translation import gettext as _

from itas.core import tabular
from itas.core.thaidate import arabic_digits

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5000
NAME_HEADERS = {"name", "ชื่อ", "ชื่อ-นามสกุล", "ชื่อ นามสกุล", "ชื่อผู้รับบริการ", "ชื่อ-สกุล"}
PHONE_HEADERS = {"phone", "telephone", "tel", "โทรศัพท์", "เบอร์โทรศัพท์", "เบอร์โทร", "หมายเลขโทรศัพท์"}
_PHONE = re.compile(r"^0\d{8,9}$")


class ContactFileError(Exception):
    def __init__(self, errors: list[str]):
        super().__init__("; ".join(errors))
        self.errors = errors


def normalise_phone(raw: str) -> str:
    digits = re.sub(r"[\s\-().]", "", str(raw or ""))
    digits = arabic_digits(digits)
    if digits.startswith("+66"):
        digits = "0" + digits[3:]
    elif digits.startswith("66") and len(digits) in (11, 12):
        digits = "0" + digits[2:]
    if digits.endswith(".0"):  # a number cell read by Excel
        digits = digits[:-2]
    if len(digits) in (8, 9) and digits.isdigit() and not digits.startswith("0"):
        digits = "0" + digits  # Excel dropped the leading zero
    return digits


def read_contacts(filename: str, data: bytes) -> list[tuple[str, str]]:
    """[(name, phone)] or ContactFileError listing every bad row."""
    try:
        rows = [
            cells
            for _line, cells in tabular.read_rows(
                data,
                filename,
                limits=tabular.Limits(max_bytes=MAX_BYTES, max_rows=MAX_ROWS + 1),
                fallback=None,
                delimiters=",;\t",
            )
        ]
    except tabular.TabularError as exc:
        raise ContactFileError([str(exc)]) from exc
    header = [c.strip().lower() for c in rows[0]]
    name_col = next((i for i, h in enumerate(header) if h in NAME_HEADERS), None)
    phone_col = next((i for i, h in enumerate(header) if h in PHONE_HEADERS), None)
    if name_col is None or phone_col is None:
        raise ContactFileError(
            [_("The first row must name the columns: “ชื่อ” (name) and “โทรศัพท์” (telephone).")]
        )
    body = rows[1:]
    if len(body) > MAX_ROWS:
        raise ContactFileError([_("At most %(n)s contacts per file.") % {"n": f"{MAX_ROWS:,}"}])
    out, errors = [], []
    seen = set()
    for number, row in enumerate(body, start=2):
        name = row[name_col].strip() if name_col < len(row) else ""
        raw_phone = row[phone_col].strip() if phone_col < len(row) else ""
        phone = normalise_phone(raw_phone)
        if not name:
            errors.append(_("Row %(row)s: the name is empty.") % {"row": number})
        elif len(name) > 200:
            errors.append(_("Row %(row)s: the name is too long.") % {"row": number})
        if not raw_phone:
            errors.append(_("Row %(row)s: the telephone number is empty.") % {"row": number})
        elif not _PHONE.match(phone):
            errors.append(
                _("Row %(row)s: “%(phone)s” is not a Thai telephone number (9–10 digits from 0).")
                % {"row": number, "phone": raw_phone[:30]}
            )
        elif phone in seen:
            errors.append(
                _("Row %(row)s: the number %(phone)s appears twice.")
                % {"row": number, "phone": phone}
            )
        seen.add(phone)
        if name and _PHONE.match(phone):
            out.append((name[:200], phone))
    if errors:
        raise ContactFileError(errors)
    return out
