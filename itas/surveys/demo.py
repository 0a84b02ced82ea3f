"""Demo answers: a few thousand plausible IIT/EIT responses spread over the demo agencies
(the demo agency admin's agency and Bueng Kan first), some by telephone, one flagged burst at
the demo agency for NACC's flags page, and a small contact list for the interviewers.
Bulk inserts; a few seconds on SQLite. Idempotent: skipped if the cycle has responses."""

from __future__ import annotations

import datetime as dt
import hashlib
import random
import uuid

from django.utils import timezone

from itas.accounts.models import RoleAssignment
from itas.agencies.demo import demo_agency
from itas.core.roles import Role
from itas.cycles.models import Cycle, CycleStatus
from itas.frameworks.engine import question_score
from itas.surveys import store
from itas.surveys.anon import hour_of
from itas.surveys.models import Channel, Contact, ContactList, Response

MAX_AGENCIES = 120


def _choose(rng, sub, quality: float) -> str:
    ranked = sorted(sub.choices, key=lambda c: c.score)
    top = len(ranked) - 1
    r = rng.random()
    if r < quality * 0.55:
        return ranked[top].value
    if r < quality * 0.95:
        return ranked[max(0, top - 1)].value
    return ranked[rng.randint(0, top)].value


def load(command) -> None:
    cycle = (
        Cycle.objects.real()
        .filter(status=CycleStatus.OPEN, enrolments__isnull=False)
        .select_related("framework")
        .order_by("-fiscal_year")
        .first()
    )
    if cycle is None:
        command.stdout.write("surveys: no open cycle; nothing to do")
        return
    if Response.objects.filter(enrolment__cycle=cycle).exists():
        command.stdout.write("surveys: answers already there")
        return
    spec = cycle.framework.spec
    rng = random.Random(cycle.fiscal_year * 7)
    enrolments = list(cycle.enrolments.select_related("agency"))
    home = demo_agency()  # the demo agency admin's agency
    demo_code = home.code if home else ""
    enrolments.sort(
        key=lambda e: (e.agency.code != demo_code, e.agency.province_id != "38", e.agency.code)
    )
    enrolments = enrolments[:MAX_AGENCIES]
    interviewer = (
        RoleAssignment.objects.filter(role=Role.INTERVIEWER).select_related("user").first()
    )
    now = timezone.now()
    responses, answer_rows = [], []

    def add(enrolment, instrument, quality, *, channel=Channel.ONLINE, hours_ago=None, **extra):
        chosen = {}
        for q in spec.questions_for(instrument):
            chosen[q.code] = {s.code: _choose(rng, s, quality) for s in q.subitems}
        hours = hours_ago if hours_ago is not None else rng.randint(0, 21 * 24)
        r = Response(
            enrolment=enrolment,
            instrument=instrument,
            channel=channel,
            submission_id=uuid.uuid4(),
            submitted_hour=hour_of(now - dt.timedelta(hours=hours)),
            choices=chosen,
            duration_seconds=rng.randint(180, 900),
            abuse_hash=""
            if channel == Channel.INTERVIEW
            else hashlib.sha256(f"demo{rng.random()}".encode()).hexdigest(),
            interviewer=interviewer.user if channel == Channel.INTERVIEW and interviewer else None,
            **extra,
        )
        r.flagged = bool(r.flags)
        responses.append((r, chosen))

    for e in enrolments:
        quality = rng.uniform(0.45, 0.97)
        minimum = spec.minimum_sample(e.iit_population) if e.iit_population else 15
        for _ in range(int(minimum * rng.uniform(0.1, 1.25))):
            add(e, "iit", quality)
        for _ in range(rng.randint(4, 20)):
            add(e, "eit", quality)
        if rng.random() < 0.3:
            for _ in range(rng.randint(1, 6)):
                add(e, "eit", quality, channel=Channel.INTERVIEW)
    # One burst at the demo agency: eight IIT answers from one device within minutes.
    demo = next((e for e in enrolments if e.agency.code == demo_code), enrolments[0])
    burst_hash = hashlib.sha256(b"demo-burst-device").hexdigest()
    for i in range(8):
        flags = (
            ["burst"] + (["straight_line"] if i % 3 == 0 else []) + (["too_fast"] if i < 5 else [])
        )
        r_count = len(responses)
        add(demo, "iit", 1.0, hours_ago=2, flags=flags)
        r = responses[r_count][0]
        r.abuse_hash = burst_hash
        r.duration_seconds = 25 + i * 4 if i < 5 else 140
        r.flagged = True

    Response.objects.bulk_create([r for r, _c in responses], batch_size=1000)
    for r, chosen in responses:
        for q in spec.questions_for(r.instrument):
            answer_rows.append(
                (r.pk, r.enrolment_id, q.code, float(question_score(q, chosen[q.code])))
            )
    store.insert_answers(answer_rows)

    names = ["สมชาย ใจดี", "สมหญิง รักงาน", "ประยูร มีสุข", "วันดี ศรีสุข", "บุญเรือน ทองดี",
             "สุดา แสงทอง", "อำนาจ พรมมา", "จันทร์เพ็ญ คำดี"]  # fmt: skip
    contact_list = ContactList.objects.create(
        enrolment=demo, filename="ผู้รับบริการ-สาธิต.csv", rows=len(names)
    )
    Contact.objects.bulk_create(
        [
            Contact(
                contact_list=contact_list,
                enrolment=demo,
                name=n,
                phone=f"08{rng.randint(10000000, 99999999)}",
            )
            for n in names
        ]
    )
    command.stdout.write(
        f"surveys: {len(responses)} responses, {len(answer_rows)} answer rows "
        f"over {len(enrolments)} agencies; one flagged burst at {demo.agency}"
    )
