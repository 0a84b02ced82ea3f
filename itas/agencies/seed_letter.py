"""The Bueng Kan LAOs of seed letter 004, and a plausible registry of Bueng Kan built from them.

The letter (shared/seeds/004_722d02414b989ca8.txt: Bueng Kan province, 2 March 2021, forwarding
NACC's ปช 0017/ว 0015) lists the 45 LAOs of Bueng Kan that failed the FY2563 ITA, with their
districts. That list is our mission text; the DLA registry is not: the real registry is read from
../shared/data/ by tests and benchmarks only, never copied into the project. So the registry the
demo and the tests match the letter against is *built* here from the letter itself:

- each LAO of the letter, in the geothai district its district name stands for;
- its name as the letter writes it, except a few corrections listed in REGISTRY_SPELLING (the
  OCR errors the issue names, and one line left for a person to settle), so that the matcher
  meets the letter's misspellings as it would with the real registry;
- a few more SAOs, named after the tambons of the province that no LAO of the letter stands for,
  so that the registry is bigger than the list and has namesakes in other districts;
- 7-digit codes synthesized as itas.agencies.generator does (type digit, province 38, district
  digits, a sequence in the district): they follow the DLA pattern but are not the DLA's codes.
"""

from __future__ import annotations

from collections import defaultdict
from difflib import SequenceMatcher
from typing import NamedTuple

import geothai

from itas.agencies.generator import KIND_ORDER, TYPE_DIGIT
from itas.agencies.models import KIND_BY_REGISTRY_TYPE, Agency, AgencyKind, AgencySource
from itas.core.thaidate import thai_digits

LETTER = "shared/seeds/004_722d02414b989ca8.txt"
PROVINCE = "38"  # บึงกาฬ

# The list attached to the letter ("บัญชีรายชื่อองค์กรปกครองส่วนท้องถิ่นกลุ่มเป้าหมายที่ไม่ผ่าน
# เกณฑ์การประเมิน ITA ประจำปีงบประมาณ พ.ศ.๒๕๖๓ จำนวน ๔๕ แห่ง"), typed from it line by line:
# (type as the letter writes it, name, district without its "อำเภอ"), spelling as printed.
ENTRIES: list[tuple[str, str, str]] = [
    ("เทศบาลตำบล", "ท่าสะอาด", "เซกา"),  # ๑
    ("เทศบาลตำบล", "ศรีพนา", "เซกา"),
    ("เทศบาลตำบล", "ซาง", "เซกา"),
    ("องค์การบริหารส่วนตำบล", "ท่าสะอาด", "เซกา"),
    ("องค์การบริหารส่วนตำบล", "น้ำจั้น", "เซกา"),  # ๕
    ("องค์การบริหารส่วนตำบล", "บ้านด้อง", "เซกา"),
    ("องค์การบริหารส่วนตำบล", "ท่ากกแดง", "เซกา"),
    ("เทศบาลตำบล", "ปงไฮ", "เซกา"),
    ("เทศบาลตำบล", "โซ่พิสัย", "โซ่พิสัย"),
    ("องค์การบริหารส่วนตำบล", "ถ้ำเจริญ", "โซ่พิสัย"),  # ๑๐
    ("องค์การบริหารส่วนตำบล", "ศรีชมภู", "โซ่พิสัย"),
    ("องค์การบริหารส่วนตำบล", "โซ่", "โซ่พิสัย"),
    ("องค์การบริหารส่วนตำบล", "คำแก้ว", "โซ่พิสัย"),
    ("องค์การบริหารส่วนตำบล", "บัวตูม", "โซ่พิสัย"),
    ("องค์การบริหารส่วนตำบล", "เหล่าทอง", "โซ่พิสัย"),  # ๑๕
    ("เทศบาลตำบล", "บึงงาม", "บึงโขงหลง"),
    ("องค์การบริหารส่วนตำบล", "โพธิ์หมากแข้ง", "บึงโขงหลง"),
    ("องค์การบริหารส่วนตำบล", "ท่าดอกคำ", "บึงโขงหลง"),
    ("องค์การบริหารส่วนตำบล", "บึงคล้า", "บึงคล้า"),
    ("องค์การบริหารส่วนตำบล", "หนองเติน", "บึงคล้า"),  # ๒๐
    ("องค์การบริหารส่วนตำบล", "โคกกวาง", "บึงคล้า"),
    ("เทศบาลตำบล", "ปากคาด", "ปากคาด"),
    ("องค์การบริหารส่วนตำบล", "ปากคาด", "ปากคาด"),
    ("องค์การบริหารส่วนตำบล", "นาแก้ง", "ปากคาด"),
    ("องค์การบริหารส่วนตำบล", "สมสนุก", "ปากคาด"),  # ๒๕
    ("องค์การบริหารส่วนตำบล", "โนนศิลา", "ปากคาด"),
    ("องค์การบริหารส่วนตำบล", "นาตง", "ปากคาด"),
    ("องค์การบริหารส่วนตำบล", "หนองยอง", "ปากคาด"),
    ("เทศบาลตำบล", "ศรีสำราญ", "พรเจริญ"),
    ("เทศบาลตำบล", "ดอนภูพานาง", "พรเจริญ"),  # ๓๐
    ("องค์การบริหารส่วนตำบล", "ป่าแฝก", "พรเจริญ"),
    ("เทศบาลตำบล", "หนองเล็ง", "เมืองบึงกาฬ"),
    ("เทศบาลเมือง", "บึงกาฬ", "เมืองบึงกาฬ"),
    ("เทศบาลตำบล", "โคกก่อง", "เมืองบึงกาฬ"),
    ("เทศบาลตำบล", "ไคสี", "เมืองบึงกาฬ"),  # ๓๕
    ("เทศบาลตำบล", "หอคำ", "เมืองบึงกาฬ"),
    ("องค์การบริหารส่วนจังหวัด", "บึงกาฬ", "เมืองบึงกาฬ"),
    ("องค์การบริหารส่วนตำบล", "โป่งเปือย", "เมืองบึงกาฬ"),
    ("องค์การบริหารส่วนตำบล", "นาสวรรค์", "เมืองบึงกาฬ"),
    ("องค์การบริหารส่วนตำบล", "ชัยพร", "เมืองบึงกาฬ"),  # ๔๐
    ("องค์การบริหารส่วนตำบล", "โนนสมบูรณ์", "เมืองบึงกาฬ"),
    ("เทศบาลตำบล", "ศรีวิไล", "ศรีวิไล"),
    ("องค์การบริหารส่วนตำบล", "ชุมภูพร", "ศรีวิไล"),
    ("องค์การบริหารส่วนตำบล", "นาสิงห์", "ศรีวิไล"),
    ("องค์การบริหารส่วนตำบล", "นาสะแบง", "ศรีวิไล"),  # ๔๕
]

