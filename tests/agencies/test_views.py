"""Agency pages: the public list and profile, contacts edited by the agency admin, NACC additions."""

import pytest
from django.urls import reverse

from itas.agencies.models import Agency, AgencyKind, AgencySource
from itas.core.models import AuditEntry
from tests.factories import AgencyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def many(world):
    """A few agencies in two provinces to search and filter."""
    AgencyFactory(code="6380493", kind=AgencyKind.SAO, name="ท่าสะอาด", district_id="3804")
    AgencyFactory(code="5380495", kind=AgencyKind.SUBDISTRICT_MUNICIPALITY, name="ศรีพนา",
                  district_id="3804")  # fmt: skip
    AgencyFactory(code="4380191", kind=AgencyKind.TOWN_MUNICIPALITY, name="บึงกาฬ",
                  district_id="3801")  # fmt: skip
    return world


def names(response):
    return [a.full_name for a in response.context["page"].object_list]


def test_list_is_public_and_searches_by_thai_name(client, many):
    response = client.get(reverse("agencies:list"), {"q": "ท่าสะอาด"})
    assert response.status_code == 200
    assert set(names(response)) == {"เทศบาลตำบลท่าสะอาด", "องค์การบริหารส่วนตำบลท่าสะอาด"}


def test_search_with_the_type_prefix_and_by_code(client, many):
    response = client.get(reverse("agencies:list"), {"q": "องค์การบริหารส่วนตำบลท่าสะอาด"})
    assert names(response) == ["องค์การบริหารส่วนตำบลท่าสะอาด"]
    response = client.get(reverse("agencies:list"), {"q": "53804"})
    assert names(response) == ["เทศบาลตำบลศรีพนา"]


def test_filters_by_province_district_and_type(client, many):
    url = reverse("agencies:list")
    assert "ทดสอบเชียงใหม่" in "".join(names(client.get(url, {"province": "50"})))
    seka = names(client.get(url, {"province": "38", "district": "3804"}))
    assert set(seka) == {"เทศบาลตำบลศรีพนา", "องค์การบริหารส่วนตำบลท่าสะอาด"}
    saos = names(client.get(url, {"province": "38", "kind": AgencyKind.SAO}))
    assert saos == ["องค์การบริหารส่วนตำบลท่าสะอาด"]


def test_bad_filter_values_do_not_break_the_list(client, many):
    url = reverse("agencies:list")
    for params in (
        {"province": "zz"},
        {"province": "38", "district": "5001"},  # district of another province: ignored
        {"kind": "castle"},
        {"page": "abc"},
        {"page": "9999"},
        {"q": "x" * 500},
    ):
        response = client.get(url, params)
        assert response.status_code == 200, params
    stale = client.get(url, {"province": "38", "district": "5001"})
    assert len(names(stale)) == 4  # the province still filters


def test_htmx_request_gets_only_the_results(client, many):
    response = client.get(
        reverse("agencies:list"),
        {"q": "ศรีพนา"},
        headers={"HX-Request": "true", "HX-Target": "agency-results"},
    )
    html = response.content.decode()
    assert "<html" not in html and "เทศบาลตำบลศรีพนา" in html


def test_district_options_are_narrowed_by_province(client, world):
    html = client.get(reverse("agencies:district_options"), {"province": "38"}).content.decode()
    assert "เซกา" in html and "เมืองเชียงใหม่" not in html
    assert client.get(reverse("agencies:district_options"), {"province": "x"}).status_code == 200


def test_list_is_paginated(client, world):
    Agency.objects.bulk_create(
        [
            Agency(code=f"6380{i:03d}", kind=AgencyKind.SAO, name=f"หน้า{i}", province_id="38")
            for i in range(60)
        ]
    )
    first = client.get(reverse("agencies:list"))
    assert first.context["page"].paginator.num_pages == 3
    assert len(first.context["page"].object_list) == 25


