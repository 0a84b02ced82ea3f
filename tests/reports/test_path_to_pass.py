"""The path to pass on the scorecard page and its PDF, and the what-if computed on the server.

Two agencies of Bueng Kan with hand-worked figures (shipped FY2564 framework): A has IIT and
EIT at 80 (48 points) and misses O42, O43 and the four items of 9.4 (74.00): O42, O43 and O25
make 85.00. B has IIT and EIT at 60 (36 points): every OIT item gives 76.00, no OIT set passes."""

import re

import pytest
from pypdf import PdfReader

from itas.scoring.models import ResultStatus
from tests.factories import AgencyFactory
from tests.reports.factories import CycleFactory, add_result, make_result_set, review_ended

ITEMS = [f"O{i}" for i in range(1, 44)]
SURVEY = [str(i) for i in range(1, 9)]


def inputs(level, unmet):
    indicators = {c: float(level) for c in SURVEY}
    return indicators, {c: (0.0 if c in unmet else 100.0) for c in ITEMS}


@pytest.fixture
def two(world):
    cycle = CycleFactory(fiscal_year=2567)
    review_ended(cycle)  # the agency sees its preliminary numbers (disclosure.visibility)
    pub = make_result_set(cycle, status=ResultStatus.PUBLISHED)
    prelim = make_result_set(cycle)
    a = world.agency
    b = AgencyFactory(name="ทดสอบไม่พอ", province=world.province, kind=a.kind)
    peer = AgencyFactory(name="ทดสอบเพื่อน", province=world.province, kind=a.kind)
    for rs in (pub, prelim):
        ind, items = inputs(80, {"O42", "O43", "O25", "O26", "O27", "O28"})
        add_result(rs, a, 74.0, indicators=ind, questions=items)
        ind, items = inputs(60, {"O1", "O30"})
        ind["3"] = 40.0  # furthest below its peers
        add_result(rs, b, 71.76, indicators=ind, questions=items)
        ind, items = inputs(75, set())
        add_result(rs, peer, 85.0, indicators=ind, questions=items)
    return type("T", (), {"a": a, "b": b, "cycle": cycle, "pub": pub, "prelim": prelim})


def text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def test_scorecard_names_the_fewest_items_to_pass(client, two):
    page = text(client.get(f"/results/2567/agency/{two.a.code}/"))
    section = page[page.index("เส้นทางสู่การผ่านเกณฑ์") :]
    assert "เผยแพร่ข้อ OIT ต่อไปนี้ให้ผ่านการตรวจ 3 ข้อ คะแนนรวมจะเป็น 85.00" in section
    listed = re.findall(r"\b(O\d+)\b", section[: section.index("เพื่อให้ได้ระดับ AA")])
    assert listed == ["O42", "O43", "O25"]
    # AA: all items give 88.00; 7 points from IIT/EIT, 11.67 on every indicator.
    assert "แม้ผ่านทุกข้อ คะแนนรวมจะเป็น 88.00" in section and "11.67" in section


def test_scorecard_says_when_no_oit_set_is_enough(client, two):
    page = text(client.get(f"/results/2567/agency/{two.b.code}/"))
    section = page[page.index("เส้นทางสู่การผ่านเกณฑ์") :]
    assert "ไม่มีชุดข้อ OIT ใดเพียงพอ" in section
    # 60 × 0.6 = 36, indicator 3 at 40 takes 1.2 more: 34.8 + 40 = 74.80 with every item.
    assert "แม้ผ่านทุกข้อ คะแนนรวมจะเป็น 74.80" in section
    below = section[section.index("ต่ำกว่าหน่วยงานประเภทเดียวกัน") :]
    first = re.search(r"(\d+)\. ", below).group(1)
    assert first == "3"


def test_what_if_is_computed_by_the_server(client, two):
    url = f"/results/2567/agency/{two.a.code}/what-if/"
    r = client.get(url, {"item": ["O42", "O43"]}, HTTP_HX_REQUEST="true")
    assert r.status_code == 200
    body = text(r)
    assert "84.00" in body and "ไม่ผ่าน" in body
    assert "<html" not in r.content.decode()  # the fragment only
    r = client.get(url, {"item": ["O42", "O43", "O27"]}, HTTP_HX_REQUEST="true")
    assert "85.00" in text(r) and "ผ่าน" in text(r)
    # Without JavaScript: the whole scorecard, the ticks kept.
    r = client.get(url, {"item": ["O42"]})
    assert 'value="O42" id="wi-O42" checked' in r.content.decode()
    assert "79.00" in text(r)


@pytest.mark.parametrize("item", ["O99", "O1", "<script>"])
def test_what_if_refuses_items_that_cannot_be_added(client, two, item):
    # O1 is met already; O99 does not exist.
    r = client.get(f"/results/2567/agency/{two.a.code}/what-if/", {"item": item})
    assert r.status_code == 400
    assert "ไม่ใช่ข้อ OIT ที่หน่วยงานนี้ยังเพิ่มได้" in r.content.decode()


def test_preliminary_path_only_for_those_who_see_preliminary(client, two, world):
    url = f"/results/2567/agency/{two.a.code}/?preliminary=1"
    client.force_login(world.officer)
    page = text(client.get(url))
    assert "คำนวณจากผลเบื้องต้น" in page
    client.force_login(world.outsider)
    assert "คำนวณจากผลเบื้องต้น" not in text(client.get(url))
    r = client.get(f"/results/2567/agency/{two.a.code}/what-if/?preliminary=1&item=O42")
    assert "คำนวณจากผลเบื้องต้น" not in text(r)


def test_pdf_carries_the_path(client, two):
    import io

    r = client.get(f"/results/2567/agency/{two.b.code}/pdf/")
    assert r["Content-Type"] == "application/pdf"
    pdf = "".join(p.extract_text() for p in PdfReader(io.BytesIO(r.content)).pages)
    flat = re.sub(r"\s+", "", pdf)
    assert "74.80" in flat
    assert "O30" in flat and "O1" in flat
