"""oit_item_scores: the feed of the scoring engine (preliminary and final)."""

import pytest

from itas.cycles.models import PhaseKind
from itas.disclosure import services
from itas.disclosure.models import Decision, ItemAnswer
from itas.disclosure.queries import oit_item_scores


def _submit(world, oit, codes):
    answers = {a.code: a for a in services.open_board(None, enrolment=oit.enrolment)}
    for code in codes:
        services.save_evidence(
            world.agency_admin,
            answer=answers[code],
            urls=[f"https://www.5380101.go.th/oit/{code}.pdf"],
            explanation=f"หลักฐาน {code}",
        )
    services.submit(world.agency_admin, enrolment=oit.enrolment)
    return {a.code: a for a in ItemAnswer.objects.filter(enrolment=oit.enrolment)}


@pytest.mark.django_db
def test_preliminary_scores_follow_latest_decision_and_final_only_after_confirmation(world, oit):
    answers = _submit(world, oit, ["O1", "O2", "O3"])
    oit.open(PhaseKind.OIT_REVIEW)
    services.review_item(world.assessor, answer=answers["O1"], decision=Decision.PASS)
    services.review_item(
        world.assessor, answer=answers["O2"], decision=Decision.FAIL, recommendation="ไม่ระบุปี"
    )
    # A second look at O3: fail first, then pass; the latest counts.
    services.review_item(
        world.assessor, answer=answers["O3"], decision=Decision.FAIL, recommendation="ลิงก์เสีย"
    )
    services.review_item(world.assessor, answer=answers["O3"], decision=Decision.PASS)

    e = oit.enrolment.pk
    preliminary = sorted(oit_item_scores(oit.cycle, final=False))
    assert preliminary == [(e, "O1", 100, ""), (e, "O2", 0, "ไม่ระบุปี"), (e, "O3", 100, "")]
    assert list(oit_item_scores(oit.cycle, final=True)) == []

    # Clarification changes O2; the preliminary feed follows the answer.
    oit.open(PhaseKind.CLARIFICATION)
    clar = services.file_clarification(
        world.agency_admin, answer=answers["O2"], explanation="ปีงบประมาณอยู่ที่หน้า 2"
    )
    services.answer_clarification(
        world.assessor, clarification=clar, changed=True, reason="พบปีในหน้า 2"
    )
    assert (e, "O2", 100, "") in set(oit_item_scores(oit.cycle, final=False))

    oit.open(PhaseKind.CONFIRMATION)
    services.confirm(world.nacc, cycle=oit.cycle)
    final = {r[1]: r for r in oit_item_scores(oit.cycle, final=True) if r[0] == e}
    # Every framework item has a confirmed decision: the three reviewed ones as decided, the
    # 40 without evidence an automatic ไม่มี.
    assert len(final) == 43
    assert final["O1"][2] == 100 and final["O2"][2] == 100 and final["O3"][2] == 100
    assert final["O4"][2] == 0 and final["O4"][3]
    # The other agency submitted nothing and was confirmed too: 43 automatic fails.
    other = [r for r in oit_item_scores(oit.cycle, final=True) if r[0] == oit.other_enrolment.pk]
    assert len(other) == 43 and {r[2] for r in other} == {0}


@pytest.mark.django_db
def test_scores_query_is_one_query_whatever_the_number_of_agencies(
    world, oit, django_assert_num_queries
):
    answers = _submit(world, oit, ["O1", "O5"])
    oit.open(PhaseKind.OIT_REVIEW)
    for a in answers.values():
        if a.submitted_evidence_id:
            services.review_item(world.assessor, answer=a, decision=Decision.PASS)
    with django_assert_num_queries(1):
        rows = list(oit_item_scores(oit.cycle, final=False))
    assert {r[1] for r in rows} == {"O1", "O5"}
