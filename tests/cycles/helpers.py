"""Builders shared by the cycle and survey tests (through the services, as people would)."""

import datetime as dt

from django.utils import timezone

from itas.cycles import services
from itas.cycles.models import PhaseKind
from itas.frameworks.models import Framework


def phases_around_today(survey_open: bool = True) -> dict:
    today = timezone.localdate()
    d = dt.timedelta
    survey = (
        (today - d(days=10), today + d(days=20))
        if survey_open
        else (
            today + d(days=5),
            today + d(days=30),
        )
    )
    return {
        PhaseKind.REGISTRATION: (today - d(days=60), today - d(days=31)),
        PhaseKind.OIT_ANSWERS: (today - d(days=30), today + d(days=7)),
        PhaseKind.OIT_REVIEW: (today + d(days=8), today + d(days=30)),
        PhaseKind.CLARIFICATION: (today + d(days=31), today + d(days=40)),
        PhaseKind.CONFIRMATION: (today + d(days=41), today + d(days=50)),
        PhaseKind.SURVEY: survey,
        PhaseKind.RESULTS: (today + d(days=60), today + d(days=70)),
    }


def make_cycle(actor, *, framework=None, fiscal_year=2599, survey_open=True, open_it=True):
    framework = framework or Framework.objects.create(
        code=f"test-{fiscal_year}", fiscal_year=fiscal_year, name="ทดสอบ", document={}
    )
    cycle = services.create_cycle(
        actor,
        fiscal_year=fiscal_year,
        framework=framework,
        phases=phases_around_today(survey_open),
    )
    if open_it:
        services.open_cycle(actor, cycle=cycle)
    return cycle
