"""Import the DLA registry of local administrations (ชื่อและที่ตั้งองค์กรปกครองส่วนท้องถิ่น).

The publisher's file comes in two shapes, both read here:
- one row per LAO (the reduced copy in shared/data), or
- one row per (province, district, tambon) that an LAO covers: the rows are grouped by
  `รหัส อปท.`, and the row whose district matches the code's district digits gives the office.
CSV (RFC 4180, UTF-8 with or without a BOM) or XLSX with the same header.

The type column is the truth; the first digit of the code is not (codes survive upgrades).
One transaction: a file that is not the format writes nothing; a row that is wrong is reported
with its line number and reason, and the other rows are imported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from itas.agencies.errors import AgencyError
from itas.agencies.models import KIND_BY_REGISTRY_TYPE, Agency, AgencySource
from itas.core import tabular
from itas.core.models import AuditEntry
from itas.geo.models import District, Province

COL_PROVINCE = "จังหวัด"
COL_DISTRICT = "อำเภอ"
COL_TAMBON = "ตำบล"
COL_CODE = "รหัส อปท."
COL_TYPE = "ประเภท อปท."
COL_NAME = "อปท."
COL_ADDRESS_NO = "ที่ตั้งสำนักงานเลขที่"
COL_MOO = "หมู่ที่"
COL_POSTAL = "รหัสไปรษณีย์"
COL_AREA = "ขนาดพื้นที่"
COL_LAT = "LAT"
COL_LONG = "LONG"
COL_WEBSITE = "เว็ปไซต์ของอปท"  # the publisher's spelling

REQUIRED_COLUMNS = [COL_PROVINCE, COL_DISTRICT, COL_CODE, COL_TYPE, COL_NAME]
# Other spellings seen for the same columns; mapped to the publisher's.
COLUMN_ALIASES = {
    "เว็บไซต์ของอปท": COL_WEBSITE,
    "เว็บไซต์ของ อปท.": COL_WEBSITE,
    "เว็ปไซต์ของ อปท.": COL_WEBSITE,
    "เว็บไซต์": COL_WEBSITE,
    "รหัสอปท.": COL_CODE,
    "รหัส อปท": COL_CODE,
    "ประเภทอปท.": COL_TYPE,
    "ประเภท อปท": COL_TYPE,
    "ชื่อ อปท.": COL_NAME,
    "อปท": COL_NAME,
    "lat": COL_LAT,
    "long": COL_LONG,
    "lng": COL_LONG,
}

# The fields the registry owns: a re-import overwrites them.
REGISTRY_FIELDS = ["kind", "name", "province_id", "district_id"]
# Fields the registry fills only where it has a value (an agency admin may have set them).
OPTIONAL_FIELDS = ["address", "postal_code", "area_km2", "latitude", "longitude", "website"]

_CODE_RE = re.compile(r"^\d{7}$")
_SPACES = re.compile(r"\s+")
_url_validator = URLValidator(schemes=["http", "https"])


class ImportFormatError(AgencyError):
    """The file is not the DLA format; nothing was written."""


@dataclass
class Rejection:
    line: int
    code: str
    reason: str

    def __str__(self) -> str:
        return _("line %(line)d: %(reason)s") % {"line": self.line, "reason": self.reason}


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: list[Rejection] = field(default_factory=list)
    rows_read: int = 0
    duplicate_rows: int = 0

    @property
    def summary(self) -> str:
        """The machine-readable closing line (stable, untranslated)."""
        return (
            f"created {self.created}, updated {self.updated}, "
            f"unchanged {self.unchanged}, rejected {len(self.rejected)}"
        )


def _clean(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return _SPACES.sub(" ", str(value)).strip()


def _normalize_header(name: str) -> str:
    name = _clean(name).lstrip("\ufeff")
    return COLUMN_ALIASES.get(name, COLUMN_ALIASES.get(name.lower(), name))


def _strip_prefix(name: str, prefixes: tuple[str, ...]) -> str:
    name = _clean(name).replace(" ", "")
    for prefix in prefixes:
        if name.startswith(prefix) and len(name) > len(prefix):
            return name[len(prefix) :]
    return name


def province_key(name: str) -> str:
    key = _strip_prefix(name, ("จังหวัด", "จ."))
    return {"กรุงเทพฯ": "กรุงเทพมหานคร", "กทม.": "กรุงเทพมหานคร"}.get(key, key)


def district_key(name: str) -> str:
    return _strip_prefix(name, ("กิ่งอำเภอ", "อำเภอ", "อ.", "เขต"))


def _decimal(value: str, places: int, limit: Decimal) -> Decimal | None:
    value = value.replace(",", "")
    if not value:
        return None
    try:
        number = Decimal(value)
    except InvalidOperation:
        return None
    if not number.is_finite() or abs(number) >= limit:
        return None
    return number.quantize(Decimal(1).scaleb(-places))


def _website(value: str) -> str:
    value = value.strip()
    if not value or value in {"-", "ไม่มี"}:
        return ""
    if not re.match(r"^https?://", value, re.I):
        value = "http://" + value
    try:
        _url_validator(value)
    except ValidationError:
        return ""
    return value[:300]


# ---------------------------------------------------------------- reading the file


# The full registry (one row per tambon an LAO covers) is about 8,000 rows of 15 columns;
# these limits leave room for ten times that and still refuse a file built to exhaust memory.
REGISTRY_LIMITS = tabular.Limits(
    max_bytes=50 * tabular.MB, max_rows=100_000, max_cells=3_000_000, max_unpacked=300 * tabular.MB
)


def read_records(data: bytes, filename: str = "") -> tuple[list[str], list[tuple[int, dict]]]:
    """The header and the data rows (line number, {column: value}) of a CSV or XLSX file."""
    try:
        rows = tabular.read_rows(data, filename, limits=REGISTRY_LIMITS)
    except tabular.TabularError as exc:
        raise ImportFormatError(str(exc)) from exc
    header: list[str] | None = None
    records: list[tuple[int, dict]] = []
    for line, row in rows:
        if header is None:
            if not any(_clean(c) for c in row):
                continue
            header = [_normalize_header(c) for c in row]
            missing = [c for c in REQUIRED_COLUMNS if c not in header]
            if missing:
                raise ImportFormatError(
                    _(
                        "This is not the DLA registry format: the column(s) %(missing)s are "
                        "missing from the header row."
                    )
                    % {"missing": ", ".join(f"“{c}”" for c in missing)}
                )
            continue
        if not any(_clean(c) for c in row):
            continue
        values = {name: _clean(row[i]) if i < len(row) else "" for i, name in enumerate(header)}
        records.append((line, values))
    if header is None:
        raise ImportFormatError(_("The file is empty."))
    if not records:
        raise ImportFormatError(_("The file has a header but no rows."))
    return header, records


# ---------------------------------------------------------------- importing


class _Geography:
    def __init__(self) -> None:
        self.provinces = {province_key(p.name_th): p for p in Province.objects.all()}
        self.districts: dict[tuple[str, str], District] = {}
        for d in District.objects.all():
            self.districts[(d.province_id, district_key(d.name_th))] = d


def _pick_row(code: str, rows: list[tuple[int, dict]], geo: _Geography) -> tuple[int, dict]:
    """The office row of an LAO: the one whose district matches the code's district digits."""
    if len(rows) == 1:
        return rows[0]
    chosen = rows[0]
    for line, values in rows:
        province = geo.provinces.get(province_key(values.get(COL_PROVINCE, "")))
        district = (
            geo.districts.get((province.code, district_key(values.get(COL_DISTRICT, ""))))
            if province
            else None
        )
        if district is not None and district.code == code[1:5]:
            chosen = (line, values)
            break
    # Fill the optional columns from any row of the same LAO that has them.
    merged = dict(chosen[1])
    for _line, values in rows:
        for column in (
            COL_ADDRESS_NO,
            COL_MOO,
            COL_POSTAL,
            COL_AREA,
            COL_LAT,
            COL_LONG,
            COL_WEBSITE,
        ):
            if not merged.get(column) and values.get(column):
                merged[column] = values[column]
    return chosen[0], merged


