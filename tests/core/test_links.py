"""One rule for absolute links (itas.core.links): the configured public address, else the
address the request came to, else the development server's."""

import pytest
from django.test import RequestFactory
from django.urls import reverse

from itas.core import links
from itas.frameworks.services import load_shipped_framework
from tests.cycles.helpers import make_cycle


def test_the_configured_address_wins_over_the_request(settings):
    settings.PUBLIC_BASE_URL = "https://itas.example.go.th/"
    settings.ALLOWED_HOSTS = ["elsewhere.example.org"]
    request = RequestFactory().get("/", HTTP_HOST="elsewhere.example.org")
    assert links.absolute("/go/iit/ABC123", request) == "https://itas.example.go.th/go/iit/ABC123"
    assert links.public_host() == "itas.example.go.th"


def test_without_a_configured_address_the_request_decides(settings):
    settings.PUBLIC_BASE_URL = ""
    settings.ALLOWED_HOSTS = ["itas.province.example"]
    request = RequestFactory().get("/", HTTP_HOST="itas.province.example:8443", secure=True)
    assert links.absolute("go/eit/X", request) == "https://itas.province.example:8443/go/eit/X"


def test_a_background_job_with_nothing_configured_uses_the_development_address(settings):
    settings.PUBLIC_BASE_URL = ""
    assert links.public_base() == links.DEVELOPMENT_BASE


@pytest.mark.django_db
def test_survey_links_and_qr_codes_follow_the_host_the_page_was_opened_on(client, world, settings):
    """Served on another machine with nothing configured, the links point there, not to
    127.0.0.1:8000."""
    settings.PUBLIC_BASE_URL = ""
    settings.ALLOWED_HOSTS = ["itas.test.example"]
    framework = load_shipped_framework()
    cycle = make_cycle(world.nacc, framework=framework, fiscal_year=framework.fiscal_year)
    enrolment = cycle.enrolments.get(agency=world.agency)
    client.force_login(world.agency_admin)
    page = client.get(
        reverse("surveys:respondents", args=[enrolment.pk]), HTTP_HOST="itas.test.example"
    )
    html = page.content.decode()
    assert f"http://itas.test.example/go/iit/{enrolment.access_code}" in html
    assert "127.0.0.1:8000" not in html
    svg = client.get(
        reverse("cycles:qr_svg", args=[enrolment.pk, "iit"]), HTTP_HOST="itas.test.example"
    )
    assert svg.status_code == 200
