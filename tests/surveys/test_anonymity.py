"""The stored answer carries no account, IP address, cookie or session id and no time finer
than the hour; the public pages set no cookie; the abuse hash is erased when the cycle closes."""

import uuid

import pytest
from django.urls import reverse

from itas.cycles.services import close_cycle
from itas.surveys.models import Response
from tests.surveys.conftest import answers_for, varied

pytestmark = pytest.mark.django_db

IP = "203.0.113.77"
UA = "Mozilla/5.0 (Linux; Android 14) TestPhone"


def test_stored_response_holds_nothing_that_identifies_the_respondent(client, enrolment, world):
    client.force_login(world.outsider)  # even a signed-in person answers anonymously
    url = reverse("surveys:go", args=["eit", enrolment.access_code])
    data = answers_for(enrolment.cycle.framework.spec, "eit", varied)
    data["submission_id"] = str(uuid.uuid4())
    response = client.post(url, data, REMOTE_ADDR=IP, HTTP_USER_AGENT=UA)
    assert response.status_code == 302
    stored = Response.objects.get()
    assert stored.interviewer_id is None
    assert stored.submitted_hour.minute == stored.submitted_hour.second == 0
    assert stored.submitted_hour.microsecond == 0
    session_key = client.session.session_key
    # The only link to an account a response may hold is the interviewer of a telephone
    # interview; it is empty here, and no other column points at a user.
    user_model = type(world.outsider)
    for field in Response._meta.concrete_fields:
        if field.is_relation and field.related_model is user_model:
            assert field.name == "interviewer"
    # The choices hold the questionnaire's codes and options only: exactly what was chosen.
    posted = {
        key.removeprefix("q-").replace("-", ":", 1): value
        for key, value in data.items()
        if key.startswith("q-")
    }
    stored_choices = {
        f"{question}:{item}": choice
        for question, items in stored.choices.items()
        for item, choice in items.items()
    }
    assert stored_choices == posted
    text_fields = {
        f.attname: getattr(stored, f.attname)
        for f in Response._meta.concrete_fields
        if not f.is_relation and isinstance(getattr(stored, f.attname), str)
    }
    text = repr(text_fields)
    for secret in (IP, UA, session_key, world.outsider.email):
        assert secret not in text
    assert len(stored.abuse_hash) == 64 and IP not in stored.abuse_hash
    # No model field could hold an IP, user or session
    names = {f.name for f in Response._meta.get_fields()}
    assert not names & {"ip", "ip_address", "user", "session", "session_key", "cookie"}


def test_public_pages_set_no_cookie(client, enrolment):
    url = reverse("surveys:go", args=["eit", enrolment.access_code])
    pages = [
        client.get(url),
        client.get("/go/eit/ZZZZZZ"),
        client.get(reverse("surveys:thanks", args=["eit", enrolment.access_code])),
    ]
    data = answers_for(enrolment.cycle.framework.spec, "eit", varied)
    data["submission_id"] = str(uuid.uuid4())
    pages.append(client.post(url, data))
    del data["q-E1-1"]
    data["submission_id"] = str(uuid.uuid4())
    pages.append(client.post(url, data))  # the 400 page with errors
    for response in pages:
        assert not response.cookies, response.cookies
        assert "Set-Cookie" not in response.headers
    assert client.cookies == {} or not any(client.cookies.values())


def test_the_same_device_gets_the_same_hash_and_another_device_another(client, enrolment):
    url = reverse("surveys:go", args=["eit", enrolment.access_code])
    spec = enrolment.cycle.framework.spec
    for ua in (UA, UA, "Other browser"):
        data = answers_for(spec, "eit", varied)
        data["submission_id"] = str(uuid.uuid4())
        client.post(url, data, REMOTE_ADDR=IP, HTTP_USER_AGENT=ua)
    hashes = list(Response.objects.order_by("pk").values_list("abuse_hash", flat=True))
    assert hashes[0] == hashes[1] != hashes[2]


def test_closing_the_cycle_erases_every_abuse_hash(client, enrolment, world):
    from django.core.management import call_command

    url = reverse("surveys:go", args=["eit", enrolment.access_code])
    spec = enrolment.cycle.framework.spec
    for _ in range(3):
        data = answers_for(spec, "eit", varied)
        data["submission_id"] = str(uuid.uuid4())
        client.post(url, data, REMOTE_ADDR=IP, HTTP_USER_AGENT=UA)
    assert Response.objects.exclude(abuse_hash="").count() == 3
    call_command("close_cycle", str(enrolment.cycle.fiscal_year))
    assert Response.objects.count() == 3  # answers stay
    assert Response.objects.exclude(abuse_hash="").count() == 0  # hashes are gone
    enrolment.cycle.refresh_from_db()
    from itas.core.models import AuditEntry

    note = AuditEntry.objects.get(action="cycles.cycle.closed").note
    assert "abuse hashes erased: 3" in note
    with pytest.raises(Exception):  # noqa: B017 - closing twice is refused
        close_cycle(world.nacc, cycle=enrolment.cycle)


def test_the_browsers_own_favicon_request_sets_no_cookie(client):
    """Every browser asks for /favicon.ico; a 404 page there would set a CSRF cookie on the
    respondent's phone behind the questionnaire's back."""
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"].endswith(".svg")
    assert not response.cookies
