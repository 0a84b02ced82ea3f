"""Background job rows that never strand.

A job row (a scoring run, a credibility re-analysis) is QUEUED when it is asked for and
RUNNING while a worker holds it; the worker touches `heartbeat_at` as it makes progress. A
worker killed mid-run (OOM, deploy, SIGKILL) leaves the row RUNNING with a heartbeat that
stops; a message lost with a broker restart leaves it QUEUED. The beat's sweep finds both,
puts them back in the queue with one more attempt, and gives up with a stated error after
`max_attempts`, so a page never spins for ever and a new run is never refused because of a
dead one. Workers claim a row with one conditional UPDATE, so a sweep and a redelivered
message can both arrive and only one of them runs the job.

Celery's own acks_late + visibility timeout redeliver a message whose worker died, but only
when the broker kept it; the rows are the record NACC sees, so they are what we sweep.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone, translation

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class JobStates:
    """How one model spells its states (the models predate this module)."""

    field: str
    queued: str
    running: str
    failed: str


def claim(model: type[models.Model], pk: int, states: JobStates, **extra) -> bool:
    """Move the row from QUEUED to RUNNING for this worker; False when another worker (or an
    earlier delivery of the same message) has it, or it is finished."""
    now = timezone.now()
    return bool(
        model._default_manager.filter(pk=pk, **{states.field: states.queued}).update(
            **{states.field: states.running},
            heartbeat_at=now,
            attempts=F("attempts") + 1,
            **extra,
        )
    )


def beat(model: type[models.Model], pk: int, **fields) -> None:
    """Progress from the worker: keeps the row from looking abandoned."""
    model._default_manager.filter(pk=pk).update(heartbeat_at=timezone.now(), **fields)


def _quiet_since(cut: dt.datetime) -> Q:
    """No sign of life since `cut`: its heartbeat, or its creation if it never had one."""
    return Q(heartbeat_at__lt=cut) | Q(heartbeat_at__isnull=True, created_at__lt=cut)


def requeue_stranded(
    model: type[models.Model],
    states: JobStates,
    *,
    send: Callable[[int], object],
    max_attempts: int,
    give_up_message: str,
    running_stale_seconds: float | None = None,
    queued_stale_seconds: float = 600,
    finished_field: str = "finished_at",
) -> dict[str, int]:
    """Queue again the rows whose worker died or whose message was lost; fail those that have
    had their attempts. Returns the counts, for the beat's log.

    A running job beats at each step, so silence past the task's hard time limit (the default
    `running_stale_seconds`) means its worker is gone. `give_up_message` may be lazy: beat has
    no request, and what it stores is read by NACC in the site's language."""
    if running_stale_seconds is None:
        running_stale_seconds = settings.CELERY_TASK_TIME_LIMIT + 60
    with translation.override(settings.LANGUAGE_CODE):
        give_up_message = str(give_up_message)
    now = timezone.now()
    running_cut = now - dt.timedelta(seconds=running_stale_seconds)
    queued_cut = now - dt.timedelta(seconds=queued_stale_seconds)
    stale = (Q(**{states.field: states.running}) & _quiet_since(running_cut)) | (
        Q(**{states.field: states.queued}) & _quiet_since(queued_cut)
    )
    manager = model._default_manager
    stranded = manager.filter(stale)
    failed = stranded.filter(attempts__gte=max_attempts).update(
        **{states.field: states.failed, "error": give_up_message, finished_field: now}
    )
    requeued = []
    for pk in stranded.filter(attempts__lt=max_attempts).values_list("pk", flat=True)[:100]:
        # Back to QUEUED only if still stranded (a late heartbeat wins), then one message;
        # claim() lets only one delivery run it.
        if manager.filter(stale, pk=pk).update(**{states.field: states.queued}, heartbeat_at=now):
            requeued.append(pk)
            send(pk)
    if requeued or failed:
        log.warning(
            "%s: %d stranded job(s) queued again, %d given up",
            model._meta.label,
            len(requeued),
            failed,
        )
    return {"requeued": len(requeued), "failed": failed}
