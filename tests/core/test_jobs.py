"""Issue 18 item 4: job rows never strand. A computation or a re-analysis whose worker died
(RUNNING, silent past its time limit) or whose message was lost (QUEUED too long) is taken
over by the beat's sweep, runs once, and after its attempts fails with a stated reason."""

import datetime as dt

import pytest
from django.conf import settings
from django.utils import timezone

from itas.cycles.models import CycleStatus, Enrolment
from itas.scoring.models import RunState, ScoringRun
from itas.scoring.services import SCORING_RUN_ATTEMPTS, requeue_stranded_runs, run_scoring
from itas.surveys.credibility import services as credibility
from itas.surveys.credibility.models import CredibilityRun, RunStatus
from tests.disclosure.conftest import make_cycle

pytestmark = pytest.mark.django_db

LONG_AGO = dt.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 120)


@pytest.fixture
def cycle(world):
    cycle = make_cycle(fiscal_year=2569)
    Enrolment.objects.create(cycle=cycle, agency=world.agency, access_code="AAA111")
    return cycle


def stranded_scoring_run(cycle, user, *, state=RunState.RUNNING, attempts=1):
    run = ScoringRun.objects.create(cycle=cycle, started_by=user, state=state, attempts=attempts)
    ScoringRun.objects.filter(pk=run.pk).update(
        heartbeat_at=timezone.now() - LONG_AGO, created_at=timezone.now() - LONG_AGO
    )
    return run


def test_a_computation_whose_worker_died_is_taken_over_and_finishes(world, cycle):
    run = stranded_scoring_run(cycle, world.nacc)
    # Tests run Celery eagerly: the sweep's message is the worker taking the row over.
    assert requeue_stranded_runs() == {"requeued": 1, "failed": 0}
    run.refresh_from_db()
    assert run.state == RunState.DONE and run.percent == 100
    assert run.attempts == 2 and run.stats["agencies"] == 1
    assert cycle.result_sets.current_preliminary() is not None


def test_a_lost_message_is_sent_again(world, cycle):
    run = stranded_scoring_run(cycle, world.nacc, state=RunState.QUEUED, attempts=0)
    assert requeue_stranded_runs()["requeued"] == 1
    run.refresh_from_db()
    assert run.state == RunState.DONE and run.attempts == 1


def test_a_run_that_is_alive_or_recently_queued_is_left_alone(world, cycle):
    alive = ScoringRun.objects.create(
        cycle=cycle,
        started_by=world.nacc,
        state=RunState.RUNNING,
        heartbeat_at=timezone.now() - dt.timedelta(seconds=30),
        attempts=1,
    )
    assert requeue_stranded_runs() == {"requeued": 0, "failed": 0}
    alive.refresh_from_db()
    assert alive.state == RunState.RUNNING and alive.attempts == 1


def test_after_its_attempts_a_stranded_run_fails_with_a_reason_and_frees_the_cycle(world, cycle):
    from itas.scoring.services import start_scoring

    run = stranded_scoring_run(cycle, world.nacc, attempts=SCORING_RUN_ATTEMPTS)
    assert requeue_stranded_runs() == {"requeued": 0, "failed": 1}
    run.refresh_from_db()
    assert run.state == RunState.FAILED and run.finished_at is not None
    assert run.error == "การคำนวณหยุดกลางคันสามครั้งแล้ว กรุณาสั่งคำนวณใหม่"
    # A new computation is no longer refused because of the dead one.
    assert start_scoring(world.nacc, cycle=cycle).state in (RunState.QUEUED, RunState.DONE)


def test_a_second_delivery_of_the_same_message_does_not_run_it_again(world, cycle):
    run = ScoringRun.objects.create(cycle=cycle, started_by=world.nacc)
    assert run_scoring(run.pk) == RunState.DONE
    # acks_late redelivers after a worker dies; the row is finished, so nothing runs twice.
    assert run_scoring(run.pk) == RunState.DONE
    run.refresh_from_db()
    assert run.attempts == 1
    assert cycle.result_sets.count() == 1


def test_a_stranded_re_analysis_is_taken_over_and_a_closed_cycles_is_failed(world, cycle):
    run = credibility.start_run(world.nacc, cycle=cycle)
    CredibilityRun.objects.filter(pk=run.pk).update(
        status=RunStatus.RUNNING,
        attempts=1,
        heartbeat_at=timezone.now() - LONG_AGO,
        created_at=timezone.now() - LONG_AGO,
    )
    assert credibility.requeue_stranded_runs() == {"requeued": 1, "failed": 0}
    run.refresh_from_db()
    assert run.status == RunStatus.DONE and run.attempts == 2 and run.total == 1

    stuck = CredibilityRun.objects.create(cycle=cycle, status=RunStatus.RUNNING)
    type(cycle).objects.filter(pk=cycle.pk).update(status=CycleStatus.CLOSED)
    credibility.requeue_stranded_runs()
    stuck.refresh_from_db()
    assert stuck.status == RunStatus.FAILED
    assert stuck.error == "รอบการประเมินปิดก่อนที่การวิเคราะห์ซ้ำนี้จะเสร็จ"
