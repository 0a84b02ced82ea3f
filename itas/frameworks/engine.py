"""The ITA arithmetic, exactly as the framework says: pure Python, no Django.

question → indicator → tool → total:

- one respondent's question score is the mean of its sub-items' choice scores;
- an IIT/EIT indicator is the mean over its questions and all valid respondents' answers
  (Σ score / number of answers, so each answer weighs the same);
- an OIT item is 0 or 100; a sub-indicator is the mean of its items; an OIT indicator is the
  equal-weight mean of its sub-indicators;
- a tool's score (out of 100) is its indicators' weighted mean; the total is
  Σ weight × indicator / 100 over all indicators (the weights add to 100);
- missing data stays missing: an indicator without answers is None, and so are its tool and the
  total (never a zero). Rounding (half-up, two decimals) happens only for display and grading,
  always from the unrounded values.

It lives with the frameworks, not in the scoring app, because the questionnaire (surveys) scores
each question at submission and the OIT board shows a preliminary score: both are upstream of
scoring, and arrows point downstream only. The scoring app aggregates in the database and calls
this module for the roll-up.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from itas.frameworks.spec import (
    SURVEY_TOOLS,
    FrameworkSpec,
    GradeBand,
    GradeResult,
    QuestionSpec,
    round2,
)

__all__ = [
    "AgencyScores",
    "GroupNeed",
    "ItemGain",
    "Outcome",
    "PathToPass",
    "Shortfall",
    "Target",
    "QuestionTally",
    "indicator_from_tallies",
    "oit_indicator",
    "group_needs",
    "item_worth",
    "outcome",
    "path_to_pass",
    "question_score",
    "round2",
    "score_agency",
    "shortfalls",
    "weighted_contribution",
]


def question_score(question: QuestionSpec, chosen: Mapping[str, str]) -> float:
    """One respondent's score for one question: the mean of its sub-items' choice scores.

    `chosen` maps each sub-item code to the chosen value. Raises ValueError when a sub-item is
    missing or a value is not one of the sub-item's choices; extra keys are refused too."""
    unknown = set(chosen) - {s.code for s in question.subitems}
    if unknown:
        raise ValueError(f"{question.code}: unknown sub-item(s) {sorted(unknown)}")
    total = 0.0
    for sub in question.subitems:
        if sub.code not in chosen:
            raise ValueError(f"{question.code}: sub-item {sub.code} is not answered")
        choice = sub.choice(str(chosen[sub.code]))
        if choice is None:
            raise ValueError(f"{question.code}.{sub.code}: unknown choice {chosen[sub.code]!r}")
        total += choice.score
    return total / len(question.subitems)


@dataclass(frozen=True)
class QuestionTally:
    """The valid answers to one question in one agency: their mean score and their count."""

    mean: float
    count: int


def indicator_from_tallies(tallies: Iterable[QuestionTally | None]) -> float | None:
    """Mean over every answer to the indicator's questions (None when there is none)."""
    total = 0.0
    count = 0
    for t in tallies:
        if t is None or t.count <= 0:
            continue
        total += t.mean * t.count
        count += t.count
    return total / count if count else None


def _mean(values: list[float]) -> float:
    return sum(values) / len(values)


def oit_indicator(
    spec: FrameworkSpec, indicator_code: str, items: Mapping[str, float]
) -> tuple[float | None, dict[str, float | None]]:
    """(indicator score, {sub-indicator: score}) from OIT item scores (0/100).

    A sub-indicator with any item unscored is None, and so is the indicator: an incomplete
    review is shown as missing, not as a lower score."""
    ind = spec.indicator(indicator_code)
    subs: dict[str, float | None] = {}
    if ind is None:
        return None, subs
    for sub in ind.subindicators:
        scores = [items.get(item.code) for item in spec.items_for(sub.code)]
        subs[sub.code] = None if not scores or None in scores else _mean(scores)  # type: ignore[arg-type]
    values = list(subs.values())
    if not values or None in values:
        return None, subs
    return _mean(values), subs  # type: ignore[arg-type]


