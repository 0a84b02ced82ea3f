"""Test data for scoring: a cycle of the shipped framework with respondents and OIT decisions,
written straight into the tables that compute_scores reads."""

import uuid

from django.utils import timezone

from itas.cycles.models import Cycle, Enrolment
from itas.disclosure.models import Decision, ItemAnswer, ItemDecision
from itas.frameworks.services import load_shipped_framework
from itas.surveys.models import Answer, Response
from tests.factories import AgencyFactory


def make_cycle(fiscal_year=2564, status="open") -> Cycle:
    framework = load_shipped_framework()
    return Cycle.objects.create(
        fiscal_year=fiscal_year, name=f"ITA {fiscal_year}", framework=framework, status=status
    )


def enrol(cycle: Cycle, agency=None) -> Enrolment:
    agency = agency or AgencyFactory()
    code = f"{cycle.enrolments.count():06d}"
    return Enrolment.objects.create(cycle=cycle, agency=agency, access_code=code)


def respond(enrolment: Enrolment, instrument: str, scores: dict[str, float], excluded=False):
    """One respondent whose question scores are `scores` ({question_code: score})."""
    response = Response.objects.create(
        enrolment=enrolment,
        instrument=instrument,
        submission_id=uuid.uuid4(),
        submitted_hour=timezone.now().replace(minute=0, second=0, microsecond=0),
        excluded=excluded,
    )
    Answer.objects.bulk_create(
        Answer(response=response, enrolment=enrolment, question_code=code, score=score)
        for code, score in scores.items()
    )
    return response


def all_questions(cycle: Cycle, tool: str, score: float) -> dict[str, float]:
    return {q.code: score for q in cycle.framework.spec.questions_for(tool)}


def decide(
    enrolment: Enrolment, *, failed=(), only=None, confirm=True, recommendation="ควรเผยแพร่ให้ครบ"
):
    """A decision on every OIT item (or the `only` ones): pass, except `failed`."""
    spec = enrolment.cycle.framework.spec
    for position, item in enumerate(spec.oit_items):
        if only is not None and item.code not in only:
            continue
        answer = ItemAnswer.objects.create(
            enrolment=enrolment,
            code=item.code,
            indicator_code=item.indicator,
            subindicator_code=item.subindicator,
            position=position,
        )
        fail = item.code in failed
        decision = ItemDecision.objects.create(
            answer=answer,
            decision=Decision.FAIL if fail else Decision.PASS,
            recommendation=recommendation if fail else "",
        )
        answer.latest_decision = decision
        if confirm:
            answer.confirmed_decision = decision
        answer.save()
