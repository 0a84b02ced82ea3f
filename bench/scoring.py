"""Scoring: compute_scores for the whole cycle, beside one plain scan of the stored answers
(the floor: no work can read every answer faster) and the bare GROUP BY that scoring needs."""

from __future__ import annotations

import time

from django.db import connection


def _timed_sql(sql: str) -> tuple[float, tuple]:
    with connection.cursor() as cursor:
        t0 = time.perf_counter()
        cursor.execute(sql)
        rows = cursor.fetchall()
        return time.perf_counter() - t0, rows[0] if rows else ()


def measure(cycle, *, repeats: int = 2) -> dict:
    from itas.scoring.services import compute_scores
    from itas.surveys.models import Answer

    table = Answer._meta.db_table
    # Warm the cache the same way for everything measured: read the table once first.
    _timed_sql(f'SELECT count(*), sum(score) FROM "{table}"')
    scan = min(_timed_sql(f'SELECT count(*), sum(score) FROM "{table}"')[0] for _ in range(repeats))
    answers = _timed_sql(f'SELECT count(*) FROM "{table}"')[1][0]
    group_by = min(
        _timed_sql(
            f"SELECT count(*) FROM (SELECT enrolment_id, question_code, avg(score), count(*) "
            f'FROM "{table}" GROUP BY 1, 2) t'
        )[0]
        for _ in range(repeats)
    )
    # First: the cycle computed as never before (PostgreSQL folds its tallies from every answer
    # and every agency's rows are written). Then repeated, nothing changed (best of two: the
    # target). Then after NACC excluded one response in one agency of a hundred, and restored.
    from itas.scoring import tallies
    from itas.scoring.models import AgencyResult, ResultSet
    from itas.surveys.models import Response

    if tallies.supported():
        tallies.reset(cycle)
    AgencyResult.objects.filter(result_set__in=ResultSet.objects.filter(cycle=cycle)).filter(
        result_set__status="preliminary"
    ).update(digest="")
    t0 = time.perf_counter()
    result_set = compute_scores(cycle=cycle)
    first = time.perf_counter() - t0
    first_stats = dict(result_set.stats or {})
    runs = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        result_set = compute_scores(cycle=cycle)
        runs.append(time.perf_counter() - t0)
    best = min(runs)
    repeated_stats = dict(result_set.stats or {})
    enrolments = list(cycle.enrolments.order_by("pk").values_list("pk", flat=True)[::100])
    picked = [
        r
        for r in (
            Response.objects.filter(enrolment_id=e, excluded=False).values_list("pk", flat=True)[:1]
            for e in enrolments
        )
        for r in r
    ]
    changed = []
    for excluded in (True, False):
        Response.objects.filter(pk__in=picked).update(excluded=excluded)
        t0 = time.perf_counter()
        result_set = compute_scores(cycle=cycle)
        changed.append(time.perf_counter() - t0)
    return {
        "answers": answers,
        "scan_s": scan,
        "group_by_s": group_by,
        "first_s": first,
        "first_stats": first_stats,
        "compute_s": best,
        "compute_runs_s": runs,
        "changed_s": max(changed),
        "changed_agencies": len(picked),
        "changed_stats": dict(result_set.stats or {}),
        "ratio": best / scan if scan else 0.0,
        "agencies": result_set.agency_results.count() if result_set else 0,
        "stats": repeated_stats,
    }


def settle() -> None:
    from itas.scoring.models import AgencyResult, IndicatorResult, QuestionResult, ResultSet

    with connection.cursor() as cursor:
        for model in (ResultSet, AgencyResult, IndicatorResult, QuestionResult):
            cursor.execute(f'VACUUM ANALYZE "{model._meta.db_table}"')


def has_published(cycle) -> bool:
    from itas.scoring.models import ResultSet, ResultStatus

    return ResultSet.objects.filter(cycle=cycle, status=ResultStatus.PUBLISHED).exists()


def publish(cycle) -> float | None:
    """Publish the preliminary results once (the reading benchmarks read published results)."""
    from itas.scoring.models import ResultSet, ResultStatus

    if ResultSet.objects.filter(cycle=cycle, status=ResultStatus.PUBLISHED).exists():
        return None
    try:
        from itas.reports.services import publish_results
    except ImportError:
        return None
    from itas.accounts.models import User

    actor = User.objects.filter(is_superuser=True).first()
    if actor is None:
        actor = User.objects.create_superuser(email="bench@itas.local", password=None)
    t0 = time.perf_counter()
    publish_results(actor=actor, cycle=cycle)
    return time.perf_counter() - t0
