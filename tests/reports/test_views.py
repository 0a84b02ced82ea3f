import pytest

from itas.scoring.models import ResultStatus
from tests.factories import PASSWORD
from tests.reports.factories import CycleFactory, add_result, make_result_set, review_ended


def login(client, user):
    assert client.login(username=user.email, password=PASSWORD)


def test_national_dashboard_shows_published_numbers(client, results):
    r = client.get("/results/2567/")
    assert r.status_code == 200
    body = r.content.decode()
    data = r.context["data"]["summary"]
    assert data["assessed"] == 6
    assert data["passed"] == 3  # 91, 96, 86.5
    assert data["pass_rate"] == 50.0
    assert 'id="chart-grades"' in body and 'id="table-grades"' in body
    assert "echarts.min.js" in body
    # year over year against FY2566's published set (two agencies, 1 passed)
    assert r.context["yoy"]["pass_rate"] == 0.0
    assert r.context["rs"] == results.pub


def test_histogram_and_grades_count_every_assessed_agency(client, results):
    data = client.get("/results/2567/").context["data"]
    assert sum(b["count"] for b in data["histogram"]) == 6
    assert sum(g["count"] for g in data["grades"]) == 6
    grades = {g["grade"]: g["count"] for g in data["grades"]}
    assert grades["AA"] == 1 and grades["A"] == 2 and grades["C"] == 1 and grades["F"] == 1


def test_province_and_district_dashboards(client, results, world):
    r = client.get("/results/2567/province/38/")
    assert r.status_code == 200
    assert r.context["data"]["summary"]["assessed"] == 5
    places = {p["code"]: p["assessed"] for p in r.context["data"]["by_place"]}
    assert places == {"3801": 1, "3802": 4}
    r = client.get("/results/2567/district/3802/")
    assert r.context["data"]["summary"]["assessed"] == 4


def test_group_dashboard(client, results, world):
    r = client.get(f"/results/2567/group/{world.group_a.pk}/")
    assert r.status_code == 200
    assert r.context["data"]["summary"]["assessed"] == 5
    r = client.get(f"/results/2567/group/{world.group_b.pk}/")
    assert r.context["data"]["summary"]["assessed"] == 1


@pytest.mark.parametrize(
    "url,status",
    [
        ("/results/2599/", 404),
        ("/results/2567/province/99/", 404),
        ("/results/2567/district/9999/", 404),
        ("/results/2567/group/99999/", 404),
        ("/results/2567/group/abc/", 404),
        ("/results/2567/?kind=spaceship", 400),
        ("/results/2567/?version=abc", 400),
        ("/results/2567/?version=77", 404),
        ("/results/2567/agency/0000000/", 404),
        ("/results/2599/agency/5380101/", 404),
        ("/results/2567/province/?province=zz", 400),
    ],
)
def test_bad_input_is_a_clear_4xx(client, results, url, status):
    r = client.get(url)
    assert r.status_code == status
    assert "<html" in r.content.decode()


def test_unpublished_cycle_is_hidden_from_the_public(client, world):
    cycle = CycleFactory(fiscal_year=2568)
    rs = make_result_set(cycle)
    add_result(rs, world.agency, 77.0)
    r = client.get("/results/2568/")
    assert r.status_code == 404
    assert "ยังไม่ได้ประกาศ" in r.content.decode() or "not published" in r.content.decode()
    assert client.get(f"/results/2568/agency/{world.agency.code}/").status_code == 404
    assert client.get("/results/2568/agencies/").status_code == 404
    assert client.get("/results/2568/exports/agencies.csv").status_code == 404


@pytest.mark.parametrize(
    "persona,allowed",
    [
        ("agency_admin", True),
        ("executive", True),
        ("officer", True),
        ("coordinator", True),
        ("district_officer", True),
        ("assessor", True),
        ("nacc", True),
        ("other_assessor", False),
        ("outsider", False),
        ("nobody", False),
    ],
)
def test_preliminary_scorecard_only_for_the_agency_and_its_supervisors(
    client, world, persona, allowed
):
    cycle = CycleFactory(fiscal_year=2568)
    review_ended(cycle)  # before that the agency waits (test_agency_sees)
    rs = make_result_set(cycle)
    add_result(rs, world.agency, 77.0)
    login(client, getattr(world, persona))
    r = client.get(f"/results/2568/agency/{world.agency.code}/")
    assert r.status_code == (200 if allowed else 404)
    if allowed:
        body = r.content.decode()
        assert "77.00" in body
        assert "prelim-banner" in body


