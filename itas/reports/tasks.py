"""Thin Celery wrappers (eager in-process when no broker is set)."""

from celery import shared_task


@shared_task(acks_late=True)
def tell_results_published(result_set_id: int) -> int:
    from .notify import results_published

    return results_published(result_set_id)
