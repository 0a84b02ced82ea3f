"""The OIT flow through the pages: board, evidence, submission, review, clarification,
confirmation; history rows; e-mails; and every bad input refused with a 4xx and a Thai message."""

import pytest
from django.core import mail
from django.urls import reverse

from itas.core.models import AuditEntry
from itas.cycles.models import PhaseKind
from itas.disclosure import services
from itas.disclosure.models import (
    Clarification,
    Decision,
    Evidence,
    ItemAnswer,
    ItemDecision,
    ItemStatus,
    Submission,
)
from itas.disclosure.queries import preliminary_oit_score
from tests.factories import PASSWORD


def login(client, user):
    assert client.login(username=user.email, password=PASSWORD)
    return client


def item_of(oit, code):
    services.open_board(None, enrolment=oit.enrolment)
    return ItemAnswer.objects.get(enrolment=oit.enrolment, code=code)


def post_evidence(client, answer, urls, explanation=""):
    return client.post(
        reverse("disclosure:item", args=[answer.pk]),
        {"urls": "\n".join(urls), "explanation": explanation},
    )


@pytest.mark.django_db
def test_board_shows_every_item_with_criteria_to_the_agency_and_nobody_outside(client, world, oit):
    login(client, world.agency_admin)
    services.open_due_boards()  # the daily job, on the answer period's first day
    r = client.get(reverse("disclosure:board", args=[oit.enrolment.pk]))
    assert r.status_code == 200
    page = r.content.decode()
    assert "โครงสร้าง" in page and "O43" in page and "9.1" in page
    assert ItemAnswer.objects.filter(enrolment=oit.enrolment).count() == 43
    # The admin of an agency in Chiang Mai sees nothing of agency A.
    client.logout()
    login(client, world.outsider)
    assert client.get(reverse("disclosure:board", args=[oit.enrolment.pk])).status_code == 403
    answer = item_of(oit, "O1")
    assert client.get(reverse("disclosure:item", args=[answer.pk])).status_code == 403


@pytest.mark.django_db
def test_reading_a_board_writes_nothing_the_board_opens_with_its_period(client, world, oit):
    from itas.core.models import AuditEntry

    login(client, world.agency_admin)
    page = client.get(reverse("disclosure:board", args=[oit.enrolment.pk])).content.decode()
    assert 'id="board-not-open"' in page
    assert not ItemAnswer.objects.exists()  # a GET created nothing
    oit.open(PhaseKind.OIT_REVIEW)  # outside the answer period the daily job opens nothing
    assert services.open_due_boards() == 0
    oit.open(PhaseKind.OIT_ANSWERS)
    assert services.open_due_boards() == 86  # 43 items × both agencies, once
    assert services.open_due_boards() == 0
    entry = AuditEntry.objects.get(action="disclosure.boards.opened")
    assert entry.changes == {"items": [0, 86]}
    page = client.get(reverse("disclosure:board", args=[oit.enrolment.pk])).content.decode()
    assert 'id="board-not-open"' not in page and "O43" in page


@pytest.mark.django_db
def test_an_admin_who_arrives_first_opens_the_board_with_a_post(client, world, oit):
    login(client, world.officer)
    r = client.post(reverse("disclosure:open_board", args=[oit.enrolment.pk]))
    assert r.status_code == 403 and not ItemAnswer.objects.exists()
    login(client, world.agency_admin)
    r = client.post(reverse("disclosure:open_board", args=[oit.enrolment.pk]))
    assert r.status_code == 302
    assert ItemAnswer.objects.filter(enrolment=oit.enrolment).count() == 43
    assert not ItemAnswer.objects.filter(enrolment=oit.other_enrolment).exists()


