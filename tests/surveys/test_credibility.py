"""The credibility engine on the real form: the stuffing replay of issue 12, an honest
enthusiast, the pages and who sees what, exclusion by reason, closing."""

import random
import uuid

import pytest
from django.urls import reverse

from itas.core.models import AuditEntry
from itas.surveys.credibility import services
from itas.surveys.credibility.models import AgencyRisk, CredibilityRun, ExplanationRequest
from itas.surveys.models import Response
from tests.surveys.conftest import answers_for
from tests.surveys.test_evidence import form_token

pytestmark = pytest.mark.django_db


def honest_pick(rng):
    def pick(i, sub):
        ranked = sorted(sub.choices, key=lambda c: c.score)
        return ranked[
            min(len(ranked) - 1, max(0, round(rng.gauss(0.6, 0.3) * (len(ranked) - 1))))
        ].value

    return pick


def best(i, sub):
    return max(sub.choices, key=lambda c: c.score).value


def send(client, enrolment, pick, *, token=True, ua="Phone", ip="100.64.0.1"):
    data = answers_for(enrolment.cycle.framework.spec, "iit", pick)
    data["submission_id"] = str(uuid.uuid4())
    if token:
        data["started"] = form_token(client, enrolment)
    url = reverse("surveys:go", args=["iit", enrolment.access_code])
    assert client.post(url, data, REMOTE_ADDR=ip, HTTP_USER_AGENT=ua).status_code == 302


def honest_staff(client, enrolment, n, seed=1):
    rng = random.Random(seed)
    for i in range(n):
        send(client, enrolment, honest_pick(rng), ua=f"Phone model {i}", ip=f"100.64.{i}.1")


def analyse(world, cycle):
    return services.analyse_cycle(services.start_run(world.nacc, cycle=cycle))


def test_replay_no_token_rotating_browser_stuffing_is_flagged_and_its_lift_removed(
    client, world, cycle, enrolment
):
    honest_staff(client, enrolment, 20)
    for i in range(60):  # issue 12: 60 POSTs from one address, no token, a new browser each
        send(client, enrolment, best, token=False, ua=f"Bot/{i}", ip="203.0.113.50")
    assert Response.objects.filter(enrolment=enrolment).count() == 80  # nothing refused
    analyse(world, cycle)
    risk = AgencyRisk.objects.get(enrolment=enrolment, instrument="iit")
    assert risk.flagged
    stuffed = set(Response.objects.filter(token_status="missing").values_list("id", flat=True))
    assert len(stuffed) == 60
    assert stuffed <= risk.flagged_ids()
    honest_mean = (
        sum(
            Response.objects.filter(enrolment=enrolment, token_status="ok").values_list(
                "mean_score", flat=True
            )
        )
        / 20
    )
    assert risk.score > honest_mean + 10
    assert risk.score_without == pytest.approx(honest_mean, abs=0.01)


def test_one_enthusiast_does_not_flag_an_honest_agency(client, world, cycle, enrolment):
    honest_staff(client, enrolment, 24, seed=3)
    send(client, enrolment, best, ua="Enthusiast", ip="100.64.99.1")
    analyse(world, cycle)
    risk = AgencyRisk.objects.get(enrolment=enrolment, instrument="iit")
    assert not risk.flagged
    assert risk.risk < 50


@pytest.fixture
def stuffed(client, world, cycle, enrolment):
    honest_staff(client, enrolment, 12)
    for i in range(30):
        send(client, enrolment, best, token=False, ua=f"Bot/{i}", ip="203.0.113.50")
    analyse(world, cycle)
    return AgencyRisk.objects.get(enrolment=enrolment, instrument="iit")


def test_the_ranked_list_and_the_explanation_for_nacc(client, world, cycle, stuffed):
    client.force_login(world.nacc)
    page = client.get(reverse("surveys:credibility", args=[cycle.pk])).content.decode()
    assert world.agency.name in page
    assert "ไม่มีโทเค็น" in page or "โทเค็น" in page  # the reason, in Thai
    detail = client.get(reverse("surveys:credibility_agency", args=[stuffed.enrolment_id]))
    text = detail.content.decode()
    assert "คัดออก" in text  # the exclusion form is there for NACC
    assert f"{stuffed.score_without:.2f}" in text


def test_a_coordinator_sees_the_province_without_any_response(client, world, cycle, stuffed):
    client.force_login(world.coordinator)
    page = client.get(reverse("surveys:credibility", args=[cycle.pk]))
    assert page.status_code == 200 and world.agency.name in page.content.decode()
    detail = client.get(reverse("surveys:credibility_agency", args=[stuffed.enrolment_id]))
    assert detail.status_code == 200
    text = detail.content.decode()
    assert "<table" not in text and "credibility/exclude" not in text
    post = client.post(
        reverse("surveys:credibility_exclude", args=[stuffed.enrolment_id]),
        {"instrument": "iit", "code": "bad_token", "excluded": "1", "reason": "x"},
    )
    assert post.status_code == 403
    client.force_login(world.outsider)
    assert (
        client.get(reverse("surveys:credibility_agency", args=[stuffed.enrolment_id])).status_code
        == 403
    )


