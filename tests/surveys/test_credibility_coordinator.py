"""What a provincial coordinator sees of the credibility engine (issue 12): the ranked list and
the reasons of their own province's agencies, the state of the requests to explain with the
agencies' answers, read-only, and nothing that could lead to a respondent: no response ids
(not even in what the template receives), no moment finer than the hour, no hashes."""

import re

import pytest
from django.urls import reverse

from itas.surveys.credibility import services
from itas.surveys.credibility.models import AgencyRisk, ExplanationRequest
from itas.surveys.models import Response
from tests.surveys.test_credibility import analyse, best, honest_staff, send

pytestmark = pytest.mark.django_db

OWN_QUESTION = "โปรดชี้แจงคำตอบที่เข้ามาโดยไม่มีโทเค็นจากที่อยู่เดียว"
OWN_ANSWER = "หน่วยงานตรวจสอบแล้ว ไม่ทราบที่มาของคำตอบชุดนั้น"
OTHER_QUESTION = "โปรดชี้แจงคำตอบของหน่วยงานในเชียงใหม่"


def stuff(client, enrolment, ip):
    honest_staff(client, enrolment, 12)
    for i in range(30):
        send(client, enrolment, best, token=False, ua=f"Bot/{i}", ip=ip)


@pytest.fixture
def province_pair(client, world, cycle):
    """Both agencies stuffed and flagged, both asked to explain; only the coordinator's own
    province's agency has answered."""
    own = cycle.enrolments.get(agency=world.agency)
    other = cycle.enrolments.get(agency=world.other_agency)
    stuff(client, own, "203.0.113.50")
    stuff(client, other, "203.0.113.60")
    analyse(world, cycle)
    assert AgencyRisk.objects.filter(enrolment__in=[own, other], flagged=True).count() == 2
    asked = services.ask_explanation(world.nacc, enrolment=own, message=OWN_QUESTION)
    services.ask_explanation(world.nacc, enrolment=other, message=OTHER_QUESTION)
    services.reply_explanation(world.agency_admin, request=asked, reply=OWN_ANSWER)
    return own, other


def identifying(cycle) -> list[str]:
    """Every stored value that could single out a response or a device."""
    values = []
    for r in Response.objects.filter(enrolment__cycle=cycle):
        values.append(str(r.submission_id))
        values += [h for h in (r.abuse_hash, r.network_hash, r.token_hash) if h]
    return values


def assert_no_moment_finer_than_the_hour(html: str):
    assert not re.search(r"\d{2}\.\d{2} น\.", html)  # a Thai clock time (thaidatetime)
    for minutes in re.findall(r"\b\d{1,2}:(\d{2})\b", html):
        assert minutes == "00", html


def ranked_block(html: str) -> str:
    start = html.index('id="ranked"')
    return html[start : html.index("</ol>", start)]


@pytest.mark.parametrize("show", ["flagged", "all", "asked"])
def test_the_coordinator_reads_the_list_of_the_province_only_and_nothing_identifying(
    client, world, cycle, province_pair, show
):
    own, other = province_pair
    client.force_login(world.coordinator)
    page = client.get(reverse("surveys:credibility", args=[cycle.pk]), {"show": show})
    assert page.status_code == 200
    html = page.content.decode()
    assert world.agency.name in html
    assert world.other_agency.name not in html and OTHER_QUESTION not in html
    assert {risk.enrolment_id for risk, _, _ in page.context["rows"]} == {own.pk}
    # the reasons reach the template without the responses behind them
    reasons = [r for _, rs, _ in page.context["rows"] for r in rs]
    assert reasons and all("ids" not in r for r in reasons)
    for value in identifying(cycle):
        assert value not in html
    assert_no_moment_finer_than_the_hour(ranked_block(html))
    # the request's state: asked, and answered
    state = re.search(r'class="badge[^"]*explanation-state[^"]*">([^<]*)<', html)
    assert state and state.group(1).strip().endswith("· ชี้แจงแล้ว")


