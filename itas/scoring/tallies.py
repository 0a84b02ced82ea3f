"""Running tallies of the counted answers (PostgreSQL), so that a recomputation reads one row per
(enrolment, question) instead of every answer.

What compute_scores needs from the answers is, per (enrolment, question), the mean score and the
number of the answers of responses that are not excluded; per (enrolment, instrument), the
number of such respondents. `fold(cycle)` keeps those in AnswerTally and RespondentTally:

- the first fold of a cycle sums its answers in one GROUP BY, with the same aggregate
  (float8 addition in the order the rows are stored) that AVG uses, and no parallel plan, so
  that total / answers is bit for bit what `AVG(score)` of the plain scan gives;
- each later fold adds the answers stored since the cycle's TallyMark (ids above it), continuing
  each running sum in id order (the tally's sum first, then `SUM(score ORDER BY id)`): the
  same float additions, in the same order, that a scan of all the rows makes when new rows are
  stored after the old ones, as an insert-only table stores them;
- enrolments whose rows changed otherwise (a response excluded or restored, answers or
  responses deleted or updated) are marked by database triggers (migration 0004) in
  TallyDirty, whatever code path changed them, and re-summed from their rows.

The marks are taken under a SHARE lock on the answer table, then on the response table, each
held only for one `max(id)` read: it waits for submissions being stored to commit, so that no
row with an id under the mark can appear later.

SQLite keeps no tallies: scoring reads the answers there (itas.scoring.services).
"""

from __future__ import annotations

from collections import defaultdict
from secrets import randbits

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from itas.cycles.models import Cycle, Enrolment
from itas.scoring.models import (
    AnswerTally,
    OitVersion,
    RespondentTally,
    TallyDirty,
    TallyMark,
    TallyVersion,
)
from itas.surveys.models import Answer, Response


def supported() -> bool:
    return connection.vendor == "postgresql"


def _tables() -> dict[str, str]:
    qn = connection.ops.quote_name
    return {
        "answer": qn(Answer._meta.db_table),
        "response": qn(Response._meta.db_table),
        "enrolment": qn(Enrolment._meta.db_table),
        "tally": qn(AnswerTally._meta.db_table),
        "respondents": qn(RespondentTally._meta.db_table),
        "dirty": qn(TallyDirty._meta.db_table),
        "version": qn(TallyVersion._meta.db_table),
    }


def _marks() -> tuple[int, int]:
    """(highest answer id, highest response id), every row under them committed. One table
    locked at a time, each in its own short transaction: holding one lock while waiting for
    another could deadlock with a submission or a deletion that takes them the other way."""
    t = _tables()
    marks = []
    for table in (t["answer"], t["response"]):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {table} IN SHARE MODE")
            cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")
            marks.append(int(cursor.fetchone()[0]))
    return marks[0], marks[1]