@pytest.mark.django_db
def test_admin_assigns_by_function_and_officer_edits_only_own_items(client, world, oit):
    login(client, world.agency_admin)
    r = client.post(reverse("disclosure:assign_by_function", args=[oit.enrolment.pk]))
    assert r.status_code == 302
    o1 = item_of(oit, "O1")  # 9.1: website
    o18 = item_of(oit, "O18")  # 9.3: finance — no such officer in this agency
    assert o1.assignee == world.officer
    assert o18.assignee is None
    client.logout()
    login(client, world.officer)
    r = post_evidence(
        client, o1, ["https://www.5380101.go.th/about/structure"], "หน้าแรก > เกี่ยวกับเรา"
    )
    assert r.status_code == 302
    assert Evidence.objects.filter(answer=o1).count() == 1
    r = post_evidence(client, o18, ["https://www.5380101.go.th/plan.pdf"])
    assert r.status_code == 403
    assert not Evidence.objects.filter(answer=o18).exists()
    # The officer cannot submit: only the admin hands in the agency's answers.
    r = client.post(reverse("disclosure:submit", args=[oit.enrolment.pk]))
    assert r.status_code == 403 and not Submission.objects.exists()
    # Assigning to someone outside the agency is refused.
    client.logout()
    login(client, world.agency_admin)
    r = client.post(
        reverse("disclosure:assign", args=[oit.enrolment.pk]),
        {"codes": ["O2"], "assignee": world.outsider.pk},
    )
    assert r.status_code == 400 and "หน่วยงานนี้" in r.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("urls", "message"),
    [
        (["not a url"], "ช่องว่าง"),
        (["www.5380101.go.th/x"], "http"),
        (["http://192.168.0.10/oit.pdf"], "ส่วนตัว"),
        (["http://127.0.0.1/x"], "ส่วนตัว"),
        ([f"https://www.5380101.go.th/{i}" for i in range(50)], "10"),
        ([""], "อย่างน้อย"),
    ],
)
def test_bad_evidence_is_refused_with_a_thai_message_and_nothing_stored(
    client, world, oit, urls, message
):
    login(client, world.agency_admin)
    answer = item_of(oit, "O1")
    services.save_evidence(
        world.agency_admin, answer=answer, urls=["https://www.5380101.go.th/ok"], explanation=""
    )
    r = post_evidence(client, answer, urls)
    assert r.status_code == 400
    assert message in r.content.decode()
    assert Evidence.objects.filter(answer=answer).count() == 1  # the earlier version is kept


@pytest.mark.django_db
def test_edit_after_the_deadline_is_refused(client, world, oit):
    answer = item_of(oit, "O1")
    services.save_evidence(
        world.agency_admin, answer=answer, urls=["https://www.5380101.go.th/a"], explanation=""
    )
    oit.open(PhaseKind.OIT_REVIEW)
    login(client, world.agency_admin)
    r = post_evidence(client, answer, ["https://www.5380101.go.th/b"])
    assert r.status_code == 400
    assert "ปิด" in r.content.decode()
    r = client.post(reverse("disclosure:submit", args=[oit.enrolment.pk]), {"confirm": "1"})
    assert r.status_code == 400 and "ปิด" in r.content.decode()
    assert Evidence.objects.filter(answer=answer).count() == 1
    assert not Submission.objects.exists()


def _submitted(world, oit, codes):
    for code in codes:
        services.save_evidence(
            world.agency_admin,
            answer=item_of(oit, code),
            urls=[f"https://www.5380101.go.th/oit/{code}"],
            explanation="",
        )
    services.submit(world.agency_admin, enrolment=oit.enrolment)


@pytest.mark.django_db
def test_assessor_reviews_without_reload_and_other_group_is_refused(client, world, oit):
    _submitted(world, oit, ["O1", "O2"])
    oit.open(PhaseKind.OIT_REVIEW)
    o1, o2 = item_of(oit, "O1"), item_of(oit, "O2")

    login(client, world.other_assessor)
    r = client.post(
        reverse("disclosure:decide", args=[o1.pk]), {"decision": "pass"}, HTTP_HX_REQUEST="true"
    )
    assert r.status_code == 403
    assert client.get(reverse("disclosure:review", args=[oit.enrolment.pk])).status_code == 403
    with pytest.raises(Exception) as exc:
        services.review_item(world.other_assessor, answer=o1, decision=Decision.PASS)
    assert "หน่วยงานนี้" in str(exc.value)
    client.logout()

    login(client, world.assessor)
    r = client.get(reverse("disclosure:queue"))
    assert r.status_code == 200 and "ท่าสะอาด" in r.content.decode()
    assert "ทดสอบเชียงใหม่" not in r.content.decode()  # another group's province
    r = client.get(reverse("disclosure:review", args=[oit.enrolment.pk]))
    assert r.status_code == 200 and 'id="btn-pass"' in r.content.decode()
    # มี in one request; the panel comes back with the next waiting item (O2).
    r = client.post(
        reverse("disclosure:decide", args=[o1.pk]), {"decision": "pass"}, HTTP_HX_REQUEST="true"
    )
    assert r.status_code == 200
    assert "<html" not in r.content.decode()  # a fragment, not a page
    assert f'hx-post="{reverse("disclosure:decide", args=[o2.pk])}"' in r.content.decode()
    # ไม่มี without a recommendation is refused, shown in the panel (4xx), nothing stored.
    r = client.post(
        reverse("disclosure:decide", args=[o2.pk]), {"decision": "fail"}, HTTP_HX_REQUEST="true"
    )
    assert r.status_code == 400 and "คำแนะนำ" in r.content.decode()
    assert not ItemDecision.objects.filter(answer=o2).exists()
    r = client.post(
        reverse("disclosure:decide", args=[o2.pk]),
        {"decision": "fail", "recommendation": "ไม่พบปีงบประมาณ"},
        HTTP_HX_REQUEST="true",
    )
    assert r.status_code == 200
    o2.refresh_from_db()
    assert o2.status == ItemStatus.REVIEWED and o2.latest_decision.decision == Decision.FAIL


