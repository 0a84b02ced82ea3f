"""Thin Celery wrappers (eager when no broker is set)."""

from celery import shared_task

from itas.cycles.reminders import send_deadline_reminders


@shared_task(acks_late=True)
def send_reminders() -> int:
    """Daily: e-mail agency admins before their deadlines (never the same reminder twice)."""
    return send_deadline_reminders()
