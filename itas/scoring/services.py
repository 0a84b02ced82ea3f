"""compute_scores: the database averages, the engine rolls up, the result tables are rewritten.

Reads are a fixed number of queries, whatever the number of agencies:
1. one GROUP BY pass over surveys.Answer: (enrolment, question) → AVG(score), COUNT, leaving out
   responses NACC excluded;
2. one GROUP BY over surveys.Response: respondents per enrolment and instrument;
3. the OIT item scores from itas.disclosure.queries.oit_item_scores (one streamed query for
   the confirmed decisions, one for the latest ones: a confirmed decision wins);
4. the cycle's enrolments with their agency's place.
The engine (itas.frameworks.engine, pure Python) rolls each agency up; the rows are written to
the cycle's PRELIMINARY result set in batches. Published sets are never touched here.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Iterable, Iterator

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Avg, Count, Model
from django.utils import timezone
from django.utils.translation import gettext as _

from itas.core import audit, jobs
from itas.cycles.models import Cycle
from itas.disclosure.queries import oit_item_scores
from itas.frameworks.engine import QuestionTally, score_agency
from itas.frameworks.spec import FrameworkSpec
from itas.scoring.errors import PRACTICE_NOT_SCORED, ScoringError
from itas.scoring.models import (
    AgencyResult,
    IndicatorResult,
    QuestionResult,
    ResultSet,
    ResultStatus,
    RunState,
)
from itas.surveys.models import Answer, Response

BATCH = 2000


def _oit_feed(cycle: Cycle, *, final: bool) -> Iterable[tuple[int, str, int, str]]:
    return oit_item_scores(cycle, final=final)


def question_tallies(cycle: Cycle) -> dict[int, dict[str, QuestionTally]]:
    """{enrolment_id: {question_code: QuestionTally}} in one GROUP BY pass over the answers.

    On PostgreSQL the pass gets more working memory for its transaction, so that the
    (enrolment, question) groups are hashed in memory instead of sorted on disk."""
    # NACC excludes few responses, if any: a literal list (or nothing) keeps the plan a plain
    # parallel hash aggregate, where NOT IN (subquery) made PostgreSQL give up parallelism.
    excluded = list(
        Response.objects.filter(enrolment__cycle=cycle, excluded=True).values_list("id", flat=True)
    )
    rows = Answer.objects.filter(enrolment_id__in=cycle.enrolments.values("id"))
    if excluded:
        rows = rows.exclude(response_id__in=excluded)
    rows = (
        rows.order_by()
        .values_list("enrolment_id", "question_code")
        .annotate(mean=Avg("score"), n=Count("id"))
    )
    out: dict[int, dict[str, QuestionTally]] = defaultdict(dict)
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                work_mem = getattr(settings, "ITAS_SCORING_WORK_MEM", "256MB")
                cursor.execute("SELECT set_config('work_mem', %s, true)", [work_mem])
        # Plain iteration, not .iterator(): on PostgreSQL that opens a server-side cursor, and
        # a query behind a cursor never runs in parallel. The result is one row per
        # (agency, question), a few hundred thousand at national scale.
        for enrolment_id, code, mean, n in rows:
            out[enrolment_id][code] = QuestionTally(float(mean), int(n))
    return out


def respondent_counts(cycle: Cycle) -> dict[tuple[int, str], int]:
    """{(enrolment_id, "iit"|"eit"): number of valid respondents}."""
    rows = (
        Response.objects.filter(enrolment__cycle=cycle, excluded=False)
        .order_by()
        .values_list("enrolment_id", "instrument")
        .annotate(n=Count("id"))
    )
    return {(e, i): n for e, i, n in rows}


def oit_scores(cycle: Cycle) -> tuple[dict[int, dict[str, tuple[float, str]]], set[int]]:
    """({enrolment_id: {item: (score, recommendation)}}, enrolments with confirmed items).

    The latest decisions give the preliminary picture; a confirmed decision replaces it."""
    out: dict[int, dict[str, tuple[float, str]]] = defaultdict(dict)
    for enrolment_id, code, score, recommendation in _oit_feed(cycle, final=False):
        out[enrolment_id][code] = (float(score), recommendation or "")
    confirmed: set[int] = set()
    for enrolment_id, code, score, recommendation in _oit_feed(cycle, final=True):
        out[enrolment_id][code] = (float(score), recommendation or "")
        confirmed.add(enrolment_id)
    return out, confirmed


def _delete_rows(result_set: ResultSet) -> None:
    """Remove a (preliminary) set's rows: three plain DELETEs, children first."""
    qn = connection.ops.quote_name
    parent = qn(AgencyResult._meta.db_table)
    with connection.cursor() as cursor:
        for child in (QuestionResult, IndicatorResult):
            cursor.execute(
                f"DELETE FROM {qn(child._meta.db_table)} WHERE agency_result_id IN "
                f"(SELECT id FROM {parent} WHERE result_set_id = %s)",
                [result_set.pk],
            )
        cursor.execute(f"DELETE FROM {parent} WHERE result_set_id = %s", [result_set.pk])


