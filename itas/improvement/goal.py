"""The road to the national goal: the share of agencies at the pass mark, the gap to the goal
(80 % in the national master plan), and the agencies that would close it at the lowest cost in
OIT items (each failing agency's fewest items to pass, from the engine; cheapest first)."""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.cache import cache

from itas.agencies.models import NAME_PREFIX
from itas.geo.models import District, Province
from itas.improvement.paths import all_paths
from itas.scoring.models import ResultSet

GOAL_PASS_RATE = 80.0  # the national master plan: 80 % of agencies at the pass mark or more
CACHE_SECONDS = 600


@dataclass
class Candidate:
    code: str
    name: str
    province_code: str
    province: str
    district: str
    total: float | None
    items: tuple[str, ...]

    @property
    def cost(self) -> int:
        return len(self.items)


@dataclass
class Road:
    assessed: int = 0
    passed: int = 0
    goal: float = GOAL_PASS_RATE
    needed: int = 0  # more agencies that must pass to reach the goal
    by_oit: int = 0  # failing agencies that can pass by OIT items alone
    not_by_oit: int = 0  # failing agencies for which no OIT set is enough
    chosen: list[Candidate] = field(default_factory=list)  # cheapest first, `needed` of them
    provinces: list[dict] = field(default_factory=list)

    @property
    def share(self) -> float | None:
        return round(100.0 * self.passed / self.assessed, 2) if self.assessed else None

    @property
    def gap(self) -> float | None:
        return None if self.share is None else round(max(0.0, self.goal - self.share), 2)

    @property
    def items_needed(self) -> int:
        return sum(c.cost for c in self.chosen)

    @property
    def reachable(self) -> bool:
        return len(self.chosen) >= self.needed


def road_to_goal(result_set: ResultSet, goal: float = GOAL_PASS_RATE) -> Road:
    """Cached per result set and its computation time (a preliminary set that is recomputed
    gets a new key; a published one never changes)."""
    key = f"improvement:goal:{result_set.pk}:{result_set.computed_at.timestamp()}:{goal}"
    road = cache.get(key)
    if road is None:
        road = compute_road(result_set, goal)
        cache.set(key, road, CACHE_SECONDS)
    return road


def compute_road(result_set: ResultSet, goal: float = GOAL_PASS_RATE) -> Road:
    road = Road(goal=goal)
    candidates: list[Candidate] = []
    for row, path in all_paths(result_set):
        if row["total"] is None:
            continue
        road.assessed += 1
        if row["passed"]:
            road.passed += 1
            continue
        target = path.targets[0] if path.targets else None
        if target is None or not target.by_oit_alone:
            road.not_by_oit += 1
            continue
        road.by_oit += 1
        candidates.append(
            Candidate(
                code=row["enrolment__agency__code"],
                name=NAME_PREFIX.get(row["enrolment__agency__kind"], "")
                + row["enrolment__agency__name"],
                province_code=row["province_code"],
                province="",
                district=row["district_code"],
                total=row["total"],
                items=target.items,
            )
        )
    road.needed = max(0, math.ceil(goal * road.assessed / 100.0 - 1e-9) - road.passed)
    candidates.sort(key=lambda c: (c.cost, -(c.total or 0.0), c.code))
    road.chosen = candidates[: road.needed]
    provinces = dict(Province.objects.values_list("code", "name_th"))
    districts = dict(
        District.objects.filter(code__in={c.district for c in road.chosen}).values_list(
            "code", "name_th"
        )
    )
    per: dict[str, dict] = defaultdict(lambda: {"agencies": 0, "items": 0})
    for c in road.chosen:
        c.province = provinces.get(c.province_code, c.province_code)
        c.district = districts.get(c.district, "")
        per[c.province_code]["agencies"] += 1
        per[c.province_code]["items"] += c.cost
    road.provinces = sorted(
        ({"code": code, "name": provinces.get(code, code), **v} for code, v in per.items()),
        key=lambda p: (-p["agencies"], p["items"], p["code"]),
    )
    return road
