"""The early warning in the database: the refresh reads answers, OIT items and last year; each
coordinator or district officer sees their scope ranked by risk and reminds from there."""

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from itas.core import jobs
from itas.core.models import AuditEntry, Notification
from itas.cycles.models import Phase, PhaseKind
from itas.improvement.models import EarlyWarning, WarningRun
from itas.improvement.services import (
    elapsed_share,
    refresh_open_cycles,
    refresh_warnings,
    requeue_stranded_runs,
)
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


def test_refresh_is_for_nacc_and_open_cycles(
    client, world, cycle, django_capture_on_commit_callbacks
):
    client.force_login(world.coordinator)
    assert client.post("/improve/warnings/refresh/").status_code == 403
    assert client.get("/improve/warnings/refresh/status/").status_code == 403
    assert 'id="refresh-status"' not in client.get("/improve/warnings/").content.decode()
    client.force_login(world.nacc)
    r = client.post("/improve/warnings/refresh/?fy=2570")
    assert r.status_code == 400
    assert "เฉพาะระหว่างที่รอบการประเมินเปิดอยู่" in r.content.decode()
    assert not WarningRun.objects.exists()
    # Without a broker (the tests' setting) the task runs as soon as the request commits.
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post("/improve/warnings/refresh/?fy=2571")
    assert r.status_code == 302 and EarlyWarning.objects.count() == 3
    run = WarningRun.objects.get()
    assert run.state == "done" and run.started_by == world.nacc
    assert run.stats["agencies"] == 3 and run.stats["at_risk"] >= 1


def test_the_page_starts_a_refresh_and_shows_progress_then_results(
    client, world, cycle, django_capture_on_commit_callbacks
):
    client.force_login(world.nacc)
    with django_capture_on_commit_callbacks(execute=False) as queued:
        r = client.post("/improve/warnings/refresh/?fy=2571")
    assert r.status_code == 302 and len(queued) == 1  # the task, sent once the request commits
    run = WarningRun.objects.get()
    assert run.state == "queued" and not EarlyWarning.objects.exists()
    page = client.get("/improve/warnings/?fy=2571").content.decode()
    assert 'id="refresh-bar"' in page and "/improve/warnings/refresh/status/?fy=2571" in page
    assert "กำลังคำนวณความเสี่ยงใหม่" in page

    # A second click while it waits starts nothing and says so.
    with django_capture_on_commit_callbacks(execute=True) as again:
        r = client.post("/improve/warnings/refresh/?fy=2571", follow=True)
    assert again == [] and WarningRun.objects.count() == 1
    assert "กำลังคำนวณการเตือนล่วงหน้าอยู่แล้ว" in r.content.decode()

    # Progress as a worker writes it (itas.core.jobs.beat): the polled card shows it and keeps
    # polling.
    jobs.beat(WarningRun, run.pk, percent=50, step="assessing")
    status = client.get("/improve/warnings/refresh/status/?fy=2571", HTTP_HX_REQUEST="true")
    assert "50 %" in status.content.decode() and 'hx-trigger="every 1s"' in status.content.decode()
    assert "HX-Refresh" not in status.headers

    # The worker finishes: the next poll reloads the page, which shows the results.
    queued[0]()
    run.refresh_from_db()
    assert run.state == "done" and run.percent == 100 and run.attempts == 1
    status = client.get("/improve/warnings/refresh/status/?fy=2571", HTTP_HX_REQUEST="true")
    assert status.headers["HX-Refresh"] == "true" and "every 1s" not in status.content.decode()
    r = client.get("/improve/warnings/?fy=2571")
    assert r.context["counts"]["n"] == 3
    assert 'id="refresh-done"' in r.content.decode()