@pytest.mark.django_db
def test_decisions_hidden_from_agency_until_the_review_period_ends(client, world, oit):
    _submitted(world, oit, ["O1"])
    oit.open(PhaseKind.OIT_REVIEW)
    o1 = item_of(oit, "O1")
    services.review_item(
        world.assessor, answer=o1, decision=Decision.FAIL, recommendation="ลิงก์ไม่ตรงกับข้อ"
    )
    login(client, world.agency_admin)
    r = client.get(reverse("disclosure:item", args=[o1.pk]))
    assert "ลิงก์ไม่ตรงกับข้อ" not in r.content.decode()
    oit.open(PhaseKind.CLARIFICATION)
    r = client.get(reverse("disclosure:item", args=[o1.pk]))
    assert "ลิงก์ไม่ตรงกับข้อ" in r.content.decode()
    r = client.get(reverse("disclosure:board", args=[oit.enrolment.pk]))
    assert 'id="oit-score"' in r.content.decode()
    assert "เบื้องต้น" in r.content.decode()  # marked preliminary


@pytest.mark.django_db
def test_clarification_rules_history_and_email(client, world, oit):
    _submitted(world, oit, ["O1", "O2"])
    oit.open(PhaseKind.OIT_REVIEW)
    o1, o2 = item_of(oit, "O1"), item_of(oit, "O2")
    services.review_item(world.assessor, answer=o1, decision=Decision.PASS)
    services.review_item(
        world.assessor, answer=o2, decision=Decision.FAIL, recommendation="ไม่ระบุวันที่"
    )
    services.assign_items(
        world.agency_admin, enrolment=oit.enrolment, codes=["O2"], assignee=world.officer
    )

    login(client, world.agency_admin)
    # Too early: the clarification period is not open.
    r = client.post(reverse("disclosure:clarify", args=[o2.pk]), {"explanation": "วันที่อยู่ท้ายเอกสาร"})
    assert r.status_code == 400
    oit.open(PhaseKind.CLARIFICATION)
    # A passed item cannot be disputed.
    r = client.post(reverse("disclosure:clarify", args=[o1.pk]), {"explanation": "ขอคะแนน"})
    assert r.status_code == 400 and "ไม่มี" in r.content.decode()
    # The URL cannot change in a clarification.
    r = client.post(
        reverse("disclosure:clarify", args=[o2.pk]),
        {"explanation": "ดูลิงก์ใหม่", "urls": ["https://www.5380101.go.th/new-link"]},
    )
    assert r.status_code == 400 and "ลิงก์เดิม" in r.content.decode()
    assert not Clarification.objects.exists()
    r = client.post(
        reverse("disclosure:clarify", args=[o2.pk]), {"explanation": "วันที่อยู่ท้ายเอกสาร หน้า 3"}
    )
    assert r.status_code == 302
    o2.refresh_from_db()
    assert o2.status == ItemStatus.DISPUTED
    client.logout()

    login(client, world.assessor)
    with pytest.MonkeyPatch.context():
        r = client.post(
            reverse("disclosure:decide_clarification", args=[o2.pk]),
            {"outcome": "changed", "reason": "พบวันที่ในหน้า 3"},
            HTTP_HX_REQUEST="true",
        )
    assert r.status_code == 200
    o2.refresh_from_db()
    assert o2.status == ItemStatus.CLARIFIED and o2.latest_decision.decision == Decision.PASS
    # Nothing overwritten: the first decision, the clarification and the answer are all rows.
    rows = list(
        ItemDecision.objects.filter(answer=o2).order_by("id").values_list("kind", "decision")
    )
    assert rows == [("review", "fail"), ("changed", "pass")]
    assert AuditEntry.objects.filter(action="disclosure.clarification.answered").count() == 1

    # The item page reads like a conversation, oldest first.
    r = client.get(reverse("disclosure:item", args=[o2.pk]))
    page = r.content.decode()
    page = page[page.index('class="timeline"') :]
    order = [
        page.index(t)
        for t in ("บันทึกหลักฐาน", "ส่งให้ผู้ประเมิน", "ไม่ระบุวันที่", "วันที่อยู่ท้ายเอกสาร", "พบวันที่ในหน้า 3")
    ]
    assert order == sorted(order)


