"""The geography copied from geothai by a data migration, and editable assessor groups."""

import geothai
import pytest
from django.urls import reverse

from itas.geo.models import AssessorGroup, District, Province, Region
from itas.geo.regions import REGIONS

pytestmark = pytest.mark.django_db


def test_77_provinces_in_six_regions_with_every_district():
    assert Province.objects.count() == 77
    assert Region.objects.count() == 6
    assert set(Region.objects.values_list("code", flat=True)) == {r[0] for r in REGIONS}
    assert not Province.objects.filter(region__isnull=True).exists()
    expected = sum(len(geothai.districts(p.code)) for p in geothai.provinces())
    assert District.objects.count() == expected
    bueng_kan = Province.objects.get(code="38")
    assert bueng_kan.name_th == "บึงกาฬ" and bueng_kan.region_id == "northeast"
    assert set(bueng_kan.districts.values_list("name_th", flat=True)) >= {"เซกา", "บุ่งคล้า"}


def test_every_province_code_is_in_exactly_one_region():
    codes = [c for _code, _th, _en, provinces in REGIONS for c in provinces]
    assert len(codes) == len(set(codes)) == 77


def test_assessor_groups_are_data_nacc_edits_in_the_admin(client, world):
    group = world.group_a
    assert set(group.provinces.values_list("code", flat=True)) == {"38", "43"}
    world.nacc.is_staff = True
    world.nacc.is_superuser = True
    world.nacc.save()
    client.force_login(world.nacc)
    url = reverse("admin:geo_assessorgroup_change", args=[group.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"name": group.name, "team_name": "ทีมใหม่", "provinces": ["38", "43", "48"]}
    )
    assert response.status_code == 302
    group.refresh_from_db()
    assert group.team_name == "ทีมใหม่"
    assert group.provinces.count() == 3


def test_demo_groups_cover_every_province_once(world):
    from types import SimpleNamespace

    from itas.geo import demo

    AssessorGroup.objects.all().delete()
    out = SimpleNamespace(stdout=SimpleNamespace(write=lambda s: None))
    demo.load(out)
    demo.load(out)  # idempotent
    assert AssessorGroup.objects.count() == len(demo.GROUPS)
    covered = list(
        AssessorGroup.objects.values_list("provinces__code", flat=True).exclude(
            provinces__code=None
        )
    )
    assert len(covered) == len(set(covered)) == 77
    upper = AssessorGroup.objects.get(name=demo.UPPER_NORTHEAST_GROUP)
    assert "38" in set(upper.provinces.values_list("code", flat=True))
