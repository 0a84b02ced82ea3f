"""compute_scores: the answers tallied, the engine rolls up, changed agencies' rows rewritten.

Reads are a fixed number of queries, whatever the number of agencies:
1. the counted answers per (enrolment, question): mean score and count, leaving out responses
   NACC excluded. On PostgreSQL from running tallies (itas.scoring.tallies: folded from the
   answers stored since the last computation, so a recomputation does not read 28 million
   rows); elsewhere one GROUP BY pass over surveys.Answer (question_tallies, which is also the
   reference the tallies are tested against, figure for figure);
2. respondents per enrolment and instrument, the same way;
3. the OIT item scores in one query (itas.disclosure.queries.oit_item_picture: a confirmed
   decision wins over the latest);
4. the cycle's enrolments with their agency's place, and the preliminary set's fingerprints.
Each agency's inputs make a fingerprint; an agency whose fingerprint is the one stored with its
rows keeps them, the others are run through the engine (itas.frameworks.engine, pure Python)
and their rows replaced in the cycle's PRELIMINARY result set. Published sets are never touched
here: publication copies the rows (itas.reports.services).
"""

from __future__ import annotations

import hashlib
import time
from collections import defaultdict
from collections.abc import Iterable, Iterator
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Avg, Count, Model
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from itas.core import audit, jobs
from itas.core.permissions import require_perm
from itas.cycles.models import Cycle, CycleStatus
from itas.disclosure.models import ItemAnswer
from itas.disclosure.queries import oit_item_picture, oit_item_scores
from itas.frameworks import engine
from itas.frameworks.engine import QuestionTally, score_agency
from itas.frameworks.spec import FrameworkSpec
from itas.scoring import tallies
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


def oit_confirmed_agencies(cycle: Cycle) -> int:
    """How many of the cycle's agencies have confirmed OIT items."""
    return (
        ItemAnswer.objects.filter(enrolment__cycle=cycle, confirmed_decision__isnull=False)
        .values("enrolment_id")
        .distinct()
        .count()
    )


def counted_answers(
    cycle: Cycle,
) -> tuple[dict[int, dict[str, QuestionTally]], dict[tuple[int, str], int]]:
    """(question_tallies, respondent_counts) as they are now, for readers other than
    compute_scores (the early warning): from the folded tallies on PostgreSQL, brought up to
    date first, the same figures as the plain scan; from the scan elsewhere."""
    if not tallies.supported():
        return question_tallies(cycle), respondent_counts(cycle)
    tallies.fold(cycle)
    raw = tallies.raw_tallies(list(cycle.enrolments.values_list("pk", flat=True)))
    return (
        {pk: {c: QuestionTally(m, n) for c, (m, n) in per.items()} for pk, per in raw.items()},
        tallies.respondent_counts(cycle),
    )


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


def _delete_rows(result_set: ResultSet, agency_result_ids: list[int]) -> None:
    """Remove agency rows of a (preliminary) set with their indicator and question rows:
    plain DELETEs, children first, in batches."""
    qn = connection.ops.quote_name
    for batch in _batches(agency_result_ids):
        marks = ", ".join(["%s"] * len(batch))
        with connection.cursor() as cursor:
            for model in (QuestionResult, IndicatorResult):
                cursor.execute(
                    f"DELETE FROM {qn(model._meta.db_table)} WHERE agency_result_id IN ({marks})",
                    batch,
                )
            cursor.execute(
                f"DELETE FROM {qn(AgencyResult._meta.db_table)} "
                f"WHERE result_set_id = %s AND id IN ({marks})",
                [result_set.pk, *batch],
            )


def _question_rows(pairs, survey_codes, item_codes, oit, recommendations) -> Iterator[tuple]:
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
                yield (ar_pk, code, item[0], 1, recommendations.get((pk, code), ""))


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
    "fold": 30,
    "answers_group_by": 35,
    "respondents": 45,
    "oit": 55,
    "enrolments": 60,
    "engine": 75,
    "delete": 80,
    "write": 95,
}

# Changes whenever what the rows are computed from changes in code: the engine's source, and
# this number for the way the rows are built here. Part of every agency's fingerprint, so that
# a new release recomputes every agency once instead of keeping rows an older engine made.
ROWS_VERSION = 1
_CODE = int.from_bytes(
    hashlib.blake2b(
        Path(engine.__file__).read_bytes() + str(ROWS_VERSION).encode(), digest_size=8
    ).digest()
)


def _stable(text: str) -> int:
    """A string as a number that is the same in every process (hash() of a str is not)."""
    return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest()) if text else 0


def _fingerprint(*parts) -> str:
    """The inputs of one agency's rows as 16 hex digits (numbers and tuples only: their hash()
    is the same in every process)."""
    return f"{hash((_CODE, *parts)) & 0xFFFFFFFFFFFFFFFF:016x}"


