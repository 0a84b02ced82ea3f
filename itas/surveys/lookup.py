"""The enrolment behind a public access code, in one SQL statement, fresh on every request.

Every public request (the form, the answers, the thank-you page) starts here, so its cost is
paid three times per respondent. Through the ORM (select_related of agency, cycle and
framework, phases prefetched) it cost more CPU than the rest of a submission: compiling two
querysets with their default orderings and decoding the framework's whole JSON document. Here
the statement is written once per process from the models' own column lists and run with a
plain cursor; the rows become model instances with ``Model.from_db`` and the relations are put
in the ORM's own caches, so callers see an ordinary Enrolment (``enrolment.cycle.phases.all()``,
``enrolment.agency.province``, ``enrolment.cycle.framework.spec``) with no further query.

Nothing is cached between requests: the cycle's status, its phases (the calendar window), a
rotated code and the framework's version are read from the database each time, exactly as
before. The framework's document is left deferred: its parsed spec is cached per process by
(framework, updated_at) (``Framework.spec``), and only a process that has not parsed that
version yet loads the document.
"""

from __future__ import annotations

import datetime as dt
import uuid
from functools import cache
from typing import Any

from django.db import connection

from itas.agencies.models import Agency
from itas.core import prepared
from itas.cycles.models import Cycle, CycleStatus, Enrolment, Phase
from itas.frameworks.models import Framework
from itas.geo.models import Province
from itas.surveys import store
from itas.surveys.models import Response

# (alias, model, fields) in the order of the SELECT list; the framework without its document.
_PARTS = (
    ("e", Enrolment),
    ("a", Agency),
    ("pr", Province),
    ("c", Cycle),
    ("f", Framework),
)
# The phases come in one text column, "id|kind|starts_on|ends_on" per phase joined by ";":
# a row per phase repeated the sixty other columns, and decoding them cost more than the rest
# of the lookup. Kinds are PhaseKind values and dates ISO text on both databases.
_PHASE_FIELDS = ["id", "cycle_id", "kind", "starts_on", "ends_on"]
_PHASE_LIST = {
    "postgresql": "string_agg({row}, ';')",
    "sqlite": "group_concat({row}, ';')",
}


def _fields(model) -> list:
    fields = list(model._meta.concrete_fields)
    if model is Framework:
        fields = [f for f in fields if f.attname != "document"]
    return fields


@cache
def _statement(with_stored: bool = False) -> tuple[str, list[Any], list[Any]]:
    q = connection.ops.quote_name
    select: list[str] = []
    layout: list[Any] = []
    converters: list[Any] = []
    start = 0
    for alias, model in _PARTS:
        fields = _fields(model)
        select += [f"{alias}.{q(f.column)}" for f in fields]
        layout.append((model, [f.attname for f in fields], start, start + len(fields)))
        # The conversions the ORM's compiler applies to these columns (e.g. SQLite's
        # datetimes made aware), so the instances equal what a queryset returns.
        for i, f in enumerate(fields):
            col = f.get_col(alias)
            funcs = connection.ops.get_db_converters(col) + col.get_db_converters(connection)
            if funcs:
                converters.append((start + i, funcs, col))
        start += len(fields)

    def t(model) -> str:
        return q(model._meta.db_table)

    province_pk = str(Province._meta.pk.column) if Province._meta.pk else "code"

    concat = " || '|' || ".join(
        [f"CAST(p.{q('id')} AS TEXT)", f"p.{q('kind')}"]
        + [f"CAST(p.{q(name)} AS TEXT)" for name in ("starts_on", "ends_on")]
    )
    phases = (
        f"(SELECT {_PHASE_LIST[connection.vendor].format(row=concat)} FROM {t(Phase)} p "
        f"WHERE p.{q('cycle_id')} = c.{q('id')})"
    )
    tables = (
        f"{t(Enrolment)} e "
        f"JOIN {t(Cycle)} c ON c.{q('id')} = e.{q('cycle_id')} "
        f"JOIN {t(Agency)} a ON a.{q('id')} = e.{q('agency_id')} "
        f"JOIN {t(Province)} pr ON pr.{q(province_pk)} = a.{q('province_id')} "
        f"JOIN {t(Framework)} f ON f.{q('id')} = c.{q('framework_id')}"
    )
    match = f"e.{q('access_code')} = %s AND c.{q('status')} = %s"
    # As the ORM's Enrolment ordering (agency code) picked one before, should two open cycles
    # (a real one and its practice round) share a code.
    order = f"ORDER BY a.{q('code')}, e.{q('id')} LIMIT 1"
    if not with_stored:
        sql = f"SELECT {', '.join(select)}, {phases} FROM {tables} WHERE {match} {order}"
        return sql, layout, converters
    # One row whether or not the code matches (its columns NULL when it does not), with the
    # access code and instrument of the response stored under a submission id, if any.
    response = t(Response)
    stored = (
        f"(SELECT se.{q('access_code')} || '|' || sr.{q('instrument')} FROM {response} sr "
        f"JOIN {t(Enrolment)} se ON se.{q('id')} = sr.{q('enrolment_id')} "
        f"WHERE sr.{q('submission_id')} = %s)"
    )
    sql = (
        f"SELECT {', '.join(select)}, {phases}, {stored} "
        f"FROM (SELECT 1 AS one) one LEFT JOIN ({tables}) ON {match} {order}"
    )
    return sql, layout, converters


