"""The province map of the dashboards in a browser: every province drawn from the vendored SVG,
coloured by average score or by the share passing, a click opening the province's dashboard,
the table beside it, and a province's districts as a bar chart from the highest average down.
Screenshots: var/screenshots/map-*.png (desktop and 360 px)."""

import random
import re

import pytest
from playwright.sync_api import expect

from itas.agencies.models import AgencyKind
from itas.geo.models import District, Province
from itas.scoring.models import ResultStatus
from tests.e2e.conftest import SCREENSHOTS, screenshot
from tests.factories import AgencyFactory
from tests.reports.factories import CycleFactory, add_result, make_result_set

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _results_in_every_province():
    rnd = random.Random(77)
    cycle = CycleFactory(fiscal_year=2567)
    rs = make_result_set(cycle, status=ResultStatus.PUBLISHED)
    for province in Province.objects.all():
        districts = list(District.objects.filter(province=province)[:3])
        for k, district in enumerate(districts):
            agency = AgencyFactory(
                name=f"{province.name_th}{k + 1}",
                kind=AgencyKind.SAO,
                province=province,
                district=district,
            )
            add_result(rs, agency, round(rnd.uniform(50, 99), 2))
    return cycle


def _tooltip_name(page) -> str:
    tip = page.locator("#chart-map div").filter(has=page.locator("strong")).last
    tip.wait_for(state="visible")
    return tip.locator("strong").inner_text().strip()


def test_the_map_colours_every_province_and_opens_the_one_clicked(live_server, desktop, phone):
    _results_in_every_province()
    desktop.set_viewport_size({"width": 1366, "height": 900})
    desktop.goto(f"{live_server.url}/results/2567/")
    desktop.wait_for_selector("#chart-map[data-ready='1'] svg path")
    chart = desktop.locator("#chart-map")
    # the Thai description, not ECharts' English one, and the credit of the CC BY map
    assert "แผนที่ประเทศไทย" in chart.get_attribute("aria-label")
    assert "CC BY 4.0" in desktop.locator("#chart-map + p").inner_text()
    assert desktop.locator("#table-places tbody tr").count() == 77
    screenshot(desktop, "map-national-desktop")

    desktop.click("label[for=map-pass]")
    expect(chart).to_have_attribute("aria-label", re.compile("ผ่าน"))
    screenshot(desktop, "map-national-share-passing-desktop")

    # a province under the pointer: its tooltip names it, a click opens its dashboard
    box = chart.bounding_box()
    desktop.mouse.move(box["x"] + box["width"] * 0.55, box["y"] + box["height"] * 0.3)
    name = _tooltip_name(desktop)
    assert Province.objects.filter(name_th=name).exists(), name
    desktop.mouse.click(box["x"] + box["width"] * 0.55, box["y"] + box["height"] * 0.3)
    desktop.wait_for_url("**/results/2567/province/*/")
    code = desktop.url.rstrip("/").split("/")[-1]
    assert Province.objects.get(code=code).name_th == name
    assert name in desktop.locator("h1 + div").inner_text()

    # the province's districts: a bar chart, highest average first (the table stays by name)
    desktop.wait_for_selector("#chart-places svg")
    assert desktop.locator("#chart-map").count() == 0
    rows = desktop.locator("#table-places tbody tr")
    averages = [float(rows.nth(i).locator("td").nth(3).inner_text()) for i in range(rows.count())]
    order = desktop.evaluate(
        "echarts.getInstanceByDom(document.getElementById('chart-places'))"
        ".getOption().series[0].data.slice().reverse()"
    )
    assert order == sorted(averages, reverse=True)
    screenshot(desktop, "map-province-districts-desktop")

    phone.goto(f"{live_server.url}/results/2567/")
    phone.wait_for_selector("#chart-map[data-ready='1'] svg path")
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 362, f"the map makes the page scroll sideways on a phone ({width}px)"
    screenshot(phone, "map-national-phone")
    phone.locator("#chart-map").screenshot(path=str(SCREENSHOTS / "map-national-phone-map.png"))
