import pytest

from itas.core.models import AuditEntry
from itas.reports.services import ReportsError, oit_scores_confirmed, publish_results
from itas.scoring.models import AgencyResult, IndicatorResult, QuestionResult, ResultStatus
from tests.factories import AgencyFactory
from tests.reports.factories import (
    CycleFactory,
    add_result,
    confirmation_phase,
    make_result_set,
)


@pytest.fixture
def cycle(db):
    return CycleFactory(fiscal_year=2567)


def _prelim(cycle, world):
    rs = make_result_set(cycle)
    add_result(
        rs,
        world.agency,
        72.5,
        questions={"O1": 0, "O2": 100, "I1": 55.5},
        recommendations={"O1": "เผยแพร่โครงสร้างหน่วยงานบนเว็บไซต์"},
    )
    add_result(rs, world.other_agency, 91.0)
    return rs


def test_refused_before_the_oit_scores_are_confirmed(cycle, world):
    _prelim(cycle, world)
    confirmation_phase(cycle, ended=False)
    assert not oit_scores_confirmed(cycle)
    with pytest.raises(ReportsError):
        publish_results(actor=world.nacc, cycle=cycle)
    assert not cycle.result_sets.filter(status=ResultStatus.PUBLISHED).exists()


def test_refused_without_a_confirmation_phase(cycle, world):
    _prelim(cycle, world)
    assert not oit_scores_confirmed(cycle)
    with pytest.raises(ReportsError):
        publish_results(actor=world.nacc, cycle=cycle)


def test_refused_without_computed_results(cycle, world):
    confirmation_phase(cycle, ended=True)
    with pytest.raises(ReportsError):
        publish_results(actor=world.nacc, cycle=cycle)


def test_publish_copies_every_row_into_a_frozen_version(cycle, world):
    prelim = _prelim(cycle, world)
    confirmation_phase(cycle, ended=True)
    published = publish_results(actor=world.nacc, cycle=cycle)

    assert published.status == ResultStatus.PUBLISHED
    assert published.version == prelim.version + 1
    assert published.published_by == world.nacc
    assert published.published_at is not None
    assert published.agency_results.count() == 2
    mine = published.agency_results.get(agency_id_copy=world.agency.pk)
    assert mine.total == 72.5 and mine.grade == "C" and mine.passed is False
    assert mine.indicators.count() == 10
    assert mine.questions.get(code="O1").recommendation == "เผยแพร่โครงสร้างหน่วยงานบนเว็บไซต์"
    # the preliminary set is untouched: later recomputation does not change the published copy
    AgencyResult.objects.filter(result_set=prelim).update(total=10)
    IndicatorResult.objects.filter(agency_result__result_set=prelim).update(score=1)
    mine.refresh_from_db()
    assert mine.total == 72.5
    assert published.agency_results.filter(indicators__score=1).count() == 0
    assert QuestionResult.objects.filter(agency_result__result_set=published).count() == 3
    entry = AuditEntry.objects.get(action="reports.results.published")
    assert entry.actor == world.nacc and entry.target_id == str(published.pk)
    assert published.stats["agencies"] == 2


def test_a_correction_is_a_new_version_and_supersedes_the_old(cycle, world):
    prelim = _prelim(cycle, world)
    confirmation_phase(cycle, ended=True)
    first = publish_results(actor=world.nacc, cycle=cycle)
    AgencyResult.objects.filter(result_set=prelim, agency_id_copy=world.agency.pk).update(total=86)

    with pytest.raises(ReportsError):  # a correction must say why
        publish_results(actor=world.nacc, cycle=cycle)
    second = publish_results(actor=world.nacc, cycle=cycle, note="แก้ไขคะแนน OIT ข้อ O1")

    first.refresh_from_db()
    assert first.status == ResultStatus.SUPERSEDED
    assert second.status == ResultStatus.PUBLISHED and second.version == first.version + 1
    assert second.note == "แก้ไขคะแนน OIT ข้อ O1"
    assert first.agency_results.get(agency_id_copy=world.agency.pk).total == 72.5
    assert second.agency_results.get(agency_id_copy=world.agency.pk).total == 86


def test_publish_copies_every_agency_with_its_own_rows(cycle, world):
    rs = make_result_set(cycle)
    agencies = AgencyFactory.create_batch(30)
    for i, agency in enumerate(agencies):
        add_result(rs, agency, 50 + i, questions={"O1": 100, "O2": i})
    confirmation_phase(cycle, ended=True)
    published = publish_results(actor=world.nacc, cycle=cycle)
    # each copied question row hangs on the copy of its own agency's row
    pairs = {
        (r.agency_id_copy, r.total, r.questions.get(code="O2").score)
        for r in published.agency_results.prefetch_related("questions")
    }
    assert pairs == {(a.pk, 50 + i, i) for i, a in enumerate(agencies)}
    assert IndicatorResult.objects.filter(agency_result__result_set=published).count() == 300
    assert published.stats["agencies"] == 30 and published.stats["questions"] == 60
    assert rs.agency_results.count() == 30  # the preliminary rows stay


def test_a_whole_cycle_oit_confirmation_allows_publication(cycle, world):
    from itas.disclosure.models import Confirmation

    _prelim(cycle, world)
    confirmation_phase(cycle, ended=False)
    Confirmation.objects.create(
        cycle=cycle, enrolment=cycle.enrolments.first(), confirmed_by=world.nacc
    )
    assert not oit_scores_confirmed(cycle)  # one agency's confirmation is not the cycle's
    Confirmation.objects.create(cycle=cycle, confirmed_by=world.nacc)
    assert oit_scores_confirmed(cycle)
    assert publish_results(actor=world.nacc, cycle=cycle).status == ResultStatus.PUBLISHED


def test_publication_tells_each_agency_in_its_inbox_linked_to_its_scorecard(
    cycle, world, django_capture_on_commit_callbacks
):
    from django.core import mail
    from django.urls import reverse

    from itas.core.models import Notification

    _prelim(cycle, world)
    confirmation_phase(cycle, ended=True)
    with django_capture_on_commit_callbacks(execute=True):
        publish_results(actor=world.nacc, cycle=cycle)
    mine = Notification.objects.get(user=world.agency_admin)
    assert "ท่าสะอาด" in mine.message and "2567" in mine.message
    assert mine.link == reverse("reports:scorecard", args=[2567, world.agency.code])
    assert Notification.objects.filter(user=world.executive).exists()
    assert not Notification.objects.filter(user=world.officer).exists()
    theirs = Notification.objects.get(user=world.outsider)
    assert "ทดสอบเชียงใหม่" in theirs.message and "ท่าสะอาด" not in theirs.message
    # One e-mail per agency: nobody's address is shown to another agency.
    assert all(len({a.split("@")[0] for a in m.to}) <= 2 for m in mail.outbox)
    assert not any(
        world.outsider.email in m.to and world.agency_admin.email in m.to for m in mail.outbox
    )