def _phases(cycle_id: int, listed: str | None) -> list[Phase]:
    """The cycle's phases from the aggregated column, in the model's order (starts_on, kind)."""
    phases = []
    for item in listed.split(";") if listed else []:
        pk, kind, starts_on, ends_on = item.split("|")
        phases.append(
            Phase.from_db(
                connection.alias,
                _PHASE_FIELDS,
                [
                    int(pk),
                    cycle_id,
                    kind,
                    dt.date.fromisoformat(starts_on),
                    dt.date.fromisoformat(ends_on),
                ],
            )
        )
    phases.sort(key=lambda phase: (phase.starts_on, phase.kind))
    return phases


def _convert(row: list, converters) -> list:
    for index, funcs, col in converters:
        for func in funcs:
            row[index] = func(row[index], col, connection)
    return row


def open_enrolment(code: str) -> Enrolment | None:
    """The enrolment of an open cycle with this (normalised) access code, with its agency and
    the agency's province, its cycle with the cycle's phases, and the cycle's framework."""
    sql, layout, converters = _statement()
    with prepared.cursor() as cursor:
        cursor.execute(sql, [code, CycleStatus.OPEN.value])
        row = cursor.fetchone()
    return _enrolment(row, layout, converters) if row is not None else None


def open_enrolment_and_stored(
    code: str, submission_id: uuid.UUID
) -> tuple[Enrolment | None, tuple[str, str] | None]:
    """(open_enrolment(code), the access code and instrument of the response stored under this
    submission id, or None) in one statement: what a submission asks first, once per POST
    instead of twice."""
    sql, layout, converters = _statement(with_stored=True)
    submission = store.submission_param(submission_id)
    with prepared.cursor() as cursor:
        cursor.execute(sql, [submission, code, CycleStatus.OPEN.value])
        row = cursor.fetchone()
    *row, stored = row
    found = None if row[0] is None else _enrolment(row, layout, converters)
    if stored is None:
        return found, None
    stored_code, _, instrument = stored.rpartition("|")
    return found, (stored_code, instrument)


def _enrolment(row, layout, converters) -> Enrolment:
    if converters:
        row = _convert(list(row), converters)
    db = connection.alias

    def build(index: int):
        model, names, a, b = layout[index]
        return model.from_db(db, names, row[a:b])

    enrolment, agency, province, cycle, framework = (build(i) for i in range(5))
    phases = _phases(cycle.pk, row[-1])
    Agency.province.field.set_cached_value(agency, province)
    Cycle.framework.field.set_cached_value(cycle, framework)
    Enrolment.agency.field.set_cached_value(enrolment, agency)
    Enrolment.cycle.field.set_cached_value(enrolment, cycle)
    for phase in phases:
        Phase.cycle.field.set_cached_value(phase, cycle)
    # What prefetch_related("cycle__phases") leaves: cycle.phases.all() reads this list. The
    # queryset (filtered by the cycle, so a further .filter() on it stays within the cycle) is
    # composed once per cycle and process and copied: composing it cost as much as the rest.
    prefetched = _phases_of(cycle.pk)._chain()
    prefetched._result_cache = phases
    prefetched._prefetch_done = True
    cycle._prefetched_objects_cache = {"phases": prefetched}
    return enrolment


_PHASE_QUERYSETS: dict[int, Any] = {}


def _phases_of(cycle_id: int):
    queryset = _PHASE_QUERYSETS.get(cycle_id)
    if queryset is None:
        if len(_PHASE_QUERYSETS) > 100:
            _PHASE_QUERYSETS.clear()
        queryset = _PHASE_QUERYSETS[cycle_id] = Phase.objects.filter(cycle_id=cycle_id)
    return queryset


@cache
def _agency_statement() -> str:
    q = connection.ops.quote_name

    def t(model) -> str:
        return q(model._meta.db_table)

    return (
        f"SELECT e.{q('cycle_id')}, e.{q('access_code')}, a.{q('kind')}, a.{q('name')} "
        f"FROM {t(Enrolment)} e JOIN {t(Cycle)} c ON c.{q('id')} = e.{q('cycle_id')} "
        f"JOIN {t(Agency)} a ON a.{q('id')} = e.{q('agency_id')} "
        f"WHERE e.{q('access_code')} = %s AND c.{q('status')} = %s "
        f"ORDER BY a.{q('code')}, e.{q('id')} LIMIT 1"
    )


def open_agency(code: str) -> tuple[int, str, Agency] | None:
    """(cycle id, access code, agency with its kind and name only) of the enrolment of an open
    cycle with this access code, the one open_enrolment would give: what the thank-you page
    shows, without the rest of the enrolment."""
    with prepared.cursor() as cursor:
        cursor.execute(_agency_statement(), [code, CycleStatus.OPEN.value])
        row = cursor.fetchone()
    if row is None:
        return None
    cycle_id, access_code, kind, name = row
    return cycle_id, access_code, Agency.from_db(connection.alias, ["kind", "name"], [kind, name])