def _agency_fields(values: dict, geo: _Geography) -> tuple[dict | None, str]:
    """The agency's fields from one row, or (None, reason) when the row is refused."""
    code = values.get(COL_CODE, "").replace(" ", "")
    if not _CODE_RE.match(code):
        return None, _("bad code “%(code)s” (it must be 7 digits)") % {"code": code}
    registry_type = values.get(COL_TYPE, "").replace(" ", "")
    kind = KIND_BY_REGISTRY_TYPE.get(registry_type) or KIND_BY_REGISTRY_TYPE.get(
        values.get(COL_TYPE, "")
    )
    if kind is None:
        return None, _("unknown type “%(type)s”") % {"type": values.get(COL_TYPE, "")}
    name = values.get(COL_NAME, "")
    if not name:
        return None, _("the name (column อปท.) is empty")
    if len(name) > 200:
        return None, _("the name is longer than 200 characters")
    province = geo.provinces.get(province_key(values.get(COL_PROVINCE, "")))
    if province is None:
        return None, _("unknown province “%(province)s”") % {
            "province": values.get(COL_PROVINCE, "")
        }
    district = geo.districts.get((province.code, district_key(values.get(COL_DISTRICT, ""))))
    if district is None:
        return None, _("unknown district “%(district)s” in province %(province)s") % {
            "district": values.get(COL_DISTRICT, ""),
            "province": province.name_th,
        }
    address_parts = []
    if values.get(COL_ADDRESS_NO):
        address_parts.append(f"เลขที่ {values[COL_ADDRESS_NO]}")
    if values.get(COL_MOO):
        address_parts.append(f"หมู่ที่ {values[COL_MOO]}")
    postal = values.get(COL_POSTAL, "").replace(" ", "")
    return {
        "code": code,
        "kind": str(kind),
        "name": name,
        "province_id": province.code,
        "district_id": district.code,
        "address": " ".join(address_parts)[:300],
        "postal_code": postal if re.fullmatch(r"\d{5}", postal) else "",
        "area_km2": _decimal(values.get(COL_AREA, ""), 2, Decimal("1e8")),
        "latitude": _decimal(values.get(COL_LAT, ""), 7, Decimal("1000")),
        "longitude": _decimal(values.get(COL_LONG, ""), 7, Decimal("1000")),
        "website": _website(values.get(COL_WEBSITE, "")),
    }, ""


