"""compute_scores from running tallies (PostgreSQL) against the plain scan of every answer it
replaced (itas.scoring.services.question_tallies, respondent_counts, oit_scores: kept as the
reference), on generated data, every figure compared exactly (==, before any rounding), through
first computation, new answers, exclusions and restorations, deleted responses and a late OIT
decision. On SQLite compute_scores reads the answers directly; the comparison runs there too."""

import random
import uuid

import pytest
from django.utils import timezone

from itas.disclosure.models import Decision, ItemDecision
from itas.frameworks.engine import score_agency
from itas.scoring.models import AgencyResult, IndicatorResult, QuestionResult
from itas.scoring.services import (
    compute_scores,
    oit_scores,
    question_tallies,
    respondent_counts,
)
from itas.surveys.models import Answer, Response
from tests.scoring.builders import decide, enrol, make_cycle

pytestmark = pytest.mark.django_db


def _answers(rng, spec, tool, level):
    """One respondent's question scores as the questionnaire computes them (mean of the chosen
    sub-items' scores: 33.33, 66.67 and the like, so sums are not exact in binary)."""
    from itas.frameworks.engine import question_score

    out = {}
    for q in spec.questions_for(tool):
        chosen = {}
        for sub in q.subitems:
            choices = sub.choices
            i = min(len(choices) - 1, max(0, int(rng.gauss(level * len(choices), 1.2))))
            chosen[sub.code] = choices[i].value
        out[q.code] = question_score(q, chosen)
    return out


def _respond(rng, enrolment, tool, level):
    response = Response.objects.create(
        enrolment=enrolment,
        instrument=tool.lower(),
        submission_id=uuid.uuid4(),
        submitted_hour=timezone.now().replace(minute=0, second=0, microsecond=0),
    )
    spec = enrolment.cycle.framework.spec
    Answer.objects.bulk_create(
        Answer(response=response, enrolment=enrolment, question_code=code, score=score)
        for code, score in _answers(rng, spec, tool, level).items()
    )
    return response


def _some_answers(rng, agencies, levels, n=(3, 9)):
    for a in agencies:
        for _ in range(rng.randint(*n)):
            _respond(rng, a, "IIT", levels[a.pk])
        for _ in range(rng.randint(1, n[1] // 2)):
            _respond(rng, a, "EIT", levels[a.pk])


def _expected(cycle):
    """Every row compute_scores should write, from the plain scan of the answers."""
    spec = cycle.framework.spec
    tallies = question_tallies(cycle)
    respondents = respondent_counts(cycle)
    oit, _confirmed = oit_scores(cycle)
    out = {}
    for enrolment in cycle.enrolments.all():
        items = oit.get(enrolment.pk, {})
        scores = score_agency(
            spec,
            questions=tallies.get(enrolment.pk, {}),
            oit_items={code: score for code, (score, _r) in items.items()},
        )
        grade = scores.grade
        agency = (
            scores.tools.get("IIT"),
            scores.tools.get("EIT"),
            scores.tools.get("OIT"),
            scores.total_rounded,
            grade.grade if grade else "",
            grade.passed if grade else None,
            respondents.get((enrolment.pk, "iit"), 0),
            respondents.get((enrolment.pk, "eit"), 0),
        )
        indicators = {c: scores.indicators.get(c) for c in (i.code for i in spec.indicators)}
        indicators.update(scores.subindicators)
        questions = {}
        for q in spec.questions:
            t = tallies.get(enrolment.pk, {}).get(q.code)
            questions[q.code] = (t.mean, t.count, "") if t else (None, 0, "")
        for item in spec.oit_items:
            got = items.get(item.code)
            questions[item.code] = (got[0], 1, got[1]) if got else (None, 0, "")
        out[enrolment.pk] = (agency, indicators, questions)
    return out


def _written(result_set):
    out = {}
    for r in AgencyResult.objects.filter(result_set=result_set):
        agency = (
            r.iit,
            r.eit,
            r.oit,
            r.total,
            r.grade,
            r.passed,
            r.iit_respondents,
            r.eit_respondents,
        )
        indicators = dict(
            IndicatorResult.objects.filter(agency_result=r).values_list("indicator_code", "score")
        )
        questions = {
            code: (score, n, rec)
            for code, score, n, rec in QuestionResult.objects.filter(agency_result=r).values_list(
                "code", "score", "responses", "recommendation"
            )
        }
        out[r.enrolment_id] = (agency, indicators, questions)
    return out


def _assert_same(cycle):
    result_set = compute_scores(cycle=cycle)
    written, expected = _written(result_set), _expected(cycle)
    assert written.keys() == expected.keys()
    compared = 0
    for pk, (agency, indicators, questions) in expected.items():
        got_agency, got_indicators, got_questions = written[pk]
        assert got_agency == agency, pk
        assert got_indicators == indicators, pk  # every indicator and sub-indicator, exactly
        assert got_questions == questions, pk  # every question's mean and count, every item
        compared += len(indicators) + len(questions)
    return result_set, compared


def test_tallied_scores_equal_the_plain_scan_to_the_last_bit():
    rng = random.Random(20261130)
    cycle = make_cycle()
    agencies = [enrol(cycle) for _ in range(5)]
    levels = {a.pk: rng.uniform(0.3, 0.9) for a in agencies}
    _some_answers(rng, agencies, levels)
    for a in agencies[:4]:
        decide(a, failed=rng.sample(["O1", "O2", "O3", "O10", "O20"], 2))

    # the first computation (the first fold of the tallies)
    first, compared = _assert_same(cycle)
    assert compared > 5 * 100
    assert first.agency_results.exclude(total=None).exists()

    # new answers after the first computation: the running sums continue
    _some_answers(rng, agencies, levels, n=(1, 4))
    _assert_same(cycle)

    # NACC excludes some responses (through a plain UPDATE, as the credibility page does),
    # another respondent's answers are deleted, and more answers arrive meanwhile
    chosen = list(Response.objects.filter(enrolment__in=agencies[:3]).order_by("?")[:4])
    Response.objects.filter(pk__in=[r.pk for r in chosen]).update(excluded=True)
    gone = Response.objects.filter(enrolment=agencies[4]).order_by("?").first()
    gone.answers.all().delete()
    gone.delete()
    _some_answers(rng, agencies[2:], levels, n=(1, 2))
    second, _ = _assert_same(cycle)
    assert second.stats["rewritten"] >= 3

    # one exclusion restored, a late OIT decision on an untouched agency, nothing else
    Response.objects.filter(pk=chosen[0].pk).update(excluded=False)
    answer = agencies[0].oit_items.get(code="O1")
    later = ItemDecision.objects.create(answer=answer, decision=Decision.PASS)
    answer.latest_decision = later
    answer.save()
    third, _ = _assert_same(cycle)
    assert third.stats["rewritten"] >= 1

    # and a computation with nothing new keeps every row
    fourth, _ = _assert_same(cycle)
    assert fourth.stats["rewritten"] == 0 and fourth.stats["kept"] == 5