def test_the_coordinator_reads_the_request_and_the_answer_read_only(
    client, world, cycle, province_pair
):
    own, other = province_pair
    client.force_login(world.coordinator)
    page = client.get(reverse("surveys:credibility_agency", args=[own.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert OWN_QUESTION in html and OWN_ANSWER in html
    main = html.split('id="main"', 1)[1].split("</main>", 1)[0]
    assert "<table" not in main and "<textarea" not in main and "<form" not in main
    assert reverse("surveys:credibility_ask", args=[own.pk]) not in html
    assert reverse("surveys:credibility_exclude", args=[own.pk]) not in html
    reasons = [r for _, rs in page.context["risks"] for r in rs]
    assert reasons and all("ids" not in r and "responses" not in r for r in reasons)
    for value in identifying(cycle):
        assert value not in html
    assert_no_moment_finer_than_the_hour(html)
    # read-only: asking again is refused, and nothing was added
    ask = client.post(reverse("surveys:credibility_ask", args=[own.pk]), {"message": "ขอเพิ่ม"})
    assert ask.status_code == 403
    assert ExplanationRequest.objects.filter(enrolment=own).count() == 1
    # another province's agency: refused, its question not shown
    refused = client.get(reverse("surveys:credibility_agency", args=[other.pk]))
    assert refused.status_code == 403 and OTHER_QUESTION not in refused.content.decode()


def test_an_unanswered_request_shows_as_waiting(client, world, cycle, enrolment):
    stuff(client, enrolment, "203.0.113.50")
    analyse(world, cycle)
    services.ask_explanation(world.nacc, enrolment=enrolment, message=OWN_QUESTION)
    client.force_login(world.coordinator)
    html = client.get(reverse("surveys:credibility", args=[cycle.pk])).content.decode()
    state = re.search(r'class="badge[^"]*explanation-state[^"]*">([^<]*)<', html)
    assert state and "ยังไม่ได้ชี้แจง" in state.group(1) and "ชี้แจงแล้ว" not in state.group(1)
    detail = client.get(reverse("surveys:credibility_agency", args=[enrolment.pk]))
    assert OWN_QUESTION in detail.content.decode()
    assert "ยังไม่ได้ชี้แจง" in detail.content.decode()


def test_the_asked_filter_lists_only_agencies_asked_to_explain(client, world, cycle, enrolment):
    stuff(client, enrolment, "203.0.113.50")
    analyse(world, cycle)
    client.force_login(world.nacc)
    url = reverse("surveys:credibility", args=[cycle.pk])
    page = client.get(url, {"show": "asked"})
    assert page.context["rows"] == [] and "ยังไม่ได้ขอให้หน่วยงานใดชี้แจง" in page.content.decode()
    services.ask_explanation(world.nacc, enrolment=enrolment, message=OWN_QUESTION)
    page = client.get(url, {"show": "asked"})
    assert {risk.enrolment_id for risk, _, _ in page.context["rows"]} == {enrolment.pk}


@pytest.mark.parametrize("who", ["district_officer", "agency_admin", "executive", "nobody"])
def test_roles_without_the_permission_are_refused(client, world, cycle, province_pair, who):
    own, _ = province_pair
    client.force_login(getattr(world, who))
    listing = client.get(reverse("surveys:credibility", args=[cycle.pk]))
    assert listing.status_code == 403 and OWN_ANSWER not in listing.content.decode()
    detail = client.get(reverse("surveys:credibility_agency", args=[own.pk]))
    assert detail.status_code == 403


def test_an_assessor_of_another_group_sees_neither_the_agency_nor_its_requests(
    client, world, cycle, province_pair
):
    own, _ = province_pair
    client.force_login(world.other_assessor)
    html = client.get(reverse("surveys:credibility", args=[cycle.pk])).content.decode()
    assert world.agency.name not in html and world.other_agency.name in html
    detail = client.get(reverse("surveys:credibility_agency", args=[own.pk]))
    assert detail.status_code == 403 and OWN_ANSWER not in detail.content.decode()