def test_profile_shows_full_name_and_code_but_people_only_in_scope(client, world):
    url = reverse("agencies:detail", args=[world.agency.code])
    anonymous = client.get(url)
    assert anonymous.status_code == 200
    html = anonymous.content.decode()
    assert "เทศบาลตำบลท่าสะอาด" in html and world.agency.code in html
    assert world.agency_admin.email not in html
    for user, sees in [
        (world.agency_admin, True),
        (world.coordinator, True),
        (world.assessor, True),
        (world.nacc, True),
        (world.outsider, False),
        (world.other_assessor, False),
        (world.nobody, False),
    ]:
        client.force_login(user)
        html = client.get(url).content.decode()
        assert (world.officer.email in html) is sees, user.email
    assert client.get(reverse("agencies:detail", args=["0000000"])).status_code == 404


def test_agency_admin_edits_contacts_with_audit(client, world):
    client.force_login(world.agency_admin)
    url = reverse("agencies:edit", args=[world.agency.code])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "website": "https://www.thasaat.go.th",
            "email": "saraban@thasaat.go.th",
            "phone": "042 000 000",
            "address": "หมู่ 1",
            "postal_code": "38150",
            # Not fields of the form: must be ignored.
            "code": "9999999",
            "kind": AgencyKind.PAO,
        },
    )
    assert response.status_code == 302
    agency = Agency.objects.get(pk=world.agency.pk)
    assert agency.website == "https://www.thasaat.go.th" and agency.postal_code == "38150"
    assert agency.code == "5380101" and agency.kind == AgencyKind.SUBDISTRICT_MUNICIPALITY
    entry = AuditEntry.objects.get(action="agencies.agency.contacts_updated")
    assert entry.actor == world.agency_admin
    assert set(entry.changes) == {"website", "email", "phone", "address", "postal_code"}


def test_bad_contacts_get_thai_messages_and_change_nothing(client, world):
    client.force_login(world.agency_admin)
    response = client.post(
        reverse("agencies:edit", args=[world.agency.code]),
        {"website": "not a url at all", "email": "nope", "postal_code": "12"},
        HTTP_ACCEPT_LANGUAGE="th",
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "อีเมล" in html and "รหัสไปรษณีย์ต้องมี 5 หลัก" in html
    assert Agency.objects.get(pk=world.agency.pk).website == world.agency.website


@pytest.mark.parametrize("who", ["outsider", "officer", "coordinator", "nobody"])
def test_others_may_not_edit(client, world, who):
    client.force_login(getattr(world, who))
    url = reverse("agencies:edit", args=[world.agency.code])
    assert client.get(url).status_code == 403
    assert client.post(url, {"website": "https://evil.example"}).status_code == 403
    assert Agency.objects.get(pk=world.agency.pk).website == world.agency.website


def test_nacc_adds_bangkok_and_others_may_not(client, world):
    url = reverse("agencies:add")
    data = {"kind": AgencyKind.SPECIAL, "code": "1000000", "name": "กรุงเทพมหานคร",
            "province": "10"}  # fmt: skip
    client.force_login(world.agency_admin)
    assert client.post(url, data).status_code == 403
    client.force_login(world.nacc)
    response = client.post(url, data)
    assert response.status_code == 302
    bangkok = Agency.objects.get(code="1000000")
    assert bangkok.source == AgencySource.MANUAL and bangkok.full_name == "กรุงเทพมหานคร"
    assert AuditEntry.objects.filter(action="agencies.agency.added", actor=world.nacc).exists()
    again = client.post(url, data, HTTP_ACCEPT_LANGUAGE="th")
    assert again.status_code == 400 and "มีหน่วยงานที่ใช้รหัสนี้อยู่แล้ว" in again.content.decode()
    lao = client.post(url, {**data, "code": "6380999", "kind": AgencyKind.SAO})
    assert lao.status_code == 400 and not Agency.objects.filter(code="6380999").exists()
    mismatch = client.post(url, {**data, "code": "C1", "district": "3801"})
    assert mismatch.status_code == 400 and not Agency.objects.filter(code="C1").exists()


def test_list_is_quick_on_8000_agencies(client, world, django_assert_max_num_queries):
    from itas.agencies.generator import plan

    Agency.objects.bulk_create(plan(8000, seed=1), ignore_conflicts=True)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("agencies:list"), {"q": "นา", "province": "38"})
    assert response.status_code == 200
    with django_assert_max_num_queries(8):
        response = client.get(reverse("agencies:list"), {"q": "หนอง"})
    assert response.status_code == 200 and "หนอง" in response.content.decode()