def weighted_contribution(pairs: Iterable[tuple[float, float | None]]) -> float | None:
    """Σ weight × score / 100 for (weight, score) pairs; None if any score is missing.

    For OIT of FY2564: [(20, 93.50), (20, 100)] → 38.70."""
    total = 0.0
    for weight, score in pairs:
        if score is None:
            return None
        total += weight * score / 100.0
    return total


@dataclass
class AgencyScores:
    """One agency's scores, unrounded (round with round2 for display)."""

    questions: dict[str, QuestionTally] = field(default_factory=dict)
    indicators: dict[str, float | None] = field(default_factory=dict)
    subindicators: dict[str, float | None] = field(default_factory=dict)
    tools: dict[str, float | None] = field(default_factory=dict)  # out of 100
    contributions: dict[str, float | None] = field(default_factory=dict)  # out of the tool weight
    total: float | None = None
    grade: GradeResult | None = None

    @property
    def total_rounded(self) -> float | None:
        return None if self.total is None else round2(self.total)


def score_agency(
    spec: FrameworkSpec,
    *,
    questions: Mapping[str, QuestionTally],
    oit_items: Mapping[str, float] | None = None,
) -> AgencyScores:
    """Roll one agency up from its per-question tallies (IIT/EIT) and OIT item scores."""
    oit_items = oit_items or {}
    out = AgencyScores(questions=dict(questions))
    for ind in spec.indicators:
        if ind.tool in SURVEY_TOOLS:
            qs = spec.questions_in(ind.code)
            out.indicators[ind.code] = indicator_from_tallies(questions.get(q.code) for q in qs)
        else:
            score, subs = oit_indicator(spec, ind.code, oit_items)
            out.indicators[ind.code] = score
            out.subindicators.update(subs)
    for tool in spec.tools:
        inds = spec.indicators_for(tool.code)
        contribution = weighted_contribution((i.weight, out.indicators.get(i.code)) for i in inds)
        out.contributions[tool.code] = contribution
        out.tools[tool.code] = (
            None if contribution is None or not tool.weight else contribution * 100.0 / tool.weight
        )
    parts = list(out.contributions.values())
    out.total = None if not parts or None in parts else sum(parts)  # type: ignore[arg-type]
    if out.total is not None:
        out.grade = spec.grade(out.total, out.tools)
    return out


# -- the inverse questions: what would change the outcome ----------------------------------
#
# The total is linear in the OIT item scores: an item is 1/n of its sub-indicator, a
# sub-indicator 1/m of its indicator, the indicator weight/100 of the total. So each item has a
# fixed worth in points, items add up without interacting, and the fewest items reaching a mark
# are simply the most valuable ones first (an exchange argument: any smaller set would have to
# be worth more than the same number of the largest worths). No search is needed, and the
# answers stay exact because every outcome is recomputed through the same roll-up as scoring.


def _item_worth(spec: FrameworkSpec) -> dict[str, float]:
    worth: dict[str, float] = {}
    for ind in spec.indicators:
        if ind.tool in SURVEY_TOOLS or not ind.subindicators:
            continue
        share = ind.weight / len(ind.subindicators)
        for sub in ind.subindicators:
            items = spec.items_for(sub.code)
            for item in items:
                worth[item.code] = share / len(items)
    return worth


def item_worth(spec: FrameworkSpec) -> dict[str, float]:
    """{item: points of the total (out of 100) it adds when it goes from 0 to 100}."""
    return dict(_plan(spec).worth)


