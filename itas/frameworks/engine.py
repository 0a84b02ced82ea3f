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
    GradeResult,
    QuestionSpec,
    round2,
)

__all__ = [
    "AgencyScores",
    "QuestionTally",
    "indicator_from_tallies",
    "oit_indicator",
    "question_score",
    "round2",
    "score_agency",
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
