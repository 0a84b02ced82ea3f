"""Every date a person types: a Buddhist-era year where the browser expects the Christian era is
understood, a year outside 2000–2100 CE is refused with a Thai message, and nothing reaches the
database to fail there (year 1 gave an OverflowError 500 on SQLite and 1 BC on PostgreSQL)."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from itas.core.datefields import SensibleDateField, SensibleDateTimeField
from itas.cycles.models import Cycle
from itas.events.models import Event
from tests.events.test_organise import FORM
from tests.factories import PASSWORD

THAI_RANGE = "กรุณากรอกวันที่ระหว่างปี พ.ศ. 2543 ถึง 2643"


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("2026-03-05", dt.date(2026, 3, 5)),
        ("2569-03-05", dt.date(2026, 3, 5)),  # BE typed in the date box
        ("05/03/2569", dt.date(2026, 3, 5)),  # BE typed the Thai way
        ("2567-02-29", dt.date(2024, 2, 29)),  # 2567 BE is a leap year (2024 CE)
    ],
)
def test_a_typed_date_is_read_in_the_christian_era(typed, expected):
    assert SensibleDateField().clean(typed) == expected


@pytest.mark.parametrize(
    "typed", ["0001-01-01", "1999-12-31", "2101-01-01", "9999-12-31", "2700-01-01"]
)
def test_a_date_outside_the_range_is_refused_in_thai(typed, settings):
    from django.core.exceptions import ValidationError
    from django.utils import translation

    with translation.override("th"), pytest.raises(ValidationError) as exc:
        SensibleDateTimeField().clean(typed + "T09:00")
    assert THAI_RANGE in " ".join(exc.value.messages)


def test_the_date_box_carries_the_range_for_the_browser():
    html = str(SensibleDateField().widget.render("d", None))
    assert 'min="2000-01-01"' in html and 'max="2100-12-31"' in html


@pytest.mark.django_db
@pytest.mark.parametrize("field", ["starts_at", "ends_at", "registration_deadline"])
@pytest.mark.parametrize("year", ["0001", "9999"])
def test_an_event_with_an_impossible_year_is_refused_not_a_500(client, world, field, year):
    client.login(username=world.nacc.email, password=PASSWORD)
    value = FORM[field].replace("2031", year)
    response = client.post(reverse("events:create"), {**FORM, field: value})
    assert response.status_code == 400
    assert THAI_RANGE in response.content.decode()
    assert Event.objects.count() == 0


@pytest.mark.django_db
def test_an_event_typed_in_the_buddhist_era_is_stored_in_its_real_year(client, world):
    client.login(username=world.nacc.email, password=PASSWORD)
    be = {k: FORM[k].replace("2031", "2574") for k in ("starts_at", "ends_at")}
    response = client.post(reverse("events:create"), {**FORM, **be})
    assert response.status_code == 302
    event = Event.objects.get()
    assert timezone.localtime(event.starts_at).date() == dt.date(2031, 9, 26)
    assert timezone.localtime(event.registration_deadline).year == 2031


@pytest.mark.django_db
def test_cycle_phase_dates_take_the_same_rules(client, world):
    from itas.frameworks.models import Framework

    fw = Framework.objects.create(code="fw-d", fiscal_year=2570, name="x", document={})
    client.login(username=world.nacc.email, password=PASSWORD)
    data = {"fiscal_year": 2570, "framework": fw.pk, "name": ""}
    bad = client.post(
        reverse("cycles:new"), {**data, "survey_start": "0001-01-01", "survey_end": "2027-05-31"}
    )
    assert bad.status_code == 400 and THAI_RANGE in bad.content.decode()
    assert not Cycle.objects.filter(fiscal_year=2570).exists()
    ok = client.post(
        reverse("cycles:new"), {**data, "survey_start": "2570-04-01", "survey_end": "2570-05-31"}
    )
    assert ok.status_code == 302
    phase = Cycle.objects.get(fiscal_year=2570).phase("survey")
    assert (phase.starts_on, phase.ends_on) == (dt.date(2027, 4, 1), dt.date(2027, 5, 31))
