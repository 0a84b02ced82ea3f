"""compute_scores against hand-worked expectations, on the real tables."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from itas.core.models import AuditEntry
from itas.scoring.models import AgencyResult, QuestionResult, ResultSet, ResultStatus
from itas.scoring.services import compute_scores
from tests.scoring.builders import all_questions, decide, enrol, make_cycle, respond

pytestmark = pytest.mark.django_db


@pytest.fixture
def cycle():
    return make_cycle()


def full_agency(cycle, *, iit=(100, 50), eit=(100,), failed=()):
    enrolment = enrol(cycle)
    for score in iit:
        respond(enrolment, "iit", all_questions(cycle, "IIT", score))
    for score in eit:
        respond(enrolment, "eit", all_questions(cycle, "EIT", score))
    decide(enrolment, failed=failed)
    return enrolment


def test_one_agency_worked_by_hand(cycle):
    a = full_agency(cycle, failed={"O17", "O33"})
    # an excluded respondent who scored everything 0 must not count
    respond(a, "iit", all_questions(cycle, "IIT", 0), excluded=True)
    result_set = compute_scores(cycle=cycle)
    r = result_set.agency_results.get(enrolment=a)
    assert r.iit == pytest.approx(75)
    assert r.eit == pytest.approx(100)
    assert r.oit == pytest.approx((93.5 + 100) / 2)
    # 0.30 × 75 + 0.30 × 100 + 0.20 × 93.50 + 0.20 × 100
    assert r.total == 91.2
    assert (r.grade, r.label, r.passed) == ("A", "ผ่าน", True)
    assert (r.iit_respondents, r.eit_respondents) == (2, 1)
    assert r.province_code == a.agency.province_id
    assert r.agency_kind == a.agency.kind
    indicators = dict(r.indicators.values_list("indicator_code", "score"))
    assert indicators["1"] == pytest.approx(75)
    assert indicators["9"] == pytest.approx(93.5)
    assert indicators["9.2"] == pytest.approx(87.5)
    assert indicators["10"] == 100
    questions = {q.code: q for q in r.questions.all()}
    assert len(questions) == 45 + 43
    assert (questions["I1"].score, questions["I1"].responses) == (75, 2)
    assert (questions["E15"].score, questions["E15"].responses) == (100, 1)
    assert questions["O17"].score == 0
    assert questions["O17"].recommendation == "ควรเผยแพร่ให้ครบ"
    assert questions["O1"].score == 100
    assert result_set.status == ResultStatus.PRELIMINARY
    assert result_set.stats["answers"] == 2 * 30 + 15
    assert AuditEntry.objects.filter(action="scoring.results.computed").count() == 1


def test_missing_data_is_explicit(cycle):
    no_iit = full_agency(cycle, iit=())
    half_reviewed = enrol(cycle)
    respond(half_reviewed, "iit", all_questions(cycle, "IIT", 100))
    respond(half_reviewed, "eit", all_questions(cycle, "EIT", 100))
    decide(half_reviewed, only={"O1", "O2"}, confirm=False)
    result_set = compute_scores(cycle=cycle)
    r = result_set.agency_results.get(enrolment=no_iit)
    assert r.iit is None
    assert r.eit == 100
    assert r.total is None
    assert (r.grade, r.label, r.passed) == ("", "", None)
    assert r.questions.get(code="I1").score is None
    assert r.questions.get(code="I1").responses == 0
    h = result_set.agency_results.get(enrolment=half_reviewed)
    assert h.oit is None
    assert h.total is None
    assert h.questions.get(code="O1").score == 100
    assert h.questions.get(code="O3").score is None


def test_confirmed_decision_wins_over_a_later_preliminary_one(cycle):
    a = full_agency(cycle, failed={"O1"})
    from itas.disclosure.models import Decision, ItemAnswer, ItemDecision

    answer = ItemAnswer.objects.get(enrolment=a, code="O1")
    later = ItemDecision.objects.create(answer=answer, decision=Decision.PASS)
    answer.latest_decision = later
    answer.save()
    r = compute_scores(cycle=cycle).agency_results.get(enrolment=a)
    assert r.questions.get(code="O1").score == 0


def test_recompute_replaces_the_preliminary_rows_and_leaves_published_ones(cycle):
    a = full_agency(cycle)
    first = compute_scores(cycle=cycle)
    published = ResultSet.objects.create(
        cycle=cycle,
        version=first.version + 1,
        status=ResultStatus.PUBLISHED,
        computed_at=timezone.now(),
    )
    frozen = AgencyResult.objects.create(
        result_set=published,
        enrolment=a,
        agency_id_copy=a.agency_id,
        province_code="38",
        agency_kind="sao",
        total=12.34,
    )
    respond(a, "iit", all_questions(cycle, "IIT", 0))  # a late, low answer
    second = compute_scores(cycle=cycle)
    assert second.pk == first.pk
    assert second.agency_results.count() == 1
    assert QuestionResult.objects.filter(agency_result__result_set=second).count() == 88
    assert second.agency_results.get().iit == pytest.approx(50)
    frozen.refresh_from_db()
    assert frozen.total == 12.34
    assert published.agency_results.count() == 1


def test_queries_do_not_grow_with_agencies(cycle):
    agencies = [full_agency(cycle) for _ in range(2)]
    compute_scores(cycle=cycle)

    def late_answer_everywhere():  # every agency changes: all its rows are rewritten
        for a in agencies:
            respond(a, "iit", all_questions(cycle, "IIT", 75))

    late_answer_everywhere()
    with CaptureQueriesContext(connection) as few:
        compute_scores(cycle=cycle)
    agencies += [full_agency(cycle) for _ in range(6)]
    late_answer_everywhere()
    with CaptureQueriesContext(connection) as many:
        compute_scores(cycle=cycle)

    def reads(ctx):  # executemany is captured as "N times: INSERT ..."
        return [q["sql"] for q in ctx.captured_queries if "INSERT" not in q["sql"][:20]]

    # the reads and deletes are the same few queries for 2 or 8 agencies ...
    assert len(reads(many)) == len(reads(few))
    assert sum(q.startswith("DELETE") for q in reads(many)) >= 3  # the old rows went
    # ... and rows are inserted in batches (SQLite caps a statement at 999 parameters)
    inserts = len(many.captured_queries) - len(reads(many))
    assert inserts <= 3 + (8 * (45 + 43 + 17) * 6) // 999 + 1


def test_unchanged_agencies_keep_their_rows(cycle):
    a, b = full_agency(cycle), full_agency(cycle)
    first = compute_scores(cycle=cycle)
    rows = dict(first.agency_results.values_list("enrolment_id", "pk"))
    respond(b, "eit", all_questions(cycle, "EIT", 0))
    second = compute_scores(cycle=cycle)
    again = dict(second.agency_results.values_list("enrolment_id", "pk"))
    assert again[a.pk] == rows[a.pk]  # untouched
    assert again[b.pk] != rows[b.pk]  # rewritten with its new answer
    assert second.stats["kept"] == 1 and second.stats["rewritten"] == 1
    assert second.agency_results.get(enrolment=b).eit == pytest.approx(50)
    assert QuestionResult.objects.filter(agency_result__result_set=second).count() == 2 * 88


def test_command(cycle, capsys):
    full_agency(cycle)
    call_command("compute_scores", "--cycle", "2564")
    out = capsys.readouterr().out
    assert "1 agencies, 1 with a total, 1 passed" in out
    assert ResultSet.objects.get(cycle=cycle).agency_results.count() == 1


def test_command_unknown_cycle(cycle):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="2599"):
        call_command("compute_scores", "--cycle", "2599")


def test_celery_task_runs_the_service(cycle, world):
    from itas.scoring.tasks import compute_cycle_scores

    full_agency(cycle)
    stats = compute_cycle_scores.delay(cycle.pk, world.nacc.pk).get()
    assert stats["agencies"] == 1
    assert (
        ResultSet.objects.get(pk=stats["result_set"]).agency_results.get().total == 92.5
    )  # 0.3 × 75 + 30 + 40
    entry = AuditEntry.objects.get(action="scoring.results.computed")
    assert entry.actor == world.nacc