@dataclass(frozen=True)
class _Plan:
    """What the inverse questions read of a spec at every call, derived once per spec (a
    national path-to-pass run asks 8,300 times): the items' worths and order, and the roll-up's
    shape. The arithmetic that uses it is the roll-up's own, in the same order, so the totals
    are the same floats to the last bit."""

    worth: dict[str, float]
    natural: dict[str, tuple]  # item: its sort key (O2 before O10)
    item_codes: tuple[str, ...]
    # Per indicator, in the spec's order: (code, None) for IIT/EIT, else (code, the item codes
    # of each of its sub-indicators).
    indicators: tuple[tuple[str, tuple[tuple[str, ...], ...] | None], ...]
    # Per tool: (code, weight, ((indicator code, weight), ...)).
    tools: tuple[tuple[str, float, tuple[tuple[str, float], ...]], ...]
    marks: tuple[GradeBand, ...]  # the pass mark and each higher band, lowest first
    survey_weight: float


def _plan(spec: FrameworkSpec) -> _Plan:
    plan = spec._memo.get("engine")
    if plan is None:
        worth = _item_worth(spec)
        indicators: list[tuple[str, tuple[tuple[str, ...], ...] | None]] = []
        for ind in spec.indicators:
            if ind.tool in SURVEY_TOOLS:
                indicators.append((ind.code, None))
            else:
                subs = tuple(
                    tuple(i.code for i in spec.items_for(sub.code)) for sub in ind.subindicators
                )
                indicators.append((ind.code, subs))
        marks = sorted(
            (b for b in spec.grading.bands if b.min >= spec.grading.pass_mark),
            key=lambda b: b.min,
        )
        if not any(b.min == spec.grading.pass_mark for b in marks):
            marks.insert(0, GradeBand("", spec.grading.pass_mark, 100.0))
        plan = _Plan(
            worth=worth,
            natural={c: _natural(c) for c in worth},
            item_codes=tuple(i.code for i in spec.oit_items),
            indicators=tuple(indicators),
            tools=tuple(
                (t.code, t.weight, tuple((i.code, i.weight) for i in spec.indicators_for(t.code)))
                for t in spec.tools
            ),
            marks=tuple(marks),
            survey_weight=sum(i.weight for i in spec.indicators if i.tool in SURVEY_TOOLS),
        )
        spec._memo["engine"] = plan
    return plan  # type: ignore[return-value]


@dataclass(frozen=True)
class Outcome:
    """A total and its grade, computed by the framework's rules (unrounded total)."""

    total: float | None
    tools: dict[str, float | None]
    grade: GradeResult | None

    @property
    def total_rounded(self) -> float | None:
        return None if self.total is None else round2(self.total)


def outcome(
    spec: FrameworkSpec,
    *,
    survey_indicators: Mapping[str, float | None],
    oit_items: Mapping[str, float | None],
    met: Iterable[str] = (),
) -> Outcome:
    """The total and grade from IIT/EIT indicator scores and OIT item scores, with the items in
    `met` counted as published and accepted (100). An item not scored yet counts as not met (0):
    the question is what the agency gets if nothing else is accepted."""
    plan = _plan(spec)
    met = set(met)
    items = {
        code: 100.0 if code in met else float(oit_items.get(code) or 0.0)
        for code in plan.item_codes
    }
    return _roll_up(spec, plan, survey_indicators, items)


def _roll_up(
    spec: FrameworkSpec,
    plan: _Plan,
    survey_indicators: Mapping[str, float | None],
    items: Mapping[str, float],
) -> Outcome:
    """outcome()'s roll-up from every item's score: score_agency's arithmetic (oit_indicator,
    weighted_contribution) step for step, on the plan's tables instead of the spec's lookups."""
    indicators: dict[str, float | None] = {}
    for code, subs in plan.indicators:
        if subs is None:
            indicators[code] = survey_indicators.get(code)
            continue
        means = [_mean([items[c] for c in sub]) if sub else None for sub in subs]
        indicators[code] = None if not means or None in means else _mean(means)  # type: ignore[arg-type]
    tools: dict[str, float | None] = {}
    parts: list[float | None] = []
    for tool, weight, members in plan.tools:
        c = weighted_contribution((w, indicators.get(i)) for i, w in members)
        parts.append(c)
        tools[tool] = None if c is None or not weight else c * 100.0 / weight
    if not parts or None in parts:
        return Outcome(None, tools, None)
    total = sum(parts)  # type: ignore[arg-type]
    return Outcome(total, tools, spec.grade(total, tools))