def fold(cycle: Cycle) -> dict[str, int]:
    """Bring the cycle's tallies up to date with its stored answers and responses. Returns what
    it did: {"full": 0|1 (first fold), "changed": enrolments whose tallies changed,
    "dirty": enrolments re-summed from their rows}."""
    answer_mark, response_mark = _marks()
    t = _tables()
    in_cycle = f"IN (SELECT id FROM {t['enrolment']} WHERE cycle_id = %(cycle)s)"
    with transaction.atomic(), connection.cursor() as cursor:
        TallyMark.objects.get_or_create(cycle=cycle)
        mark = TallyMark.objects.select_for_update().get(cycle=cycle)
        cursor.execute(
            f"DELETE FROM {t['dirty']} WHERE enrolment_id {in_cycle} RETURNING enrolment_id",
            {"cycle": cycle.pk},
        )
        dirty = sorted(row[0] for row in cursor.fetchall())
        full = mark.folded_at is None
        new_answers = answer_mark > mark.answer_id
        new_responses = response_mark > mark.response_id
        done = {"full": int(full), "changed": 0, "dirty": 0 if full else len(dirty)}
        if not (full or dirty or new_answers or new_responses):
            return done
        # Sum in the order the rows are stored, as the plain scan does: no parallel workers
        # (their partial sums would be added in another order), room to hash in memory.
        cursor.execute("SET LOCAL max_parallel_workers_per_gather = 0")
        cursor.execute("SET LOCAL enable_sort = off")  # a sort may reorder a group's rows
        work_mem = getattr(settings, "ITAS_SCORING_WORK_MEM", "256MB")
        cursor.execute("SELECT set_config('work_mem', %s, true)", [work_mem])
        cursor.execute(
            f"SELECT id FROM {t['response']} WHERE excluded AND enrolment_id {in_cycle}",
            {"cycle": cycle.pk},
        )
        params = {
            "cycle": cycle.pk,
            "excluded": [row[0] for row in cursor.fetchall()],
            "dirty": dirty,
            "prev_answer": mark.answer_id,
            "answer_mark": answer_mark,
            "prev_response": mark.response_id,
            "response_mark": response_mark,
        }
        if full:  # a list, not a join: one hash probe per answer row
            params["all"] = list(cycle.enrolments.values_list("pk", flat=True))
        where = "enrolment_id = ANY(%(all)s)" if full else "enrolment_id = ANY(%(dirty)s)"
        changed: set[int] = set(dirty)
        if full or dirty:
            _resum(cursor, t, where, params)
        if not full and new_answers:
            changed.update(_fold_new_answers(cursor, t, in_cycle, params))
        if not full and new_responses:
            changed.update(_fold_new_responses(cursor, t, in_cycle, params))
        done["changed"] = len(changed)
        # A new random version for every enrolment whose tallies this fold changed.
        version = randbits(62)
        if full:
            cursor.execute(
                f"INSERT INTO {t['version']} (enrolment_id, version) "
                f"SELECT id, %(version)s FROM {t['enrolment']} WHERE cycle_id = %(cycle)s "
                "ON CONFLICT (enrolment_id) DO UPDATE SET version = EXCLUDED.version",
                {"cycle": cycle.pk, "version": version},
            )
        elif changed:
            cursor.execute(
                f"INSERT INTO {t['version']} (enrolment_id, version) "
                "SELECT unnest(%(ids)s::bigint[]), %(version)s "
                "ON CONFLICT (enrolment_id) DO UPDATE SET version = EXCLUDED.version",
                {"ids": sorted(changed), "version": version},
            )
        mark.answer_id = max(mark.answer_id, answer_mark)
        mark.response_id = max(mark.response_id, response_mark)
        mark.folded_at = timezone.now()
        mark.save(update_fields=["answer_id", "response_id", "folded_at"])
    return done


def _resum(cursor, t: dict[str, str], where: str, params: dict) -> None:
    """Recompute the tallies of the enrolments `where` selects from all their rows."""
    for table in (t["tally"], t["respondents"]):
        cursor.execute(f"DELETE FROM {table} WHERE {where}", params)
    cursor.execute(
        f"INSERT INTO {t['tally']} (enrolment_id, question_code, total, answers) "
        f"SELECT enrolment_id, question_code, SUM(score), COUNT(*) FROM {t['answer']} "
        f"WHERE {where} AND id <= %(answer_mark)s AND NOT (response_id = ANY(%(excluded)s)) "
        "GROUP BY enrolment_id, question_code",
        params,
    )
    cursor.execute(
        f"INSERT INTO {t['respondents']} (enrolment_id, instrument, respondents) "
        f"SELECT enrolment_id, instrument, COUNT(*) FROM {t['response']} "
        f"WHERE {where} AND id <= %(response_mark)s AND NOT excluded "
        "GROUP BY enrolment_id, instrument",
        params,
    )


