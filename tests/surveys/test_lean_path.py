"""The respondent's pages take the short way through the middleware (itas/core/lean.py): they
keep what the skipped middleware gave them (Thai, the language header, the frame ban, the error
page of a domain error) and nothing else goes that way."""

import uuid

import pytest
from django.test import Client
from django.urls import reverse

from itas.core.errors import DomainError
from itas.surveys import public
from itas.surveys.models import Response
from tests.surveys.conftest import answers_for, varied

pytestmark = pytest.mark.django_db


def _pages(client, enrolment):
    url = reverse("surveys:go", args=["eit", enrolment.access_code])
    data = answers_for(enrolment.cycle.framework.spec, "eit", varied)
    data["submission_id"] = str(uuid.uuid4())
    return {
        "form": client.get(url),
        "answers": client.post(url, data),
        "thanks": client.get(reverse("surveys:thanks", args=["eit", enrolment.access_code])),
        "unknown code": client.get("/go/eit/ZZZZZZ"),
    }


def test_the_respondent_pages_keep_their_headers_and_stay_thai(enrolment):
    # a browser set to English, with the language switch's cookie set to English too
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.cookies["django_language"] = "en"
    pages = _pages(client, enrolment)
    assert {name: r.status_code for name, r in pages.items()} == {
        "form": 200,
        "answers": 302,
        "thanks": 200,
        "unknown code": 404,
    }
    for name, response in pages.items():
        assert response["X-Frame-Options"] == "DENY", name
        assert response["Content-Language"] == "th", name
        assert "no-store" in response["Cache-Control"], name
        assert not response.cookies, name
    assert "ขอบคุณ" in pages["thanks"].content.decode()
    assert Response.objects.count() == 1


def test_a_signed_in_person_gets_the_same_public_pages(client, enrolment, world):
    client.force_login(world.nacc)
    pages = _pages(client, enrolment)
    for name, response in pages.items():
        assert not response.cookies, name
        assert world.nacc.email not in response.content.decode(), name
    assert Response.objects.get().abuse_hash


def test_a_post_to_a_page_that_is_not_csrf_exempt_goes_the_whole_way(enrolment):
    client = Client(enforce_csrf_checks=True)
    thanks = reverse("surveys:thanks", args=["eit", enrolment.access_code])
    assert client.post(thanks).status_code == 403  # refused by the CSRF middleware
    assert client.get(thanks).status_code == 200


def test_other_paths_go_the_whole_way(client):
    # not a page of its own: the common middleware adds the slash, as before
    assert client.get("/go/eit").status_code == 301
    # a staff page still asks for a session
    response = client.get(reverse("surveys:mine"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_a_domain_error_is_the_error_page_with_its_status(client, enrolment, monkeypatch):
    class Refused(DomainError):
        status = 409

    def refuse(*args, **kwargs):
        raise Refused("ปฏิเสธ")

    monkeypatch.setattr(public, "_find", refuse)
    response = client.get(reverse("surveys:go", args=["eit", enrolment.access_code]))
    assert response.status_code == 409
    assert "ปฏิเสธ" in response.content.decode()
