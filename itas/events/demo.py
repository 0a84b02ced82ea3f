"""Demo: the region-4 webinar of seed letter 004 for the Bueng Kan LAOs it lists, and the
live-stream briefing of seed letter 000 for all LAOs.

The letter's webinar was about FY2564 for the LAOs that failed FY2563; the demo runs it in the
demo's own year (the current fiscal year, the year of the demo cycle) for the LAOs that failed
the year before, whose generated results (reports/demo.py) fail them, so that titles, the
target group and last year's scorecards tell one story.

Dates are shifted into the future so that registration is open in the demo: the webinar keeps
the letter's hours (09.00–12.00) and its four days between deadline and event (the letter:
deadline 15 มีนาคม 2564, event 19 มีนาคม 2564), starting three weeks from the day the demo loads.
The target group is built the way NACC would build it: the letter's list, typed as printed
(with its own misspellings), matched to the registry, and the one line the matcher cannot settle
(ดอนภูพานาง for ดอนหญ้านาง) chosen by a person.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from itas.agencies import seed_letter
from itas.agencies.models import KIND_BY_REGISTRY_TYPE, Agency
from itas.core.roles import Role
from itas.core.thaidate import fiscal_year, thai_digits
from itas.events import services
from itas.events.models import Event, EventKind, ListDraft
from itas.geo.models import Province

LIVESTREAM_TITLE = (
    "ประชุมชี้แจงกรอบการประเมินและวิธีการใช้งานระบบ ITAS ผ่านการถ่ายทอดสดออนไลน์ (YouTube Live)"
)


def webinar_title(year: int) -> str:
    return (
        "สัมมนา “ยกระดับผลการประเมินคุณธรรมและความโปร่งใสขององค์กรปกครองส่วนท้องถิ่น "
        f"ประจำปีงบประมาณ พ.ศ. {thai_digits(year)}” ครั้งที่ ๔ ภาคตะวันออกเฉียงเหนือ (ภาค ๔)"
    )


def group_name(year: int) -> str:
    """The LAOs of Bueng Kan that failed the year before the webinar's."""
    return f"อปท. จังหวัดบึงกาฬที่ไม่ผ่านเกณฑ์ ITA ปี {thai_digits(year - 1)} (บัญชีแนบหนังสือ ปช ๐๐๑๗/ว ๐๐๑๕)"


# The list attached to the letter, as printed (the letter's own misspellings kept).
SEED_LIST = seed_letter.list_text()
# What a person answers for a line the matcher leaves open (by the registry's spelling).
PERSON_CHOOSES = {"ดอนภูพานาง": "ดอนหญ้านาง"}


def webinar_agenda(year: int) -> list:
    fy = thai_digits(year)
    return [
        (dt.time(9, 0), dt.time(9, 15), "ลงทะเบียนเข้าระบบ Zoom Webinar", ""),
        (
            dt.time(9, 15),
            dt.time(9, 30),
            "ชี้แจงวัตถุประสงค์ของการสัมมนา “ยกระดับผลการประเมินคุณธรรมและความโปร่งใสสำหรับ"
            f"องค์กรปกครองส่วนท้องถิ่น ประจำปีงบประมาณ พ.ศ. {fy}”",
            "นายมนต์ชัย วสุวัต ผู้ช่วยเลขาธิการคณะกรรมการ ป.ป.ช.",
        ),
        (
            dt.time(9, 30),
            dt.time(12, 0),
            "อภิปราย เรื่อง “เจาะลึกการประเมิน ITA ประเด็นการเปิดเผยข้อมูลสาธารณะ (OIT) "
            "สำหรับองค์กรปกครองส่วนท้องถิ่น”",
            "วิทยากรจากสำนักพัฒนาและส่งเสริมธรรมาภิบาล วิทยากรจากสำนักประเมินคุณธรรมและความโปร่งใส "
            f"ผู้ตรวจประเมิน ITA ประจำปีงบประมาณ พ.ศ. {fy}",
        ),
        (dt.time(12, 0), None, "เสร็จสิ้นการสัมมนาออนไลน์", ""),
    ]


