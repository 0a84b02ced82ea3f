"""What a target group needs to learn, from the published results of its members."""

import pytest

from itas.events.models import TargetGroup, TargetMember, TargetSource
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
def group(world):
    cycle = CycleFactory(fiscal_year=2567)
    rs = make_result_set(cycle, status=ResultStatus.PUBLISHED)
    prelim = make_result_set(cycle)
    a, b = world.agency, AgencyFactory(name="ทดสอบกลุ่ม", province=world.province)
    outside = AgencyFactory(name="ทดสอบนอกกลุ่ม", province=world.province)
    add(rs, a, 80, {"O42", "O1"}, 82.56)
    add(rs, b, 70, {"O42", "O43", "O1", "O2"}, 71.11)
    add(rs, outside, 50, set(ITEMS), 30.0)  # not a member: counts for nothing
    add(prelim, a, 10, set(ITEMS), 6.0)  # preliminary: never read here
    g = TargetGroup.objects.create(
        name="บึงกาฬไม่ผ่าน", source=TargetSource.LIST, created_by=world.nacc
    )
    for agency in (a, b):
        TargetMember.objects.create(group=g, agency=agency)
    return g


def test_items_ranked_by_points_lost(client, world, group):
    client.force_login(world.nacc)
    r = client.get(f"/events/target-groups/{group.pk}/needs/")
    assert r.status_code == 200
    needs = r.context["needs"]
    assert (needs.members, needs.failed) == (2, 2)
    ranked = [(n.code, n.agencies, round(n.points, 2)) for n in needs.items]
    # O42 twice (10 points), O43 once (5), O1 twice (2 × 4/9), O2 once (4/9)
    assert ranked == [("O42", 2, 10.0), ("O43", 1, 5.0), ("O1", 2, 0.89), ("O2", 1, 0.44)]
    # EIT indicators (10 points each) lose 2 + 3 points; IIT ones (6) 1.2 + 1.8
    assert [n.code for n in needs.indicators[:3]] == ["6", "7", "8"]
    assert round(needs.indicators[0].points, 2) == 5.0
    page = r.content.decode()
    assert "มาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน" in page
    assert page.index("O42") < page.index("O43")


def test_unknown_year_is_a_clear_404(client, world, group):
    client.force_login(world.nacc)
    r = client.get(f"/events/target-groups/{group.pk}/needs/?fy=2599")
    assert r.status_code == 404
    assert "2599" in r.content.decode()


def test_only_for_those_who_see_the_group(client, world, group):
    client.force_login(world.outsider)
    assert client.get(f"/events/target-groups/{group.pk}/needs/").status_code == 403


def test_one_page_pdf_for_the_agenda(client, world, group):
    import io
    import re

    from pypdf import PdfReader

    client.force_login(world.nacc)
    r = client.get(f"/events/target-groups/{group.pk}/needs.pdf")
    assert r["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(r.content))
    assert len(reader.pages) == 1
    text = re.sub(r"\s+", "", reader.pages[0].extract_text())
    assert "O42" in text and "10.00" in text
    client.force_login(world.outsider)
    assert client.get(f"/events/target-groups/{group.pk}/needs.pdf").status_code == 403
