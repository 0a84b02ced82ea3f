"""Thin Celery wrappers (eager when no broker is set): the early warning's refresh."""

from celery import shared_task


@shared_task(acks_late=True)
def run_warning_refresh(run_id: int) -> str:
    """A refresh asked for from the page or by the beat (services.start_refresh)."""
    from itas.improvement.services import run_refresh

    return run_refresh(run_id)


@shared_task(acks_late=True, ignore_result=True, expires=600)
def refresh_open_cycles() -> list[int]:
    """Periodically (beat): each open cycle's early warning, while the cycle is open."""
    from itas.improvement.services import refresh_open_cycles as refresh

    return refresh()


@shared_task(acks_late=True, ignore_result=True, expires=600)
def sweep_warning_runs() -> dict:
    """Every few minutes (beat): refreshes whose worker died or whose message was lost."""
    from itas.improvement.services import requeue_stranded_runs

    return requeue_stranded_runs()