LIVESTREAM_AGENDA = [
    (
        dt.time(9, 30),
        dt.time(9, 45),
        "วัตถุประสงค์การประชุมชี้แจงและปฏิทินการประเมิน",
        "หัวหน้าศูนย์ประเมินคุณธรรมและความโปร่งใสของหน่วยงานภาครัฐ",
    ),
    (
        dt.time(9, 45),
        dt.time(10, 15),
        "บทบาทของผู้บริหารท้องถิ่นกับการยกระดับคุณธรรมและความโปร่งใส",
        "ผู้อำนวยการ",
    ),
    (
        dt.time(10, 15),
        dt.time(12, 0),
        "การเปิดเผยข้อมูล (Open Data) ตามกรอบการประเมิน",
        "หัวหน้าศูนย์ประเมินคุณธรรมและความโปร่งใสของหน่วยงานภาครัฐ และคณะ",
    ),
    (dt.time(12, 0), dt.time(13, 0), "พักรับประทานอาหารกลางวัน", ""),
    (
        dt.time(13, 0),
        dt.time(16, 30),
        "วิธีการใช้งานระบบการประเมินคุณธรรมและความโปร่งใส (ITAS)",
        "หัวหน้าศูนย์ประเมินคุณธรรมและความโปร่งใสของหน่วยงานภาครัฐ และคณะ",
    ),
]

# (type, name as in the registry, full name, position, e-mail): by name, not by code, so that the
# same agencies register whether the registry is built from the letter or the DLA's real one.
REGISTRANTS = [
    ("เทศบาลตำบล", "ท่าสะอาด", "นายบุญมี ผู้บริหาร", "ปลัดเทศบาล", "boonmee@thasaat.demo.itas.local"),
    (
        "เทศบาลตำบล",
        "ท่าสะอาด",
        "นางสาวมาลี ดูแลระบบ",
        "นักวิเคราะห์นโยบายและแผน",
        "malee@thasaat.demo.itas.local",
    ),
    (
        "เทศบาลตำบล",
        "บึงงาม",
        "นายสมชาย ใจดี",
        "นายกเทศมนตรีตำบลบึงงาม",
        "somchai@bungngam.demo.itas.local",
    ),
    (
        "อบต.",
        "หนองเดิ่น",
        "นางสาวสมศรี รักงาน",
        "ปลัด อบต.หนองเดิ่น",
        "somsri@nongdoen.demo.itas.local",
    ),
    (
        "อบจ.",
        "บึงกาฬ",
        "นายวิชัย ตั้งใจ",
        "หัวหน้าสำนักปลัด อบจ.บึงกาฬ",
        "wichai@pao-bk.demo.itas.local",
    ),
]


def _at(day: dt.date, time: dt.time) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, time))


def _actor():
    from itas.accounts.models import User

    return (
        User.objects.filter(role_assignments__role=Role.NACC_ADMIN, is_active=True).first()
        or User.objects.filter(is_superuser=True).first()
    )


def demo_year() -> int:
    """The fiscal year the demo runs in: its cycle's (the current fiscal year without one)."""
    from itas.cycles.models import Cycle

    cycle = Cycle.objects.real().order_by("-fiscal_year").first()
    return cycle.fiscal_year if cycle else fiscal_year(timezone.localdate())


def _target_group(actor, province, year: int):
    draft = ListDraft.objects.filter(name=group_name(year)).first()
    if draft is None:
        draft, counts = services.match_list(
            actor,
            name=group_name(year),
            data=SEED_LIST.encode("utf-8"),
            filename="seed004_bueng_kan.txt",
            province=province,
        )
    else:
        counts = {
            s: sum(1 for ln in draft.lines if ln["status"] == s)
            for s in ("matched", "ambiguous", "unmatched")
        }
    if draft.group_id:
        return draft.group, counts
    choices = {}
    for line in draft.lines:
        if line["status"] == "matched":
            continue
        wanted = next((v for k, v in PERSON_CHOOSES.items() if k in line["input"]), None)
        agency = Agency.objects.filter(province=province, name=wanted).first() if wanted else None
        choices[line["line"]] = agency.code if agency else services.SKIP
    return services.settle_list(actor, draft=draft, choices=choices), counts


