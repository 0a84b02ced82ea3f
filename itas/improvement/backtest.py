"""Back-test of the early warning on generated cycles whose outcome is known.

Each generated agency has a true level; its staff and service users answer over the survey
phase, more of them near the deadline (as real answers bunch up); its officers submit OIT items
over the cycle and assessors review them a while later; some agencies never start. The final
result is computed by the engine from everything that arrived. At 50 % and 80 % of the phase,
the same `assess()` the production refresh uses reads only what had arrived by then, and its
"will fail" (risk ≥ 0.5) is compared with the outcome: precision (of those warned, how many
failed) and recall (of those that failed, how many were warned).

Agencies come in types and provinces, and each group (a type in a province) moves together
from year to year: last year it moved by a group change, and this year it moves by PERSIST of
that change plus a fresh one (an outreach that worked, a new coordinator). So the last two
years' results show how agencies like each one moved, as the production refresh reads them from
the result tables. With `trends=False` the groups do not move (the generator before group
trends: the same agencies, the same answers, the same outcome for the same seed).

The generator's assumptions shape the figures: they say how well the rules work on cycles that
behave like this one, not a promise about real years. Pure Python, seeded, reproducible.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from itas.frameworks.engine import outcome
from itas.frameworks.spec import SURVEY_TOOLS, FrameworkSpec, round2
from itas.improvement.risk import PeerMove, Signals, assess, peer_moves

CHECKPOINTS = (0.5, 0.8)
KINDS: tuple[str, ...] = ("sao", "tambon_municipality", "town", "pao")
KIND_SHARES: tuple[float, ...] = (0.6, 0.25, 0.1, 0.05)
PROVINCES = 20
GROUP_CHANGE = 3.0  # spread of a group's change in points from one year to the next
PERSIST = 0.5  # share of last year's group change that carries into this year


@dataclass
class Score:
    at: float
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0

    @property
    def precision(self) -> float | None:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    @property
    def recall(self) -> float | None:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None

    def add(self, predicted: bool, failed: bool) -> None:
        if predicted and failed:
            self.tp += 1
        elif predicted:
            self.fp += 1
        elif failed:
            self.fn += 1
        else:
            self.tn += 1


@dataclass
class Agency:
    level: float
    survey: dict[str, float]  # true indicator levels
    iit: list[tuple[float, dict[str, float]]]  # (arrival, indicator scores) per respondent
    eit: list[tuple[float, dict[str, float]]]
    iit_minimum: int
    eit_minimum: int
    items: dict[str, tuple[float, float, bool]]  # code: (submitted, reviewed, accepted)
    last_total: float
    kind: str = ""
    province: str = ""
    total_before_last: float = 0.0  # the year before last


def _respondents(rnd, n, indicators, survey):
    out = []
    for _ in range(n):
        # Answers bunch near the deadline: arrival = 1 - u² puts most of them late.
        t = 1.0 - rnd.random() ** 2
        scores = {c: min(100.0, max(0.0, rnd.gauss(survey[c], 18))) for c in indicators}
        out.append((t, scores))
    return out


def generate(spec: FrameworkSpec, n: int, seed: int, *, trends: bool = True) -> list[Agency]:
    rnd = random.Random(seed)
    # Types, provinces and group changes draw from a stream of their own, so that the agencies
    # themselves are the same with or without trends.
    groups_rnd = random.Random(seed * 7919 + 1)
    kinds, weights = KINDS, KIND_SHARES
    last_change: dict[tuple[str, str], float] = {}
    this_change: dict[tuple[str, str], float] = {}
    for kind in kinds:
        for p in range(PROVINCES):
            key = (kind, f"{p + 10}")
            last_change[key] = groups_rnd.gauss(0, GROUP_CHANGE) if trends else 0.0
            fresh = groups_rnd.gauss(0, GROUP_CHANGE * 0.7)
            this_change[key] = PERSIST * last_change[key] + fresh if trends else 0.0
    iit_inds = [i.code for i in spec.indicators if i.tool == "IIT"]
    eit_inds = [i.code for i in spec.indicators if i.tool == "EIT"]
    agencies = []
    for _ in range(n):
        level = rnd.uniform(62, 100)
        survey = {c: min(100.0, max(0.0, rnd.gauss(level, 6))) for c in iit_inds + eit_inds}
        population = rnd.randint(8, 200)
        iit_min = spec.minimum_sample(population)
        eit_min = 30
        silent = rnd.random() < 0.04  # never starts its surveys
        keen = rnd.uniform(0.6, 1.8)
        n_iit = 0 if silent else max(0, int(iit_min * keen))
        n_eit = 0 if silent else max(0, int(eit_min * rnd.uniform(0.6, 2.0)))
        chance = max(0.2, min(0.99, (level - 30) / 60))
        items = {}
        for item in spec.oit_items:
            submitted = rnd.uniform(0.0, 1.08)  # past 1.0: never submitted
            reviewed = submitted + rnd.uniform(0.05, 0.35)
            items[item.code] = (submitted, reviewed, rnd.random() < chance)
        iit = _respondents(rnd, n_iit, iit_inds, survey)
        eit = _respondents(rnd, n_eit, eit_inds, survey)
        kind = groups_rnd.choices(kinds, weights)[0]
        province = f"{groups_rnd.randrange(PROVINCES) + 10}"
        last = min(100.0, max(0.0, rnd.gauss(level, 5) - this_change[(kind, province)]))
        before_last = last - last_change[(kind, province)] + groups_rnd.gauss(0, 3)
        agencies.append(
            Agency(
                level=level,
                survey=survey,
                iit=iit,
                eit=eit,
                iit_minimum=iit_min,
                eit_minimum=eit_min,
                items=items,
                last_total=last,
                kind=kind,
                province=province,
                total_before_last=min(100.0, max(0.0, before_last)),
            )
        )
    return agencies


def _mean_scores(answers, at: float) -> dict[str, float]:
    seen = [scores for t, scores in answers if t <= at]
    if not seen:
        return {}
    return {c: sum(s[c] for s in seen) / len(seen) for c in seen[0]}


def peers(spec: FrameworkSpec, population: list[Agency]) -> dict[int, PeerMove]:
    """How agencies like each one moved from the year before last to last year (what the
    refresh reads before this year has preliminary results)."""
    return peer_moves(  # type: ignore[return-value]
        {i: (a.kind, a.province) for i, a in enumerate(population)},
        {i: a.total_before_last for i, a in enumerate(population)},
        {i: a.last_total for i, a in enumerate(population)},
        pass_mark=spec.grading.pass_mark,
    )


def observe(spec: FrameworkSpec, a: Agency, at: float, moved: PeerMove | None = None) -> Signals:
    """What the system shows of agency `a` when a share `at` of the phase has passed."""
    indicators = {**_mean_scores(a.iit, at), **_mean_scores(a.eit, at)}
    met, returned, pending = set(), set(), set()
    for code, (submitted, reviewed, accepted) in a.items.items():
        if submitted > at:
            continue
        if reviewed > at:
            pending.add(code)
        elif accepted:
            met.add(code)
        else:
            returned.add(code)
    return Signals(
        elapsed=at,
        iit_respondents=sum(1 for t, _s in a.iit if t <= at),
        eit_respondents=sum(1 for t, _s in a.eit if t <= at),
        iit_minimum=a.iit_minimum,
        eit_minimum=a.eit_minimum,
        survey_indicators=indicators,
        items_met=frozenset(met),
        items_returned=frozenset(returned),
        items_pending=frozenset(pending),
        last_total=a.last_total,
        peers=moved,
    )


def failed(spec: FrameworkSpec, a: Agency) -> bool:
    """The known outcome: the engine's total from everything that arrived (no answers in a
    tool leaves no total, which does not pass)."""
    indicators = {**_mean_scores(a.iit, 1.0), **_mean_scores(a.eit, 1.0)}
    survey = {i.code: indicators.get(i.code) for i in spec.indicators if i.tool in SURVEY_TOOLS}
    items = {
        code: 100.0 if (submitted <= 1.0 and accepted) else 0.0
        for code, (submitted, _r, accepted) in a.items.items()
    }
    result = outcome(spec, survey_indicators=survey, oit_items=items)
    return result.total is None or round2(result.total) < spec.grading.pass_mark


def run(spec: FrameworkSpec, *, agencies: int = 2000, seed: int = 1, trends: bool = True) -> dict:
    """The rules with and without the peers' move (`checkpoints`, `without_peers`) on the same
    generated agencies, and the baseline anyone has without ITAS."""
    population = generate(spec, agencies, seed, trends=trends)
    moved = peers(spec, population)
    outcomes = [failed(spec, a) for a in population]
    scores = {at: Score(at) for at in CHECKPOINTS}
    without = {at: Score(at) for at in CHECKPOINTS}
    # The baseline anyone has without ITAS: "it failed last year, so it will fail again".
    baseline = Score(0.0)
    for i, (a, fail) in enumerate(zip(population, outcomes, strict=True)):
        for at in CHECKPOINTS:
            scores[at].add(assess(spec, observe(spec, a, at, moved.get(i))).will_fail, fail)
            without[at].add(assess(spec, observe(spec, a, at)).will_fail, fail)
        baseline.add(a.last_total < spec.grading.pass_mark, fail)
    return {
        "agencies": agencies,
        "seed": seed,
        "trends": trends,
        "failed": sum(outcomes),
        "with_peers": sum(1 for m in moved.values() if m is not None),
        "checkpoints": scores,
        "without_peers": without,
        "baseline": baseline,
    }
