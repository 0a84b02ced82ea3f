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


def _score_practice(client, world, practice, capture):
    """NACC computes the practice round from its page (the year's background computation)."""
    client.force_login(world.nacc)
    with capture(execute=True):
        response = client.post(reverse("reports:practice_compute", args=[practice.pk]))
    assert response.status_code == 302
    rs = ResultSet.objects.get(cycle=practice)
    assert rs.status == "preliminary"
    return rs


def test_practice_scores_are_computed_and_shown_only_inside_the_practice_round(
    client, world, year, django_capture_on_commit_callbacks
):
    from io import BytesIO

    from pypdf import PdfReader

    from itas.improvement.models import EarlyWarning
    from itas.improvement.services import refresh_warnings
    from itas.reports.errors import ReportsError

    practice = practice_round.open_practice(world.nacc, cycle=year)
    _spoil(practice, world.agency)
    call_command("compute_scores", "--cycle", "2570")
    publish_results(actor=world.nacc, cycle=year)

    # Scored on request, by name only: the year's entry point still refuses it.
    with pytest.raises(ScoringError):
        compute_scores(cycle=practice)
    with pytest.raises(ScoringError):
        compute_scores(cycle=year, practice=True)
    rs = _score_practice(client, world, practice, django_capture_on_commit_callbacks)
    mine = AgencyResult.objects.get(result_set=rs, enrolment__agency=world.agency)
    assert (mine.iit, mine.eit, mine.oit, mine.passed) == (0, 0, 0, False)
    assert mine.iit_respondents == 3
    with pytest.raises(ReportsError):
        publish_results(actor=world.nacc, cycle=practice)

    # The agency's people see it, marked ทดลองใช้, on the page, the home page and the PDF.
    client.force_login(world.agency_admin)
    url = reverse("reports:practice_scorecard", args=[practice.pk, world.agency.code])
    page = client.get(url)
    text = page.content.decode()
    assert page.status_code == 200 and page.context["card"].result == mine
    assert "practice-banner" in text and 'id="practice-score-note"' in text
    assert "ทดลองใช้" in text and reverse("reports:dashboard", args=[2570]) not in text
    assert url in client.get("/").content.decode()
    pdf = client.get(
        reverse("reports:practice_scorecard_pdf", args=[practice.pk, world.agency.code])
    )
    pages = PdfReader(BytesIO(pdf.content)).pages
    assert pages and all("ทดลองใช้" in p.extract_text().replace(" ", "") for p in pages)
    # Nobody outside the agency's scope does.
    client.force_login(world.outsider)
    assert client.get(url).status_code == 403

    # None of it anywhere else. The real scorecard and the year's figures: 100, not 0.
    client.force_login(world.nacc)
    card = client.get(reverse("reports:scorecard", args=[2570, world.agency.code]))
    assert (
        card.context["card"].result.total == 100 and "practice-banner" not in card.content.decode()
    )
    for fy_page in ("reports:dashboard", "reports:agencies"):
        for query in ({}, {"preliminary": "1"}):
            response = client.get(reverse(fy_page, args=[2570]), query)
            assert response.status_code == 200
            assert response.context["cycle"] == year
            assert "ทดลองใช้" not in response.content.decode()
    index = client.get(reverse("reports:index")).content.decode()
    assert reverse("reports:practice", args=[practice.pk]) not in index
    export = client.get(reverse("reports:agencies", args=[2570]), {"format": "csv"})
    body = (b"".join(export.streaming_content) if export.streaming else export.content).decode(
        "utf-8-sig"
    )
    assert "100" in body and "ทดลองใช้" not in body
    # The API and the open data: the real year only, one result row, 100.
    client.logout()
    listed = client.get("/api/v1/cycles/").json()
    listed = listed["results"] if isinstance(listed, dict) else listed
    assert [c["fiscal_year"] for c in listed] == [2570]
    rows = client.get("/api/v1/cycles/2570/results/").json()
    rows = rows["results"] if isinstance(rows, dict) else rows
    assert [(float(r["iit"]), float(r["total"])) for r in rows] == [(100.0, 100.0)]
    for path in ("download.csv", "results.csv", "datapackage.json"):
        response = client.get(f"/api/v1/cycles/2570/{path}")
        assert response.status_code == 200
        data = (
            b"".join(response.streaming_content) if response.streaming else response.content
        ).decode("utf-8-sig")
        assert "ทดลองใช้" not in data
    # Early warning reads the real cycle, never the practice one.
    refresh_warnings(actor=None, cycle=year)
    assert EarlyWarning.objects.filter(cycle=year).exists()
    assert not EarlyWarning.objects.filter(cycle=practice).exists()
    # Reminders: still only the real cycle's phases.
    due = list(due_reminders(timezone.localdate(), [0]))
    assert due and all(phase.cycle_id == year.pk for phase, _days in due)
    # In the database: the practice set is the only other set, preliminary, of the practice round.
    assert set(ResultSet.objects.values_list("cycle_id", "status")) == {
        (year.pk, "preliminary"),
        (year.pk, "published"),
        (practice.pk, "preliminary"),
    }


def test_reset_with_practice_scores_puts_them_away(
    client, world, year, django_capture_on_commit_callbacks
):
    practice = practice_round.open_practice(world.nacc, cycle=year)
    _spoil(practice, world.agency)
    _score_practice(client, world, practice, django_capture_on_commit_callbacks)
    old_url = reverse("reports:practice_scorecard", args=[practice.pk, world.agency.code])
    response = client.post(reverse("cycles:practice_reset", args=[practice.pk]), {"confirm": "yes"})
    assert response.status_code == 302
    fresh = practice_round.current_practice(year)
    assert fresh is not None and fresh.pk != practice.pk
    # The old round's scores stay in the database (nothing is deleted) but out of sight.
    assert ResultSet.objects.filter(cycle=practice).exists()
    client.force_login(world.agency_admin)
    assert client.get(old_url).status_code == 404
    assert old_url not in client.get("/").content.decode()
    page = client.get(reverse("reports:practice", args=[fresh.pk]))
    assert 'id="practice-not-scored"' in page.content.decode()
    # The fresh round is scored afresh.
    _score_practice(client, world, fresh, django_capture_on_commit_callbacks)
    assert AgencyResult.objects.filter(result_set__cycle=fresh).count() == 1


def test_credibility_compares_with_last_years_real_answers_not_its_practice_round(world, year):
    """The signal "far from the agency's own past" reads the previous real cycle; last year's
    practice round (answers of 0) shares its fiscal year but is not its past."""
    from itas.surveys.credibility.services import _past_means

    last = make_cycle(fiscal_year=2569)
    today = timezone.localdate()
    Phase.objects.create(
        cycle=last, kind=PhaseKind.SURVEY, starts_on=today - dt.timedelta(days=3), ends_on=today
    )
    from itas.cycles.models import Enrolment
    from itas.surveys.models import Response

    enrolment = Enrolment.objects.create(cycle=last, agency=world.agency, access_code="PAST69")
    respond(enrolment, "iit", all_questions(last, "IIT", 100))
    Response.objects.filter(enrolment__cycle=last).update(mean_score=100)
    # Two practice rounds of 2569 (one reset), whichever of the 2569 cycles a query meets first.
    practice = practice_round.open_practice(world.nacc, cycle=last)
    for _ in range(2):
        _spoil(practice, world.agency)
        Response.objects.filter(enrolment__cycle=practice).update(mean_score=0)
        practice = practice_round.reset_practice(world.nacc, practice=practice)
    past = _past_means(year)
    assert set(past) == {"iit"}
    assert past["iit"][world.agency.pk] == pytest.approx(100)