def _question_rows(pairs, survey_codes, item_codes, oit) -> Iterator[tuple]:
    """(agency_result_id, code, score, responses, recommendation) for every question and item."""
    for ar_pk, pk, scores in pairs:
        tallies = scores.questions
        for code in survey_codes:
            tally = tallies.get(code)
            if tally is None:
                yield (ar_pk, code, None, 0, "")
            else:
                yield (ar_pk, code, tally.mean, tally.count, "")
        items = oit.get(pk, {})
        for code in item_codes:
            item = items.get(code)
            if item is None:
                yield (ar_pk, code, None, 0, "")
            else:
                yield (ar_pk, code, item[0], 1, item[1])


def _preliminary_set(cycle: Cycle) -> ResultSet:
    result_set = (
        ResultSet.objects.select_for_update()
        .filter(cycle=cycle, status=ResultStatus.PRELIMINARY)
        .order_by("-version")
        .first()
    )
    if result_set is None:
        last = cycle.result_sets.order_by("-version").values_list("version", flat=True).first()
        result_set = ResultSet.objects.create(
            cycle=cycle, version=(last or 0) + 1, computed_at=timezone.now()
        )
    return result_set


def _batches(rows: Iterable, size: int = BATCH) -> Iterator[list]:
    batch: list = []
    for row in rows:
        batch.append(row)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def insert_rows(model: type[Model], fields: list[str], rows: Iterable[tuple]) -> int:
    """Insert plain tuples into a model's table, fast: COPY on PostgreSQL, executemany
    elsewhere. For result rows only (no defaults, signals or pks needed back)."""
    meta = model._meta
    qn = connection.ops.quote_name
    table = qn(meta.db_table)
    columns = ", ".join(qn(meta.get_field(f).column) for f in fields)
    count = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
                    count += 1
        else:
            sql = f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(fields))})"
            for batch in _batches(rows, 5000):
                cursor.executemany(sql, batch)
                count += len(batch)
    return count


# How far along the computation is after each step (for a progress bar).
STEP_PERCENT = {
    "answers_group_by": 35,
    "respondents": 45,
    "oit": 55,
    "enrolments": 60,
    "engine": 75,
    "delete": 80,
    "write": 95,
}


def compute_scores(*, cycle: Cycle, actor=None, progress=None) -> ResultSet:
    """Recompute every agency of the cycle into its preliminary result set (rows replaced).
    `progress(step, percent)` is told after each step (the UI's progress bar)."""
    if cycle.is_practice:
        raise ScoringError(str(PRACTICE_NOT_SCORED))
    started = time.monotonic()
    spec: FrameworkSpec = cycle.framework.spec
    timings: dict[str, float] = {}

    def lap(name: str, since: float) -> float:
        now = time.monotonic()
        timings[name] = round(now - since, 3)
        if progress is not None:
            progress(name, STEP_PERCENT.get(name, 0))
        return now

    t = time.monotonic()
    tallies = question_tallies(cycle)
    t = lap("answers_group_by", t)
    respondents = respondent_counts(cycle)
    t = lap("respondents", t)
    oit, confirmed = oit_scores(cycle)
    t = lap("oit", t)
    enrolments = list(
        cycle.enrolments.order_by("pk").values_list(
            "pk", "agency_id", "agency__province_id", "agency__district_id", "agency__kind"
        )
    )
    t = lap("enrolments", t)

    survey_codes = [q.code for q in spec.questions]
    item_codes = [i.code for i in spec.oit_items]
    indicator_codes = [i.code for i in spec.indicators]
    computed: list[tuple[int, object, dict]] = []
    graded = passed = 0
    for pk, agency_id, province, district, kind in enrolments:
        items = oit.get(pk, {})
        scores = score_agency(
            spec,
            questions=tallies.get(pk, {}),
            oit_items={code: score for code, (score, _rec) in items.items()},
        )
        if scores.grade is not None:
            graded += 1
            passed += scores.grade.passed
        computed.append(
            (
                pk,
                scores,
                {
                    "agency_id_copy": agency_id,
                    "province_code": province or "",
                    "district_code": district or "",
                    "agency_kind": kind or "",
                    "iit_respondents": respondents.get((pk, "iit"), 0),
                    "eit_respondents": respondents.get((pk, "eit"), 0),
                },
            )
        )
    t = lap("engine", t)

    with transaction.atomic():
        result_set = _preliminary_set(cycle)
        _delete_rows(result_set)
        t = lap("delete", t)
        rows_written = {"agencies": 0, "indicators": 0, "questions": 0}
        for batch in _batches(computed):
            agency_rows = []
            for pk, scores, extra in batch:
                grade = scores.grade
                agency_rows.append(
                    AgencyResult(
                        result_set=result_set,
                        enrolment_id=pk,
                        iit=scores.tools.get("IIT"),
                        eit=scores.tools.get("EIT"),
                        oit=scores.tools.get("OIT"),
                        total=scores.total_rounded,
                        grade=grade.grade if grade else "",
                        label=grade.label if grade else "",
                        passed=grade.passed if grade else None,
                        **extra,
                    )
                )
            created = AgencyResult.objects.bulk_create(agency_rows)
            rows_written["agencies"] += len(created)
            pairs = [
                (ar.pk, pk, scores) for ar, (pk, scores, _x) in zip(created, batch, strict=True)
            ]
            rows_written["indicators"] += insert_rows(
                IndicatorResult,
                ["agency_result", "indicator_code", "score"],
                (
                    (ar_pk, code, value)
                    for ar_pk, _pk, scores in pairs
                    for code, value in (
                        *((c, scores.indicators.get(c)) for c in indicator_codes),
                        *scores.subindicators.items(),
                    )
                ),
            )
            rows_written["questions"] += insert_rows(
                QuestionResult,
                ["agency_result", "code", "score", "responses", "recommendation"],
                _question_rows(pairs, survey_codes, item_codes, oit),
            )
        t = lap("write", t)
        result_set.computed_at = timezone.now()
        result_set.stats = {
            **rows_written,
            "graded": graded,
            "passed": passed,
            "oit_confirmed_agencies": len(confirmed),
            "answers": sum(x.count for per in tallies.values() for x in per.values()),
            "respondents": sum(respondents.values()),
            "framework": spec.code,
            "seconds": round(time.monotonic() - started, 3),
            "timings": timings,
        }
        result_set.save(update_fields=["computed_at", "stats"])
        audit.record(
            actor,
            "scoring.results.computed",
            result_set,
            changes={"agencies": [None, rows_written["agencies"]], "passed": [None, passed]},
        )
    # with the commit (PostgreSQL runs the deferred foreign-key checks of the new rows there)
    lap("commit", t)
    result_set.stats["seconds_with_commit"] = round(time.monotonic() - started, 3)
    ResultSet.objects.filter(pk=result_set.pk).update(stats=result_set.stats)
    return result_set