@pytest.mark.django_db(transaction=True)
def test_clarification_answer_emails_the_admin_and_the_officer_in_thai(world, oit):
    _submitted(world, oit, ["O2"])
    oit.open(PhaseKind.OIT_REVIEW)
    o2 = item_of(oit, "O2")
    services.assign_items(
        world.agency_admin, enrolment=oit.enrolment, codes=["O2"], assignee=world.officer
    )
    services.review_item(
        world.assessor, answer=o2, decision=Decision.FAIL, recommendation="ไม่ระบุวันที่"
    )
    oit.open(PhaseKind.CLARIFICATION)
    clar = services.file_clarification(world.agency_admin, answer=o2, explanation="ดูหน้า 3")
    mail.outbox.clear()
    services.answer_clarification(
        world.assessor, clarification=clar, changed=False, reason="หน้า 3 ไม่มีวันที่"
    )
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert set(message.to) == {world.agency_admin.email, world.officer.email}
    assert "O2" in message.subject and "คำชี้แจง" in message.subject
    assert "หน้า 3 ไม่มีวันที่" in message.body
    html = message.alternatives[0][0]
    assert "ยืนยันผลเดิม" in html or "คงผล" in html


@pytest.mark.django_db
def test_confirmation_freezes_and_only_nacc_confirms(client, world, oit):
    _submitted(world, oit, ["O1"])
    oit.open(PhaseKind.OIT_REVIEW)
    o1 = item_of(oit, "O1")
    services.review_item(world.assessor, answer=o1, decision=Decision.PASS)
    oit.open(PhaseKind.CONFIRMATION)
    login(client, world.assessor)
    assert client.post(reverse("disclosure:confirm", args=[oit.cycle.pk])).status_code == 403
    client.logout()
    login(client, world.nacc)
    r = client.post(reverse("disclosure:confirm", args=[oit.cycle.pk]), {"agency_code": "9999999"})
    assert r.status_code == 400
    r = client.post(
        reverse("disclosure:confirm", args=[oit.cycle.pk]), {"agency_code": world.agency.code}
    )
    assert r.status_code == 302
    o1.refresh_from_db()
    assert o1.status == ItemStatus.CONFIRMED and o1.confirmed_decision_id == o1.latest_decision_id
    # The other agency is not confirmed by a one-agency confirmation.
    assert not ItemAnswer.objects.filter(
        enrolment=oit.other_enrolment, status=ItemStatus.CONFIRMED
    ).exists()
    score = preliminary_oit_score(oit.enrolment, final=True)
    # 9.1 has 9 items, 1 passed: 9.1 = 11.11; the other sub-indicators 0 → indicator 9 = 2.22.
    assert score["indicators"]["9"] == pytest.approx(100 / 9 / 5)
    assert not score["partial"]
    # Frozen: a late review is refused.
    with pytest.raises(Exception) as exc:
        services.review_item(world.assessor, answer=o1, decision=Decision.FAIL, recommendation="x")
    assert "ยืนยัน" in str(exc.value) or "เปิด" in str(exc.value)


@pytest.mark.django_db
def test_progress_for_coordinator_lists_their_province_only(client, world, oit):
    _submitted(world, oit, ["O1"])
    login(client, world.coordinator)
    r = client.get(reverse("disclosure:progress"))
    assert r.status_code == 200
    page = r.content.decode()
    assert "บึงกาฬ" in page and "ท่าสะอาด" in page
    assert "เชียงใหม่" not in page
    assert client.get(reverse("disclosure:queue")).status_code == 403


def test_a_submission_whose_sender_is_gone_says_who_in_thai_not_none(client, world, oit):
    """A submission by the demo loader or by an account since deleted has no sender; the board
    said "ส่งล่าสุดโดย None"."""
    from itas.disclosure.models import Submission

    services.open_due_boards()
    Submission.objects.create(enrolment=oit.enrolment, submitted_by=None)
    login(client, world.agency_admin)
    page = client.get(reverse("disclosure:board", args=[oit.enrolment.pk])).content.decode()
    assert "ส่งล่าสุดโดย" in page
    assert "None" not in page


def test_link_checks_and_reviews_do_not_share_a_word():
    """ "ตรวจแล้ว" meant both "the assessor reviewed it" and "the robot opened the link"; the
    link check's states say ลิงก์."""
    from django.utils import translation

    from itas.disclosure.models import CheckState, ItemStatus

    with translation.override("th"):
        checks = {str(label) for _v, label in CheckState.choices}
        statuses = {str(label) for _v, label in ItemStatus.choices}
        assert not checks & statuses
        for state in (CheckState.NOT_CHECKED, CheckState.RUNNING, CheckState.DONE):
            assert "ลิงก์" in str(state.label)
