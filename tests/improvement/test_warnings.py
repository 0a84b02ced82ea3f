"""The early warning in the database: the refresh reads answers, OIT items and last year; each
coordinator or district officer sees their scope ranked by risk and reminds from there."""

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from itas.core.models import AuditEntry, Notification
from itas.cycles.models import Phase, PhaseKind
from itas.improvement.models import EarlyWarning
from itas.improvement.services import elapsed_share, refresh_warnings
from itas.scoring.models import ResultStatus
from tests.factories import AgencyFactory
from tests.reports.factories import add_result, make_result_set
from tests.scoring.builders import all_questions, decide, enrol, make_cycle, respond


@pytest.fixture
def cycle(world):
    """FY2571 halfway through its survey phase. The demo agency has answers at 95 and every OIT
    item met; a second agency of the same district has nothing at all; one in Chiang Mai too."""
    last = make_cycle(fiscal_year=2570, status="closed")
    rs = make_result_set(last, status=ResultStatus.PUBLISHED)
    add_result(rs, world.agency, 93.0)
    c = make_cycle(fiscal_year=2571)
    today = timezone.localdate()
    Phase.objects.create(
        cycle=c,
        kind=PhaseKind.SURVEY,
        starts_on=today - dt.timedelta(days=10),
        ends_on=today + dt.timedelta(days=9),
    )
    good = enrol(c, world.agency)
    good.iit_population = 20
    good.save()
    for _ in range(12):
        respond(good, "iit", all_questions(c, "IIT", 95.0))
        respond(good, "eit", all_questions(c, "EIT", 95.0))
    decide(good)
    silent = enrol(
        c, AgencyFactory(name="ทดสอบเงียบ", province=world.province, district=world.agency.district)
    )
    elsewhere = enrol(c, world.other_agency)
    return type("C", (), {"cycle": c, "good": good, "silent": silent, "elsewhere": elsewhere})


def test_halfway_through_the_survey_phase(cycle):
    assert elapsed_share(cycle.cycle) == pytest.approx(0.5)


def test_refresh_ranks_the_silent_agency_first_with_its_reasons(world, cycle):
    assert refresh_warnings(actor=world.nacc, cycle=cycle.cycle) == 3
    good = EarlyWarning.objects.get(enrolment=cycle.good)
    silent = EarlyWarning.objects.get(enrolment=cycle.silent)
    assert good.risk < 0.1 and silent.risk >= 0.5
    codes = [c for c, _p in silent.reasons]
    assert "sample_short" in codes and "oit_missing" in codes and "no_population" in codes
    assert ["oit_missing", {"count": 43}] in silent.reasons
    assert AuditEntry.objects.filter(action="improvement.warnings.refreshed").exists()


def test_coordinator_sees_their_province_ranked(client, world, cycle):
    refresh_warnings(actor=world.nacc, cycle=cycle.cycle)
    client.force_login(world.coordinator)
    r = client.get("/improve/warnings/")
    assert r.status_code == 200
    names = [row["agency"].name for row in r.context["items"]]
    assert names == ["ทดสอบเงียบ", world.agency.name]  # riskiest first, no Chiang Mai
    page = r.content.decode()
    assert "ข้อ OIT ยังไม่ส่ง 43 ข้อ" in page


def test_nacc_sees_the_national_picture(client, world, cycle):
    refresh_warnings(actor=world.nacc, cycle=cycle.cycle)
    client.force_login(world.nacc)
    r = client.get("/improve/warnings/")
    assert r.context["counts"]["n"] == 3
    assert {p["province_code"] for p in r.context["by_province"]} == {
        "38",
        world.other_agency.province_id,
    }


@pytest.mark.parametrize("persona", ["agency_admin", "officer", "assessor"])
def test_others_may_not_see_it(client, world, cycle, persona):
    client.force_login(getattr(world, persona))
    assert client.get("/improve/warnings/").status_code == 403


def test_remind_tells_the_agency_admin_in_the_inbox_and_by_email(
    client, world, cycle, django_capture_on_commit_callbacks
):
    refresh_warnings(actor=world.nacc, cycle=cycle.cycle)
    warning = EarlyWarning.objects.get(enrolment=cycle.good)
    client.force_login(world.district_officer)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post(f"/improve/warnings/{warning.pk}/remind/")
    assert r.status_code == 302
    note = Notification.objects.get(user=world.agency_admin, kind="improvement.warning")
    assert "มีความเสี่ยงที่จะไม่ผ่านเกณฑ์" in note.message
    assert [sorted(m.to) for m in mail.outbox] == [
        sorted([world.agency_admin.email, world.executive.email])
    ]
    assert "มีความเสี่ยงที่จะไม่ผ่านเกณฑ์" in mail.outbox[0].body
    warning.refresh_from_db()
    assert warning.reminded_at is not None
    assert AuditEntry.objects.filter(action="improvement.warning.reminded").exists()
    # The reminder survives a refresh.
    refresh_warnings(actor=world.nacc, cycle=cycle.cycle)
    assert EarlyWarning.objects.get(enrolment=cycle.good).reminded_at is not None


def test_remind_an_agency_without_people_says_so(client, world, cycle):
    refresh_warnings(actor=world.nacc, cycle=cycle.cycle)
    warning = EarlyWarning.objects.get(enrolment=cycle.silent)
    client.force_login(world.coordinator)
    r = client.post(f"/improve/warnings/{warning.pk}/remind/", follow=True)
    assert "ยังไม่มีผู้ดูแลระบบหรือผู้บริหารในระบบ ITAS" in r.content.decode()
    assert not Notification.objects.filter(kind="improvement.warning").exists()


def test_outside_their_scope_no_reminder(client, world, cycle):
    refresh_warnings(actor=world.nacc, cycle=cycle.cycle)
    warning = EarlyWarning.objects.get(enrolment=cycle.elsewhere)
    client.force_login(world.coordinator)
    assert client.post(f"/improve/warnings/{warning.pk}/remind/").status_code == 403


def test_refresh_is_for_nacc_and_open_cycles(client, world, cycle):
    client.force_login(world.coordinator)
    assert client.post("/improve/warnings/refresh/").status_code == 403
    client.force_login(world.nacc)
    r = client.post("/improve/warnings/refresh/?fy=2570")
    assert r.status_code == 400
    assert "เฉพาะระหว่างที่รอบการประเมินเปิดอยู่" in r.content.decode()
    r = client.post("/improve/warnings/refresh/?fy=2571")
    assert r.status_code == 302 and EarlyWarning.objects.count() == 3


def test_a_practice_round_is_never_assessed(world, cycle):
    from itas.improvement.errors import ImprovementError

    cycle.cycle.is_practice = True
    cycle.cycle.save()
    with pytest.raises(ImprovementError):
        refresh_warnings(actor=world.nacc, cycle=cycle.cycle)
    assert not EarlyWarning.objects.exists()