def import_registry(data: bytes, *, filename: str = "", actor=None, dry_run: bool = False):
    """Import the registry from the bytes of a CSV or XLSX file; returns an ImportResult."""
    _header, records = read_records(data, filename)
    result = ImportResult(rows_read=len(records))
    geo = _Geography()

    by_code: dict[str, list[tuple[int, dict]]] = {}
    for line, values in records:
        code = values.get(COL_CODE, "").replace(" ", "")
        if not _CODE_RE.match(code):
            result.rejected.append(
                Rejection(
                    line, code, _("bad code “%(code)s” (it must be 7 digits)") % {"code": code}
                )
            )
            continue
        by_code.setdefault(code, []).append((line, values))
    result.duplicate_rows = sum(len(rows) - 1 for rows in by_code.values())

    wanted: dict[str, tuple[int, dict]] = {}
    for code, rows in by_code.items():
        line, values = _pick_row(code, rows, geo)
        fields, reason = _agency_fields(values, geo)
        if fields is None:
            result.rejected.append(Rejection(line, code, reason))
        else:
            wanted[code] = (line, fields)

    now = timezone.now()
    with transaction.atomic():
        existing = {a.code: a for a in Agency.objects.filter(code__in=list(wanted))}
        to_create: list[Agency] = []
        to_update: list[Agency] = []
        audit: list[AuditEntry] = []
        changed_fields: set[str] = set()
        for code, (_line, fields) in wanted.items():
            agency = existing.get(code)
            if agency is None:
                to_create.append(Agency(source=AgencySource.DLA, **fields))
                continue
            changes = {}
            for name in REGISTRY_FIELDS:
                if getattr(agency, name) != fields[name]:
                    changes[name] = [getattr(agency, name), fields[name]]
            for name in OPTIONAL_FIELDS:
                new = fields[name]
                if new not in ("", None) and getattr(agency, name) != new:
                    old = getattr(agency, name)
                    changes[name] = [
                        str(old) if isinstance(old, Decimal) else old,
                        str(new) if isinstance(new, Decimal) else new,
                    ]
            if agency.source != AgencySource.DLA:
                changes["source"] = [agency.source, AgencySource.DLA.value]
            if not agency.is_active:
                changes["is_active"] = [False, True]
            if not changes:
                result.unchanged += 1
                continue
            for name, (_old, new) in changes.items():
                value = fields.get(name, new)
                setattr(agency, name, value)
                changed_fields.add(name)
            agency.updated_at = now
            to_update.append(agency)
            audit.append(
                AuditEntry(
                    actor=actor if getattr(actor, "is_authenticated", False) else None,
                    action="agencies.agency.updated_from_registry",
                    target_type=Agency._meta.label_lower,
                    target_id=str(agency.pk),
                    target_label=str(agency)[:300],
                    changes={k.removesuffix("_id"): v for k, v in changes.items()},
                    note=filename,
                )
            )
        Agency.objects.bulk_create(to_create, batch_size=1000)
        if to_update:
            Agency.objects.bulk_update(
                to_update, sorted(changed_fields | {"updated_at"}), batch_size=500
            )
        AuditEntry.objects.bulk_create(audit, batch_size=1000)
        result.created = len(to_create)
        result.updated = len(to_update)
        result.rejected.sort(key=lambda r: r.line)
        AuditEntry.objects.create(
            actor=actor if getattr(actor, "is_authenticated", False) else None,
            action="agencies.registry.imported",
            changes={
                "created": result.created,
                "updated": result.updated,
                "unchanged": result.unchanged,
                "rejected": len(result.rejected),
            },
            note=filename,
        )
        if dry_run:
            transaction.set_rollback(True)
    return result


def import_file(path: str | Path, *, actor=None, dry_run: bool = False) -> ImportResult:
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ImportFormatError(
            _("The file %(name)s cannot be read: %(error)s")
            % {"name": path, "error": exc.strerror or exc}
        ) from exc
    return import_registry(data, filename=path.name, actor=actor, dry_run=dry_run)
