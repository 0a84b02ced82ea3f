"""What a response carries when it is stored, for the credibility signals.

Nothing here identifies a person: the sheet and the score are the answers themselves in
another shape; the hashes are keyed and salted by the cycle and erased at close; the arrival
buckets count submissions per hash and 10-minute slot and are linked to no response.
"""

from __future__ import annotations

import datetime as dt
import logging
from contextlib import nullcontext

from django.db import OperationalError, connection, transaction
from django.utils import timezone

from itas.core import prepared
from itas.frameworks.spec import FrameworkSpec
from itas.surveys.models import ArrivalBucket

SLOT_MINUTES = 10
log = logging.getLogger(__name__)


def sheet_of(spec: FrameworkSpec, instrument: str, chosen: dict) -> tuple[str, float, bool]:
    """(sheet, mean question score, every sub-item at its best score) of valid answers."""
    columns: list[str] = []
    question_means: list[float] = []
    all_best = True
    for q in spec.questions_for(instrument):
        total = 0.0
        for sub in q.subitems:
            value = str(chosen[q.code][sub.code])
            index = next(i for i, c in enumerate(sub.choices) if c.value == value)
            columns.append(str(min(index, 9)))
            score = sub.choices[index].score
            total += score
            if score < max(c.score for c in sub.choices):
                all_best = False
        question_means.append(total / len(q.subitems))
    mean = sum(question_means) / len(question_means) if question_means else 0.0
    return "".join(columns)[:255], mean, all_best


def slot_of(moment: dt.datetime | None = None) -> dt.datetime:
    moment = moment or timezone.now()
    return moment.replace(
        minute=moment.minute - moment.minute % SLOT_MINUTES, second=0, microsecond=0
    )


def arrival_upsert_sql() -> str:
    """PostgreSQL's upsert of note_arrival with its rows in two arrays (kinds, hashes), so
    that one text serves any number of them; the response's INSERT runs it in the same
    statement (surveys.store). Parameters: arrival_params()."""
    table = connection.ops.quote_name(ArrivalBucket._meta.db_table)
    return (
        f"INSERT INTO {table} (enrolment_id, kind, hash, slot, count) "
        "SELECT %s, v.kind, v.hash, %s, 1 FROM unnest(%s::varchar[], %s::varchar[]) "
        f"AS v(kind, hash) ON CONFLICT (kind, hash, slot) DO UPDATE SET count = {table}.count + 1"
    )


def arrival_params(*, enrolment_id: int, hashes: dict[str, str]) -> list:
    """The parameters of arrival_upsert_sql(): the hashes given ({kind: hash}, empty ones left
    out) counted in the current slot."""
    kinds = [kind for kind, value in hashes.items() if value]
    slot = ArrivalBucket._meta.get_field("slot").get_db_prep_value(slot_of(), connection)
    return [enrolment_id, slot, kinds, [hashes[kind] for kind in kinds]]


def note_arrival(*, enrolment_id: int, hashes: dict[str, str]) -> None:
    """Count one submission in the current 10-minute slot of each hash ({kind: hash}). One
    upsert of every kind in one statement: concurrent submissions add up in the database, not
    in a process. (On PostgreSQL a questionnaire's submission counts them in its own INSERT,
    surveys.store, and does not call this.)

    Called after the response is stored: a count that cannot be written (the database busy
    beyond its timeout) is logged and skipped, never an error for the respondent."""
    slot = slot_of()
    rows = [(enrolment_id, kind, value, slot) for kind, value in hashes.items() if value]
    if not rows:
        return
    table = connection.ops.quote_name(ArrivalBucket._meta.db_table)
    slot_param = ArrivalBucket._meta.get_field("slot").get_db_prep_value(slot, connection)
    params = [p for e, kind, value, _ in rows for p in (e, kind, value, slot_param)]
    try:
        # One statement commits by itself; inside a caller's transaction, a savepoint.
        with (
            transaction.atomic() if connection.in_atomic_block else nullcontext(),
            prepared.cursor() as cursor,
        ):
            cursor.execute(
                f"INSERT INTO {table} (enrolment_id, kind, hash, slot, count) VALUES "
                + ", ".join(["(%s, %s, %s, %s, 1)"] * len(rows))
                + f" ON CONFLICT (kind, hash, slot) DO UPDATE SET count = {table}.count + 1",
                params,
            )
    except OperationalError:
        log.warning("arrival bucket not counted: database busy")
