"""Target groups from published results (the reports pages link here), from the registry, and
from a list in a letter settled by a person."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from itas.cycles.models import Cycle, Enrolment
from itas.events.models import ListDraft, TargetGroup, TargetSource
from itas.frameworks.models import Framework
from itas.scoring.models import AgencyResult, ResultSet, ResultStatus
from tests.events.bueng_kan import BUNG_NGAM, NONG_DOEN, PAO, SOM_SANUK, THA_SA_AT
from tests.factories import PASSWORD, AgencyFactory

pytestmark = pytest.mark.django_db
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def _results(fiscal_year, rows, status=ResultStatus.PUBLISHED, version=1):
    framework = Framework.objects.create(fiscal_year=fiscal_year, name=f"ITA {fiscal_year}")
    cycle = Cycle.objects.create(
        fiscal_year=fiscal_year, name=f"ITA {fiscal_year}", framework=framework
    )
    rs = ResultSet.objects.create(
        cycle=cycle, version=version, status=status, computed_at=timezone.now()
    )
    for i, (agency, total) in enumerate(rows):
        enrolment = Enrolment.objects.create(cycle=cycle, agency=agency, access_code=f"AC{i:04d}")
        AgencyResult.objects.create(
            result_set=rs,
            enrolment=enrolment,
            agency_id_copy=agency.pk,
            province_code=agency.province_id,
            district_code=agency.district_id or "",
            agency_kind=agency.kind,
            total=total,
            passed=total >= 85,
        )
    return rs


def test_group_from_published_results_with_the_reports_parameters(client, world, bk_registry):
    failed_bk = [bk_registry[BUNG_NGAM], bk_registry[NONG_DOEN]]
    passed_bk = [bk_registry[PAO]]
    _results(
        2563,
        [(a, 60.0) for a in failed_bk]
        + [(a, 90.0) for a in passed_bk]
        + [(world.other_agency, 50.0)],
    )
    client.login(username=world.nacc.email, password=PASSWORD)
    url = reverse("events:group_new")
    params = {"source": "results", "cycle": "2563", "region": "northeast", "passed": "0"}
    page = client.get(url, params)
    assert page.status_code == 200
    html = page.content.decode()
    assert "เทศบาลตำบลบึงงาม" in html and "องค์การบริหารส่วนตำบลหนองเดิ่น" in html
    assert "องค์การบริหารส่วนจังหวัดบึงกาฬ" not in html  # passed
    assert "ทดสอบเชียงใหม่" not in html  # another region
    # The other parameter names the reports engineer links with.
    narrow = client.get(
        url,
        {
            "source": "results",
            "cycle": "2563",
            "province": "38",
            "district": "3806",
            "kind": "tambon_municipality",
            "passed": "0",
            "group": world.group_a.pk,
        },
    )
    assert narrow.context["count"] == 1
    saved = client.post(
        url + "?" + "&".join(f"{k}={v}" for k, v in params.items()),
        {**params, "name": "ภาค 4 ไม่ผ่าน 2563"},
    )
    assert saved.status_code == 302
    group = TargetGroup.objects.get()
    assert group.source == TargetSource.RESULTS
    assert {a.code for a in group.agencies.all()} == {BUNG_NGAM, NONG_DOEN}


def test_results_of_an_unpublished_year_are_refused(client, world, bk_registry):
    _results(2564, [(bk_registry[BUNG_NGAM], 60.0)], status=ResultStatus.PRELIMINARY)
    client.login(username=world.nacc.email, password=PASSWORD)
    page = client.get(reverse("events:group_new"), {"source": "results", "cycle": "2564"})
    assert page.status_code == 400
    assert "2564" in page.content.decode()


def test_bad_filter_parameters_are_refused_clearly(client, world):
    client.login(username=world.nacc.email, password=PASSWORD)
    page = client.get(
        reverse("events:group_new"), {"source": "results", "province": "99", "passed": "x"}
    )
    assert page.status_code == 400
    assert page.context["form"].errors


def test_group_from_registry_filter_is_limited_to_the_coordinators_province(
    client, world, bk_registry
):
    AgencyFactory(province_id="43", code="6430101", name="หนองคายทดสอบ")
    client.login(username=world.coordinator.email, password=PASSWORD)
    url = reverse("events:group_new")
    page = client.get(url, {"source": "registry", "region": "northeast"})
    assert page.context["count"] == len(bk_registry) + 1  # Bueng Kan only (+ world.agency)
    client.post(
        url, {"source": "registry", "region": "northeast", "kind": "sao", "name": "อบต. บึงกาฬ"}
    )
    group = TargetGroup.objects.get()
    assert group.agencies.count() == sum(1 for a in bk_registry.values() if a.kind == "sao")
    assert not group.agencies.filter(province_id="43").exists()


def test_list_from_a_letter_waits_for_a_person_then_saves(client, world, bk_registry):
    client.login(username=world.nacc.email, password=PASSWORD)
    upload = SimpleUploadedFile(
        "list.txt", (FIXTURES / "junk_list.txt").read_bytes(), content_type="text/plain"
    )
    response = client.post(
        reverse("events:group_upload"), {"name": "บึงกาฬ 2563", "file": upload, "province": "38"}
    )
    assert response.status_code == 302
    draft = ListDraft.objects.get()
    open_lines = [ln["line"] for ln in draft.lines if ln["status"] != "matched"]
    assert len(open_lines) == 6
    page_url = reverse("events:list_draft", args=[draft.pk])
    # Saving with open lines is refused, and nothing is stored.
    refused = client.post(page_url, {})
    assert refused.status_code == 400
    assert TargetGroup.objects.count() == 0
    # A person skips the junk and picks the made-up agency's nearest real one by code.
    choices = {f"line-{n}": "skip" for n in open_lines}
    made_up = next(ln for ln in draft.lines if "สวนสนุก" in ln["input"])
    choices[f"code-{made_up['line']}"] = SOM_SANUK  # typed by the person
    saved = client.post(page_url, choices)
    assert saved.status_code == 302
    group = TargetGroup.objects.get()
    assert {a.code for a in group.agencies.all()} == {THA_SA_AT, NONG_DOEN, SOM_SANUK}
    assert group.members.get(agency__code=SOM_SANUK).chosen_by_person


def test_list_with_a_made_up_code_is_refused(client, world, bk_registry):
    client.login(username=world.nacc.email, password=PASSWORD)
    upload = SimpleUploadedFile("list.txt", "ศรีชมภู\n".encode(), content_type="text/plain")
    client.post(reverse("events:group_upload"), {"name": "x", "file": upload})
    draft = ListDraft.objects.get()
    response = client.post(reverse("events:list_draft", args=[draft.pk]), {"line-1": "1234567"})
    assert response.status_code == 400
    assert "1234567" in response.content.decode()
    assert TargetGroup.objects.count() == 0


@pytest.mark.parametrize(
    ("name", "content"),
    [("list.pdf", b"%PDF-1.4 ..."), ("list.txt", b"\x00\x01\x02\x03"), ("list.txt", b"  \n\n")],
)
def test_unreadable_list_files_are_refused(client, world, name, content):
    client.login(username=world.nacc.email, password=PASSWORD)
    upload = SimpleUploadedFile(name, content)
    response = client.post(reverse("events:group_upload"), {"name": "x", "file": upload})
    assert response.status_code == 400
    assert ListDraft.objects.count() == 0


def test_outsiders_cannot_build_groups(client, world):
    client.login(username=world.outsider.email, password=PASSWORD)
    assert client.get(reverse("events:group_new")).status_code == 403
    assert client.get(reverse("events:group_upload")).status_code == 403