@pytest.mark.parametrize(
    "persona,url,allowed",
    [
        ("coordinator", "/results/2568/province/38/", True),
        ("coordinator", "/results/2568/province/50/", False),
        ("coordinator", "/results/2568/", False),
        ("district_officer", "/results/2568/district/3801/", True),
        ("district_officer", "/results/2568/district/3802/", False),
        ("assessor", "/results/2568/province/43/", True),
        ("assessor", "/results/2568/province/50/", False),
        ("nacc", "/results/2568/", True),
        ("agency_admin", "/results/2568/province/38/", False),
    ],
)
def test_preliminary_dashboards_follow_scope(client, world, persona, url, allowed):
    cycle = CycleFactory(fiscal_year=2568)
    rs = make_result_set(cycle)
    add_result(rs, world.agency, 77.0)
    add_result(rs, world.other_agency, 90.0)
    login(client, getattr(world, persona))
    r = client.get(url)
    assert r.status_code == (200 if allowed else 404)
    if allowed:
        assert "prelim-banner" in r.content.decode()


def test_assessor_group_preliminary_only_for_its_assessors(client, world):
    cycle = CycleFactory(fiscal_year=2568)
    add_result(make_result_set(cycle), world.agency, 77.0)
    login(client, world.assessor)
    assert client.get(f"/results/2568/group/{world.group_a.pk}/").status_code == 200
    assert client.get(f"/results/2568/group/{world.group_b.pk}/").status_code == 404


def test_published_scorecard_is_public_with_what_to_do(client, results, world):
    r = client.get(f"/results/2567/agency/{world.agency.code}/")
    assert r.status_code == 200
    card = r.context["card"]
    body = r.content.decode()
    assert card.result.total == 72.5 and not card.preliminary
    assert [i["code"] for i in card.failed_items] == ["O1", "O36"]
    assert "เผยแพร่โครงสร้างองค์กรบนหน้าแรกของเว็บไซต์" in body
    assert [q["code"] for q in card.weakest] == ["I4", "E3", "I9"]
    assert card.previous.total == 88.0 and card.total_change == -15.5
    assert card.rank_province == (4, 5)  # 96, 86.5, 80 are better in Bueng Kan
    assert len(card.indicators) == 10
    assert card.indicators[0].name == "การปฏิบัติหน้าที่"
    spec = results.cycle.framework.spec
    o1 = next(i for i in spec.oit_items if i.code == "O1")
    assert o1.title and card.failed_items[0]["text"] == o1.title
    assert card.weakest[0]["text"] == next(q for q in spec.questions if q.code == "I4").text
    assert card.tools[0].name == spec.tools[0].name
    assert "prelim-banner" not in body


def test_supervisor_may_ask_for_the_preliminary_set(client, results, world):
    login(client, world.coordinator)
    r = client.get(f"/results/2567/agency/{world.agency.code}/?preliminary=1")
    assert r.context["card"].result.total == 60.0
    assert r.context["card"].preliminary
    client.logout()
    r = client.get(f"/results/2567/agency/{world.agency.code}/?preliminary=1")
    assert r.context["card"].result.total == 72.5  # the public gets the published set


def test_scorecard_pdf_is_a_pdf(client, results, world):
    r = client.get(f"/results/2567/agency/{world.agency.code}/pdf/")
    assert r.status_code == 200
    assert r["Content-Type"] == "application/pdf"
    assert r.content.startswith(b"%PDF")


def test_superseded_version_stays_readable(client, results, world):
    results.pub.status = ResultStatus.SUPERSEDED
    results.pub.save()
    newer = make_result_set(results.cycle, status=ResultStatus.PUBLISHED)
    add_result(newer, world.agency, 74.0)
    r = client.get(f"/results/2567/agency/{world.agency.code}/")
    assert r.context["card"].result.total == 74.0
    r = client.get(f"/results/2567/agency/{world.agency.code}/?version={results.pub.version}")
    assert r.context["card"].result.total == 72.5
    assert "superseded" in r.content.decode() or "แทนที่" in r.content.decode()
    # a preliminary set is never reachable by version number
    r = client.get(f"/results/2567/?version={results.prelim.version}")
    assert r.status_code == 404
    index = client.get("/results/").content.decode()
    assert f"{results.pub.version}" in index


def test_publish_page_for_nacc_only(client, results, world):
    login(client, world.coordinator)
    assert client.get("/results/2567/publish/").status_code == 403
    client.logout()
    login(client, world.nacc)
    r = client.get("/results/2567/publish/")
    assert r.status_code == 200
    r = client.post("/results/2567/publish/", {"note": ""})
    assert r.status_code == 200  # refused: not confirmed, message shown
    assert results.cycle.result_sets.filter(status=ResultStatus.PUBLISHED).count() == 1


def test_menu_and_home_panel(client, results, world):
    login(client, world.agency_admin)
    body = client.get("/").content.decode()
    assert "/results/" in body
    assert f"/results/2567/agency/{world.agency.code}/" in body