# Letter district -> geothai district, where the letter spells it differently. An explicit table,
# not a similarity guess: there is one such district, and a wrong guess would put LAOs in the
# wrong district silently. The letter writes บึงคล้า (บึง, "lake") for the official บุ่งคล้า
# (บุ่ง, "marsh"; the district split from เซกา in 2011), and spells its namesake SAO the same way.
# Every other district of the letter is a geothai district of Bueng Kan as written.
DISTRICT_SPELLING = {"บึงคล้า": "บุ่งคล้า"}

# Letter name -> name in the built registry. Only these are corrected; every other misspelling of
# the letter (ปงไฮ, โคกกวาง, นาแก้ง, นาตง, หนองเล็ง, บึงคล้า) is kept on both sides, since without
# the registry we do not claim to know the LAO's official name.
REGISTRY_SPELLING = {
    # The OCR errors the issue names (ด/ต and ต/ด with the tone mark lost): the matcher must find
    # บ้านต้อง and หนองเดิ่น from the letter's บ้านด้อง and หนองเติน.
    "บ้านด้อง": "บ้านต้อง",
    "หนองเติน": "หนองเดิ่น",
    # The deliberate open line. No tambon of พรเจริญ is called ดอนภูพานาง in geothai; the tambon
    # whose name is closest is ดอนหญ้านาง (geothai), and a tambon municipality bears its tambon's
    # name. Too far from the letter's spelling for a machine to decide: a person settles it.
    "ดอนภูพานาง": "ดอนหญ้านาง",
}

# A letter name that is no tambon as written stands for the closest free tambon of its district
# when they are at least this similar (difflib ratio): ปงไฮ/ป่งไฮ 0.89, หนองเล็ง/หนองเลิง 0.88,
# นาแก้ง/นากั้ง 0.83, บึงคล้า/บุ่งคล้า 0.80, นาตง/นาดง 0.75, while ศรีพนา (a municipality named
# after no tambon) is at most 0.2 with the free tambons of เซกา, which thus all get an SAO.
SAME_TAMBON = 0.6


