"""Thin Celery wrappers (eager when no broker is set)."""

from celery import shared_task

from itas.cycles.models import Cycle
from itas.scoring.services import compute_scores


@shared_task(acks_late=True)
def compute_cycle_scores(cycle_id: int, actor_id: int | None = None) -> dict:
    """Recompute a cycle's preliminary results; returns the result set's stats."""
    from django.contrib.auth import get_user_model

    actor = get_user_model().objects.filter(pk=actor_id).first() if actor_id else None
    result_set = compute_scores(cycle=Cycle.objects.get(pk=cycle_id), actor=actor)
    return {"result_set": result_set.pk, **result_set.stats}


@shared_task(acks_late=True)
def run_scoring(run_id: int) -> str:
    """A computation started from the UI (services.start_scoring); keeps its progress."""
    from itas.scoring.services import run_scoring as run

    return run(run_id)


@shared_task(acks_late=True, ignore_result=True, expires=600)
def sweep_scoring_runs() -> dict:
    """Every few minutes (beat): computations whose worker died or whose message was lost."""
    from itas.scoring.services import requeue_stranded_runs

    return requeue_stranded_runs()
