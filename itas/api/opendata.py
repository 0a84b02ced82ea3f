"""Open data a portal can take as it is: each published year as a Frictionless Data Package
(a described, typed, licensed CSV) and a DCAT catalogue of every published year that a CKAN
portal (data.go.th runs CKAN with ckanext-dcat) can harvest.

Figures are rounded as NACC publishes them: half-up to two decimals, from the unrounded values
(itas.frameworks.spec.round2, the rule grading uses). The unrounded values stay in the result
tables and are not part of this package.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from django.conf import settings

from itas.agencies.models import NAME_PREFIX, AgencyKind
from itas.core import tabular
from itas.core.batches import batched
from itas.frameworks.spec import round2
from itas.geo.models import District, Province
from itas.scoring.models import PUBLIC_ROW_FIELDS, AgencyResult, IndicatorResult, ResultSet

ROUNDING_TH = "ปัดเศษแบบครึ่งขึ้น (half-up) ทศนิยม 2 ตำแหน่ง จากค่าที่ไม่ปัดเศษ"
ROUNDING_EN = "rounded half-up to two decimals from the unrounded value"
CHUNK = 2000


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # Table Schema type
    title_th: str
    title_en: str
    description_th: str
    description_en: str
    score: bool = False  # a rounded figure out of 100

    def descriptor(self) -> dict:
        d = {
            "name": self.name,
            "type": self.type,
            "title": f"{self.title_th} / {self.title_en}",
            "description": f"{self.description_th} / {self.description_en}",
            # Both languages apart too, for portals that show one at a time.
            "titles": {"th": self.title_th, "en": self.title_en},
            "descriptions": {"th": self.description_th, "en": self.description_en},
        }
        if self.score:
            d["description"] += f" ({ROUNDING_TH} / {ROUNDING_EN})"
            d["constraints"] = {"minimum": 0, "maximum": 100}
            d["rounding"] = "half-up, 2 decimals"
        if self.type == "boolean":
            d["trueValues"] = ["true"]
            d["falseValues"] = ["false"]
        return d


def _score(name, th, en, dth, den) -> Column:
    return Column(name, "number", th, en, dth, den, score=True)


BASE_COLUMNS = [
    Column("fiscal_year", "integer", "ปีงบประมาณ", "Fiscal year",
           "ปีงบประมาณ พ.ศ. ที่ประเมิน", "assessed fiscal year, Buddhist era (CE + 543)"),
    Column("version", "integer", "ฉบับที่", "Version",
           "ฉบับของผลที่เผยแพร่ (ฉบับแก้ไขมีเลขสูงกว่า)",
           "published version of the results (a correction has a higher number)"),
    Column("agency_code", "string", "รหัสหน่วยงาน", "Agency code",
           "รหัสหน่วยงาน (รหัส อปท. 7 หลักสำหรับองค์กรปกครองส่วนท้องถิ่น)",
           "agency code (the 7-digit DLA code for local administrations)"),
    Column("agency_name", "string", "ชื่อหน่วยงาน", "Agency name",
           "ชื่อเต็มของหน่วยงานภาษาไทย", "full Thai name of the agency"),
    Column("agency_type", "string", "รหัสประเภทหน่วยงาน", "Agency type code",
           "ประเภทหน่วยงาน: " + ", ".join(k.value for k in AgencyKind),
           "type of agency: " + ", ".join(k.value for k in AgencyKind)),
    Column("agency_type_name", "string", "ประเภทหน่วยงาน", "Agency type",
           "ชื่อประเภทหน่วยงาน", "name of the type of agency"),
    Column("province_code", "string", "รหัสจังหวัด", "Province code",
           "รหัสจังหวัดตาม มอก. 1099", "province code (TIS 1099)"),
    Column("province_name", "string", "จังหวัด", "Province", "ชื่อจังหวัดภาษาไทย",
           "Thai name of the province"),
    Column("district_code", "string", "รหัสอำเภอ", "District code",
           "รหัสอำเภอ 4 หลัก (ว่างถ้าไม่มี)", "4-digit district code (empty where none)"),
    Column("district_name", "string", "อำเภอ", "District", "ชื่ออำเภอภาษาไทย",
           "Thai name of the district"),
    _score("iit", "คะแนน IIT", "IIT score",
           "คะแนนแบบวัดการรับรู้ของผู้มีส่วนได้ส่วนเสียภายใน เต็ม 100",
           "internal stakeholders' perception, out of 100"),
    _score("eit", "คะแนน EIT", "EIT score",
           "คะแนนแบบวัดการรับรู้ของผู้มีส่วนได้ส่วนเสียภายนอก เต็ม 100",
           "external stakeholders' perception, out of 100"),
    _score("oit", "คะแนน OIT", "OIT score", "คะแนนแบบตรวจการเปิดเผยข้อมูลสาธารณะ เต็ม 100",
           "open data (public disclosure), out of 100"),
    _score("total", "คะแนนรวม", "Total score", "คะแนนรวมถ่วงน้ำหนัก เต็ม 100",
           "weighted total, out of 100"),
    Column("grade", "string", "ระดับผลการประเมิน", "Grade",
           "ระดับผลการประเมิน (AA, A, B, C, D, E, F)", "grade (AA, A, B, C, D, E, F)"),
    Column("label", "string", "ผลการประเมิน", "Result label",
           "ข้อความผลการประเมินตามกรอบการประเมินของปีนั้น (ถ้ามี)",
           "the framework's label for the result, where it has one"),
    Column("passed", "boolean", "ผ่านเกณฑ์", "Passed",
           "ได้คะแนนรวมตั้งแต่ 85 ขึ้นไป (true/false; ว่างถ้าประเมินไม่ครบ)",
           "total of 85 or more (true/false; empty where the assessment is incomplete)"),
    Column("iit_respondents", "integer", "จำนวนผู้ตอบ IIT", "IIT respondents",
           "จำนวนผู้ตอบแบบวัด IIT ที่นับ", "number of IIT respondents counted"),
    Column("eit_respondents", "integer", "จำนวนผู้ตอบ EIT", "EIT respondents",
           "จำนวนผู้ตอบแบบวัด EIT ที่นับ", "number of EIT respondents counted"),
]  # fmt: skip


def indicator_columns(result_set: ResultSet) -> list[Column]:
    spec = result_set.cycle.framework.spec
    return [
        _score(
            f"indicator_{i.code}",
            f"ตัวชี้วัดที่ {i.code}",
            f"Indicator {i.code}",
            f"คะแนนตัวชี้วัดที่ {i.code} {i.name} ({i.tool}, น้ำหนัก {i.weight:g}) เต็ม 100",
            f"score of indicator {i.code} ({i.tool}, weight {i.weight:g}), out of 100",
        )
        for i in spec.indicators
    ]


def columns(result_set: ResultSet) -> list[Column]:
    return BASE_COLUMNS + indicator_columns(result_set)


def _licence() -> dict:
    return {
        "name": settings.ITAS_OPEN_DATA_LICENCE["name"],
        "path": settings.ITAS_OPEN_DATA_LICENCE["url"],
        "title": settings.ITAS_OPEN_DATA_LICENCE["title"],
    }


def datapackage(result_set: ResultSet, *, resource_path: str, homepage: str) -> dict:
    cycle = result_set.cycle
    fy = cycle.fiscal_year
    return {
        "name": f"ita-{fy}-results",
        "title": f"ผลการประเมิน ITA ปีงบประมาณ พ.ศ. {fy} / ITA results, fiscal year {fy}",
        "description": (
            f"ผลการประเมินคุณธรรมและความโปร่งใสในการดำเนินงานของหน่วยงานภาครัฐ (ITA) "
            f"ปีงบประมาณ พ.ศ. {fy} ฉบับที่ {result_set.version} รายหน่วยงาน: คะแนน IIT, EIT, OIT, "
            f"คะแนนรวม ระดับ และคะแนนรายตัวชี้วัด คะแนนทุกตัว{ROUNDING_TH} ตามที่ สำนักงาน ป.ป.ช. "
            f"เผยแพร่ / Integrity and Transparency Assessment results of fiscal year {fy}, "
            f"version {result_set.version}, one row per agency: IIT, EIT and OIT scores, total, "
            f"grade and indicator scores. Every score is {ROUNDING_EN}, as NACC publishes them."
        ),
        "version": str(result_set.version),
        "created": (result_set.published_at or result_set.computed_at).isoformat(),
        "homepage": homepage,
        "keywords": ["ITA", "คุณธรรมและความโปร่งใส", "integrity", "transparency", str(fy)],
        "licenses": [_licence()],
        "contributors": [
            {"title": settings.ITAS_OPEN_DATA_PUBLISHER, "roles": ["publisher"]},
        ],
        "resources": [
            {
                "name": "results",
                "title": f"ผลรายหน่วยงาน ปี {fy} / Results by agency, {fy}",
                "path": resource_path,
                "type": "table",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "licenses": [_licence()],
                "schema": {
                    "fields": [c.descriptor() for c in columns(result_set)],
                    "primaryKey": ["agency_code"],
                    "missingValues": [""],
                },
            }
        ],
    }


def _names():
    provinces = dict(Province.objects.values_list("code", "name_th"))
    districts = dict(District.objects.values_list("code", "name_th"))
    kinds = {k.value: str(k.label) for k in AgencyKind}
    return provinces, districts, kinds


def _fmt(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def rows(result_set: ResultSet) -> Iterator[list]:
    """The package's rows, rounded, in chunks (memory stays flat at national scale)."""
    spec = result_set.cycle.framework.spec
    codes = [i.code for i in spec.indicators]
    provinces, districts, kinds = _names()
    fy = result_set.cycle.fiscal_year
    qs = (
        AgencyResult.objects.filter(result_set=result_set)
        .order_by("enrolment__agency__code")
        .values_list(*PUBLIC_ROW_FIELDS, "iit_respondents", "eit_respondents")
    )

    def r2(v):
        return None if v is None else round2(v)

    def flush(chunk):
        scores: dict[int, dict] = {}
        for ar, code, score in IndicatorResult.objects.filter(
            agency_result_id__in=[c[0] for c in chunk], indicator_code__in=codes
        ).values_list("agency_result_id", "indicator_code", "score"):
            scores.setdefault(ar, {})[code] = score
        for pk, code, kind, name, akind, prov, dist, iit, eit, oit, total, *rest in chunk:
            grade, label, passed, n_iit, n_eit = rest
            ind = scores.get(pk, {})
            yield [
                fy,
                result_set.version,
                code,
                f"{NAME_PREFIX.get(kind, '')}{name}",
                akind,
                kinds.get(akind, akind),
                prov,
                provinces.get(prov, ""),
                dist,
                districts.get(dist, ""),
                r2(iit),
                r2(eit),
                r2(oit),
                r2(total),
                grade,
                label,
                passed,
                n_iit,
                n_eit,
                *(r2(ind.get(c)) for c in codes),
            ]

    for chunk in batched(qs.iterator(chunk_size=CHUNK), CHUNK):
        yield from flush(chunk)


def csv_lines(result_set: ResultSet) -> Iterator[str]:
    # No byte-order mark: the package is read by data tools, which the descriptor tells UTF-8.
    return tabular.csv_lines(
        [c.name for c in columns(result_set)],
        ([_fmt(v) for v in row] for row in rows(result_set)),
        bom=False,
        lineterminator="\n",
    )