def _event(actor, *, title, kind, day, start, end, deadline, agenda, **fields):
    event = Event.objects.filter(title=title).first()
    if event:
        return event, False
    event = Event(
        title=title,
        kind=kind,
        starts_at=_at(day, start),
        ends_at=_at(day, end),
        registration_deadline=deadline,
        **fields,
    )
    sessions = [{"starts": s, "ends": e, "topic": t, "speakers": sp} for s, e, t, sp in agenda]
    return services.save_event(actor, event=event, sessions=sessions), True


def load(command):
    province = Province.objects.get(code="38")
    if not Agency.objects.filter(province=province).exists():
        command.stdout.write("events: no Bueng Kan agencies in the registry; skipped")
        return
    actor = _actor()
    year = demo_year()
    group, counts = _target_group(actor, province, year)
    command.stdout.write(
        "events: seed 004 list matched: "
        f"{counts['matched']} matched, {counts['ambiguous']} ambiguous, "
        f"{counts['unmatched']} unmatched; target group of {group.members.count()} agencies"
    )
    today = timezone.localdate()
    webinar_day = today + dt.timedelta(days=21)
    webinar, created = _event(
        actor,
        title=webinar_title(year),
        kind=EventKind.WEBINAR,
        day=webinar_day,
        start=dt.time(9, 0),
        end=dt.time(12, 0),
        deadline=_at(webinar_day - dt.timedelta(days=4), dt.time(23, 59)),
        agenda=webinar_agenda(year),
        description=(
            "รูปแบบออนไลน์ (Zoom Webinar) สำหรับองค์กรปกครองส่วนท้องถิ่นกลุ่มเป้าหมายที่ไม่ผ่านเกณฑ์"
            f"การประเมิน ITA ประจำปีงบประมาณ พ.ศ. {thai_digits(year - 1)} "
            "เชิญผู้บริหารหรือผู้แทน และเจ้าหน้าที่ แห่งละ ๒ คน"
        ),
        join_url="https://zoom.example/j/91234567890",
        meeting_id="912 3456 7890",
        passcode=f"ITA{year}",
        seats_per_agency=2,
        contact_name="กลุ่มส่งเสริมธรรมาภิบาลองค์กรปกครองส่วนท้องถิ่น สำนักงาน ป.ป.ช.",
        contact_phone="0 2528 4800 ต่อ 7121-7122",
        letter_number="ปช 0017/ว 0015",
        target_group=group,
    )
    if created:
        for kind, agency_name, name, position, email in REGISTRANTS:
            agency = Agency.objects.filter(
                province=province, kind=KIND_BY_REGISTRY_TYPE[kind], name=agency_name
            ).first()
            try:
                request = services.register(
                    None,
                    event=webinar,
                    agency_code=agency.code if agency else "",
                    full_name=name,
                    position=position,
                    email=email,
                    phone="0 4249 2478",
                )
                services.confirm_registration(None, registration=request)
            except services.EventError as exc:
                command.stdout.write(f"events: demo registration skipped: {exc}")
        services.announce(
            actor,
            event=webinar,
            message=(
                "สำนักงาน ป.ป.ช. ขอเชิญผู้บริหารหรือผู้แทน และเจ้าหน้าที่ แห่งละ ๒ คน เข้าร่วมสัมมนา"
                "ออนไลน์ (Zoom Webinar) และลงทะเบียนภายในวันที่กำหนด "
                "(หนังสือที่ ปช ๐๐๑๗/ว ๐๐๑๕)"
            ),
        )
    livestream_day = today + dt.timedelta(days=35)
    livestream, created_stream = _event(
        actor,
        title=LIVESTREAM_TITLE,
        kind=EventKind.LIVESTREAM,
        day=livestream_day,
        start=dt.time(9, 30),
        end=dt.time(16, 30),
        deadline=_at(livestream_day - dt.timedelta(days=2), dt.time(16, 30)),
        agenda=LIVESTREAM_AGENDA,
        description=(
            "ให้องค์กรปกครองส่วนท้องถิ่นรับชมพร้อมกัน ณ สถานที่ที่กำหนดในเขตอำเภอ "
            "ผู้ดูแลระบบ ๑ คน ผู้บริหารที่รับผิดชอบการประเมิน ๑ คน และเจ้าหน้าที่ที่เกี่ยวข้อง"
        ),
        join_url="https://youtube.example/live/itas-briefing",
        seats_per_agency=7,
        contact_name="ศูนย์ประเมินคุณธรรมและความโปร่งใสของหน่วยงานภาครัฐ สำนักงาน ป.ป.ช.",
        contact_phone="0 2528 4500 ต่อ 2401-2402",
    )
    if created_stream:
        _viewing_sites(command, livestream)
    registered = webinar.registrations.filter(status="registered").count()
    command.stdout.write(
        f"events: webinar on {webinar.starts_at:%Y-%m-%d} (registration open until "
        f"{timezone.localtime(webinar.registration_deadline):%Y-%m-%d %H:%M}), "
        f"{registered} registered; open /events/r/{webinar.public_code}/"
    )