@dataclass(frozen=True)
class ItemGain:
    code: str
    points: float  # points of the total the item adds once accepted


@dataclass(frozen=True)
class Target:
    """What it takes to reach one grade band (its lower mark)."""

    grade: str
    mark: float
    reached: bool  # already there
    items: tuple[str, ...] = ()  # the fewest OIT items that reach it, most valuable first
    total_after: float | None = None  # the total with those items (unrounded)
    by_oit_alone: bool = True
    # Where OIT alone is not enough: points of the total still missing with every item met,
    # and the rise that means in every IIT and EIT indicator (points out of 100) on average.
    survey_points: float = 0.0
    survey_rise: float = 0.0


@dataclass(frozen=True)
class PathToPass:
    current: Outcome
    best_by_oit: Outcome  # every OIT item met
    gains: tuple[ItemGain, ...]  # unmet items, most valuable first
    targets: tuple[Target, ...]  # the pass mark and each higher band, lowest first

    @property
    def complete(self) -> bool:
        return self.current.total is not None


def _natural(code: str) -> tuple:
    digits = "".join(ch for ch in code if ch.isdigit())
    return (code.rstrip("0123456789"), int(digits) if digits else 0, code)


def _near(total: float, mark: float) -> bool:
    """Whether a total sits where float noise could change its rounding against the mark."""
    return abs(total - (mark - 0.005)) < 1e-6


def _reaches(total: float, mark: float) -> bool:
    """round2(total) >= mark, for a mark of two decimals: away from the rounding's edge a float
    comparison says the same, and round2 (decimal, slower) decides only near it."""
    edge = mark - 0.005
    if total > edge + 1e-6:
        return True
    if total < edge - 1e-6:
        return False
    return round2(total) >= mark


def path_to_pass(
    spec: FrameworkSpec,
    *,
    survey_indicators: Mapping[str, float | None],
    oit_items: Mapping[str, float | None],
) -> PathToPass:
    """Which items raise the total most, and the fewest that reach the pass mark and each higher
    band, given IIT and EIT as they are; where no set of items is enough, by how much IIT/EIT
    must rise."""
    plan = _plan(spec)
    worth, natural = plan.worth, plan.natural
    scores = {c: float(oit_items.get(c) or 0.0) for c in plan.item_codes}
    current = _roll_up(spec, plan, survey_indicators, scores)
    unmet = [c for c in worth if scores.get(c, 0.0) < 100.0]
    gains = tuple(
        sorted(
            (ItemGain(c, worth[c] * (100.0 - scores.get(c, 0.0)) / 100.0) for c in unmet),
            key=lambda g: (-g.points, natural[g.code]),
        )
    )
    best = _roll_up(spec, plan, survey_indicators, {**scores, **dict.fromkeys(unmet, 100.0)})
    if current.total is None or best.total is None:
        return PathToPass(current, best, gains, ())
    survey_weight = plan.survey_weight
    # Roll-ups by the number of the most valuable items met, shared by the bands: all of them
    # met is `best` (the same items, so the same floats).
    rolled = {len(gains): best}
    targets = []
    for band in plan.marks:
        mark = band.min
        if _reaches(current.total, mark):
            targets.append(Target(band.grade, mark, True, total_after=current.total))
            continue
        if not _reaches(best.total, mark):
            missing = mark - best.total
            rise = missing * 100.0 / survey_weight if survey_weight else 0.0
            targets.append(
                Target(
                    band.grade,
                    mark,
                    False,
                    items=tuple(g.code for g in gains),
                    total_after=best.total,
                    by_oit_alone=False,
                    survey_points=missing,
                    survey_rise=rise,
                )
            )
            continue
        # The most valuable items first; the running sum finds the count, and the engine's
        # own roll-up gives the exact total. Only where the sum lands within a hair of the
        # mark (float noise could tip the rounding) is the count checked item by item.
        running, k = current.total, 0
        while k < len(gains) and not _reaches(running, mark):
            running += gains[k].points
            k += 1
        chosen = [g.code for g in gains[:k]]
        after = rolled.get(k)
        if after is None:
            met = dict.fromkeys(chosen, 100.0)
            after = rolled[k] = _roll_up(spec, plan, survey_indicators, {**scores, **met})
        if (
            abs(after.total - running) > 1e-6
            or _near(running, mark)
            or _near(running - (gains[k - 1].points if k else 0.0), mark)
        ):
            while after.total is not None and round2(after.total) < mark and k < len(gains):
                k += 1
                chosen = [g.code for g in gains[:k]]
                after = outcome(
                    spec, survey_indicators=survey_indicators, oit_items=oit_items, met=chosen
                )
            while k > 0:
                fewer = outcome(
                    spec,
                    survey_indicators=survey_indicators,
                    oit_items=oit_items,
                    met=chosen[:-1],
                )
                if fewer.total is None or round2(fewer.total) < mark:
                    break
                k -= 1
                chosen, after = chosen[:-1], fewer
        targets.append(Target(band.grade, mark, False, tuple(chosen), after.total))
    return PathToPass(current, best, gains, tuple(targets))


