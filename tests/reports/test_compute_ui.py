"""Issue 13 item 5: NACC computes the scores from the UI (a Celery task with progress and a
summary) and sees exactly what will be published, and why publication is blocked."""

import re

import pytest
from django.urls import reverse

from itas.core.models import AuditEntry
from itas.cycles.models import Enrolment
from itas.reports import queries
from itas.scoring.errors import ScoringError
from itas.scoring.models import RunState, ScoringRun
from itas.scoring.services import start_scoring
from tests.disclosure.conftest import make_cycle

pytestmark = pytest.mark.django_db


@pytest.fixture
def cycle(world):
    cycle = make_cycle(fiscal_year=2569)
    Enrolment.objects.create(cycle=cycle, agency=world.agency, access_code="AAA111")
    Enrolment.objects.create(cycle=cycle, agency=world.other_agency, access_code="BBB222")
    return cycle


def test_the_cycle_page_offers_compute_and_publish_to_nacc_only(client, world, cycle):
    client.force_login(world.nacc)
    page = client.get(reverse("cycles:calendar", args=[cycle.pk])).content.decode()
    assert 'id="compute-and-publish"' in page
    assert reverse("reports:publish", kwargs={"fy": 2569}) in page
    client.force_login(world.coordinator)
    page = client.get(reverse("cycles:calendar", args=[cycle.pk])).content.decode()
    assert 'id="compute-and-publish"' not in page


def test_nacc_computes_from_the_page_and_sees_the_summary_and_the_preview(
    client, world, cycle, django_capture_on_commit_callbacks
):
    client.force_login(world.nacc)
    page = client.get(reverse("reports:publish", kwargs={"fy": 2569})).content.decode()
    assert 'id="publish-blocked"' in page and "ยังไม่ได้คำนวณคะแนน" in page
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post(reverse("reports:compute", kwargs={"fy": 2569}))
    assert r.status_code == 302
    run = ScoringRun.objects.get()
    assert run.state == RunState.DONE and run.percent == 100 and run.stats["agencies"] == 2
    assert AuditEntry.objects.filter(action="scoring.run.started").exists()
    page = client.get(reverse("reports:publish", kwargs={"fy": 2569})).content.decode()
    assert 'id="compute-done"' in page and "คำนวณแล้ว 2 หน่วยงาน" in page
    # The preview's numbers are the preliminary dashboard's.
    summary = queries.dashboard(cycle.result_sets.current_preliminary(), queries.NATIONAL)[
        "summary"
    ]
    preview = page.split('id="preview-assessed">')[1].split("<")[0]
    assert preview == str(summary["assessed"])
    # The line at the top counts the same agencies as the preliminary dashboard's headline
    # (it once said "ผลเบื้องต้น: 460 แห่ง", every enrolment, beside a dashboard saying 2).
    dashboard = client.get(reverse("reports:dashboard", kwargs={"fy": 2569}), {"preliminary": 1})
    headline = dashboard.content.decode().split('id="kpi-assessed">')[1].split("<")[0]
    line = page.split('id="preliminary-count">')[1].split("<")[0]
    assert line.startswith(f"ประเมินแล้ว {headline} แห่ง") and "จาก 2 แห่ง" in line
    # Still blocked, and it says why: the OIT decisions are not confirmed.
    assert "ผล OIT ยังไม่ได้รับการยืนยัน" in page
    assert 'id="publish" disabled' in page
    status = client.get(reverse("reports:compute_status", kwargs={"fy": 2569})).content.decode()
    assert 'id="compute-done"' in status and "hx-trigger" not in status  # polling stops
    # The bar ends full (the same element htmx swapped while it ran: htmx settles its class, so
    # the width of w-pct-100 slides there through the CSS transition, not jumps).
    assert re.search(r'class="[^"]*\bw-pct-100\b[^"]*" id="compute-bar"', status)


def test_only_nacc_computes_and_one_run_at_a_time(client, world, cycle):
    client.force_login(world.coordinator)
    assert client.post(reverse("reports:compute", kwargs={"fy": 2569})).status_code == 403
    with pytest.raises(ScoringError):
        start_scoring(world.assessor, cycle=cycle)
    ScoringRun.objects.create(cycle=cycle, started_by=world.nacc, state=RunState.RUNNING)
    with pytest.raises(ScoringError):
        start_scoring(world.nacc, cycle=cycle)
    client.force_login(world.nacc)
    status = client.get(reverse("reports:compute_status", kwargs={"fy": 2569})).content.decode()
    assert "hx-trigger" in status and 'role="progressbar"' in status