def oit_picture(
    cycle: Cycle, enrolment_ids: list[int] | None = None
) -> tuple[dict[int, dict[str, tuple[float, int]]], dict, set[int]]:
    """What oit_scores gives, in one query: ({enrolment_id: {item: (score, recommendation's
    fingerprint)}}, {(enrolment_id, item): recommendation} for the items that have one,
    enrolments with confirmed items); of every agency or of `enrolment_ids`."""
    out: dict[int, dict[str, tuple[float, int]]] = defaultdict(dict)
    recommendations: dict[tuple[int, str], str] = {}
    confirmed: set[int] = set()
    for enrolment_id, code, score, recommendation, final in oit_item_picture(cycle, enrolment_ids):
        if recommendation:
            recommendations[enrolment_id, code] = recommendation
            out[enrolment_id][code] = (float(score), _stable(recommendation))
        else:
            out[enrolment_id][code] = (float(score), 0)
        if final:
            confirmed.add(enrolment_id)
    return out, recommendations, confirmed


def compute_scores(*, cycle: Cycle, actor=None, progress=None, practice: bool = False) -> ResultSet:
    """Recompute every agency of the cycle into its preliminary result set. An agency whose
    inputs (answer tallies, respondents, OIT decisions, place, framework, engine) are those its
    rows were computed from keeps its rows; the others are rewritten. `progress(step,
    percent)` is told after each step (the UI's progress bar).

    A practice round is scored only when asked for by name (`practice=True`, from
    start_scoring on the practice round's page): its set stays preliminary for good, read only
    by the practice pages, never by anything that reads `Cycle.objects.real()`."""
    if cycle.is_practice != practice:
        raise ScoringError(
            str(PRACTICE_NOT_SCORED) if cycle.is_practice else _("This is not a practice round.")
        )
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
    folded: dict[str, int] = {}
    raw: dict[int, dict[str, tuple[float, int]]] = {}
    if tallies.supported():
        # PostgreSQL: the running tallies, brought up to date; each agency's fingerprint takes
        # the version of its tallies, and only changed agencies' tallies are read (below).
        folded = tallies.fold(cycle)
        t = lap("fold", t)
        tally_keys: dict[int, object] = tallies.versions(cycle)
        respondents = tallies.respondent_counts(cycle)
        # OIT items: each agency's fingerprint takes the version the database triggers keep
        # (itas.scoring.models.OitVersion); only changed agencies' items are read (below).
        oit_keys: dict[int, object] | None = tallies.oit_versions(cycle)
    else:
        raw = {
            pk: {code: (x.mean, x.count) for code, x in per.items()}
            for pk, per in question_tallies(cycle).items()
        }
        t = lap("answers_group_by", t)
        respondents = respondent_counts(cycle)
        tally_keys = {}
        oit_keys = None
    t = lap("respondents", t)
    oit: dict[int, dict[str, tuple[float, int]]] = {}
    recommendations: dict = {}
    if oit_keys is None:
        oit, recommendations, _confirmed = oit_picture(cycle)
    t = lap("oit", t)
    enrolments = list(
        cycle.enrolments.order_by("pk").values_list(
            "pk", "agency_id", "agency__province_id", "agency__district_id", "agency__kind"
        )
    )
    t = lap("enrolments", t)

    survey_codes = [q.code for q in spec.questions]
    item_codes = [i.code for i in spec.oit_items]
    framework = (cycle.framework.pk, cycle.framework.updated_at.timestamp())
    with transaction.atomic():
        result_set = _preliminary_set(cycle)
        kept = {
            e: (pk, digest, grade, passed)
            for e, pk, digest, grade, passed in result_set.agency_results.values_list(
                "enrolment_id", "pk", "digest", "grade", "passed"
            )
        }
        t = lap("read_kept", t)
        changed: list[tuple[int, dict, str]] = []
        graded = passed = 0
        for pk, agency_id, province, district, kind in enrolments:
            items = oit.get(pk, {})
            extra = {
                "agency_id_copy": agency_id,
                "province_code": province or "",
                "district_code": district or "",
                "agency_kind": kind or "",
                "iit_respondents": respondents.get((pk, "iit"), 0),
                "eit_respondents": respondents.get((pk, "eit"), 0),
            }
            digest = _fingerprint(
                framework,
                tuple(extra.values()),
                tally_keys.get(pk) if tally_keys else tuple(map(raw.get(pk, {}).get, survey_codes)),
                oit_keys.get(pk) if oit_keys is not None else tuple(map(items.get, item_codes)),
            )
            old = kept.get(pk)
            if old is not None and old[1] == digest:
                graded += bool(old[2])
                passed += bool(old[3])
            else:
                changed.append((pk, extra, digest))
        t = lap("fingerprints", t)
        if tally_keys and changed:
            raw = tallies.raw_tallies([pk for pk, _x, _d in changed])
        t = lap("answers_group_by", t)
        if oit_keys is not None:
            some = None if len(changed) == len(enrolments) else [pk for pk, *_ in changed]
            oit, recommendations, _confirmed = oit_picture(cycle, some)
            t = lap("oit_changed", t)
        computed: list[tuple[int, object, dict, str]] = []
        for pk, extra, digest in changed:
            scores = score_agency(
                spec,
                questions={code: QuestionTally(m, n) for code, (m, n) in raw.get(pk, {}).items()},
                oit_items={code: score for code, (score, _rec) in oit.get(pk, {}).items()},
            )
            if scores.grade is not None:
                graded += 1
                passed += scores.grade.passed
            computed.append((pk, scores, extra, digest))
        t = lap("engine", t)

        enrolled = {pk for pk, *_ in enrolments}
        stale = [old[0] for e, old in kept.items() if e not in enrolled] + [
            kept[pk][0] for pk, *_ in computed if pk in kept
        ]
        _delete_rows(result_set, stale)
        t = lap("delete", t)
        rows_written = _write_rows(
            result_set, computed, survey_codes, item_codes, spec, oit, recommendations
        )
        t = lap("write", t)
        result_set.computed_at = timezone.now()
        result_set.stats = {
            "agencies": len(enrolments),
            "rewritten": len(computed),
            "kept": len(enrolments) - len(computed),
            "rows_written": rows_written,
            "answers": tallies.answer_count(cycle)
            if tally_keys
            else sum(n for per in raw.values() for _m, n in per.values()),
            "graded": graded,
            "passed": passed,
            "oit_confirmed_agencies": oit_confirmed_agencies(cycle),
            "respondents": sum(respondents.values()),
            "framework": spec.code,
            "seconds": round(time.monotonic() - started, 3),
            "timings": timings,
            "folded": folded,
        }
        result_set.save(update_fields=["computed_at", "stats"])
        audit.record(
            actor,
            "scoring.results.computed",
            result_set,
            changes={"agencies": [None, len(enrolments)], "passed": [None, passed]},
        )
    # with the commit (PostgreSQL runs the deferred foreign-key checks of the new rows there)
    lap("commit", t)
    result_set.stats["seconds_with_commit"] = round(time.monotonic() - started, 3)
    ResultSet.objects.filter(pk=result_set.pk).update(stats=result_set.stats)
    return result_set