def test_exclude_and_restore_a_reason_is_audited_and_recomputed(client, world, cycle, stuffed):
    client.force_login(world.nacc)
    url = reverse("surveys:credibility_exclude", args=[stuffed.enrolment_id])
    before = stuffed.score
    client.post(url, {"instrument": "iit", "code": "bad_token", "excluded": "1", "reason": "ยัดบัตร"})
    assert Response.objects.filter(excluded=True).count() == 30
    assert Response.objects.count() == 42  # never deleted
    stuffed.refresh_from_db()
    assert stuffed.score == pytest.approx(stuffed.score_without) and stuffed.score < before
    assert AuditEntry.objects.filter(action="surveys.responses.excluded").exists()
    client.post(url, {"instrument": "iit", "code": "bad_token", "excluded": "0"})
    assert not Response.objects.filter(excluded=True).exists()
    stuffed.refresh_from_db()
    assert stuffed.score == pytest.approx(before)
    assert AuditEntry.objects.filter(action="surveys.responses.restored").exists()


def test_exclusion_needs_a_reason(client, world, cycle, stuffed):
    client.force_login(world.nacc)
    url = reverse("surveys:credibility_exclude", args=[stuffed.enrolment_id])
    client.post(url, {"instrument": "iit", "code": "bad_token", "excluded": "1", "reason": ""})
    assert not Response.objects.filter(excluded=True).exists()


def test_asking_the_agency_to_explain(client, world, cycle, stuffed):
    client.force_login(world.nacc)
    client.post(
        reverse("surveys:credibility_ask", args=[stuffed.enrolment_id]),
        {"message": "โปรดชี้แจงคำตอบที่เข้ามาพร้อมกัน"},
    )
    asked = ExplanationRequest.objects.get()
    assert asked.enrolment_id == stuffed.enrolment_id and asked.asked_by == world.nacc
    assert AuditEntry.objects.filter(action="surveys.explanation.asked").exists()


def test_the_run_button_runs_the_job_with_progress(client, world, cycle, enrolment):
    honest_staff(client, enrolment, 5)
    client.force_login(world.nacc)
    client.post(reverse("surveys:credibility_run", args=[cycle.pk]))
    run = CredibilityRun.objects.get()
    assert run.status == "done" and run.done == run.total == cycle.enrolments.count()
    assert run.responses == 5
    client.force_login(world.coordinator)
    assert client.post(reverse("surveys:credibility_run", args=[cycle.pk])).status_code == 403


def test_closing_runs_the_reanalysis_before_erasing_the_hashes(client, world, cycle, enrolment):
    from itas.cycles.services import close_cycle

    honest_staff(client, enrolment, 6)
    for i in range(20):
        send(client, enrolment, best, token=False, ua=f"Bot/{i}", ip="203.0.113.50")
    close_cycle(world.nacc, cycle=cycle)
    assert CredibilityRun.objects.filter(cycle=cycle, status="done").exists()
    risk = AgencyRisk.objects.get(enrolment=enrolment, instrument="iit")
    assert risk.flagged
    assert not Response.objects.exclude(abuse_hash="").exists()
    note = AuditEntry.objects.get(action="cycles.cycle.closed").note
    assert "credibility" in note


def test_an_assessor_of_the_group_may_exclude_one_of_another_group_may_not(
    client, world, cycle, stuffed
):
    url = reverse("surveys:credibility_exclude", args=[stuffed.enrolment_id])
    body = {"instrument": "iit", "code": "bad_token", "excluded": "1", "reason": "ยัดบัตร"}
    client.force_login(world.other_assessor)
    assert client.post(url, body).status_code == 403
    assert not Response.objects.filter(excluded=True).exists()
    client.force_login(world.assessor)
    assert client.post(url, body).status_code == 302
    assert Response.objects.filter(excluded=True).count() == 30


@pytest.mark.django_db(transaction=True)
def test_filling_scores_in_bulk_refreshes_the_planners_statistics(client, world, cycle, enrolment):
    """Scores filled in bulk must be visible to PostgreSQL's planner at once: with statistics
    that still said "all NULL", the baseline's GROUP BY ran as a nested loop over every
    response per agency (more than 25 minutes on the national bench cycle)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("planner statistics are PostgreSQL's; SQLite plans this query without them")
    honest_staff(client, enrolment, 6)
    table = connection.ops.quote_name(Response._meta.db_table)
    Response.objects.filter(enrolment=enrolment).update(mean_score=None)
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {table}")  # what a bulk load's settling leaves: all NULL

    def estimated_scored() -> float:
        with connection.cursor() as cursor:
            cursor.execute(
                f"EXPLAIN (FORMAT JSON) SELECT 1 FROM {table} WHERE mean_score IS NOT NULL"
            )
            return cursor.fetchone()[0][0]["Plan"]["Plan Rows"]

    assert estimated_scored() <= 1
    assert services._fill_scores(cycle) == 6
    assert Response.objects.filter(enrolment=enrolment, mean_score__isnull=True).count() == 0
    assert estimated_scored() >= 5
