"""Every PDF's text layer is its Thai text: what pdftotext extracts (in content order, -raw)
from the failing list, a scorecard and a QR poster holds each text of the page it was rendered
from, SARA AM and tone marks included (they used to come out as "ประจาปี", "ผำ่น", "นำ")."""

import re
import subprocess
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from itas.core import pdf
from tests.cycles.helpers import make_cycle
from tests.reports.test_views import login

pytestmark = pytest.mark.django_db

THAI_SAMPLE = "ประจำปี น้ำ ตำบล อำเภอ จำนวน ลำดับ ที่ไม่ผ่าน ผู้ใหญ่ ญี่ปุ่น ฐาน ก่ำ ฤๅษี"


class _Text(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.skip = 0
        self.texts: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.skip += tag in ("style", "script", "title")

    def handle_endtag(self, tag):
        self.skip -= tag in ("style", "script", "title")

    def handle_data(self, data):
        if not self.skip and data.strip():
            self.texts.append(data.strip())


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _pdf_text(data: bytes, tmp_path, *options: str) -> str:
    path = tmp_path / "doc.pdf"
    path.write_bytes(data)
    return subprocess.run(
        ["pdftotext", *options, "-enc", "UTF-8", str(path), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout


@pytest.fixture
def rendered(monkeypatch):
    """The HTML of every PDF rendered during the test, as WeasyPrint received it."""
    seen: list[str] = []
    original = pdf.html_to_pdf

    def keep(html, base_url=None):
        seen.append(html)
        return original(html, base_url)

    monkeypatch.setattr(pdf, "html_to_pdf", keep)
    return seen


def _assert_text_layer_is_the_text(data: bytes, html: str, tmp_path):
    parser = _Text()
    parser.feed(html)
    assert parser.texts, "the page has text"
    extracted = _squash(_pdf_text(data, tmp_path, "-raw"))
    missing = [t for t in parser.texts if _squash(t) not in extracted]
    assert not missing, missing[:5]


def test_sara_am_and_tone_marks_copy_as_written_in_both_weights(tmp_path):
    html = (
        f"<style>{pdf.font_faces()} body {{ font-family: {pdf.FONT_STACK} }}</style>"
        f"<p>{THAI_SAMPLE}</p><p><b>{THAI_SAMPLE}</b></p><p>{THAI_SAMPLE}</p>"
    )
    lines = _pdf_text(pdf.html_to_pdf(html), tmp_path, "-raw").split("\n")
    assert [line for line in lines if line.strip()] == [THAI_SAMPLE] * 3


def test_failing_list_pdf_text_is_its_text(client, results, rendered, tmp_path):
    r = client.get("/results/2567/exports/agencies.pdf?province=38&passed=0&digits=thai")
    assert r.status_code == 200
    _assert_text_layer_is_the_text(r.content, rendered[-1], tmp_path)
    text = _pdf_text(r.content, tmp_path, "-raw")
    assert "ประจำปี" in text or "ปีงบประมาณ" in text
    assert "อำเภอ" in text and "ประจาปี" not in text and "อาเภอ" not in text


def test_scorecard_pdf_text_is_its_text(client, results, world, rendered, tmp_path):
    login(client, world.agency_admin)
    r = client.get(f"/results/2567/agency/{world.agency.code}/pdf/")
    assert r.status_code == 200
    _assert_text_layer_is_the_text(r.content, rendered[-1], tmp_path)


def test_qr_poster_text_is_its_text(client, world, rendered, tmp_path):
    cycle = make_cycle(world.nacc)
    enrolment = cycle.enrolments.get(agency=world.agency)
    client.force_login(world.agency_admin)
    r = client.get(reverse("cycles:poster", args=[enrolment.pk, "eit"]))
    assert r.status_code == 200
    _assert_text_layer_is_the_text(r.content, rendered[-1], tmp_path)
