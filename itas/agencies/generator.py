"""A plausible registry of local administrations for demos and benchmarks.

LAOs are named after real subdistricts (geothai), spread over every province outside Bangkok
(which has no LAO in the DLA registry), in the national mix of types. Codes follow the DLA
pattern: type digit, province code, district digits, a sequence within the district. The same
seed gives the same registry.
"""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from dataclasses import dataclass

import geothai
from django.db import transaction
from django.utils.translation import gettext as _

from itas.agencies.errors import AgencyError
from itas.agencies.models import Agency, AgencyKind, AgencySource

# The national mix in the DLA registry (2026): 7,849 LAOs.
NATIONAL_MIX = {
    AgencyKind.PAO: 76,
    AgencyKind.CITY_MUNICIPALITY: 30,
    AgencyKind.TOWN_MUNICIPALITY: 195,
    AgencyKind.SUBDISTRICT_MUNICIPALITY: 2247,
    AgencyKind.SAO: 5300,
    AgencyKind.SPECIAL: 1,
}
TYPE_DIGIT = {
    AgencyKind.PAO: "2",
    AgencyKind.CITY_MUNICIPALITY: "3",
    AgencyKind.TOWN_MUNICIPALITY: "4",
    AgencyKind.SUBDISTRICT_MUNICIPALITY: "5",
    AgencyKind.SAO: "6",
    AgencyKind.SPECIAL: "3",
}
KIND_ORDER = list(NATIONAL_MIX)
# From this size on, every province outside Bangkok has exactly one PAO, as in reality.
FULL_PAO_FROM = 1000
BANGKOK = "10"


@dataclass(frozen=True)
class _Slot:
    province: str
    district: str
    name: str


def mix_for(count: int) -> dict[str, int]:
    """The number of agencies of each type for `count` agencies (largest remainder)."""
    if count < 0:
        raise AgencyError(_("The number of agencies cannot be negative."))
    total = sum(NATIONAL_MIX.values())
    exact = {k: count * v / total for k, v in NATIONAL_MIX.items()}
    mix = {k: int(x) for k, x in exact.items()}
    rest = count - sum(mix.values())
    for k in sorted(exact, key=lambda k: (exact[k] - mix[k], NATIONAL_MIX[k]), reverse=True)[:rest]:
        mix[k] += 1
    if count >= FULL_PAO_FROM:
        provinces = sum(1 for p in geothai.provinces() if p.code != BANGKOK)
        mix[AgencyKind.SAO] -= provinces - mix[AgencyKind.PAO]
        mix[AgencyKind.PAO] = provinces
    return {str(k): v for k, v in mix.items()}


