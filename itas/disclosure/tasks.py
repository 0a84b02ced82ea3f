"""Thin Celery wrappers: take ids, call a service (eager in-process when no broker is set)."""

from celery import shared_task


@shared_task(acks_late=True, soft_time_limit=120, time_limit=150)
def run_link_check(check_id: int) -> str:
    """Idempotent: a redelivered message finds the row done (or claims it if abandoned)."""
    from .linkcheck import run_check

    return run_check(check_id)


@shared_task(acks_late=True, ignore_result=True, expires=600)
def sweep_link_checks() -> int:
    """Every few minutes (beat): queue again the checks whose message was lost or whose worker
    died. Returns how many were queued."""
    from .services.board import requeue_stranded_checks

    return requeue_stranded_checks()


@shared_task(acks_late=True)
def open_oit_boards() -> int:
    """Daily: open the OIT boards of the cycles whose answer period is open."""
    from .services import open_due_boards

    return open_due_boards()
