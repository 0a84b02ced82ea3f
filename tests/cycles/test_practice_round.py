"""The practice round: a copy of the year's cycle that people try without touching real data.
The separation test feeds it answers and OIT decisions that would change every figure, then
checks that none of them reaches results, dashboards, exports, the API or reminders."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from itas.cycles import practice as practice_round
from itas.cycles.errors import CycleError
from itas.cycles.models import Cycle, Phase, PhaseKind, ReminderSent
from itas.cycles.reminders import due_reminders
from itas.reports.services import publish_results
from itas.scoring.errors import ScoringError
from itas.scoring.models import AgencyResult, ResultSet
from itas.scoring.services import compute_scores
from tests.factories import PASSWORD
from tests.scoring.builders import all_questions, decide, enrol, make_cycle, respond

pytestmark = pytest.mark.django_db


@pytest.fixture
def year(world):
    """The real cycle 2570: one agency with perfect answers and every OIT item passed."""
    cycle = make_cycle(fiscal_year=2570)
    today = timezone.localdate()
    for kind in (PhaseKind.SURVEY, PhaseKind.OIT_ANSWERS):
        Phase.objects.create(
            cycle=cycle, kind=kind, starts_on=today - dt.timedelta(days=3), ends_on=today
        )
    # The OIT confirmation is over, so the year's results may be published.
    Phase.objects.create(
        cycle=cycle,
        kind=PhaseKind.CONFIRMATION,
        starts_on=today - dt.timedelta(days=10),
        ends_on=today - dt.timedelta(days=1),
    )
    enrolment = enrol(cycle, world.agency)
    respond(enrolment, "iit", all_questions(cycle, "IIT", 100))
    respond(enrolment, "eit", all_questions(cycle, "EIT", 100))
    decide(enrolment)
    return cycle


def _spoil(practice: Cycle, agency) -> None:
    """What people do while trying: answers of 0 and every OIT item failed."""
    enrolment = practice.enrolments.get(agency=agency)
    for _ in range(3):
        respond(enrolment, "iit", all_questions(practice, "IIT", 0))
        respond(enrolment, "eit", all_questions(practice, "EIT", 0))
    decide(enrolment, failed={i.code for i in practice.framework.spec.oit_items})


def test_practice_round_never_reaches_results_dashboards_exports_api_or_reminders(
    client, world, year
):
    practice = practice_round.open_practice(world.nacc, cycle=year)
    assert (practice.is_practice, practice.fiscal_year, practice.framework) == (
        True,
        2570,
        year.framework,
    )
    # Same calendar shape, all of it open now; its own codes, none a real one.
    assert {p.kind: (p.ends_on - p.starts_on) for p in practice.phases.all()} == {
        p.kind: (p.ends_on - p.starts_on) for p in year.phases.all()
    }
    assert practice.is_phase_open(PhaseKind.SURVEY)
    real_codes = set(year.enrolments.values_list("access_code", flat=True))
    assert not real_codes & set(practice.enrolments.values_list("access_code", flat=True))
    _spoil(practice, world.agency)

    # Results: the practice round is never scored; the year's command scores the real cycle.
    with pytest.raises(ScoringError):
        compute_scores(cycle=practice)
    call_command("compute_scores", "--cycle", "2570")
    assert not ResultSet.objects.filter(cycle=practice).exists()
    result = AgencyResult.objects.get(result_set__cycle=year, enrolment__agency=world.agency)
    assert (result.iit, result.eit, result.oit) == (100, 100, 100)
    publish_results(actor=world.nacc, cycle=year)

    # The API: one 2570, the real one, with the real figures.
    cycles = client.get("/api/v1/cycles/").json()
    listed = cycles["results"] if isinstance(cycles, dict) else cycles
    assert [c["fiscal_year"] for c in listed] == [2570]
    rows = client.get("/api/v1/cycles/2570/results/").json()
    rows = rows["results"] if isinstance(rows, dict) else rows
    assert [float(r["iit"]) for r in rows] == [100.0]
    download = client.get("/api/v1/cycles/2570/download.csv")
    text = b"".join(download.streaming_content).decode("utf-8-sig")
    assert world.agency.code in text and "ทดลองใช้" not in text

    # Dashboards and exports read the real cycle of the year.
    client.login(username=world.nacc.email, password=PASSWORD)
    dashboard = client.get(reverse("reports:dashboard", args=[2570]))
    assert dashboard.status_code == 200
    assert dashboard.context["cycle"] == year
    export = client.get(reverse("reports:agencies", args=[2570]), {"format": "csv"})
    body = (b"".join(export.streaming_content) if export.streaming else export.content).decode(
        "utf-8-sig"
    )
    assert world.agency.name in body and "ทดลองใช้" not in body

    # Reminders: the deadline of the practice round's phases is today as well, yet only the
    # real cycle's phases are due.
    due = list(due_reminders(timezone.localdate(), [0]))
    assert due and all(phase.cycle_id == year.pk for phase, _days in due)
    assert not ReminderSent.objects.filter(enrolment__cycle=practice).exists()

    # Every read of "the cycles that count" is one QuerySet method.
    assert list(Cycle.objects.real()) == [year]


def test_practice_pages_and_poster_say_so(client, world, year):
    practice = practice_round.open_practice(world.nacc, cycle=year)
    enrolment = practice.enrolments.get(agency=world.agency)
    client.login(username=world.agency_admin.email, password=PASSWORD)
    home = client.get("/").content.decode()
    assert "ทดลองใช้" in home
    page = client.get(reverse("surveys:respondents", args=[enrolment.pk])).content.decode()
    assert "practice-banner" in page and "ทดลองใช้" in page
    board = client.get(reverse("disclosure:board", args=[enrolment.pk])).content.decode()
    assert "practice-banner" in board
    real = client.get(
        reverse("surveys:respondents", args=[year.enrolments.get(agency=world.agency).pk])
    )
    assert "practice-banner" not in real.content.decode()
    cache.clear()
    public = client.get(f"/go/iit/{enrolment.access_code}")
    assert public.status_code == 200 and "practice-banner" in public.content.decode()
    poster = client.get(reverse("cycles:poster", args=[enrolment.pk, "iit"]))
    assert poster["Content-Type"] == "application/pdf"
    from io import BytesIO

    from pypdf import PdfReader

    text = "".join(p.extract_text() for p in PdfReader(BytesIO(poster.content)).pages)
    assert "ทดลองใช้" in text.replace(" ", "")


def test_nacc_resets_the_practice_round_keeping_its_codes(client, world, year):
    practice = practice_round.open_practice(world.nacc, cycle=year)
    _spoil(practice, world.agency)
    codes = dict(practice.enrolments.values_list("agency_id", "access_code"))
    client.login(username=world.nacc.email, password=PASSWORD)
    response = client.post(reverse("cycles:practice_reset", args=[practice.pk]), {"confirm": "yes"})
    assert response.status_code == 302
    fresh = practice_round.current_practice(year)
    assert fresh is not None and fresh.pk != practice.pk
    assert dict(fresh.enrolments.values_list("agency_id", "access_code")) == codes
    assert not fresh.enrolments.get(agency=world.agency).responses.exists()
    practice.refresh_from_db()
    assert practice.status == "closed"
    # The old round's code now opens the fresh one.
    cache.clear()
    assert client.get(f"/go/iit/{codes[world.agency.pk]}").status_code == 200


def test_only_nacc_opens_or_resets_and_only_once(client, world, year):
    client.login(username=world.coordinator.email, password=PASSWORD)
    assert client.post(reverse("cycles:practice_open", args=[year.pk])).status_code == 403
    assert not Cycle.objects.practice().exists()
    practice_round.open_practice(world.nacc, cycle=year)
    with pytest.raises(CycleError):
        practice_round.open_practice(world.nacc, cycle=year)
