"""What a submission writes (surveys.store).

On PostgreSQL its INSERT is prepared once per connection, and the plan PostgreSQL keeps for it
stays a probe of the carried-token index even when the table's statistics say every stored
response has an empty token hash (interviews, rows older than the token): the generic plan of
the plain ``EXISTS (... token_hash = %s)`` was a scan of every response."""

import datetime as dt
import uuid

import pytest
from django.db import connection
from django.db.models import ProtectedError

from itas.surveys import services
from itas.surveys.models import Answer, Response

pytestmark = pytest.mark.django_db
on_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="prepared statements and plan statistics are PostgreSQL's; `make test-postgres` "
    "runs this",
)


def _scalar(sql: str, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()


def _submit(enrolment, chosen, token: str) -> Response:
    response, created = services.submit_response(
        enrolment=enrolment,
        instrument="iit",
        chosen=chosen,
        submission_id=uuid.uuid4(),
        token_status="ok" if token else "missing",
        token_hash=token,
        unseen=True,
    )
    assert created
    return response


def _best(spec) -> dict:
    return {
        q.code: {sub.code: sub.choices[-1].value for sub in q.subitems}
        for q in spec.questions_for("iit")
    }


def test_each_answer_carries_its_responses_enrolment_which_cannot_then_be_deleted(enrolment):
    # The answer's copy of the enrolment has no constraint of its own in the database (its
    # response's foreign key holds it): what holds it is that the store writes it from the
    # response, and Django's PROTECT.
    response = _submit(enrolment, _best(enrolment.cycle.framework.spec), "")
    spec = enrolment.cycle.framework.spec
    answers = Answer.objects.filter(response=response)
    assert answers.count() == len(spec.questions_for("iit"))
    assert set(answers.values_list("enrolment_id", flat=True)) == {enrolment.pk}
    with pytest.raises(ProtectedError):
        enrolment.delete()
    assert Answer.objects.filter(response=response).count() == answers.count()


@on_postgres
def test_the_insert_keeps_a_generic_plan_that_never_scans_the_responses(enrolment):
    chosen = _best(enrolment.cycle.framework.spec)
    # What made the trap: a table whose token hashes are all empty, and statistics that say so.
    hour = dt.datetime(2026, 5, 1, 9, tzinfo=dt.UTC)
    Response.objects.bulk_create(
        Response(
            enrolment=enrolment,
            instrument="iit",
            channel="interview",
            submission_id=uuid.uuid4(),
            submitted_hour=hour,
        )
        for _ in range(400)
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE surveys_response")
    seq_scans = "SELECT seq_scan FROM pg_stat_xact_user_tables WHERE relname = 'surveys_response'"
    (before,) = _scalar(seq_scans)

    tokens = [f"{i:064x}" for i in range(1, 10)]
    for token in tokens:
        assert _submit(enrolment, chosen, token).token_status == "ok"
    # The check still holds under the kept plan: a token carried before is "reused".
    assert _submit(enrolment, chosen, tokens[0]).token_status == "reused"

    (after,) = _scalar(seq_scans)
    assert after == before, "a submission scanned the response table"
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT generic_plans, custom_plans FROM pg_prepared_statements "
            "WHERE statement LIKE 'WITH r AS (INSERT INTO%%'"
        )
        plans = cursor.fetchall()
    assert len(plans) == 1, plans
    generic, custom = plans[0]
    assert generic + custom == 10
    assert generic >= 1  # planned once and kept, not planned again for every submission
