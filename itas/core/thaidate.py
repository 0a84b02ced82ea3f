"""Thai dates: the Buddhist era, Thai month names, Thai digits, the fiscal year.

Django's own date formatting knows Thai month names but not the Buddhist era, and the
fiscal-year rule is ours, so this small module does the little that is needed.
"""

from __future__ import annotations

import datetime as dt

BE_OFFSET = 543

MONTHS_LONG = (
    "มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน",
    "กรกฎาคม", "สิงหาคม", "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม",
)  # fmt: skip
MONTHS_SHORT = (
    "ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.",
    "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค.",
)  # fmt: skip
WEEKDAYS = ("จันทร์", "อังคาร", "พุธ", "พฤหัสบดี", "ศุกร์", "เสาร์", "อาทิตย์")

_TO_THAI = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")
_FROM_THAI = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")


def thai_digits(value: object) -> str:
    return str(value).translate(_TO_THAI)


def arabic_digits(value: str) -> str:
    return value.translate(_FROM_THAI)


def be_year(value: dt.date | int) -> int:
    year = value if isinstance(value, int) else value.year
    return year + BE_OFFSET


def ce_year(be: int) -> int:
    return be - BE_OFFSET


def fiscal_year(value: dt.date) -> int:
    """The Thai fiscal year (Buddhist era) a date falls in: 1 October starts the next one."""
    if isinstance(value, dt.datetime):
        value = value.date()
    return be_year(value.year + 1 if value.month >= 10 else value.year)


def fiscal_year_bounds(fy_be: int) -> tuple[dt.date, dt.date]:
    """First and last day of a fiscal year named in the Buddhist era (2565 → 2021-10-01..2022-09-30)."""
    ce = ce_year(fy_be)
    return dt.date(ce - 1, 10, 1), dt.date(ce, 9, 30)


def _local(value: dt.date | dt.datetime) -> dt.date | dt.datetime:
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        from django.utils import timezone

        return timezone.localtime(value)
    return value


def format_date(
    value: dt.date | dt.datetime | None, style: str = "long", digits: str = "arabic"
) -> str:
    """'19 มีนาคม 2564' (long), '19 มี.ค. 64' (short), 'วันศุกร์ที่ 19 มีนาคม 2564' (full)."""
    if value is None:
        return ""
    value = _local(value)
    if style == "short":
        text = f"{value.day} {MONTHS_SHORT[value.month - 1]} {be_year(value) % 100:02d}"
    elif style == "full":
        text = f"วัน{WEEKDAYS[value.weekday()]}ที่ {value.day} {MONTHS_LONG[value.month - 1]} {be_year(value)}"
    else:
        text = f"{value.day} {MONTHS_LONG[value.month - 1]} {be_year(value)}"
    return thai_digits(text) if digits == "thai" else text


def format_time(value: dt.datetime | dt.time | None, digits: str = "arabic") -> str:
    """'09.30 น.', the way Thai official letters write times."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        from django.utils import timezone

        value = timezone.localtime(value)
    text = f"{value.hour:02d}.{value.minute:02d} น."
    return thai_digits(text) if digits == "thai" else text


def format_datetime(value: dt.datetime | None, style: str = "long", digits: str = "arabic") -> str:
    if value is None:
        return ""
    return f"{format_date(value, style, digits)} {format_time(value, digits)}"
