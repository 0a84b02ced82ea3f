"""itas.core.prepared: the respondent's reads are prepared once per PostgreSQL connection,
errors come out as Django's, and the statement runs inside the caller's transaction."""

import pytest
from django.db import IntegrityError, connection, transaction

from itas.core import prepared
from itas.cycles.models import CycleStatus
from itas.surveys import lookup

pytestmark = pytest.mark.django_db
on_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="prepared statements are PostgreSQL's; `make test-postgres` runs these",
)


def prepared_statements() -> list[tuple[str, int, int]]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement, generic_plans, custom_plans FROM pg_prepared_statements")
        return cursor.fetchall()


@on_postgres
def test_the_enrolment_lookup_is_prepared_once_and_reused(enrolment_code):
    for _ in range(7):
        assert lookup.open_enrolment(enrolment_code) is not None
    statements = [s for s in prepared_statements() if "access_code" in s[0]]
    assert len(statements) == 1, statements
    statement, generic, custom = statements[0]
    assert generic + custom == 7  # planned from the one prepared statement every time


@on_postgres
def test_errors_are_djangos_and_the_statement_joins_the_callers_transaction(db):
    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMPORARY TABLE prepared_probe (id int PRIMARY KEY)")
    with pytest.raises(IntegrityError), transaction.atomic(), prepared.cursor() as cursor:
        cursor.execute("INSERT INTO prepared_probe VALUES (%s), (%s)", [1, 1])
    with transaction.atomic():
        with prepared.cursor() as cursor:
            cursor.execute("INSERT INTO prepared_probe VALUES (%s)", [2])
        transaction.set_rollback(True)
    with prepared.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM prepared_probe WHERE id >= %s", [0])
        assert cursor.fetchone() == (0,)


def test_off_by_setting_or_elsewhere_it_is_djangos_cursor(settings, enrolment_code):
    settings.ITAS_PREPARED_STATEMENTS = False
    with prepared.cursor() as cursor:
        assert not isinstance(cursor, prepared._PreparedCursor)
    assert lookup.open_enrolment(enrolment_code) is not None
    if connection.vendor == "postgresql":
        assert not [s for s in prepared_statements() if "access_code" in s[0]]


@pytest.fixture
def enrolment_code(world):
    from itas.frameworks.services import load_shipped_framework
    from tests.cycles.helpers import make_cycle

    framework = load_shipped_framework()
    cycle = make_cycle(world.nacc, framework=framework, fiscal_year=framework.fiscal_year)
    assert cycle.status == CycleStatus.OPEN
    return cycle.enrolments.get(agency=world.agency).access_code


@on_postgres
def test_the_connections_execute_wrappers_see_prepared_statements(enrolment_code):
    seen = []

    def note(execute, sql, params, many, context):
        seen.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(note):
        assert lookup.open_enrolment(enrolment_code) is not None
    assert len(seen) == 1 and "access_code" in seen[0]
