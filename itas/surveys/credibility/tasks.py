"""Thin Celery wrapper (eager when no broker is set): the cycle's re-analysis."""

from celery import shared_task

from itas.surveys.credibility.models import CredibilityRun
from itas.surveys.credibility.services import analyse_cycle


@shared_task(acks_late=True)
def reanalyse_cycle(run_id: int) -> dict:
    run = analyse_cycle(CredibilityRun.objects.select_related("cycle").get(pk=run_id))
    return {
        "run": run.pk,
        "agencies": run.total,
        "responses": run.responses,
        "seconds": run.seconds,
    }