class BuengKan(NamedTuple):
    letter: list[Agency]  # the 45 lines of the letter, in the letter's order
    extra: list[Agency]  # SAOs of the tambons that no LAO of the letter stands for

    @property
    def agencies(self) -> list[Agency]:
        return sorted(self.letter + self.extra, key=lambda a: a.code)


def list_text() -> str:
    """The list as the letter prints it: Thai sequence number, full name, district, tab-separated."""
    return "".join(
        f"{thai_digits(i)}\t{kind}{name}\tอำเภอ{district}\n"
        for i, (kind, name, district) in enumerate(ENTRIES, start=1)
    )


def district_codes() -> dict[str, str]:
    """Each district name of the letter -> the code of the geothai district of Bueng Kan."""
    official = {d.name_th: d.code for d in geothai.districts(PROVINCE)}
    out = {}
    for _kind, _name, district in ENTRIES:
        name = DISTRICT_SPELLING.get(district, district)
        if name not in official:
            raise ValueError(f"{district}: no such district of Bueng Kan in geothai")
        out[district] = official[name]
    return out


def _free_tambons(district: str, names: set[str]) -> list[str]:
    """The tambons of `district` that no LAO named `names` stands for."""
    tambons = sorted({s.name_th for s in geothai.subdistricts(district)})
    free = [t for t in tambons if t not in names]
    pairs = sorted(
        (
            (SequenceMatcher(None, name, tambon).ratio(), name, tambon)
            for name in names - set(tambons)
            for tambon in free
        ),
        reverse=True,
    )
    used_names: set[str] = set()
    used_tambons: set[str] = set()
    for ratio, name, tambon in pairs:
        if ratio < SAME_TAMBON:
            break
        if name not in used_names and tambon not in used_tambons:
            used_names.add(name)
            used_tambons.add(tambon)
    return [t for t in free if t not in used_tambons]


def build(*, extras: bool = True) -> BuengKan:
    """Unsaved agencies: the letter's 45 LAOs (plus, with `extras`, the other tambons' SAOs)."""
    districts = district_codes()
    letter = [
        Agency(
            kind=str(KIND_BY_REGISTRY_TYPE[kind]),
            name=REGISTRY_SPELLING.get(name, name),
            province_id=PROVINCE,
            district_id=districts[district],
            source=AgencySource.GENERATED,
        )
        for kind, name, district in ENTRIES
    ]
    extra = []
    if extras:
        names: dict[str, set[str]] = defaultdict(set)
        for agency in letter:
            names[agency.district_id].add(agency.name)
        for district in sorted(names):
            extra += [
                Agency(
                    kind=str(AgencyKind.SAO),
                    name=tambon,
                    province_id=PROVINCE,
                    district_id=district,
                    source=AgencySource.GENERATED,
                )
                for tambon in _free_tambons(district, names[district])
            ]
    # Codes as the generator makes them: in each district, by type then name, numbered from 01.
    by_district: dict[str, list[Agency]] = defaultdict(list)
    for agency in letter + extra:
        by_district[agency.district_id].append(agency)
    for district, agencies in by_district.items():
        agencies.sort(key=lambda a: (KIND_ORDER.index(a.kind), a.name))
        for sequence, agency in enumerate(agencies, start=1):
            agency.code = f"{TYPE_DIGIT[agency.kind]}{district}{sequence:02d}"
    return BuengKan(letter, extra)


def code_of(kind: str, name: str, district: str = "") -> str:
    """The code, in the built registry, of the LAO of this type (as the letter writes it, or the
    DLA's short form) and registry name, optionally in this district (geothai name or code)."""
    wanted = str(KIND_BY_REGISTRY_TYPE[kind])
    found = [
        a
        for a in build().agencies
        if a.kind == wanted
        and a.name == name
        and (not district or district in (a.district_id, _district_name(a.district_id)))
    ]
    if len(found) != 1:
        raise LookupError(f"{kind}{name} {district}: {len(found)} agencies in the built registry")
    return found[0].code


def _district_name(code: str) -> str:
    return next(d.name_th for d in geothai.districts(PROVINCE) if d.code == code)
