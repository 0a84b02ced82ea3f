"""Results in a browser: the national dashboard and an agency's scorecard on a desktop and a
360 px phone; the scorecard PDF and the failing-list PDF of one province, converted to PNG with
pdftoppm so they can be looked at. Screenshots in var/screenshots."""

import random
import shutil
import subprocess

import pytest

from itas.agencies.models import AgencyKind
from itas.geo.models import District, Province
from itas.scoring.models import ResultStatus
from tests.e2e.conftest import SCREENSHOTS, login, screenshot
from tests.factories import PASSWORD, AgencyFactory
from tests.reports.factories import CycleFactory, add_result, make_result_set

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

KINDS = (
    [AgencyKind.SAO] * 6
    + [AgencyKind.SUBDISTRICT_MUNICIPALITY] * 3
    + [AgencyKind.TOWN_MUNICIPALITY]
)
NAMES = ["ท่ากกแดง", "น้ำจั้น", "บ้านด้อง", "ศรีพนา", "ถ้ำเจริญ", "คำแก้ว", "บัวตูม", "หนองเติน",
         "โคกกวาง", "นาแก้ง", "สมสนุก", "โนนศิลา", "นาตง", "ป่าแฝก", "โป่งเปือย", "นาสวรรค์",
         "ชัยพร", "ชุมภูพร", "นาสิงห์", "นาสะแบง", "ดอนหญ้านาง", "หนองหัวช้าง"]  # fmt: skip


def _world_of_results(world):
    rnd = random.Random(2567)
    old = CycleFactory(fiscal_year=2566)
    cycle = CycleFactory(fiscal_year=2567, framework=old.framework)
    old_rs = make_result_set(old, status=ResultStatus.PUBLISHED)
    rs = make_result_set(cycle, status=ResultStatus.PUBLISHED)
    bk_districts = list(District.objects.filter(province_id="38"))
    agencies = []
    for i, name in enumerate(NAMES):
        agencies.append(
            AgencyFactory(
                name=name,
                kind=KINDS[i % len(KINDS)],
                province_id="38",
                district=bk_districts[i % len(bk_districts)],
            )
        )
    for code in ("43", "50", "10", "40", "90", "57"):
        province = Province.objects.get(code=code)
        district = District.objects.filter(province=province).first()
        for k in range(8):
            agencies.append(
                AgencyFactory(
                    name=f"{province.name_th}{k + 1}",
                    kind=KINDS[k % len(KINDS)],
                    province=province,
                    district=district,
                )
            )
    for a in agencies:
        level = rnd.uniform(45, 99)
        inds = {str(c): max(0, min(100, rnd.gauss(level, 6))) for c in range(1, 11)}
        add_result(rs, a, round(level, 2), indicators=inds)
        add_result(old_rs, a, round(max(30, level - rnd.uniform(-3, 12)), 2))
    spec = cycle.framework.spec
    add_result(old_rs, world.agency, 81.4, indicators={str(c): 70.0 + c for c in range(1, 11)})
    questions = {q.code: round(rnd.uniform(45, 98), 2) for q in spec.questions}
    questions.update({item.code: 100.0 for item in spec.oit_items})
    for code in ("O11", "O19", "O36", "O40"):
        questions[code] = 0.0
    add_result(
        rs,
        world.agency,
        78.65,
        iit=84.21,
        eit=88.90,
        oit=67.50,
        indicators={
            "1": 86.2,
            "2": 81.0,
            "3": 88.4,
            "4": 79.9,
            "5": 85.5,
            "6": 90.1,
            "7": 87.3,
            "8": 89.3,
            "9": 75.0,
            "10": 60.0,
        },  # fmt: skip
        questions=questions,
        recommendations={
            "O11": "เผยแพร่รายงานความก้าวหน้าการดำเนินงานรอบ 6 เดือน ที่ระบุวันที่และปีงบประมาณให้ชัดเจน",
            "O19": "รายงานผลการใช้จ่ายงบประมาณรอบ 6 เดือนต้องเป็นของปีงบประมาณที่ประเมิน",
            "O36": "จัดทำการประเมินความเสี่ยงการทุจริตประจำปี และเผยแพร่บนเว็บไซต์ของหน่วยงาน",
            "O40": "รายงานการกำกับติดตามแผนป้องกันการทุจริตรอบ 6 เดือน ให้ลงวันที่และลิงก์จากหน้าแรก",
        },
    )
    return cycle


def _pdf_to_png(url_path: str, live_server, page, name: str) -> list:
    response = page.request.get(f"{live_server.url}{url_path}")
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    pdf = SCREENSHOTS / f"{name}.pdf"
    pdf.write_bytes(response.body())
    if not shutil.which("pdftoppm"):
        pytest.skip("poppler-utils (pdftoppm) is not installed")
    subprocess.run(["pdftoppm", "-png", "-r", "80", str(pdf), str(SCREENSHOTS / name)], check=True)
    return sorted(SCREENSHOTS.glob(f"{name}-*.png"))


def test_dashboard_scorecard_and_pdfs(world, live_server, desktop, phone):
    _world_of_results(world)

    # The national dashboard: numbers, charts drawn by ECharts, and their tables.
    desktop.goto(f"{live_server.url}/results/2567/")
    desktop.wait_for_selector("#chart-grades svg")
    desktop.wait_for_selector("#chart-map svg")  # the national dashboard maps its provinces
    assert desktop.locator("#kpi-assessed").inner_text().strip() == str(22 + 48 + 1)
    assert desktop.locator("#table-places tbody tr").count() == 7
    screenshot(desktop, "reports-national-dashboard-desktop")

    phone.goto(f"{live_server.url}/results/2567/")
    phone.wait_for_selector("#chart-grades svg")
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 362, f"the dashboard scrolls sideways on a phone ({width}px)"
    screenshot(phone, "reports-national-dashboard-phone")

    # A province: the failing list with its exports and the target-group button (signed in).
    login(desktop, live_server, world.coordinator.email, PASSWORD)
    desktop.goto(f"{live_server.url}/results/2567/province/38/")
    desktop.click("text=หน่วยงานที่ไม่ผ่านเกณฑ์")
    desktop.wait_for_url(lambda url: "passed=0" in url and "province=38" in url)
    desktop.wait_for_selector("#agency-table")
    href = desktop.get_attribute("#save-target-group", "href")
    assert href.startswith("/events/target-groups/new/?source=results&cycle=2567&province=38")
    screenshot(desktop, "reports-failing-list-desktop")

    # The scorecard of agency A, as the public sees it.
    code = world.agency.code
    desktop.goto(f"{live_server.url}/results/2567/agency/{code}/")
    assert desktop.locator("#total").inner_text() == "78.65"
    assert "O36" in desktop.content()
    screenshot(desktop, "reports-scorecard-desktop")
    phone.goto(f"{live_server.url}/results/2567/agency/{code}/")
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 362, f"the scorecard scrolls sideways on a phone ({width}px)"
    screenshot(phone, "reports-scorecard-phone")

    pages = _pdf_to_png(
        f"/results/2567/agency/{code}/pdf/", live_server, desktop, "reports-scorecard-pdf"
    )
    assert pages, "the scorecard PDF has no page"
    pages = _pdf_to_png(
        "/results/2567/exports/agencies.pdf?province=38&passed=0&digits=thai",
        live_server,
        desktop,
        "reports-failing-list-bueng-kan-pdf",
    )
    assert pages
