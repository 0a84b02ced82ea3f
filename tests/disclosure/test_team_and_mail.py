"""Splitting the work in a team, last year's decision beside this year's, the preliminary score,
and the e-mails of the preliminary results and the confirmation."""

import pytest
from django.core import mail
from django.urls import reverse

from itas.core.roles import Role
from itas.cycles.models import Enrolment, PhaseKind
from itas.disclosure import services
from itas.disclosure.errors import DisclosureError
from itas.disclosure.models import Decision, ItemAnswer, ReviewAssignment
from itas.disclosure.queries import preliminary_oit_score
from tests.disclosure.conftest import make_cycle, open_phase
from tests.factories import PASSWORD, UserFactory, grant


def _reviewed(world, oit, decisions):
    answers = {a.code: a for a in services.open_board(None, enrolment=oit.enrolment)}
    for code in decisions:
        services.save_evidence(
            world.agency_admin,
            answer=answers[code],
            urls=[f"https://www.5380101.go.th/{code}"],
            explanation="",
        )
    services.submit(world.agency_admin, enrolment=oit.enrolment)
    oit.open(PhaseKind.OIT_REVIEW)
    for code, decision in decisions.items():
        services.review_item(
            world.assessor,
            answer=ItemAnswer.objects.get(enrolment=oit.enrolment, code=code),
            decision=decision,
            recommendation="" if decision == Decision.PASS else "ไม่ครบ",
        )


@pytest.mark.django_db
def test_team_splits_agencies_only_among_its_own_assessors(client, world, oit):
    colleague = UserFactory(email="colleague@example.org")
    grant(colleague, Role.ASSESSOR, assessor_group=world.group_a)
    assert client.login(username=world.assessor.email, password=PASSWORD)
    r = client.post(
        reverse("disclosure:assign_reviewers"),
        {"enrolments": [oit.enrolment.pk], "assessor": colleague.pk},
    )
    assert r.status_code == 302
    assert ReviewAssignment.objects.get(enrolment=oit.enrolment).assessor == colleague
    # An assessor of another group is not in the team: refused, nothing changed.
    r = client.post(
        reverse("disclosure:assign_reviewers"),
        {"enrolments": [oit.enrolment.pk], "assessor": world.other_assessor.pk},
    )
    assert r.status_code == 400
    assert ReviewAssignment.objects.get(enrolment=oit.enrolment).assessor == colleague
    # An agency outside the group's provinces cannot be taken.
    with pytest.raises(DisclosureError):
        services.assign_reviewer(world.assessor, enrolment=oit.other_enrolment, assessor=colleague)
    # "Mine" in the queue: the colleague sees the agency, the assessor does not.
    r = client.get(reverse("disclosure:queue") + "?who=mine")
    assert "ท่าสะอาด" not in r.content.decode()
    client.logout()
    client.login(username=colleague.email, password=PASSWORD)
    r = client.get(reverse("disclosure:queue") + "?who=mine")
    assert "ท่าสะอาด" in r.content.decode()


@pytest.mark.django_db
def test_last_years_decision_is_beside_this_years_evidence(client, world, oit):
    # Last year's cycle (FY2564), O1 failed with a recommendation.
    last = make_cycle(fiscal_year=2564, framework=oit.cycle.framework)
    open_phase(last, PhaseKind.OIT_ANSWERS)
    e_last = Enrolment.objects.create(cycle=last, agency=world.agency, access_code="LAST01")
    a_last = services.open_board(None, enrolment=e_last)[0]
    services.save_evidence(
        world.agency_admin, answer=a_last, urls=["https://www.5380101.go.th/old"], explanation=""
    )
    services.submit(world.agency_admin, enrolment=e_last)
    open_phase(last, PhaseKind.OIT_REVIEW)
    services.review_item(
        world.assessor, answer=a_last, decision=Decision.FAIL, recommendation="ปีที่แล้วไม่มีแผนผัง"
    )

    _reviewed(world, oit, {"O1": Decision.PASS})
    client.login(username=world.assessor.email, password=PASSWORD)
    r = client.get(reverse("disclosure:review", args=[oit.enrolment.pk]) + "?item=O1")
    page = r.content.decode()
    assert "ปีที่แล้ว (2564)" in page and "ปีที่แล้วไม่มีแผนผัง" in page


@pytest.mark.django_db
def test_preliminary_score_is_partial_while_items_wait(world, oit):
    _reviewed(world, oit, {"O1": Decision.PASS, "O2": Decision.FAIL})
    answers = {a.code: a for a in services.open_board(None, enrolment=oit.enrolment)}
    score = preliminary_oit_score(oit.enrolment)
    # 9.1: O1 100, O2 0, O3–O9 not submitted (0) → 100/9; the other sub-indicators 0.
    assert score["subindicators"]["9.1"] == pytest.approx(100 / 9)
    assert score["indicators"]["9"] == pytest.approx(100 / 9 / 5)
    assert not score["partial"] and score["decided"] == 2
    # A submitted but unreviewed item makes the score partial (and it says so).
    oit.open(PhaseKind.OIT_ANSWERS)
    services.save_evidence(
        world.agency_admin,
        answer=answers["O3"],
        urls=["https://www.5380101.go.th/o3"],
        explanation="",
    )
    services.submit(world.agency_admin, enrolment=oit.enrolment)
    score = preliminary_oit_score(oit.enrolment)
    assert score["partial"] and score["subindicators"]["9.1"] == pytest.approx(100 / 8)


@pytest.mark.django_db(transaction=True)
def test_preliminary_and_confirmation_emails(world, oit):
    _reviewed(world, oit, {"O1": Decision.PASS, "O2": Decision.FAIL})
    with pytest.raises(DisclosureError):  # the review period has not ended
        services.announce_preliminary_results(world.nacc, cycle=oit.cycle)
    oit.open(PhaseKind.CLARIFICATION)
    mail.outbox.clear()
    assert services.announce_preliminary_results(world.nacc, cycle=oit.cycle) == 1
    assert len(mail.outbox) == 1
    m = mail.outbox[0]
    assert m.to == [world.agency_admin.email]
    assert "ผล OIT เบื้องต้น" in m.subject and "มี: 1 ข้อ ไม่มี: 1 ข้อ" in m.body
    assert m.alternatives and "<a href=" in m.alternatives[0][0]
    # The same news in the admin's inbox: what came back and until when to clarify.
    from itas.core.models import Notification
    from itas.core.thaidate import format_date

    note = Notification.objects.get(user=world.agency_admin)
    assert "มี 1, ไม่มี 1" in note.message and "ส่งกลับ 1 ข้อ" in note.message
    assert format_date(oit.cycle.phase(PhaseKind.CLARIFICATION).ends_on) in note.message
    assert note.link == reverse("disclosure:board", args=[oit.enrolment.pk])
    oit.open(PhaseKind.CONFIRMATION)
    mail.outbox.clear()
    services.confirm(world.nacc, cycle=oit.cycle)
    assert len(mail.outbox) == 2  # both agencies of the cycle, to their admins
    mine = next(m for m in mail.outbox if m.to == [world.agency_admin.email])
    assert "ยืนยันผล OIT" in mine.subject and "ท่าสะอาด" in mine.subject
    assert "มี: 1 ข้อ ไม่มี: 42 ข้อ" in mine.body  # 41 without evidence + O2
