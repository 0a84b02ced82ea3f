"""The early-warning arithmetic: an agency's risk of failing from what a cycle shows so far.
Pure Python (no Django), so that the production refresh and the back-test on generated cycles
run the very same rules.

The projection, and why:
- IIT/EIT: the indicator scores of the answers so far, once there are any (they move little as
  answers accumulate); before that, last year's total, else a typical 75.
- OIT: items accepted count in full, items waiting for review at the historical acceptance rate,
  items returned as not met rarely recover (clarification), items not yet submitted count at a
  chance that shrinks as the cycle runs out.
- The total's uncertainty shrinks as the cycle advances; the risk is the chance that the total
  falls below the pass mark under a normal spread around the projection.
- An agency whose IIT or EIT has no answer by the end has no total at all, which is a fail:
  the pace of answers so far projects the count at the deadline.
- Last year's result and how agencies like it moved: agencies of the same type in the same
  province (the same type nationwide when the province has fewer than MIN_PEERS) moved by a
  median of so many points between two results (last year to this year's preliminary results
  when there are any, else the year before to last year). Part of that move carries into this
  year (PEER_CARRY), so last year's total is shifted by it before it is blended in. The share
  of those agencies that went from pass to fail (or stayed below the mark) is shown as a reason
  but not blended into the risk: on the back-test, blending it in (30 % of the risk at the
  phase's start) made 17 to 27 more wrong calls at half-time, with or without group trends.
"""

from __future__ import annotations

import math
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field

from itas.frameworks.engine import item_worth
from itas.frameworks.spec import SURVEY_TOOLS, FrameworkSpec, round2

ACCEPT_PENDING = 0.8  # share of submitted items that assessors accept
RECOVER_RETURNED = 0.15  # share of items returned as not met that a clarification restores
# Missing items still submitted by the end: most of them early on, fewer as time runs out
# ((1 - t) / (1.1 - t): 91 % at the start, 83 % at half-time, 67 % at 80 %, none at the end).
LATE_SLACK = 0.1
TYPICAL_SURVEY = 75.0  # IIT/EIT level assumed before any answer and without last year
WILL_FAIL = 0.5  # the risk from which an agency is said to be heading for a fail
MIN_PEERS = 5  # agencies like it in the province, below which the type nationwide is used
PEER_CARRY = 0.5  # share of the peers' median move expected to carry into this year


@dataclass(frozen=True)
class PeerMove:
    """How agencies like one agency moved between two results (the agency itself left out)."""

    scope: str  # "province": same type, same province; "national": same type nationwide
    count: int  # agencies with both results
    change: float  # their median change of the total, in points
    passed: int  # of them, those that passed in the first result
    fell: int  # ... and failed in the second
    failed: int  # those that failed in the first result
    rose: int  # ... and passed in the second

    @property
    def fell_share(self) -> float | None:
        return self.fell / self.passed if self.passed else None

    @property
    def stayed_share(self) -> float | None:
        return (self.failed - self.rose) / self.failed if self.failed else None


@dataclass(frozen=True)
class Signals:
    elapsed: float  # share of the cycle's survey phase already past (0..1)
    iit_respondents: int = 0
    eit_respondents: int = 0
    iit_minimum: int | None = None  # None: the IIT population is not entered yet
    eit_minimum: int = 0
    survey_indicators: Mapping[str, float | None] = field(default_factory=dict)
    items_met: frozenset[str] = frozenset()
    items_returned: frozenset[str] = frozenset()  # reviewed: not met
    items_pending: frozenset[str] = frozenset()  # submitted, not reviewed yet
    last_total: float | None = None
    peers: PeerMove | None = None  # how agencies like it moved (None: too few to say)


@dataclass(frozen=True)
class Risk:
    risk: float  # 0..1
    projected_total: float | None
    reasons: tuple[tuple[str, dict], ...]

    @property
    def will_fail(self) -> bool:
        return self.risk >= WILL_FAIL


def _normal_cdf(x: float) -> float:
    return 0.5 * (1.0 + math.erf(x / math.sqrt(2.0)))