def plan(count: int, seed: int = 1) -> list[Agency]:
    """Unsaved agencies: `count` of them, the same for the same seed."""
    rng = random.Random(seed)
    mix = mix_for(count)
    provinces = [p for p in geothai.provinces() if p.code != BANGKOK]
    municipal: list[_Slot] = []  # one municipality per subdistrict name at most
    sao: list[_Slot] = []  # and one SAO
    mueang: dict[str, str] = {}
    for p in provinces:
        for d in geothai.districts(p.code):
            mueang.setdefault(p.code, d.code)
            names = sorted({s.name_th for s in geothai.subdistricts(d.code)})
            for name in names:
                municipal.append(_Slot(p.code, d.code, name))
                sao.append(_Slot(p.code, d.code, name))
    rng.shuffle(municipal)
    rng.shuffle(sao)
    capacity = len(municipal) + len(sao) + len(provinces) + 1
    if count > capacity:
        raise AgencyError(
            _("At most %(max)d agencies can be generated (one per subdistrict and type).")
            % {"max": capacity}
        )

    chosen: list[tuple[str, _Slot]] = []
    # Provincial administrative organisations: named after the province, in its capital district.
    pao_provinces = (
        provinces
        if mix[AgencyKind.PAO] >= len(provinces)
        else rng.sample(provinces, mix[AgencyKind.PAO])
    )
    for p in pao_provinces:
        chosen.append((AgencyKind.PAO, _Slot(p.code, mueang[p.code], p.name_th)))
    if mix[AgencyKind.SPECIAL]:
        # Pattaya City, in Bang Lamung (Chon Buri).
        chosen.append((AgencyKind.SPECIAL, _Slot("20", "2004", "เมืองพัทยา")))

    used_municipal: set[int] = set()
    used_sao: set[int] = set()

    def take(pool, used, accept=lambda s: True) -> _Slot:
        for i, slot in enumerate(pool):
            if i not in used and accept(slot):
                used.add(i)
                return slot
        for i, slot in enumerate(pool):  # nothing acceptable left: any free slot
            if i not in used:
                used.add(i)
                return slot
        raise AgencyError(_("Not enough subdistricts to name the agencies."))

    # Every province gets at least one ordinary LAO before any gets a second (when count allows).
    seeded: set[str] = set()
    for _i in range(mix[AgencyKind.CITY_MUNICIPALITY]):
        chosen.append(
            (
                AgencyKind.CITY_MUNICIPALITY,
                take(municipal, used_municipal, lambda s: s.district == mueang[s.province]),
            )
        )
    for _i in range(mix[AgencyKind.TOWN_MUNICIPALITY]):
        chosen.append((AgencyKind.TOWN_MUNICIPALITY, take(municipal, used_municipal)))
    order = [p.code for p in provinces]
    rng.shuffle(order)
    remaining = {
        AgencyKind.SUBDISTRICT_MUNICIPALITY: mix[AgencyKind.SUBDISTRICT_MUNICIPALITY],
        AgencyKind.SAO: mix[AgencyKind.SAO],
    }
    covered = {slot.province for kind, slot in chosen if kind != AgencyKind.PAO}
    for code in order:
        if code in covered or code in seeded:
            continue
        kind = max(remaining, key=lambda k: remaining[k])
        if remaining[kind] == 0:
            break
        remaining[kind] -= 1
        pool, used = (sao, used_sao) if kind == AgencyKind.SAO else (municipal, used_municipal)
        chosen.append((kind, take(pool, used, lambda s, code=code: s.province == code)))
        seeded.add(code)
    for _i in range(remaining[AgencyKind.SUBDISTRICT_MUNICIPALITY]):
        chosen.append((AgencyKind.SUBDISTRICT_MUNICIPALITY, take(municipal, used_municipal)))
    for _i in range(remaining[AgencyKind.SAO]):
        chosen.append((AgencyKind.SAO, take(sao, used_sao)))

    # Codes: type digit + district code (province + district digits) + sequence in the district.
    by_district: dict[str, list[tuple[str, _Slot]]] = defaultdict(list)
    for kind, slot in chosen:
        by_district[slot.district].append((kind, slot))
    agencies: list[Agency] = []
    for district in sorted(by_district):
        items = sorted(by_district[district], key=lambda ks: (KIND_ORDER.index(ks[0]), ks[1].name))
        if len(items) > 99:
            raise AgencyError(_("Too many agencies in one district for 2-digit sequences."))
        for sequence, (kind, slot) in enumerate(items, start=1):
            agencies.append(
                Agency(
                    code=f"{TYPE_DIGIT[kind]}{district}{sequence:02d}",
                    kind=str(kind),
                    name=slot.name,
                    province_id=slot.province,
                    district_id=district,
                    source=AgencySource.GENERATED,
                )
            )
    return agencies


@dataclass
class GenerateResult:
    created: int
    skipped: int
    mix: Counter


def generate(*, count: int, seed: int = 1) -> GenerateResult:
    """Create the generated registry; agencies whose code already exists are left alone."""
    agencies = plan(count, seed)
    with transaction.atomic():
        existing = set(
            Agency.objects.filter(code__in=[a.code for a in agencies]).values_list(
                "code", flat=True
            )
        )
        new = [a for a in agencies if a.code not in existing]
        Agency.objects.bulk_create(new, batch_size=1000)
    return GenerateResult(created=len(new), skipped=len(existing), mix=Counter(a.kind for a in new))