@dataclass(frozen=True)
class Shortfall:
    code: str
    score: float
    peers: float
    gap: float  # score - peers: negative when below the peers


def shortfalls(
    spec: FrameworkSpec,
    indicators: Mapping[str, float | None],
    peers: Mapping[str, float | None],
) -> list[Shortfall]:
    """IIT/EIT indicators where the agency is below its peers' average, furthest first."""
    out = []
    for ind in spec.indicators:
        if ind.tool not in SURVEY_TOOLS:
            continue
        mine, theirs = indicators.get(ind.code), peers.get(ind.code)
        if mine is None or theirs is None or mine >= theirs:
            continue
        out.append(Shortfall(ind.code, mine, theirs, mine - theirs))
    return sorted(out, key=lambda s: (s.gap, _natural(s.code)))


@dataclass
class GroupNeed:
    """One OIT item or IIT/EIT indicator across a group of agencies."""

    code: str
    kind: str  # "item" or "indicator"
    agencies: int = 0  # members missing the item, or below full marks on the indicator
    points: float = 0.0  # points of the total this costs the group, summed over its members

    @property
    def points_per_agency(self) -> float:
        return self.points / self.agencies if self.agencies else 0.0


def group_needs(
    spec: FrameworkSpec,
    members: Iterable[tuple[Mapping[str, float | None], Mapping[str, float | None]]],
) -> tuple[list[GroupNeed], list[GroupNeed]]:
    """(OIT items, IIT/EIT indicators) ranked by the points they cost a group of agencies.

    `members` gives each agency's (indicator scores, OIT item scores). An item costs its worth
    where it is not met; an indicator costs weight × (100 - score) / 100, what it keeps from the
    total short of full marks."""
    worth = item_worth(spec)
    items = {c: GroupNeed(c, "item") for c in worth}
    survey = [i for i in spec.indicators if i.tool in SURVEY_TOOLS]
    inds = {i.code: GroupNeed(i.code, "indicator") for i in survey}
    for indicators, oit in members:
        for code, w in worth.items():
            score = float(oit.get(code) or 0.0)
            if score < 100.0:
                items[code].agencies += 1
                items[code].points += w * (100.0 - score) / 100.0
        for ind in survey:
            score = indicators.get(ind.code)
            if score is None or score >= 100.0:
                continue
            inds[ind.code].agencies += 1
            inds[ind.code].points += ind.weight * (100.0 - score) / 100.0

    def ranked(needs):
        return sorted(
            (n for n in needs.values() if n.agencies),
            key=lambda n: (-n.points, _natural(n.code)),
        )

    return ranked(items), ranked(inds)
