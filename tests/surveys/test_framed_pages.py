"""The blank questionnaire and the thank-you page are rendered once per cycle and framework
version with markers where the per-respondent values go (surveys/public.py, `_framed`): the
filled-in page must be the page the template gives for the same values, to the byte, and a
change to anything else the page shows must show."""

import datetime as dt

import pytest
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

from itas.cycles.models import Phase, PhaseKind
from itas.surveys import anon, lookup, public

pytestmark = pytest.mark.django_db

ODD_NAME = "ท่า <b>\"สะอาด\"</b> & 'co'"


def _page(enrolment, instrument: str, *, framed: bool, monkeypatch) -> str:
    monkeypatch.setattr(public, "FRAMED", framed)
    request = RequestFactory().get(f"/go/{instrument}/{enrolment.access_code}")
    fresh = lookup.open_enrolment(enrolment.access_code)  # as the view finds it
    with translation.override("th"):
        response = public.render_questionnaire(
            request,
            fresh,
            instrument,
            submission_id="0b0a5f3e-8c1e-4c57-9a51-1d2b8e5c7a10",
            started=anon.start_token(enrolment.access_code),
        )
    return response.content.decode()


def _pair(enrolment, instrument, monkeypatch) -> tuple[str, str]:
    """(framed, whole) pages for the same values; the start token is read back from the first,
    so both carry the same one."""
    framed = _page(enrolment, instrument, framed=True, monkeypatch=monkeypatch)
    token = framed.split('name="started" value="', 1)[1].split('"', 1)[0]
    monkeypatch.setattr(anon, "start_token", lambda code="": token)
    framed = _page(enrolment, instrument, framed=True, monkeypatch=monkeypatch)
    whole = _page(enrolment, instrument, framed=False, monkeypatch=monkeypatch)
    return framed, whole


@pytest.mark.parametrize("instrument", ["iit", "eit"])
def test_the_framed_form_is_the_whole_form_to_the_byte(enrolment, instrument, monkeypatch):
    enrolment.agency.name = ODD_NAME
    enrolment.agency.save(update_fields=["name"])
    framed, whole = _pair(enrolment, instrument, monkeypatch)
    assert framed == whole
    assert "&lt;b&gt;&quot;สะอาด&quot;&lt;/b&gt; &amp; &#x27;co&#x27;" in framed
    assert "<b>" not in framed


def test_what_the_frame_holds_follows_the_cycle(enrolment, monkeypatch):
    before, _ = _pair(enrolment, "eit", monkeypatch)
    # per respondent: the agency's name (a marker) changes without a new frame
    enrolment.agency.name = "ชื่อใหม่"
    enrolment.agency.save(update_fields=["name"])
    # per cycle: its name and its closing day are in the frame's key
    cycle = enrolment.cycle
    cycle.name = "รอบทดลองชื่อใหม่"
    cycle.save(update_fields=["name"])
    survey = Phase.objects.get(cycle=cycle, kind=PhaseKind.SURVEY)
    survey.ends_on = survey.ends_on + dt.timedelta(days=1)
    survey.save(update_fields=["ends_on"])
    framed, whole = _pair(enrolment, "eit", monkeypatch)
    assert framed == whole != before
    assert "ชื่อใหม่" in framed and "รอบทดลองชื่อใหม่" in framed


def test_the_thank_you_page_names_its_agency_escaped(client, enrolment):
    enrolment.agency.name = ODD_NAME
    enrolment.agency.save(update_fields=["name"])
    pages = [
        client.get(reverse("surveys:thanks", args=[instrument, enrolment.access_code]))
        for instrument in ("eit", "iit", "eit")
    ]
    assert [p.status_code for p in pages] == [200, 200, 200]
    html = pages[0].content.decode()
    assert "&lt;b&gt;&quot;สะอาด&quot;&lt;/b&gt; &amp; &#x27;co&#x27;" in html
    key = f"itas:{enrolment.cycle_id}:iit:{enrolment.access_code}"
    assert f'data-clear-storage="{key}"' in pages[1].content.decode()
    assert pages[2].content == pages[0].content
    assert "\x1e" not in html
