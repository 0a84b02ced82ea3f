"""Improvement: the path to pass of every agency (what the road to the national goal computes,
one engine call per agency) and the early-warning refresh of the whole open cycle."""

from __future__ import annotations

import time


def measure(cycle) -> dict:
    from itas.improvement.goal import compute_road
    from itas.improvement.services import refresh_warnings
    from itas.scoring.models import ResultSet

    sets = ResultSet.objects.filter(cycle=cycle)
    rs = sets.current_published() or sets.current_preliminary()
    if rs is None:
        from itas.scoring.services import compute_scores

        rs = compute_scores(cycle=cycle)
    t0 = time.perf_counter()
    road = compute_road(rs)
    paths_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    warned = refresh_warnings(actor=None, cycle=cycle)
    refresh_s = time.perf_counter() - t0
    return {
        "agencies": road.assessed,
        "paths_s": paths_s,
        "by_oit": road.by_oit,
        "not_by_oit": road.not_by_oit,
        "warned": warned,
        "refresh_s": refresh_s,
    }
