"""The SQL of a submission: a response and its answer rows written with statements composed
once per process, instead of the ORM's compiler on every submission.

Storing one respondent through the ORM (``save(force_insert=True)``, ``bulk_create`` and three
small querysets) compiled five statements per request, more CPU than the database spent on
them. Here the column lists come from the models' own fields and every value goes through the
field's own ``get_db_prep_save`` (the JSON, UUID and datetime adaptations the ORM applies), so
the rows are exactly what the ORM would write.

- On PostgreSQL the response, its answers and the count of its arrival (evidence.note_arrival)
  are one statement (data-modifying CTEs): atomic by itself, so a copy that loses the race
  for its submission id counts nothing; one round trip and one commit, no BEGIN/COMMIT
  around it; prepared once per connection (itas.core.prepared; planning was a third of its
  cost). Elsewhere (SQLite) the response and answers are two statements in one
  transaction, and the caller counts the arrival after them.
- Whether the start token was already carried by another submission is decided by the INSERT
  itself (the response's status becomes "reused"), not by a read before it.
- A duplicate submission id fails the unique constraint as before (IntegrityError), and the
  caller reads the winner's row.
"""

from __future__ import annotations

import uuid
from contextlib import nullcontext
from functools import cache
from typing import Any

from django.db import connection, transaction

from itas.core import prepared
from itas.cycles.models import Enrolment
from itas.surveys.anon import TokenStatus
from itas.surveys.credibility import evidence
from itas.surveys.models import Answer, Response


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


@cache
def _response_fields() -> tuple:
    return tuple(f for f in Response._meta.concrete_fields if not f.primary_key)


def _column(model, name: str) -> str:
    return _q(model._meta.get_field(name).column)


@cache
def _statements(vendor: str, check_token: bool) -> dict[str, str]:
    response = _q(Response._meta.db_table)
    answer = _q(Answer._meta.db_table)
    fields = _response_fields()
    columns = ", ".join(_q(f.column) for f in fields)
    token = _column(Response, "token_hash")
    status = _column(Response, "token_status")
    values = ", ".join(
        # the status given, or "reused" when another response carries the same token hash;
        # "<> ''" matches the partial index of carried tokens (models.Response.Meta), which
        # keeps the prepared statement's generic plan an index probe
        f"CASE WHEN EXISTS (SELECT 1 FROM {response} WHERE {token} = %s AND {token} <> '') "
        "THEN %s ELSE %s END"
        if check_token and f.attname == "token_status"
        else "%s"
        for f in fields
    )
    pk = _column(Response, "id")
    answer_columns = ", ".join(
        _column(Answer, name) for name in ("response", "enrolment", "question_code", "score")
    )
    insert = f"INSERT INTO {response} ({columns}) VALUES ({values})"
    statements = {
        "response": f"{insert} RETURNING {pk}, {status}",
        "answers": f"INSERT INTO {answer} ({answer_columns}) VALUES ",
        "answer_row": "(%s, %s, %s, %s)",
    }
    if vendor == "postgresql":
        # One statement: the response; its arrival counted (evidence.note_arrival's upsert);
        # its answers from two arrays (question codes and scores, in questionnaire order, so
        # the answer ids follow that order as before). It returns the response's one row.
        statements["both"] = (
            f"WITH r AS ({insert} RETURNING {pk}, {status}), "
            f"b AS ({evidence.arrival_upsert_sql()}), "
            f"a AS (INSERT INTO {answer} ({answer_columns}) "
            f"SELECT r.{pk}, %s, a.code, a.score FROM r, "
            "unnest(%s::varchar[], %s::float8[]) WITH ORDINALITY AS a(code, score, n) "
            f"ORDER BY a.n) SELECT {pk}, {status} FROM r"
        )
    return statements


def _response_params(response: Response, check_token: bool) -> list[Any]:
    params: list[Any] = []
    for f in _response_fields():
        value = f.get_db_prep_save(getattr(response, f.attname), connection=connection)
        if check_token and f.attname == "token_status":
            params += [response.token_hash, TokenStatus.REUSED, value]
        else:
            params.append(value)
    return params


def insert(
    response: Response, scores: list[tuple[str, float]], arrival: dict[str, str] | None = None
) -> bool:
    """Write `response` (a new, unsaved instance: its pk is set here, and its token status
    when the token was used before) and one Answer row per (question code, score). Raises
    IntegrityError when the submission id is already stored.

    `arrival` ({kind: hash}): the hashes whose arrival to count (evidence.note_arrival). On
    PostgreSQL they are counted in the same statement, one round trip and one commit fewer,
    and this returns True; elsewhere it returns False and the caller counts them."""
    check_token = bool(response.token_hash)
    sql = _statements(connection.vendor, check_token)
    params = _response_params(response, check_token)
    if "both" in sql and scores:
        counted = evidence.arrival_params(enrolment_id=response.enrolment_id, hashes=arrival or {})
        codes = [code for code, _ in scores]
        values = [float(s) for _, s in scores]
        # Alone it commits by itself; inside a caller's transaction it needs the savepoint
        # that lets a duplicate's IntegrityError leave that transaction usable.
        with (
            transaction.atomic() if connection.in_atomic_block else nullcontext(),
            prepared.cursor() as cursor,
        ):
            cursor.execute(sql["both"], [*params, *counted, response.enrolment_id, codes, values])
            response.pk, response.token_status = cursor.fetchone()
        done = True
    else:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql["response"], params)
            response.pk, response.token_status = cursor.fetchone()
            if scores:
                rows: list[Any] = []
                for code, score in scores:
                    rows += [response.pk, response.enrolment_id, code, float(score)]
                cursor.execute(sql["answers"] + ", ".join([sql["answer_row"]] * len(scores)), rows)
        done = False
    response._state.adding = False
    response._state.db = connection.alias
    return done


def insert_answers(rows: list[tuple[int, int, str, float]]) -> None:
    """Many answer rows (response id, enrolment id, question code, score) of stored responses
    in one executemany: the demo's 88,000 rows cost seconds as Answer instances."""
    sql = _statements(connection.vendor, False)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.executemany(sql["answers"] + sql["answer_row"], rows)


def submission_param(submission_id: uuid.UUID) -> Any:
    """A submission id as this database's parameter (the field's own adaptation)."""
    return Response._meta.get_field("submission_id").get_db_prep_value(
        submission_id, connection=connection
    )


def existing(submission_id: uuid.UUID) -> Response | None:
    """The response stored under this submission id, if any."""
    return Response.objects.filter(submission_id=submission_id).first()


@cache
def _stored_sql() -> str:
    response = _q(Response._meta.db_table)
    enrolment = _q(Enrolment._meta.db_table)
    return (
        f"SELECT e.{_column(Enrolment, 'access_code')}, r.{_column(Response, 'instrument')} "
        f"FROM {response} r JOIN {enrolment} e "
        f"ON e.{_column(Enrolment, 'id')} = r.{_column(Response, 'enrolment')} "
        f"WHERE r.{_column(Response, 'submission_id')} = %s"
    )


def stored_under(submission_id: uuid.UUID) -> tuple[str, str] | None:
    """(access code, instrument) of the response stored under this submission id, or None:
    one statement written once per process (the public form asks it on every POST)."""
    with prepared.cursor() as cursor:
        cursor.execute(_stored_sql(), [submission_param(submission_id)])
        row = cursor.fetchone()
    return (row[0], row[1]) if row else None
