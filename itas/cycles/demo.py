"""Demo cycle: the shipped framework run in the current fiscal year, with a calendar placed
around today so that the demo shows something in every part of the system at once:

* IIT/EIT collection is open now (the questionnaires work; posters carry a real closing date);
* OIT answers are open (agencies can submit evidence) and the OIT review has started beside it
  (assessors can review), as the real calendar lets them overlap;
* clarification, confirmation and results are upcoming (the calendar shows what comes next).

Every demo agency is enrolled, with a plausible IIT population for most. Idempotent.
"""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from itas.agencies.models import AgencyKind
from itas.core.thaidate import fiscal_year
from itas.cycles import services
from itas.cycles.models import Cycle, CycleStatus, Enrolment, PhaseKind
from itas.frameworks.models import Framework

POPULATION = {
    AgencyKind.SAO: (15, 60),
    AgencyKind.SUBDISTRICT_MUNICIPALITY: (20, 90),
    AgencyKind.TOWN_MUNICIPALITY: (80, 260),
    AgencyKind.CITY_MUNICIPALITY: (300, 900),
    AgencyKind.PAO: (150, 600),
    AgencyKind.SPECIAL: (400, 1200),
    AgencyKind.CENTRAL: (50, 500),
}


def demo_phases(today: dt.date) -> dict:
    d = dt.timedelta
    return {
        PhaseKind.REGISTRATION: (today - d(days=75), today - d(days=46)),
        PhaseKind.OIT_ANSWERS: (today - d(days=45), today + d(days=15)),
        PhaseKind.OIT_REVIEW: (today - d(days=20), today + d(days=30)),
        PhaseKind.CLARIFICATION: (today + d(days=31), today + d(days=45)),
        PhaseKind.CONFIRMATION: (today + d(days=46), today + d(days=55)),
        PhaseKind.SURVEY: (today - d(days=21), today + d(days=24)),
        PhaseKind.RESULTS: (today + d(days=70), today + d(days=85)),
    }


def load(command) -> None:
    framework = Framework.objects.filter(code="ita-2564-lao").first() or Framework.objects.first()
    if framework is None:
        command.stdout.write("cycles: no framework; nothing to do")
        return
    today = timezone.localdate()
    year = fiscal_year(today)
    cycle = Cycle.objects.real().filter(fiscal_year=year).first()
    if cycle is None:
        cycle = services.create_cycle(
            None,
            fiscal_year=year,
            framework=framework,
            name=f"ITA ปีงบประมาณ พ.ศ. {year} (สาธิต)",
            phases=demo_phases(today),
        )
    else:
        services.set_phases(None, cycle=cycle, phases=demo_phases(today))
    if cycle.status == CycleStatus.DRAFT:
        services.open_cycle(None, cycle=cycle)
    rng = random.Random(year)
    missing = list(cycle.enrolments.filter(iit_population__isnull=True).select_related("agency"))
    for e in missing:
        if rng.random() < 0.85:  # some agencies have not entered it yet: the pages show that
            low, high = POPULATION.get(e.agency.kind, (20, 80))
            e.iit_population = rng.randint(low, high)
    Enrolment.objects.bulk_update(missing, ["iit_population"], batch_size=1000)
    command.stdout.write(
        f"cycles: {cycle} open, {cycle.enrolments.count()} agencies enrolled; "
        f"survey {cycle.phase(PhaseKind.SURVEY).starts_on}–{cycle.phase(PhaseKind.SURVEY).ends_on}"
    )
    _documents_contact_and_faq(cycle)


def _pdf(title: str) -> bytes:
    """A one-page PDF standing in for the real manual (pypdf: no renderer needed)."""
    import io

    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Title": title})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _documents_contact_and_faq(cycle) -> None:
    """The year's manual (two versions: agencies see the second as new), the calendar letter,
    the ITA centre's contact as the letter gives it, and a few questions people ask."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from itas.core.models import FaqEntry
    from itas.cycles import documents

    if not cycle.documents.exists():
        manual = documents.add_document(
            None,
            cycle=cycle,
            kind="manual",
            title=f"คู่มือการประเมิน ITA ประจำปีงบประมาณ พ.ศ. {cycle.fiscal_year}",
            is_public=True,
            file=SimpleUploadedFile("manual.pdf", _pdf("manual v1")),
        )
        documents.add_version(
            None,
            document=manual,
            file=SimpleUploadedFile("manual-v2.pdf", _pdf("manual v2")),
            note="ปรับปฏิทินการประเมิน หน้า ๑๒",
        )
        documents.add_document(
            None,
            cycle=cycle,
            kind="letter",
            title="หนังสือแจ้งจังหวัด เรื่อง การประชุมชี้แจงผ่านระบบถ่ายทอดสด",
            is_public=False,
            file=SimpleUploadedFile("letter.pdf", _pdf("letter")),
        )
    documents.set_contact(
        None,
        cycle=cycle,
        name="ศูนย์ประเมินคุณธรรมและความโปร่งใสของหน่วยงานภาครัฐ สำนักงาน ป.ป.ช.",
        phone="0 2528 4500 ต่อ 2401-2402",
        email="ita@nacc.demo.itas.local",
        hours="วันจันทร์–ศุกร์ 08.30–16.30 น.",
    )
    if not FaqEntry.objects.exists():
        for position, (question, answer) in enumerate(FAQ):
            FaqEntry.objects.create(question=question, answer=answer, position=position)


FAQ = [
    (
        "ผู้ดูแลระบบของหน่วยงานลืมรหัสผ่าน ต้องทำอย่างไร",
        "กด “ลืมรหัสผ่าน” ที่หน้าเข้าสู่ระบบ ระบบจะส่งลิงก์ตั้งรหัสผ่านใหม่ไปที่อีเมลที่ลงทะเบียนไว้",
    ),
    (
        "ต้องแต่งตั้งผู้รับผิดชอบกี่คน",
        "ผู้ดูแลระบบ ๑ คน ผู้บริหารที่รับผิดชอบการประเมิน ๑ คน และเจ้าหน้าที่ผู้รับผิดชอบด้านนโยบายและแผน "
        "การเงินและบัญชี การคลังและพัสดุ การบริหารงานบุคคล และการดูแลเว็บไซต์",
    ),
    (
        "ทดลองใช้ระบบได้ที่ไหน",
        "ระหว่างเปิดรอบทดลองใช้ หน้าแรกของหน่วยงานมีลิงก์แบบสำรวจ โปสเตอร์ และกระดาน OIT สำหรับทดลอง "
        "ข้อมูลในรอบทดลองใช้ไม่นับผลการประเมิน",
    ),
]
