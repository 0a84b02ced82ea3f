"""Demo assessor groups: each a named set of provinces with its assessor team (editable data)."""

from itas.geo.models import AssessorGroup, Province

# Group 4 covers Bueng Kan and its neighbours, as the demo's assessor sees them.
GROUPS = [
    ("กลุ่มที่ 1 ภาคเหนือ", "คณะที่ปรึกษาการประเมิน มหาวิทยาลัยเชียงใหม่ (สาธิต)", "north"),
    ("กลุ่มที่ 2 ภาคกลาง", "คณะที่ปรึกษาการประเมิน มหาวิทยาลัยธรรมศาสตร์ (สาธิต)", "central"),
    ("กลุ่มที่ 3 ภาคตะวันออกและตะวันตก", "คณะที่ปรึกษาการประเมิน มหาวิทยาลัยบูรพา (สาธิต)", "east,west"),
    (
        "กลุ่มที่ 4 ภาคตะวันออกเฉียงเหนือตอนบน",
        "คณะที่ปรึกษาการประเมิน มหาวิทยาลัยขอนแก่น (สาธิต)",
        "38,43,41,42,39,47,48",
    ),
    (
        "กลุ่มที่ 5 ภาคตะวันออกเฉียงเหนือตอนล่าง",
        "คณะที่ปรึกษาการประเมิน มหาวิทยาลัยอุบลราชธานี (สาธิต)",
        "northeast",
    ),
    ("กลุ่มที่ 6 ภาคใต้", "คณะที่ปรึกษาการประเมิน มหาวิทยาลัยสงขลานครินทร์ (สาธิต)", "south"),
]
UPPER_NORTHEAST_GROUP = GROUPS[3][0]


def load(command):
    taken: set[str] = set()
    created = 0
    for name, team, spec in GROUPS:
        group, was_created = AssessorGroup.objects.get_or_create(
            name=name, defaults={"team_name": team}
        )
        created += was_created
        if not was_created:
            taken |= set(group.provinces.values_list("code", flat=True))
            continue
        parts = spec.split(",")
        if parts[0].isdigit():
            provinces = Province.objects.filter(code__in=parts)
        else:
            provinces = Province.objects.filter(region_id__in=parts)
        provinces = [p for p in provinces if p.code not in taken]
        group.provinces.set(provinces)
        taken |= {p.code for p in provinces}
    command.stdout.write(f"geo: {created} assessor groups created")
