"""A national cycle, built fast: agencies, enrolments, IIT/EIT respondents with one answer row
per question, and an assessor's decision on every OIT item of every agency.

Set-based SQL does the heavy part inside PostgreSQL (no Python loop per answer):
- a few hundred realistic *answer sheets* per instrument are drawn in Python from the
  framework (one choice per sub-item, so each question's score is the mean of its sub-items,
  exactly as a real submission is stored), ranked from worst to best;
- each agency gets a quality (a rank in those sheets); each respondent takes a sheet near its
  agency's quality, picked by a hash of the respondent's id, so agencies differ as they do in
  real results and the answer rows can be re-derived in the next statement without a lookup;
- `INSERT … SELECT generate_series` writes the responses, then their answers, one chunk of
  agencies per transaction.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import time
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

from bench.sqlgen import copy_rows, execute, insert_select, scalar

SHEETS = 256  # answer sheets per instrument
BENCH_FY = 2568


@dataclass(frozen=True)
class Size:
    name: str
    agencies: int
    respondents: int  # IIT + EIT, about one third IIT as in the FY2564 figures


SIZES = {
    "tiny": Size("tiny", 60, 6_000),
    "small": Size("small", 830, 140_000),
    "medium": Size("medium", 8_300, 350_000),
    "national": Size("national", 8_300, 1_400_000),
}

META_DDL = """CREATE TABLE IF NOT EXISTS bench_meta (
    step text PRIMARY KEY, params jsonb NOT NULL, seconds double precision, rows bigint,
    done_at timestamptz DEFAULT now())"""


def _log(msg: str) -> None:
    print(f"[data] {msg}", flush=True)


def _done(step: str, params: dict) -> bool:
    execute(META_DDL)
    row = scalar("SELECT params FROM bench_meta WHERE step = %s", [step])
    if row is None:
        return False
    stored = row if isinstance(row, dict) else json.loads(row)
    return stored == params


def _mark(step: str, params: dict, seconds: float, rows: int) -> None:
    execute(
        "INSERT INTO bench_meta (step, params, seconds, rows) VALUES (%s, %s::jsonb, %s, %s) "
        "ON CONFLICT (step) DO UPDATE SET params = EXCLUDED.params, seconds = EXCLUDED.seconds, "
        "rows = EXCLUDED.rows, done_at = now()",
        [step, json.dumps(params), seconds, rows],
    )


def step_timings() -> dict[str, tuple[float, int]]:
    execute(META_DDL)
    with connection.cursor() as cursor:
        cursor.execute("SELECT step, seconds, rows FROM bench_meta")
        return {s: (sec or 0.0, rows or 0) for s, sec, rows in cursor.fetchall()}


# -- agencies ------------------------------------------------------------------------------


def _agencies(count: int, seed: int) -> None:
    from itas.agencies.models import Agency, AgencySource

    params = {"count": count, "seed": seed}
    if _done("agencies", params):
        return
    t0 = time.perf_counter()
    try:  # the agencies app's own generator, when present
        from itas.agencies.generator import plan

        agencies = plan(count, seed=seed)
        for a in agencies:
            a.source = AgencySource.GENERATED
    except ImportError:
        agencies = _plain_agencies(count, seed)
    with transaction.atomic():
        existing = set(Agency.objects.values_list("code", flat=True))
        Agency.objects.bulk_create([a for a in agencies if a.code not in existing], batch_size=2000)
    _mark("agencies", params, time.perf_counter() - t0, count)
    _log(f"{count} agencies in {time.perf_counter() - t0:.1f} s")


def _plain_agencies(count: int, seed: int):
    from itas.agencies.models import Agency, AgencyKind, AgencySource
    from itas.geo.models import District

    rng = random.Random(seed)
    districts = list(District.objects.exclude(province_id="10").order_by("code"))
    kinds = (
        [AgencyKind.SAO] * 68
        + [AgencyKind.SUBDISTRICT_MUNICIPALITY] * 29
        + [AgencyKind.TOWN_MUNICIPALITY] * 2
        + [AgencyKind.PAO]
    )
    out = []
    for i in range(count):
        d = districts[i % len(districts)]
        out.append(
            Agency(
                code=f"9{i:06d}",
                kind=rng.choice(kinds),
                name=f"ทดสอบ{i}",
                province_id=d.province_id,
                district=d,
                source=AgencySource.GENERATED,
            )
        )
    return out


# -- cycle and enrolments ------------------------------------------------------------------


def _cycle(framework, seed: int):
    from itas.cycles.models import Cycle, CycleStatus, Phase, PhaseKind

    today = timezone.localdate()
    cycle, _ = Cycle.objects.update_or_create(
        fiscal_year=BENCH_FY,
        defaults={
            "name": f"ITA {BENCH_FY} (benchmark)",
            "framework": framework,
            "status": CycleStatus.OPEN,
            "opened_at": timezone.now() - dt.timedelta(days=200),
        },
    )
    # The OIT work is over (confirmed), the questionnaires are open (for the ingestion run),
    # and results may be read.
    past = {
        PhaseKind.REGISTRATION: (-200, -150),
        PhaseKind.OIT_ANSWERS: (-150, -100),
        PhaseKind.OIT_REVIEW: (-100, -70),
        PhaseKind.CLARIFICATION: (-70, -55),
        PhaseKind.CONFIRMATION: (-55, -40),
    }
    for kind in PhaseKind.values:
        start, end = past.get(kind, (-30, 60))
        Phase.objects.update_or_create(
            cycle=cycle,
            kind=kind,
            defaults={
                "starts_on": today + dt.timedelta(days=start),
                "ends_on": today + dt.timedelta(days=end),
            },
        )
    return cycle


def _enrolments(cycle, seed: int) -> dict[int, int]:
    """Enrol every agency; returns {enrolment_id: quality rank 0..SHEETS-1}."""
    from itas.agencies.models import Agency
    from itas.cycles.models import Enrolment

    rng = random.Random(seed)
    have = set(Enrolment.objects.filter(cycle=cycle).values_list("agency_id", flat=True))
    codes = set(Enrolment.objects.filter(cycle=cycle).values_list("access_code", flat=True))
    from itas.cycles.codes import ALPHABET as alphabet

    new = []
    for agency_id in Agency.objects.order_by("code").values_list("id", flat=True):
        if agency_id in have:
            continue
        while True:
            code = "".join(rng.choice(alphabet) for _ in range(6))
            if code not in codes:
                codes.add(code)
                break
        new.append(
            Enrolment(
                cycle=cycle,
                agency_id=agency_id,
                access_code=code,
                iit_population=rng.randint(15, 400),
            )
        )
    Enrolment.objects.bulk_create(new, batch_size=2000)
    quality = {}
    for eid in Enrolment.objects.filter(cycle=cycle).order_by("id").values_list("id", flat=True):
        q = random.Random(seed * 1_000_003 + eid).betavariate(5, 1.3)  # most agencies do well
        quality[eid] = min(SHEETS - 1, int(q * SHEETS))
    return quality


# -- answer sheets ---------------------------------------------------------------------------


def _sheets(spec, tool: str, seed: int) -> list[tuple[dict, dict[str, float]]]:
    """SHEETS answer sheets (choices, {question: score}) ranked by mean score."""
    rng = random.Random(f"{seed}-{tool}")
    questions = spec.questions_for(tool)
    sheets = []
    for i in range(SHEETS):
        tone = (i + rng.random()) / SHEETS  # chance of picking the best choice
        choices, scores = {}, {}
        for q in questions:
            picked, total = {}, 0.0
            for sub in q.subitems:
                ranked = sorted(sub.choices, key=lambda c: c.score)
                if rng.random() < tone:
                    c = ranked[-1]
                elif rng.random() < 0.6:
                    c = ranked[max(0, len(ranked) - 2)]
                else:
                    c = rng.choice(ranked)
                picked[sub.code] = c.value
                total += c.score
            choices[q.code] = picked
            scores[q.code] = total / len(q.subitems)
        sheets.append((choices, scores))
    sheets.sort(key=lambda s: sum(s[1].values()))
    return sheets


def _load_sheets(spec, seed: int) -> None:
    execute("DROP TABLE IF EXISTS bench_sheet")
    execute("DROP TABLE IF EXISTS bench_sheet_score")
    execute(
        "CREATE TABLE bench_sheet (instrument text, k int, choices jsonb, PRIMARY KEY (instrument, k))"
    )
    execute("CREATE TABLE bench_sheet_score (instrument text, k int, code text, score float8)")
    sheet_rows, score_rows = [], []
    for tool in ("IIT", "EIT"):
        for k, (choices, scores) in enumerate(_sheets(spec, tool, seed)):
            sheet_rows.append((tool.lower(), k, json.dumps(choices, ensure_ascii=False)))
            score_rows.extend((tool.lower(), k, code, s) for code, s in scores.items())
    copy_rows("bench_sheet", ["instrument", "k", "choices"], sheet_rows)
    copy_rows("bench_sheet_score", ["instrument", "k", "code", "score"], score_rows)
    execute("CREATE INDEX ON bench_sheet_score (instrument, k)")
    execute("ANALYZE bench_sheet; ANALYZE bench_sheet_score")


# The sheet a respondent takes: near the agency's quality, spread by a hash of its id.
SHEET_OF = "least({n}, greatest(0, p.quality + mod({id} * 7919, 61) - 30))".format(
    n=SHEETS - 1, id="{id}"
)


def _responses(cycle, quality: dict[int, int], size: Size, seed: int) -> None:
    from itas.surveys.models import Answer, Response

    params = {
        "agencies": size.agencies,
        "respondents": size.respondents,
        "seed": seed,
        "cycle": cycle.pk,
        "sheets": SHEETS,
    }
    if _done("responses", params):
        return
    t0 = time.perf_counter()
    with transaction.atomic():
        execute(f'DELETE FROM "{Answer._meta.db_table}"')
        execute(f'DELETE FROM "{Response._meta.db_table}"')
    rng = random.Random(seed)
    # Respondents per agency: proportional to a size weight (bigger agencies, more answers).
    weights = {eid: rng.lognormvariate(0, 0.6) for eid in quality}
    scale = size.respondents / sum(weights.values())
    plan_rows = []
    for eid, w in weights.items():
        n = max(2, round(w * scale))
        n_iit = max(1, round(n / 3))
        plan_rows.append((eid, quality[eid], n_iit, n - n_iit))
    execute("DROP TABLE IF EXISTS bench_plan")
    execute(
        "CREATE TABLE bench_plan (enrolment_id bigint PRIMARY KEY, quality int, n_iit int, n_eit int)"
    )
    copy_rows("bench_plan", ["enrolment_id", "quality", "n_iit", "n_eit"], plan_rows)
    execute("ANALYZE bench_plan")
    total_resp = sum(r[2] + r[3] for r in plan_rows)
    seq = scalar("SELECT pg_get_serial_sequence(%s, 'id')", [Response._meta.db_table])
    ids = sorted(quality)
    chunk = max(1, len(ids) // 20)
    done_resp = done_ans = 0
    _bulk_mode(True)
    for start in range(0, len(ids), chunk):
        lo, hi = ids[start], ids[min(len(ids), start + chunk) - 1]
        with transaction.atomic():
            for instrument, n_col in (("iit", "n_iit"), ("eit", "n_eit")):
                src = (
                    f"SELECT nextval('{seq}') AS id, p.enrolment_id, p.quality, g "
                    f"FROM bench_plan p CROSS JOIN LATERAL generate_series(1, p.{n_col}) g "
                    f"WHERE p.enrolment_id BETWEEN {lo} AND {hi} ORDER BY p.enrolment_id, g"
                )
                done_resp += insert_select(
                    Response,
                    {
                        "id": "s.id",
                        "enrolment_id": "s.enrolment_id",
                        "instrument": f"'{instrument}'",
                        "submission_id": "gen_random_uuid()",
                        "submitted_hour": "date_trunc('hour', now() - make_interval(hours => mod(s.g * 37, 1440)))",
                        "choices": "sh.choices",
                        "duration_seconds": "180 + mod(s.id * 13, 900)",
                    },
                    f"FROM ({src}) s JOIN bench_sheet sh ON sh.instrument = '{instrument}' AND sh.k = "
                    + SHEET_OF.replace("p.quality", "s.quality").format(id="s.id"),
                )
            # Fresh statistics, or the planner takes the growing table for empty and joins
            # every response with every sheet row in a nested loop (8× slower).
            execute(f'ANALYZE "{Response._meta.db_table}"')
            done_ans += insert_select(
                Answer,
                {
                    "response_id": "r.id",
                    "enrolment_id": "r.enrolment_id",
                    "question_code": "ss.code",
                    "score": "ss.score",
                },
                f'FROM "{Response._meta.db_table}" r JOIN bench_plan p ON p.enrolment_id = r.enrolment_id '
                f"JOIN bench_sheet_score ss ON ss.instrument = r.instrument AND ss.k = "
                + SHEET_OF.format(id="r.id")
                + f" WHERE r.enrolment_id BETWEEN {lo} AND {hi} ORDER BY r.id",
            )
        el = time.perf_counter() - t0
        _log(
            f"responses {done_resp:,}/{total_resp:,}, answers {done_ans:,} "
            f"({el:.0f} s, {done_ans / el:,.0f} answers/s)"
        )
    _bulk_mode(False)
    execute(f'ANALYZE "{Response._meta.db_table}"; ANALYZE "{Answer._meta.db_table}"')
    _mark("responses", params, time.perf_counter() - t0, done_ans)
    _log(f"{done_resp:,} responses and {done_ans:,} answers in {time.perf_counter() - t0:.0f} s")


def _bulk_mode(on: bool) -> None:
    """Bulk-load mode for this session: no per-row foreign-key triggers (the rows are consistent
    by construction: every id comes from a join on the parent table) and no wait for the WAL
    flush at each commit. The same thing pg_restore --disable-triggers does."""
    if on:
        execute("SET synchronous_commit = off")
        execute("SET session_replication_role = replica")
    else:
        execute("SET session_replication_role = origin")
        execute("SET synchronous_commit = on")


# -- OIT decisions ----------------------------------------------------------------------------


def _oit(cycle, spec, size: Size, seed: int) -> bool:
    try:
        from itas.disclosure.models import ItemAnswer, ItemDecision
    except ImportError:
        _log("no OIT decision tables yet: skipped")
        return False
    params = {
        "agencies": size.agencies,
        "seed": seed,
        "cycle": cycle.pk,
        "items": len(spec.oit_items),
    }
    if _done("oit", params):
        return True
    t0 = time.perf_counter()
    ia, idn = ItemAnswer._meta.db_table, ItemDecision._meta.db_table
    _bulk_mode(True)
    with transaction.atomic():
        execute(f'UPDATE "{ia}" SET latest_decision_id = NULL, confirmed_decision_id = NULL')
        for model in ItemDecision, ItemAnswer:
            execute(f'DELETE FROM "{model._meta.db_table}"')
        execute("DROP TABLE IF EXISTS bench_item")
        execute("CREATE TABLE bench_item (code text, indicator text, sub text, pos int)")
        copy_rows(
            "bench_item",
            ["code", "indicator", "sub", "pos"],
            [(i.code, i.indicator, i.subindicator, n) for n, i in enumerate(spec.oit_items)],
        )
        n = insert_select(
            ItemAnswer,
            {
                "enrolment_id": "p.enrolment_id",
                "code": "i.code",
                "indicator_code": "i.indicator",
                "subindicator_code": "i.sub",
                "position": "i.pos",
                "status": "'confirmed'",
            },
            "FROM bench_plan p CROSS JOIN bench_item i ORDER BY p.enrolment_id, i.pos",
        )
        # Pass with a chance that grows with the agency's quality.
        insert_select(
            ItemDecision,
            {
                "answer_id": "a.id",
                "kind": "'review'",
                "decision": "CASE WHEN mod(a.id * 7919, 256) < 40 + p.quality THEN 'pass' ELSE 'fail' END",
                "recommendation": "CASE WHEN mod(a.id * 7919, 256) < 40 + p.quality THEN '' "
                "ELSE 'ควรเผยแพร่ข้อมูลให้ครบถ้วนตามเกณฑ์ บนเว็บไซต์หลักของหน่วยงาน' END",
                "decided_at": "now()",
            },
            f'FROM "{ia}" a JOIN bench_plan p ON p.enrolment_id = a.enrolment_id ORDER BY a.id',
        )
        execute(
            f'UPDATE "{ia}" a SET latest_decision_id = d.id, confirmed_decision_id = d.id '
            f'FROM "{idn}" d WHERE d.answer_id = a.id'
        )
    _bulk_mode(False)
    execute(f'ANALYZE "{ia}"; ANALYZE "{idn}"')
    _mark("oit", params, time.perf_counter() - t0, n)
    try:
        from itas.disclosure.models import Confirmation

        Confirmation.objects.get_or_create(
            cycle=cycle, enrolment=None, defaults={"agencies": size.agencies, "items": n}
        )
    except (ImportError, TypeError, ValueError):
        pass
    _log(f"{n:,} OIT items decided in {time.perf_counter() - t0:.1f} s")
    return True


def build(size: Size, seed: int = 2568):
    """Build (or reuse) the cycle of this size; returns the Cycle."""
    from itas.frameworks.services import load_shipped_framework

    framework = load_shipped_framework()
    spec = framework.spec
    _agencies(size.agencies, seed)
    cycle = _cycle(framework, seed)
    quality = _enrolments(cycle, seed)
    execute("DROP TABLE IF EXISTS bench_plan_q")
    if not _done(
        "sheets", {"seed": seed, "sheets": SHEETS, "framework": framework.code}
    ) or not scalar("SELECT to_regclass('bench_sheet') IS NOT NULL"):
        _load_sheets(spec, seed)
        _mark("sheets", {"seed": seed, "sheets": SHEETS, "framework": framework.code}, 0, 0)
    _responses(cycle, quality, size, seed)
    _oit(cycle, spec, size, seed)
    _settle()
    return cycle


def _settle() -> None:
    """VACUUM ANALYZE once after the bulk load: the planner statistics and visibility map a
    production database has from autovacuum (which has not caught up with a load this fast)."""
    params = {k: rows for k, (_s, rows) in step_timings().items() if k != "settled"}
    if _done("settled", params):
        return
    t0 = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    _mark("settled", params, time.perf_counter() - t0, 0)
    _log(f"VACUUM ANALYZE in {time.perf_counter() - t0:.0f} s")


def summary(cycle, steps: dict[str, tuple[float, int]]) -> dict:
    from itas.surveys.models import Response

    answers = steps.get("responses", (0.0, 0))
    seconds = sum(sec for sec, _rows in steps.values())
    return {
        "agencies": cycle.enrolments.count(),
        "responses": Response.objects.filter(enrolment__cycle=cycle).count(),
        "answers": answers[1],
        "oit_items": steps.get("oit", (0.0, 0))[1],
        "seconds": seconds,
        "answers_per_s": answers[1] / answers[0] if answers[0] else None,
        "steps": {k: round(v[0], 1) for k, v in steps.items()},
    }


def minimal(agencies: int = 4, seed: int = 7):
    """A small open cycle through the ORM only (SQLite or PostgreSQL): the shipped framework,
    a few agencies, enrolments with access codes, the questionnaires open. For the CI load test."""
    from itas.agencies.models import Agency, AgencySource
    from itas.frameworks.services import load_shipped_framework

    framework = load_shipped_framework()
    if not Agency.objects.exists():
        try:
            from itas.agencies.generator import plan

            rows = plan(agencies, seed=seed)
            for a in rows:
                a.source = AgencySource.GENERATED
        except ImportError:
            rows = _plain_agencies(agencies, seed)
        Agency.objects.bulk_create(rows)
    cycle = _cycle(framework, seed)
    _enrolments(cycle, seed)
    return cycle