def test_the_beat_refreshes_open_cycles_once_at_a_time(
    world, cycle, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        first = refresh_open_cycles()
        assert refresh_open_cycles() == []  # the first is still queued
    assert len(first) == 1
    assert WarningRun.objects.get().cycle == cycle.cycle  # not the closed FY2570
    with django_capture_on_commit_callbacks(execute=True):
        WarningRun.objects.all().delete()
        refresh_open_cycles()
    run = WarningRun.objects.get()
    assert run.state == "done" and run.started_by is None
    assert EarlyWarning.objects.filter(cycle=cycle.cycle).count() == 3


def test_a_refresh_whose_worker_died_is_queued_again(
    world, cycle, django_capture_on_commit_callbacks
):
    from datetime import timedelta

    stale = timezone.now() - timedelta(hours=2)
    run = WarningRun.objects.create(cycle=cycle.cycle, state="running", attempts=1)
    WarningRun.objects.filter(pk=run.pk).update(heartbeat_at=stale, created_at=stale)
    with django_capture_on_commit_callbacks(execute=True):
        assert requeue_stranded_runs() == {"requeued": 1, "failed": 0}
    run.refresh_from_db()
    assert run.state == "done" and run.attempts == 2
    assert EarlyWarning.objects.filter(cycle=cycle.cycle).count() == 3


def test_a_refresh_of_a_cycle_closed_meanwhile_fails_with_its_reason(
    world, cycle, django_capture_on_commit_callbacks
):
    from itas.improvement.services import run_refresh

    run = WarningRun.objects.create(cycle=cycle.cycle, started_by=world.nacc)
    cycle.cycle.status = "closed"
    cycle.cycle.save()
    assert run_refresh(run.pk) == "failed"
    run.refresh_from_db()
    assert run.state == "failed" and "เฉพาะระหว่างที่รอบการประเมินเปิดอยู่" in run.error


def test_last_years_peers_move_the_risk_and_say_so(world, cycle):
    """Five agencies of the demo agency's type in its province passed two years ago and failed
    last year (a median change of -10): its last year's 93 is read as 88 and the reason names
    them."""
    before_last = make_cycle(fiscal_year=2569, status="closed")
    older = make_result_set(before_last, status=ResultStatus.PUBLISHED)
    from itas.scoring.models import ResultSet

    last_set = ResultSet.objects.get(cycle__fiscal_year=2570)
    for i in range(5):
        peer = AgencyFactory(
            name=f"เพื่อน{i}", kind=world.agency.kind, province=world.agency.province
        )
        add_result(older, peer, 90.0 + i)
        add_result(last_set, peer, 80.0 + i)
    refresh_warnings(actor=world.nacc, cycle=cycle.cycle)
    good = EarlyWarning.objects.get(enrolment=cycle.good)
    assert [
        "peers_moved",
        {"total": 93.0, "scope": "province", "n": 5, "share": 100, "change": -10.0},
    ] in good.reasons
    from itas.improvement.reasons import readable

    text = " ".join(readable(good.reasons))
    assert "ประเภทเดียวกัน จังหวัดเดียวกัน" in text and "ไม่ผ่านร้อยละ 100" in text
    # Without the peers the same agency's projection is higher (last year's 93 unmoved).
    older.delete()
    refresh_warnings(actor=world.nacc, cycle=cycle.cycle)
    alone = EarlyWarning.objects.get(enrolment=cycle.good)
    assert alone.projected_total > good.projected_total
    assert not any(c.startswith("peers_") for c, _p in alone.reasons)


def test_a_practice_round_is_never_assessed(world, cycle):
    from itas.improvement.errors import ImprovementError

    cycle.cycle.is_practice = True
    cycle.cycle.save()
    with pytest.raises(ImprovementError):
        refresh_warnings(actor=world.nacc, cycle=cycle.cycle)
    assert not EarlyWarning.objects.exists()


def test_this_cycles_preliminary_results_say_how_peers_move_now(world, cycle):
    """Where this cycle already has preliminary totals for enough of its peers, their move from
    last year is the one read (here -5, none of them passed last year), not the year before."""
    from itas.scoring.models import ResultSet

    before_last = make_result_set(
        make_cycle(fiscal_year=2569, status="closed"), status=ResultStatus.PUBLISHED
    )
    last_set = ResultSet.objects.get(cycle__fiscal_year=2570)
    now = make_result_set(cycle.cycle)  # preliminary
    for i in range(5):
        peer = AgencyFactory(
            name=f"เพื่อน{i}", kind=world.agency.kind, province=world.agency.province
        )
        add_result(before_last, peer, 90.0 + i)
        add_result(last_set, peer, 80.0 + i)
        add_result(now, peer, 75.0 + i)
    refresh_warnings(actor=world.nacc, cycle=cycle.cycle)
    good = EarlyWarning.objects.get(enrolment=cycle.good)
    assert [
        "peers_change",
        {"total": 93.0, "scope": "province", "n": 5, "change": -5.0},
    ] in good.reasons
    from itas.improvement.reasons import readable

    assert "หน่วยงานลักษณะเดียวกัน (ประเภทเดียวกัน จังหวัดเดียวกัน) 5 แห่ง" in " ".join(readable(good.reasons))


@pytest.mark.parametrize("fy", ["abc", "99999999999999999999", "-1", "2570.5"])
def test_a_junk_fiscal_year_is_answered_with_a_message(client, world, cycle, fy):
    client.force_login(world.nacc)
    for url in ("/improve/warnings/", "/improve/warnings/refresh/status/"):
        r = client.get(url, {"fy": fy})
        assert r.status_code in (400, 404), (url, fy)
        assert "ปีงบประมาณ" in r.content.decode() or "รอบการประเมิน" in r.content.decode()
