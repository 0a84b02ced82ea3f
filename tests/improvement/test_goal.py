"""The road to the national goal: share at 85+, the gap to 80 %, and the agencies that close it
with the fewest OIT items (hand-worked with the shipped FY2564 framework)."""

import csv
import io

import pytest

from itas.scoring.models import ResultStatus
from tests.factories import AgencyFactory
from tests.reports.factories import CycleFactory, add_result, make_result_set

ITEMS = [f"O{i}" for i in range(1, 44)]
SURVEY = [str(i) for i in range(1, 9)]


def add(rs, agency, level, unmet, total):
    ind = {c: float(level) for c in SURVEY}
    items = {c: (0.0 if c in unmet else 100.0) for c in ITEMS}
    return add_result(rs, agency, total, indicators=ind, questions=items)


@pytest.fixture
def year(world):
    """Ten agencies: 6 pass; of the 4 that fail, one needs 1 item (O42), one needs 3, one needs
    2, and one cannot pass by OIT. 80 % of 10 = 8: two more must pass, the two cheapest."""
    cycle = CycleFactory(fiscal_year=2567)
    rs = make_result_set(cycle, status=ResultStatus.PUBLISHED)
    agencies = [world.agency] + [
        AgencyFactory(name=f"ทดสอบเป้าหมาย{i}", province=world.province) for i in range(9)
    ]
    for a in agencies[:6]:
        add(rs, a, 90, set(), 94.0)
    # 48 + 40 - 5 = 83: O42 brings it to 88 (1 item)
    one = add(rs, agencies[6], 80, {"O42"}, 83.0)
    # 48 + 40 - 5 - 5 - 1 - 1 - 1 = 75: O42, O43, O25 (3 items) reach 86
    three = add(rs, agencies[7], 80, {"O42", "O43", "O25", "O26", "O27"}, 75.0)
    # 48 + 40 - 5 - 5 - 1.25 = 76.75: O42 gives 81.75, O42 + O43 86.75 (2 items)
    two = add(rs, agencies[8], 80, {"O42", "O43", "O34"}, 76.75)
    # 60 → 36 + 40 = 76 at best: no OIT set
    add(rs, agencies[9], 60, {"O1"}, 75.56)
    return type("Y", (), {"rs": rs, "one": one, "two": two, "three": three})


def test_goal_page_names_the_cheapest_agencies(client, world, year):
    client.force_login(world.nacc)
    r = client.get("/improve/2567/goal/")
    assert r.status_code == 200
    road = r.context["road"]
    assert (road.assessed, road.passed, road.share) == (10, 6, 60.0)
    assert road.gap == 20.0 and road.needed == 2
    assert (road.by_oit, road.not_by_oit) == (3, 1)
    assert [c.items for c in road.chosen] == [("O42",), ("O42", "O43")]
    assert road.items_needed == 3
    assert road.provinces == [{"code": "38", "name": "บึงกาฬ", "agencies": 2, "items": 3}]
    assert "60.00 %" in r.content.decode()


def test_goal_csv_is_the_outreach_list(client, world, year):
    client.force_login(world.nacc)
    r = client.get("/improve/2567/goal.csv")
    raw = b"".join(r.streaming_content)
    assert raw.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0][0] == "ลำดับ"
    assert [row[6] for row in rows[1:]] == ["1", "2"]
    assert rows[2][7] == "O42 O43"


def test_a_higher_goal_asks_for_more_agencies(client, world, year):
    client.force_login(world.nacc)
    road = client.get("/improve/2567/goal/?goal=100").context["road"]
    assert road.needed == 4 and len(road.chosen) == 3 and not road.reachable
    assert (
        "ข้อ OIT อย่างเดียวปิดช่องว่างไม่ได้" in client.get("/improve/2567/goal/?goal=100").content.decode()
    )


@pytest.mark.parametrize(
    "url,status,message",
    [
        ("/improve/2567/goal/?goal=abc", 400, "เป้าหมายต้องเป็นร้อยละ"),
        ("/improve/2567/goal/?goal=150", 400, "เป้าหมายต้องเป็นร้อยละ"),
        ("/improve/2599/goal/", 404, "ไม่มีรอบการประเมินของปีงบประมาณ 2599"),
    ],
)
def test_bad_input_gets_a_thai_message(client, world, year, url, status, message):
    client.force_login(world.nacc)
    r = client.get(url)
    assert r.status_code == status
    assert message in r.content.decode()


@pytest.mark.parametrize("persona", ["coordinator", "agency_admin", "outsider"])
def test_goal_is_for_nacc(client, world, year, persona):
    client.force_login(getattr(world, persona))
    assert client.get("/improve/2567/goal/").status_code == 403


def test_projected_from_preliminary_results_before_publication(client, world):
    cycle = CycleFactory(fiscal_year=2568)
    rs = make_result_set(cycle)
    add(rs, world.agency, 80, {"O42"}, 83.0)
    client.force_login(world.nacc)
    r = client.get("/improve/2568/goal/")
    assert r.context["projected"] is True
    assert "ประมาณการ" in r.content.decode()
    assert [c.items for c in r.context["road"].chosen] == [("O42",)]
