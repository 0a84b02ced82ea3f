"""Demo agencies: the real registry when ITAS_DLA_FILE points at it, otherwise a generated one.

Either way Bueng Kan (38) is there in full, with the real codes, types, names and districts of
its 58 LAOs (a few rows of the DLA open data), so that the 45 LAOs named in the provincial
letter of March 2021 (shared/seeds/004_…) can be matched in the demo. Bangkok and one central
agency are added as NACC would add them by hand.
"""

import os

from itas.agencies.generator import plan
from itas.agencies.importer import import_file
from itas.agencies.models import KIND_BY_REGISTRY_TYPE, Agency, AgencyKind, AgencySource

DEMO_COUNT = 400
DEMO_SEED = 2564
BUENG_KAN = "38"

# (รหัส อปท., ประเภท อปท., อปท.) — the district is digits 2-5 of the code.
BUENG_KAN_LAOS = [
    ("2380101", "อบจ.", "บึงกาฬ"),
    ("5380102", "เทศบาลตำบล", "หอคำ"),
    ("5380103", "เทศบาลตำบล", "โนนสว่าง"),
    ("4380104", "เทศบาลเมือง", "บึงกาฬ"),
    ("5380105", "เทศบาลตำบล", "ไคสี"),
    ("5380107", "เทศบาลตำบล", "โคกก่อง"),
    ("6380109", "อบต.", "นาสวรรค์"),
    ("6380110", "อบต.", "โป่งเปือย"),
    ("6380111", "อบต.", "คำนาดี"),
    ("5380112", "เทศบาลตำบล", "หนองเลิง"),
    ("6380113", "อบต.", "ชัยพร"),
    ("6380114", "อบต.", "โนนสมบูรณ์"),
    ("5380201", "เทศบาลตำบล", "พรเจริญ"),
    ("5380202", "เทศบาลตำบล", "ดอนหญ้านาง"),
    ("5380203", "เทศบาลตำบล", "ศรีสำราญ"),
    ("6380204", "อบต.", "ป่าแฝก"),
    ("6380205", "อบต.", "วังชมภู"),
    ("6380206", "อบต.", "ศรีชมภู"),
    ("6380207", "อบต.", "หนองหัวช้าง"),
    ("5380301", "เทศบาลตำบล", "โซ่พิสัย"),
    ("6380302", "อบต.", "ถ้ำเจริญ"),
    ("6380303", "อบต.", "บัวตูม"),
    ("6380304", "อบต.", "หนองพันทา"),
    ("6380305", "อบต.", "คำแก้ว"),
    ("6380306", "อบต.", "โซ่"),
    ("6380307", "อบต.", "ศรีชมภู"),
    ("6380308", "อบต.", "เหล่าทอง"),
    ("5380401", "เทศบาลตำบล", "ท่าสะอาด"),
    ("5380402", "เทศบาลตำบล", "ศรีพนา"),
    ("6380403", "อบต.", "บ้านต้อง"),
    ("6380404", "อบต.", "ท่าสะอาด"),
    ("5380405", "เทศบาลตำบล", "ซาง"),
    ("6380406", "อบต.", "โสกก่าม"),
    ("6380407", "อบต.", "น้ำจั้น"),
    ("6380408", "อบต.", "หนองทุ่ม"),
    ("6380409", "อบต.", "เซกา"),
    ("5380410", "เทศบาลตำบล", "ป่งไฮ"),
    ("6380411", "อบต.", "ท่ากกแดง"),
    ("5380501", "เทศบาลตำบล", "ปากคาด"),
    ("6380502", "อบต.", "นากั้ง"),
    ("6380503", "อบต.", "ปากคาด"),
    ("6380504", "อบต.", "โนนศิลา"),
    ("6380505", "อบต.", "นาดง"),
    ("6380506", "อบต.", "หนองยอง"),
    ("6380507", "อบต.", "สมสนุก"),
    ("5380601", "เทศบาลตำบล", "บึงโขงหลง"),
    ("5380602", "เทศบาลตำบล", "บึงงาม"),
    ("6380603", "อบต.", "ท่าดอกคำ"),
    ("6380604", "อบต.", "ดงบัง"),
    ("6380605", "อบต.", "โพธิ์หมากแข้ง"),
    ("5380701", "เทศบาลตำบล", "ศรีวิไล"),
    ("6380702", "อบต.", "นาสะแบง"),
    ("6380703", "อบต.", "ชุมภูพร"),
    ("6380704", "อบต.", "นาสิงห์"),
    ("6380705", "อบต.", "นาแสง"),
    ("6380801", "อบต.", "หนองเดิ่น"),
    ("6380802", "อบต.", "บุ่งคล้า"),
    ("6380803", "อบต.", "โคกกว้าง"),
]

MANUAL_AGENCIES = [
    ("1000000", AgencyKind.SPECIAL, "กรุงเทพมหานคร", "10", None),
    ("C150800", AgencyKind.CENTRAL, "กรมส่งเสริมการปกครองท้องถิ่น", "10", None),
]


def load_bueng_kan() -> int:
    existing = set(Agency.objects.filter(province_id=BUENG_KAN).values_list("code", flat=True))
    new = [
        Agency(
            code=code,
            kind=str(KIND_BY_REGISTRY_TYPE[registry_type]),
            name=name,
            province_id=BUENG_KAN,
            district_id=code[1:5],
            source=AgencySource.DLA,
        )
        for code, registry_type, name in BUENG_KAN_LAOS
        if code not in existing
    ]
    Agency.objects.bulk_create(new)
    return len(new)


def load(command):
    path = os.environ.get("ITAS_DLA_FILE", "").strip()
    if path:
        result = import_file(path)
        command.stdout.write(f"agencies: {path}: {result.summary}")
    else:
        # Generated agencies everywhere except Bueng Kan, which gets its real LAOs.
        if not Agency.objects.filter(source=AgencySource.GENERATED).exists():
            Agency.objects.bulk_create(
                [a for a in plan(DEMO_COUNT, DEMO_SEED) if a.province_id != BUENG_KAN],
                ignore_conflicts=True,
            )
        created = load_bueng_kan()
        command.stdout.write(
            f"agencies: {Agency.objects.count()} in the registry "
            f"({created} real LAOs of Bueng Kan added)"
        )
    for code, kind, name, province, district in MANUAL_AGENCIES:
        Agency.objects.get_or_create(
            code=code,
            defaults={
                "kind": kind,
                "name": name,
                "province_id": province,
                "district_id": district,
                "source": AgencySource.MANUAL,
            },
        )