# --- computing from the UI -----------------------------------------------------------------


def start_scoring(actor, *, cycle: Cycle):
    """NACC asks for the cycle's preliminary results to be recomputed in the background; the
    page polls the run. One run at a time per cycle."""
    from itas.scoring.models import RunState, ScoringRun

    if not actor.has_perm("scoring.compute", cycle):
        raise ScoringError(_("Only NACC computes scores."))
    if cycle.is_practice:
        raise ScoringError(str(PRACTICE_NOT_SCORED))
    if cycle.framework_id is None:
        raise ScoringError(_("This cycle has no framework to score with."))
    with transaction.atomic():
        busy = ScoringRun.objects.select_for_update().filter(
            cycle=cycle, state__in=[RunState.QUEUED, RunState.RUNNING]
        )
        if busy.exists():
            raise ScoringError(_("A computation of this cycle is already running."))
        run = ScoringRun.objects.create(cycle=cycle, started_by=actor)
        audit.record(actor, "scoring.run.started", run)
        transaction.on_commit(lambda: _queue(run.pk))
    return run


def _queue(run_id: int) -> None:
    from itas.scoring.tasks import run_scoring

    run_scoring.delay(run_id)


SCORING_RUN_STATES = jobs.JobStates(
    field="state", queued=RunState.QUEUED, running=RunState.RUNNING, failed=RunState.FAILED
)
# A computation beats at each step; a national one takes under a minute between steps, so
# silence past the task's hard time limit means its worker is gone.
SCORING_RUN_ATTEMPTS = 3


def requeue_stranded_runs() -> dict[str, int]:
    """The beat's sweep: computations whose worker died or whose message was lost."""
    from itas.scoring.models import ScoringRun

    return jobs.requeue_stranded(
        ScoringRun,
        SCORING_RUN_STATES,
        send=_queue,
        running_stale_seconds=settings.CELERY_TASK_TIME_LIMIT + 60,
        queued_stale_seconds=600,
        max_attempts=SCORING_RUN_ATTEMPTS,
        give_up_message=str(
            _("The computation stopped three times without finishing; start it again.")
        ),
    )


def run_scoring(run_id: int) -> str:
    """The task's body: compute, keeping the run's step and percent current. Runs only if this
    delivery claims the row (a redelivered message or the sweep's copy finds it taken)."""
    from itas.scoring.models import ScoringRun

    if not jobs.claim(ScoringRun, run_id, SCORING_RUN_STATES, percent=5):
        return ScoringRun.objects.values_list("state", flat=True).get(pk=run_id)
    run = ScoringRun.objects.select_related("cycle__framework", "started_by").get(pk=run_id)

    def tell(step: str, percent: int) -> None:
        jobs.beat(ScoringRun, run_id, step=step, percent=percent)

    try:
        rs = compute_scores(cycle=run.cycle, actor=run.started_by, progress=tell)
    except Exception as exc:  # noqa: BLE001 - the page must say it failed, not spin forever
        ScoringRun.objects.filter(pk=run_id).update(
            state=RunState.FAILED, error=str(exc)[:1000], finished_at=timezone.now()
        )
        raise
    stats = {k: v for k, v in rs.stats.items() if k != "timings"}
    ScoringRun.objects.filter(pk=run_id).update(
        state=RunState.DONE, percent=100, step="", stats=stats, finished_at=timezone.now()
    )
    return RunState.DONE