def _write_rows(
    result_set, computed, survey_codes, item_codes, spec, oit, recommendations
) -> dict[str, int]:
    """Insert the agency rows of `computed` and their indicator and question rows."""
    indicator_codes = [i.code for i in spec.indicators]
    rows_written = {"agencies": 0, "indicators": 0, "questions": 0}
    for batch in _batches(computed):
        agency_rows = []
        for pk, scores, extra, digest in batch:
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
                    digest=digest,
                    **extra,
                )
            )
        created = AgencyResult.objects.bulk_create(agency_rows)
        if any(ar.pk is None for ar in created):  # backends that do not return ids
            ids = dict(
                AgencyResult.objects.filter(
                    result_set=result_set, enrolment_id__in=[pk for pk, *_ in batch]
                ).values_list("enrolment_id", "pk")
            )
        else:
            ids = {ar.enrolment_id: ar.pk for ar in created}
        rows_written["agencies"] += len(created)
        pairs = [(ids[pk], pk, scores) for pk, scores, _x, _d in batch]
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
            _question_rows(pairs, survey_codes, item_codes, oit, recommendations),
        )
    return rows_written


# --- computing from the UI -----------------------------------------------------------------


def start_scoring(actor, *, cycle: Cycle):
    """NACC asks for the cycle's preliminary results to be recomputed in the background; the
    page polls the run. One run at a time per cycle."""
    from itas.scoring.models import RunState, ScoringRun

    require_perm(
        actor, "scoring.compute", cycle, error=ScoringError, message=_("Only NACC computes scores.")
    )
    if cycle.is_practice and cycle.status != CycleStatus.OPEN:
        raise ScoringError(_("This practice round was reset; score the current one."))
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
SCORING_RUN_ATTEMPTS = 3


def requeue_stranded_runs() -> dict[str, int]:
    """The beat's sweep: computations whose worker died or whose message was lost."""
    from itas.scoring.models import ScoringRun

    return jobs.requeue_stranded(
        ScoringRun,
        SCORING_RUN_STATES,
        send=_queue,
        max_attempts=SCORING_RUN_ATTEMPTS,
        give_up_message=gettext_lazy(
            "The computation stopped three times without finishing; start it again."
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
        rs = compute_scores(
            cycle=run.cycle, actor=run.started_by, progress=tell, practice=run.cycle.is_practice
        )
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