def _median_without(values: list[float], own: float | None) -> float:
    """The median of sorted `values` with one occurrence of `own` left out (if given)."""
    if own is None:
        n = len(values)
        return (values[(n - 1) // 2] + values[n // 2]) / 2.0
    p = bisect_left(values, own)
    m = len(values) - 1

    def at(i: int) -> float:
        return values[i] if i < p else values[i + 1]

    return (at((m - 1) // 2) + at(m // 2)) / 2.0


def peer_moves(
    groups: Mapping[Hashable, tuple[str, str]],
    before: Mapping[Hashable, float],
    after: Mapping[Hashable, float],
    *,
    pass_mark: float,
    minimum: int = MIN_PEERS,
) -> dict[Hashable, PeerMove]:
    """{agency: PeerMove} for every agency of `groups` ({agency: (type, province)}): the
    agencies of its type in its province with a total in both `before` and `after`, or of its
    type nationwide where the province has fewer than `minimum`; the agency itself never counts
    among its own peers. Agencies without enough peers either way are left out."""
    local: dict[tuple[str, str], list] = defaultdict(list)
    national: dict[str, list] = defaultdict(list)
    moved = {}
    for a, (kind, province) in groups.items():
        if a in before and a in after:
            b, c = before[a], after[a]
            moved[a] = (c - b, round2(b) >= pass_mark, round2(c) >= pass_mark)
            local[(kind, province)].append(a)
            national[kind].append(a)

    def summary(members: list) -> tuple:
        changes = sorted(moved[m][0] for m in members)
        passed = sum(1 for m in members if moved[m][1])
        fell = sum(1 for m in members if moved[m][1] and not moved[m][2])
        rose = sum(1 for m in members if not moved[m][1] and moved[m][2])
        return changes, passed, fell, len(members) - passed, rose

    cache: dict = {}
    out: dict[Hashable, PeerMove] = {}
    for a, (kind, province) in groups.items():
        for scope, key, members in (
            ("province", (kind, province), local.get((kind, province), [])),
            ("national", kind, national.get(kind, [])),
        ):
            own = moved.get(a)
            count = len(members) - (1 if own else 0)
            if count < minimum:
                continue
            if (scope, key) not in cache:
                cache[(scope, key)] = summary(members)
            changes, passed, fell, failed, rose = cache[(scope, key)]
            if own:
                change, was, now = own
                passed -= was
                failed -= not was
                fell -= was and not now
                rose -= (not was) and now
            out[a] = PeerMove(
                scope=scope,
                count=count,
                change=_median_without(changes, own[0] if own else None),
                passed=passed,
                fell=fell,
                failed=failed,
                rose=rose,
            )
            break
    return out


def projected_count(n: int, elapsed: float) -> int:
    """Answers at the deadline at the pace so far (answers bunch near deadlines, so this
    errs low early: a warning, not a verdict)."""
    if elapsed >= 1.0:
        return n
    return int(n / max(elapsed, 0.05))


def _anchor(s: Signals) -> float:
    """Last year's total, moved by the part of the peers' median move that carries over."""
    assert s.last_total is not None
    if s.peers is None:
        return s.last_total
    return min(100.0, max(0.0, s.last_total + PEER_CARRY * s.peers.change))


def assess(spec: FrameworkSpec, s: Signals) -> Risk:
    elapsed = min(1.0, max(0.0, s.elapsed))
    reasons: list[tuple[str, dict]] = []
    survey = [i for i in spec.indicators if i.tool in SURVEY_TOOLS]
    survey_weight = sum(i.weight for i in survey)
    scores = [s.survey_indicators.get(i.code) for i in survey]
    if scores and None not in scores:
        survey_part = sum(i.weight * v / 100.0 for i, v in zip(survey, scores, strict=True))
        level = survey_part * 100.0 / survey_weight if survey_weight else 0.0
        if level < spec.grading.pass_mark:
            reasons.append(("survey_low", {"score": round(level, 2)}))
    elif s.last_total is not None:
        survey_part = survey_weight * _anchor(s) / 100.0
    else:
        survey_part = survey_weight * TYPICAL_SURVEY / 100.0

    worth = item_worth(spec)
    missing = set(worth) - s.items_met - s.items_returned - s.items_pending
    late = (1.0 - elapsed) / (1.0 + LATE_SLACK - elapsed)
    oit_part = (
        sum(worth[c] for c in s.items_met if c in worth)
        + ACCEPT_PENDING * sum(worth[c] for c in s.items_pending if c in worth)
        + RECOVER_RETURNED * sum(worth[c] for c in s.items_returned if c in worth)
        + late * sum(worth[c] for c in missing)
    )
    if missing:
        reasons.append(("oit_missing", {"count": len(missing)}))
    if s.items_returned:
        reasons.append(("oit_returned", {"count": len(s.items_returned)}))
    if s.items_pending:
        reasons.append(("oit_pending", {"count": len(s.items_pending)}))

    projected = survey_part + oit_part
    if s.last_total is not None:
        # Early on, last year (moved as agencies like it moved) says as much as this year's
        # few signals.
        w = 0.4 * (1.0 - elapsed)
        projected = (1 - w) * projected + w * _anchor(s)
        passed_last = round2(s.last_total) >= spec.grading.pass_mark
        peers = s.peers
        if peers is not None and (
            not passed_last or (peers.fell_share or 0.0) >= 0.25 or peers.change <= -2.0
        ):
            share = peers.fell_share if passed_last else peers.stayed_share
            params = {
                "total": round(s.last_total, 2),
                "scope": peers.scope,
                "n": peers.passed if passed_last else peers.failed,
                "change": round(peers.change, 2),
            }
            if share is None:  # none of its peers was where it was last year
                code, params["n"] = "peers_change", peers.count
            else:
                code, params["share"] = (
                    "peers_moved" if passed_last else "peers_stayed",
                    round(100 * share),
                )
            reasons.append((code, params))
        elif not passed_last:
            reasons.append(("last_year", {"total": round(s.last_total, 2)}))
    spread = 2.0 + 8.0 * (1.0 - elapsed)
    risk = _normal_cdf((spec.grading.pass_mark - projected) / spread)

    # No answers at all by the deadline means no total: a fail whatever the rest.
    no_total = 0.0
    for tool, n, minimum in (
        ("IIT", s.iit_respondents, s.iit_minimum),
        ("EIT", s.eit_respondents, s.eit_minimum),
    ):
        at_deadline = projected_count(n, elapsed)
        if minimum is None:
            reasons.append(("no_population", {}))
        elif at_deadline < minimum:
            reasons.append(
                (
                    "sample_short",
                    {"tool": tool, "n": n, "minimum": minimum, "projected": at_deadline},
                )
            )
        if n == 0:
            no_total = max(no_total, min(0.95, 0.3 + 0.7 * elapsed))
    risk = no_total + (1.0 - no_total) * risk
    return Risk(round(risk, 4), round(projected, 2), tuple(reasons))
