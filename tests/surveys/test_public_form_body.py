"""The questionnaire's url-encoded body (what browsers send) is read by the standard library
into a plain dict (surveys.public._form); Django's test client posts multipart, which goes
through request.POST. Both must store the same answers, and a body that is odd in any way
gets a Thai page, never a 500."""

import uuid
from urllib.parse import urlencode

import pytest
from django.urls import reverse

from itas.surveys.models import Response
from tests.surveys.conftest import answers_for, varied

pytestmark = pytest.mark.django_db
FORM = "application/x-www-form-urlencoded"


def url(enrolment):
    return reverse("surveys:go", args=["eit", enrolment.access_code])


def body(enrolment, **extra) -> dict:
    data = answers_for(enrolment.cycle.framework.spec, "eit", varied)
    return {**data, "submission_id": str(uuid.uuid4()), **extra}


def test_url_encoded_and_multipart_bodies_store_the_same_answers(client, enrolment):
    data = body(enrolment)
    r = client.post(url(enrolment), urlencode(data), FORM, REMOTE_ADDR="198.51.100.1")
    assert r.status_code == 302
    same = {**data, "submission_id": str(uuid.uuid4())}
    assert client.post(url(enrolment), same, REMOTE_ADDR="198.51.100.2").status_code == 302
    encoded, multipart = (
        Response.objects.get(submission_id=data["submission_id"]),
        Response.objects.get(submission_id=same["submission_id"]),
    )
    assert encoded.choices == multipart.choices and encoded.choices
    assert sorted(encoded.answers.values_list("question_code", "score")) == sorted(
        multipart.answers.values_list("question_code", "score")
    )


def test_a_repeated_field_counts_its_last_value_as_request_post_does(client, enrolment):
    data = body(enrolment)
    name = next(k for k in data if k.startswith("q-"))
    encoded = urlencode({name: "forged"}) + "&" + urlencode(data)
    assert client.post(url(enrolment), encoded, FORM).status_code == 302
    stored = Response.objects.get(submission_id=data["submission_id"])
    question, sub = name.split("-")[1:3]
    assert stored.choices[question][sub] == data[name]


def test_too_many_fields_get_the_incomplete_form_page_and_store_nothing(
    client, enrolment, settings
):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 5
    r = client.post(url(enrolment), urlencode(body(enrolment)), FORM)
    assert r.status_code == 400
    assert "ไม่ครบ" in r.content.decode() or "โหลดหน้านี้" in r.content.decode()
    assert not Response.objects.exists()


def test_bytes_that_are_not_utf8_get_the_form_back_with_a_thai_message(client, enrolment):
    data = body(enrolment)
    name = next(k for k in data if k.startswith("q-"))
    raw = urlencode({k: v for k, v in data.items() if k != name}).encode() + (
        b"&" + name.encode() + b"=%FF%FE"
    )
    r = client.post(url(enrolment), raw, FORM)
    assert r.status_code == 400
    assert "กรุณา" in r.content.decode()
    assert not Response.objects.exists()