def test_province_dashboard_lists_an_agency_without_a_district(client, results):
    # Bangkok and central agencies have no district; the province page used to fail on them.
    from tests.factories import AgencyFactory

    bangkok = AgencyFactory(
        code="1000000", kind="special", name="กรุงเทพมหานคร", province_id="10", district=None
    )
    add_result(results.pub, bangkok, 88.0)
    r = client.get("/results/2567/province/10/")
    assert r.status_code == 200
    places = {p["code"]: p["name"] for p in r.context["data"]["by_place"]}
    assert places == {"": "ไม่ระบุอำเภอ"}
    assert "ไม่ระบุอำเภอ" in r.content.decode()


def _preliminary_only_cycle(world):
    cycle = CycleFactory(fiscal_year=2568)
    rs = make_result_set(cycle)
    add_result(rs, world.agency, 66.0)
    return cycle


def test_agency_sees_its_preliminary_scorecard_without_links_to_area_numbers(client, world):
    cycle = _preliminary_only_cycle(world)
    review_ended(cycle)
    login(client, world.agency_admin)
    body = client.get(f"/results/2568/agency/{world.agency.code}/").content.decode()
    assert "66.00" in body
    # The national and province dashboards of a preliminary set answer 404 for the agency, so
    # the breadcrumb must not send it there.
    assert 'href="/results/2568/"' not in body
    assert 'href="/results/2568/province/38/"' not in body
    assert client.get("/results/2568/").status_code == 404


def test_supervisors_keep_the_links_to_area_numbers(client, world):
    _preliminary_only_cycle(world)
    login(client, world.nacc)
    body = client.get(f"/results/2568/agency/{world.agency.code}/").content.decode()
    # (the links say which set they mean, so they stay on it once a version is published)
    assert 'href="/results/2568/?preliminary=1"' in body
    assert 'href="/results/2568/province/38/?preliminary=1"' in body


def test_save_as_target_group_only_for_organisers_and_published_results(client, results, world):
    login(client, world.agency_admin)
    assert 'id="save-target-group"' not in client.get("/results/2567/agencies/").content.decode()
    client.logout()
    login(client, world.nacc)
    assert 'id="save-target-group"' in client.get("/results/2567/agencies/").content.decode()
    preliminary = client.get("/results/2567/agencies/?preliminary=1")
    assert preliminary.status_code == 200
    assert 'id="save-target-group"' not in preliminary.content.decode()


def test_preliminary_pages_link_only_to_preliminary_pages_the_person_may_open(client, world):
    """Every results link on a preliminary page keeps ?preliminary=1 (without it the page says
    "not published yet"), and a breadcrumb does not offer a wider area the person may not see."""
    import re

    _preliminary_only_cycle(world)
    login(client, world.district_officer)
    body = client.get("/results/2568/district/3801/?preliminary=1").content.decode()
    assert 'href="/results/2568/"' not in body and 'href="/results/2568/?' not in body
    assert 'href="/results/2568/province/38/' not in body  # the officer's scope is the district
    login(client, world.coordinator)
    body = client.get("/results/2568/province/38/?preliminary=1").content.decode()
    assert 'href="/results/2568/?' not in body  # no national link for a coordinator
    links = set(re.findall(r'href="(/results/2568/[^"]*)"', body))
    pages = {u for u in links if "/exports/" not in u}
    assert any("/district/" in u for u in pages) and any("/agencies/" in u for u in pages)
    for url in pages:
        assert "preliminary=1" in url, url
        page = client.get(url.replace("&amp;", "&"))
        assert page.status_code == 200, url
        # One step further (the agency list's breadcrumb once linked the country): no page
        # the coordinator reaches offers the national preliminary dashboard either.
        assert 'href="/results/2568/?' not in page.content.decode(), url
    login(client, world.nacc)
    body = client.get("/results/2568/?preliminary=1").content.decode()
    assert 'href="/results/2568/province/38/?preliminary=1"' in body
    listed = client.get("/results/2568/agencies/?preliminary=1").content.decode()
    assert 'href="/results/2568/?preliminary=1"' in listed  # NACC keeps its breadcrumb
    chooser = client.get("/results/2568/province/", {"province": "38", "preliminary": "1"})
    assert chooser["Location"] == "/results/2568/province/38/?preliminary=1"


@pytest.mark.parametrize(
    "persona,expected",
    [
        ("coordinator", "?province=38&amp;passed=0"),
        ("district_officer", "?province=38&amp;district=3801&amp;passed=0"),
        ("nacc", "?passed=0"),
    ],
)
def test_the_failing_list_opens_on_the_persons_own_area(client, results, world, persona, expected):
    login(client, getattr(world, persona))
    body = client.get("/results/").content.decode()
    assert f'href="/results/2567/agencies/{expected}"' in body