def _fold_new_answers(cursor, t: dict[str, str], in_cycle: str, params: dict) -> set[int]:
    """Continue each running sum with the answers stored since the mark, in id order: the
    tally's own sum comes first (id 0), so the additions are the ones a scan makes."""
    cursor.execute(
        f"""
        WITH new AS (
            SELECT id, enrolment_id, question_code, score FROM {t["answer"]}
            WHERE id > %(prev_answer)s AND id <= %(answer_mark)s
              AND enrolment_id {in_cycle}
              AND NOT (enrolment_id = ANY(%(dirty)s))
              AND NOT (response_id = ANY(%(excluded)s))
        ), src AS (
            SELECT enrolment_id, question_code, 0::bigint AS id, total AS score, answers AS n
            FROM {t["tally"]}
            WHERE (enrolment_id, question_code) IN (SELECT enrolment_id, question_code FROM new)
            UNION ALL
            SELECT enrolment_id, question_code, id, score, 1 FROM new
        )
        INSERT INTO {t["tally"]} (enrolment_id, question_code, total, answers)
        SELECT enrolment_id, question_code, SUM(score ORDER BY id), SUM(n) FROM src
        GROUP BY enrolment_id, question_code
        ON CONFLICT (enrolment_id, question_code)
        DO UPDATE SET total = EXCLUDED.total, answers = EXCLUDED.answers
        RETURNING enrolment_id
        """,
        params,
    )
    return {row[0] for row in cursor.fetchall()}


def _fold_new_responses(cursor, t: dict[str, str], in_cycle: str, params: dict) -> set[int]:
    cursor.execute(
        f"""
        INSERT INTO {t["respondents"]} AS old (enrolment_id, instrument, respondents)
        SELECT enrolment_id, instrument, COUNT(*) FROM {t["response"]}
        WHERE id > %(prev_response)s AND id <= %(response_mark)s AND NOT excluded
          AND enrolment_id {in_cycle}
          AND NOT (enrolment_id = ANY(%(dirty)s))
        GROUP BY enrolment_id, instrument
        ON CONFLICT (enrolment_id, instrument)
        DO UPDATE SET respondents = old.respondents + EXCLUDED.respondents
        RETURNING enrolment_id
        """,
        params,
    )
    return {row[0] for row in cursor.fetchall()}


def reset(cycle: Cycle) -> None:
    """Forget the cycle's tallies: the next fold sums every answer again."""
    with transaction.atomic():
        for model in (AnswerTally, RespondentTally, TallyVersion):
            model.objects.filter(enrolment__cycle=cycle).delete()
        TallyMark.objects.filter(cycle=cycle).delete()


def raw_tallies(enrolment_ids: list[int]) -> dict[int, dict[str, tuple[float, int]]]:
    """{enrolment_id: {question_code: (mean, count)}} from the folded tallies of these
    enrolments; the mean is total / count, the division AVG makes."""
    t = _tables()
    out: dict[int, dict[str, tuple[float, int]]] = defaultdict(dict)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT enrolment_id, question_code, total, answers FROM {t['tally']} "
            "WHERE enrolment_id = ANY(%s)",
            [enrolment_ids],
        )
        for enrolment_id, code, total, n in cursor.fetchall():
            out[enrolment_id][code] = (total / n, n)
    return out


def answer_count(cycle: Cycle) -> int:
    """How many answers the cycle's tallies count."""
    t = _tables()
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT COALESCE(SUM(answers), 0) FROM {t['tally']} "
            f"WHERE enrolment_id IN (SELECT id FROM {t['enrolment']} WHERE cycle_id = %s)",
            [cycle.pk],
        )
        return int(cursor.fetchone()[0])


def oit_versions(cycle: Cycle) -> dict[int, int]:
    """{enrolment_id: version of its OIT items} (kept by database triggers)."""
    return dict(
        OitVersion.objects.filter(enrolment_id__in=cycle.enrolments.values("pk")).values_list(
            "enrolment_id", "version"
        )
    )


def versions(cycle: Cycle) -> dict[int, int]:
    """{enrolment_id: version of its tallies}."""
    return dict(
        TallyVersion.objects.filter(enrolment__cycle=cycle).values_list("enrolment_id", "version")
    )


def respondent_counts(cycle: Cycle) -> dict[tuple[int, str], int]:
    """{(enrolment_id, "iit"|"eit"): counted respondents} from the folded tallies."""
    rows = RespondentTally.objects.filter(enrolment__cycle=cycle).values_list(
        "enrolment_id", "instrument", "respondents"
    )
    return {(e, i): n for e, i, n in rows if n}
