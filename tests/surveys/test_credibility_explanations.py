"""An agency asked to explain its answers: its admin reads the request in the inbox and on a
page, answers with text (once), NACC reads the answer on the agency's credibility page; other
agencies and the agency's other people cannot answer."""

import pytest
from django.urls import reverse

from itas.core.models import AuditEntry, Notification
from itas.surveys.credibility import services
from itas.surveys.credibility.models import ExplanationRequest

pytestmark = pytest.mark.django_db

QUESTION = "โปรดชี้แจงคำตอบ 40 ชุดที่เข้ามาระหว่าง 10:00 ถึง 11:00"
ANSWER = "วันนั้นมีการประชุมประจำเดือน เจ้าหน้าที่ตอบพร้อมกันหลังประชุม"


@pytest.fixture
def asked(client, world, enrolment):
    client.force_login(world.nacc)
    client.post(reverse("surveys:credibility_ask", args=[enrolment.pk]), {"message": QUESTION})
    client.logout()
    return ExplanationRequest.objects.get(enrolment=enrolment)


def reply_url(asked):
    return reverse("surveys:explanation_reply", args=[asked.enrolment_id, asked.pk])


def test_the_admin_finds_the_request_in_the_inbox_and_on_the_agency_pages(client, world, asked):
    note = Notification.objects.get(user=world.agency_admin, kind="surveys.explanation")
    assert note.link == reverse("surveys:explanations", args=[asked.enrolment_id])
    assert Notification.objects.filter(user=world.outsider).count() == 0
    client.force_login(world.agency_admin)
    page = client.get(note.link).content.decode()
    assert QUESTION in page and 'name="reply"' in page
    assert "คำขอให้ชี้แจง" in page
    home = client.get(reverse("surveys:respondents", args=[asked.enrolment_id])).content.decode()
    assert 'id="explanations-waiting"' in home and note.link in home


def test_the_admin_answers_nacc_reads_it_and_both_are_audited(client, world, asked):
    client.force_login(world.agency_admin)
    response = client.post(reply_url(asked), {"reply": f"  {ANSWER}  "})
    assert response.status_code == 302
    asked.refresh_from_db()
    assert asked.reply == ANSWER and asked.replied_at is not None
    entry = AuditEntry.objects.get(action="surveys.explanation.replied")
    assert entry.actor == world.agency_admin and ANSWER in entry.note
    assert AuditEntry.objects.filter(action="surveys.explanation.asked").exists()
    told = Notification.objects.get(user=world.nacc, kind="surveys.explanation.reply")
    assert told.link == reverse("surveys:credibility_agency", args=[asked.enrolment_id])
    home = client.get(reverse("surveys:respondents", args=[asked.enrolment_id])).content.decode()
    assert 'id="explanations-waiting"' not in home  # nothing waits any more
    client.force_login(world.nacc)
    page = client.get(told.link).content.decode()
    assert ANSWER in page and "คำชี้แจงของหน่วยงาน" in page


def test_an_answer_is_given_once_and_never_empty(client, world, asked):
    client.force_login(world.agency_admin)
    page = client.post(reply_url(asked), {"reply": "   "}, follow=True).content.decode()
    assert "โปรดเขียนคำชี้แจงของหน่วยงาน" in page
    asked.refresh_from_db()
    assert asked.replied_at is None
    client.post(reply_url(asked), {"reply": ANSWER})
    page = client.post(reply_url(asked), {"reply": "แก้ไขใหม่"}, follow=True).content.decode()
    assert "คำขอนี้ได้รับคำชี้แจงแล้ว" in page
    asked.refresh_from_db()
    assert asked.reply == ANSWER
    assert AuditEntry.objects.filter(action="surveys.explanation.replied").count() == 1
    too_long = "ก" * (services.MAX_REPLY + 1)
    other = services.ask_explanation(world.nacc, enrolment=asked.enrolment, message="อีกเรื่อง")
    page = client.post(reply_url(other), {"reply": too_long}, follow=True).content.decode()
    assert "ยาวเกินไป" in page
    other.refresh_from_db()
    assert other.reply == ""


@pytest.mark.parametrize("who", ["outsider", "officer", "coordinator", "assessor", "nobody"])
def test_no_one_else_answers(client, world, asked, who):
    client.force_login(getattr(world, who))
    assert client.post(reply_url(asked), {"reply": "ไม่ใช่หน่วยงานนี้"}).status_code == 403
    asked.refresh_from_db()
    assert asked.reply == "" and asked.replied_at is None


@pytest.mark.parametrize("who", ["outsider", "officer", "coordinator", "nobody"])
def test_other_agencies_and_others_do_not_see_the_request(client, world, asked, who):
    client.force_login(getattr(world, who))
    page = client.get(reverse("surveys:explanations", args=[asked.enrolment_id]))
    assert page.status_code == 403 and QUESTION not in page.content.decode()


def test_the_executive_reads_but_cannot_answer(client, world, asked):
    client.force_login(world.executive)
    page = client.get(reverse("surveys:explanations", args=[asked.enrolment_id])).content.decode()
    assert QUESTION in page and 'name="reply"' not in page
    assert client.post(reply_url(asked), {"reply": ANSWER}).status_code == 403


def test_a_request_of_another_agency_cannot_be_answered_through_ones_own(
    client, world, cycle, asked
):
    own = cycle.enrolments.get(agency=world.other_agency)
    client.force_login(world.outsider)  # the other agency's admin
    url = reverse("surveys:explanation_reply", args=[own.pk, asked.pk])
    assert client.post(url, {"reply": "แอบตอบแทน"}).status_code == 404
    asked.refresh_from_db()
    assert asked.reply == ""
