"""A retried submission (same client-made submission id) is stored exactly once: posted twice
in a row, and posted by two threads at the same moment (SQLite and PostgreSQL)."""

import threading
import uuid

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from itas.surveys.models import Answer, Response
from tests.surveys.conftest import answers_for, varied


def _body(enrolment, submission_id):
    data = answers_for(enrolment.cycle.framework.spec, "eit", varied)
    data["submission_id"] = str(submission_id)
    return data


@pytest.mark.django_db
def test_same_submission_posted_twice_is_stored_once_and_thanked_twice(client, enrolment):
    sid = uuid.uuid4()
    url = reverse("surveys:go", args=["eit", enrolment.access_code])
    first = client.post(url, _body(enrolment, sid))
    second = client.post(url, _body(enrolment, sid))
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert Response.objects.filter(submission_id=sid).count() == 1
    n_questions = len(enrolment.cycle.framework.spec.questions_for("EIT"))
    assert Answer.objects.count() == n_questions
    # a different id is a different respondent
    client.post(url, _body(enrolment, uuid.uuid4()))
    assert Response.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_same_submission_posted_concurrently_by_two_threads_is_stored_once(world, framework):
    from tests.cycles.helpers import make_cycle

    cycle = make_cycle(world.nacc, framework=framework, fiscal_year=framework.fiscal_year)
    enrolment = cycle.enrolments.get(agency=world.agency)
    sid = uuid.uuid4()
    url = reverse("surveys:go", args=["eit", enrolment.access_code])
    body = _body(enrolment, sid)
    barrier = threading.Barrier(2)
    results, errors = [], []

    def post():
        try:
            barrier.wait(timeout=10)
            results.append(Client().post(url, body))
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=post) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not errors, errors
    assert [r.status_code for r in results] == [302, 302]
    assert {r["Location"] for r in results} == {
        reverse("surveys:thanks", args=["eit", enrolment.access_code])
    }
    assert Response.objects.filter(submission_id=sid).count() == 1
    n_questions = len(framework.spec.questions_for("EIT"))
    assert Answer.objects.filter(response__submission_id=sid).count() == n_questions
