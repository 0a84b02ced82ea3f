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
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field

from itas.frameworks.engine import item_worth
from itas.frameworks.spec import SURVEY_TOOLS, FrameworkSpec

ACCEPT_PENDING = 0.8  # share of submitted items that assessors accept
RECOVER_RETURNED = 0.15  # share of items returned as not met that a clarification restores
# Missing items still submitted by the end: most of them early on, fewer as time runs out
# ((1 - t) / (1.1 - t): 91 % at the start, 83 % at half-time, 67 % at 80 %, none at the end).
LATE_SLACK = 0.1
TYPICAL_SURVEY = 75.0  # IIT/EIT level assumed before any answer and without last year
WILL_FAIL = 0.5  # the risk from which an agency is said to be heading for a fail


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


def projected_count(n: int, elapsed: float) -> int:
    """Answers at the deadline at the pace so far (answers bunch near deadlines, so this
    errs low early: a warning, not a verdict)."""
    if elapsed >= 1.0:
        return n
    return int(n / max(elapsed, 0.05))


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
        survey_part = survey_weight * s.last_total / 100.0
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
        # Early on, last year says as much as this year's few signals.
        w = 0.4 * (1.0 - elapsed)
        projected = (1 - w) * projected + w * s.last_total
        if s.last_total < spec.grading.pass_mark:
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
