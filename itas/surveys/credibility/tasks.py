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


@shared_task(acks_late=True, ignore_result=True, expires=600)
def sweep_credibility_runs() -> dict:
    """Every few minutes (beat): re-analyses whose worker died or whose message was lost."""
    from itas.surveys.credibility.services import requeue_stranded_runs

    return requeue_stranded_runs()