SITES = [
    # (venue, address, host, phone, capacity, equipment, attended: {position in list: who})
    (
        "หอประชุมที่ว่าการอำเภอ",
        "ที่ว่าการอำเภอ ถนนสายหลัก",
        "นายปกครอง ท้องถิ่นอำเภอ",
        "0 4249 0000",
        80,
        "จอโปรเจกเตอร์ ๒ จอ ลำโพง อินเทอร์เน็ตความเร็วสูง ปลั๊กไฟสำหรับโน้ตบุ๊ก",
        {0: ["admin", "executive", "policy", "finance"], 1: ["admin", "website"]},
    ),
    (
        "ห้องประชุมสำนักงานเทศบาล",
        "สำนักงานเทศบาล ชั้น ๒",
        "นางสาวใจดี ประสานงาน",
        "0 4249 1111",
        40,
        "โทรทัศน์ ๖๕ นิ้ว Wi-Fi",
        {0: ["admin", "executive", "procurement", "personnel", "website"]},
    ),
]


def _viewing_sites(command, event) -> None:
    """The coordinator of Bueng Kan designates two sites in the demo agency's district and
    splits its agencies between them; a few agencies are marked present so that the follow-up
    has something to show."""
    from itas.accounts.models import User
    from itas.events import sites as site_services
    from itas.events.models_sites import ViewingSite

    coordinator = User.objects.filter(
        role_assignments__role=Role.PROVINCE_COORDINATOR, role_assignments__province_id="38"
    ).first()
    agency = Agency.objects.filter(province_id="38", name="ท่าสะอาด").order_by("kind").first()
    if coordinator is None or agency is None or agency.district is None:
        command.stdout.write("events: no coordinator or district for the viewing sites; skipped")
        return
    agencies = list(site_services.district_agencies(event, agency.district))
    agencies.sort(key=lambda a: a.pk != agency.pk)  # the demo agency watches at the first site
    half = (len(agencies) + 1) // 2
    for (venue, address, host, phone, capacity, equipment, attended), members in zip(
        SITES, (agencies[:half], agencies[half:]), strict=True
    ):
        site = site_services.save_site(
            coordinator,
            site=ViewingSite(
                event=event,
                district=agency.district,
                venue=venue,
                address=address,
                host_name=host,
                host_phone=phone,
                capacity=capacity,
                equipment_note=equipment,
            ),
        )
        site_services.assign_agencies(coordinator, site=site, agency_ids=[a.pk for a in members])
        for index, who in attended.items():
            if index < len(members):
                site_services.record_attendance(
                    None, site=site, agency=members[index], represented=who
                )
        command.stdout.write(f"events: viewing site {venue}: host link {site.host_path()}")
