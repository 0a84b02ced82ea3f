"""One demo user per role (password "demo-password"), listed on the login page in demo mode."""

from django.contrib.auth.hashers import make_password

from itas.accounts.models import RoleAssignment, User
from itas.agencies.demo import demo_agency
from itas.agencies.models import Agency
from itas.core.roles import Function, Role
from itas.geo.models import AssessorGroup, District, Province

DEMO_PASSWORD = "demo-password"
DOMAIN = "demo.itas.local"
GROUP = "กลุ่มที่ 4 ภาคตะวันออกเฉียงเหนือตอนบน"

# (local part, full name, position, role, scope kind, function)
PEOPLE = [
    ("nacc", "นางสาวสุนิสา ตรวจดี", "ผู้ดูแลระบบ สำนักงาน ป.ป.ช.", Role.NACC_ADMIN, None, ""),
    ("assessor", "ผศ.ดร.ประเสริฐ ใจตรง", "ผู้ตรวจประเมิน", Role.ASSESSOR, "group", ""),
    ("interviewer", "นายวีระ โทรถาม", "พนักงานสัมภาษณ์ทางโทรศัพท์", Role.INTERVIEWER, "group", ""),
    (
        "coordinator",
        "นางพรทิพย์ ประสานงาน",
        "ท้องถิ่นจังหวัดบึงกาฬ",
        Role.PROVINCE_COORDINATOR,
        "province",
        "",
    ),
    ("district", "นายสมศักดิ์ อำเภอดี", "ท้องถิ่นอำเภอเมืองบึงกาฬ", Role.DISTRICT_OFFICER, "district", ""),
    ("admin", "นางสาวมาลี ดูแลระบบ", "นักวิเคราะห์นโยบายและแผน", Role.AGENCY_ADMIN, "agency", ""),
    ("executive", "นายบุญมี ผู้บริหาร", "ปลัดเทศบาล", Role.AGENCY_EXECUTIVE, "agency", ""),
    (
        "officer",
        "นายธนา เว็บไซต์",
        "นักวิชาการคอมพิวเตอร์",
        Role.AGENCY_OFFICER,
        "agency",
        Function.WEBSITE,
    ),
    (
        "finance",
        "นางสาวอร บัญชี",
        "นักวิชาการเงินและบัญชี",
        Role.AGENCY_OFFICER,
        "agency",
        Function.FINANCE,
    ),
]


def load(command):
    # เทศบาลตำบลท่าสะอาด, Seka, Bueng Kan (line 1 of the seed letter's list).
    agency = demo_agency() or Agency.objects.filter(province_id="38").first()
    scopes = {
        None: {},
        "group": {"assessor_group": AssessorGroup.objects.filter(name=GROUP).first()},
        "province": {"province": Province.objects.get(code="38")},
        "district": {"district": District.objects.get(code="3801")},
        "agency": {"agency": agency},
    }
    password = make_password(DEMO_PASSWORD)  # set directly: the validators would refuse it
    created = 0
    for local, full_name, position, role, scope, function in PEOPLE:
        target = scopes[scope]
        if any(v is None for v in target.values()):
            command.stdout.write(f"accounts: skipped {local} (no {scope} in the demo data)")
            continue
        user, was_created = User.objects.get_or_create(
            email=f"{local}@{DOMAIN}",
            defaults={"full_name": full_name, "position": position, "password": password},
        )
        created += was_created
        RoleAssignment.objects.get_or_create(user=user, role=role, function=function, **target)
    _appointment_deadline()
    command.stdout.write(
        f"accounts: {created} demo users created (password: {DEMO_PASSWORD}, e-mail *@{DOMAIN})"
    )


def _appointment_deadline() -> None:
    """NACC's date for naming each agency's people: a month from today, for this fiscal year."""
    import datetime as dt

    from django.utils import timezone

    from itas.accounts.models import AppointmentDeadline
    from itas.core.thaidate import fiscal_year

    today = timezone.localdate()
    AppointmentDeadline.objects.get_or_create(
        fiscal_year=fiscal_year(today), defaults={"due_on": today + dt.timedelta(days=30)}
    )
