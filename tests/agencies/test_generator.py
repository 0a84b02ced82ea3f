"""The generated registry: plausible, in the national mix, valid codes, reproducible, fast."""

import io
from collections import Counter

import geothai
import pytest
from django.core.management import CommandError, call_command

from itas.agencies.generator import NATIONAL_MIX, TYPE_DIGIT, mix_for, plan
from itas.agencies.models import Agency, AgencyKind, AgencySource

PROVINCES_WITH_LAOS = {p.code for p in geothai.provinces()} - {"10"}


def subdistrict_names(district_code):
    return {s.name_th for s in geothai.subdistricts(district_code)}


def test_mix_for_the_national_size_is_the_national_mix():
    assert mix_for(7849) == {str(k): v for k, v in NATIONAL_MIX.items()}


@pytest.mark.parametrize("count", [1, 50, 400, 999, 1000, 8300])
def test_mix_adds_up_and_has_one_pao_per_province_when_large(count):
    mix = mix_for(count)
    assert sum(mix.values()) == count
    assert all(n >= 0 for n in mix.values())
    if count >= 1000:
        assert mix[AgencyKind.PAO] == len(PROVINCES_WITH_LAOS)


@pytest.mark.django_db
def test_plan_8300_is_plausible():
    agencies = plan(8300, seed=7)
    assert len(agencies) == 8300
    codes = [a.code for a in agencies]
    assert len(set(codes)) == 8300
    kinds = Counter(a.kind for a in agencies)
    assert kinds[AgencyKind.PAO] == 76 and kinds[AgencyKind.SPECIAL] == 1
    assert 5300 < kinds[AgencyKind.SAO] < 5700
    paos = Counter(a.province_id for a in agencies if a.kind == AgencyKind.PAO)
    assert set(paos) == PROVINCES_WITH_LAOS and set(paos.values()) == {1}
    assert {a.province_id for a in agencies} == PROVINCES_WITH_LAOS
    full_names = Counter((a.district_id, a.full_name) for a in agencies)
    assert max(full_names.values()) == 1, "a full name repeats within a district"
    for a in agencies:
        assert len(a.code) == 7 and a.code.isdigit()
        assert a.code[0] == TYPE_DIGIT[a.kind]
        assert a.code[1:3] == a.province_id and a.code[1:5] == a.district_id
        assert a.district_id.startswith(a.province_id)
        assert a.source == AgencySource.GENERATED
        if a.kind not in (AgencyKind.PAO, AgencyKind.SPECIAL):
            assert a.name in subdistrict_names(a.district_id)


@pytest.mark.django_db
def test_small_registries_still_cover_every_province():
    agencies = plan(100, seed=1)
    assert {a.province_id for a in agencies} == PROVINCES_WITH_LAOS


@pytest.mark.django_db
def test_same_seed_same_data_other_seed_other_data():
    def key(agencies):
        return [(a.code, a.kind, a.name, a.district_id) for a in agencies]

    assert key(plan(500, seed=3)) == key(plan(500, seed=3))
    assert key(plan(500, seed=3)) != key(plan(500, seed=4))


@pytest.mark.django_db
def test_command_creates_8300_in_bulk_and_is_idempotent(django_assert_max_num_queries):
    out = io.StringIO()
    # Bulk inserts, not a query per agency (its speed is the bench's business, not a timer's).
    with django_assert_max_num_queries(200):
        call_command("generate_agencies", "--count", "8300", "--seed", "5", stdout=out)
    assert "created 8300, skipped 0" in out.getvalue()
    assert Agency.objects.count() == 8300
    out = io.StringIO()
    call_command("generate_agencies", "--count", "8300", "--seed", "5", stdout=out)
    assert "created 0, skipped 8300" in out.getvalue()
    assert Agency.objects.count() == 8300


@pytest.mark.django_db
def test_command_refuses_nonsense_counts():
    with pytest.raises(CommandError):
        call_command("generate_agencies", "--count", "0")
    with pytest.raises(CommandError):
        call_command("generate_agencies", "--count", "1000000")
    assert Agency.objects.count() == 0
