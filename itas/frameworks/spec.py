"""A framework as plain, frozen Python values, parsed from its (already validated) document.

Pure Python: no Django import, so that the scoring engine can use it anywhere. The document
format is described in docs/frameworks.md; `itas.frameworks.validation` checks a document and
names every problem before anything here sees it.

Sequences are tuples (the values are frozen); iterate or index them like lists.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

TOOLS = ("IIT", "EIT", "OIT")
SURVEY_TOOLS = ("IIT", "EIT")
# The officer functions of seed letter 000 (the values of itas.core.roles.Function): which
# officer an OIT item goes to unless the framework says otherwise.
FUNCTIONS = ("policy", "finance", "procurement", "personnel", "website")
DEFAULT_FUNCTION = "website"


def round2(value: float) -> float:
    """Half-up to two decimals, from the value as written (84.995 -> 85.0, 38.306 -> 38.31).

    The float is read through its shortest repr, so 84.995 is treated as 84.995 and not as the
    binary 84.99499999... that stores it."""
    return float(Decimal(repr(float(value))).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


@dataclass(frozen=True)
class ChoiceSpec:
    value: str
    label: str
    score: float


@dataclass(frozen=True)
class SubItemSpec:
    code: str
    text: str  # empty when the question has no explicit sub-items (show the question's text)
    choices: tuple[ChoiceSpec, ...]
    reversed: bool = False  # the choices' scores are already reversed (100 - score)

    def choice(self, value: str) -> ChoiceSpec | None:
        return next((c for c in self.choices if c.value == value), None)


@dataclass(frozen=True)
class QuestionSpec:
    code: str  # I1, E1
    tool: str  # IIT | EIT
    indicator: str  # "1".."8"
    text: str
    kind: str  # scale4, yes_no, or another named choice set of the document
    subitems: tuple[SubItemSpec, ...]
    reversed: bool = False  # the whole question is reversed

    def subitem(self, code: str) -> SubItemSpec | None:
        return next((s for s in self.subitems if s.code == code), None)


@dataclass(frozen=True)
class SubIndicatorSpec:
    code: str  # "9.1"
    name: str
    function: str = DEFAULT_FUNCTION  # the officer function its items go to by default


@dataclass(frozen=True)
class IndicatorSpec:
    code: str  # "1".."10"
    name: str
    tool: str
    weight: float  # share of the total, in points out of 100
    subindicators: tuple[SubIndicatorSpec, ...] = ()


@dataclass(frozen=True)
class ToolSpec:
    code: str  # IIT | EIT | OIT
    name: str
    weight: float


@dataclass(frozen=True)
class OITItemSpec:
    code: str  # O1
    indicator: str  # "9"
    subindicator: str  # "9.1"
    title: str
    criteria: tuple[str, ...]  # the item's own criteria, then the ones common to every item
    function: str = DEFAULT_FUNCTION  # its own, else its sub-indicator's


@dataclass(frozen=True)
class GradeBand:
    grade: str
    min: float
    max: float


@dataclass(frozen=True)
class LabelRule:
    """The newer labelling: the first rule whose conditions hold gives the label."""

    label: str
    min_total: float
    min_each_tool: float | None = None


@dataclass(frozen=True)
class GradeResult:
    grade: str
    label: str
    passed: bool


@dataclass(frozen=True)
class GradingSpec:
    pass_mark: float
    bands: tuple[GradeBand, ...]
    labels: tuple[LabelRule, ...] = ()


@dataclass(frozen=True)
class SampleBand:
    population_min: int
    population_max: int | None  # None: no upper bound
    minimum: int | None  # None: everyone in the band (the whole population)


@dataclass(frozen=True)
class FrameworkSpec:
    code: str
    fiscal_year: int
    name: str
    tools: tuple[ToolSpec, ...]
    indicators: tuple[IndicatorSpec, ...]
    questions: tuple[QuestionSpec, ...]
    oit_items: tuple[OITItemSpec, ...]
    grading: GradingSpec
    sample_table: tuple[SampleBand, ...]
    sample_note: str = ""
    _questions_by_code: dict[str, QuestionSpec] = field(
        default_factory=dict, compare=False, repr=False
    )
    _items_by_code: dict[str, OITItemSpec] = field(default_factory=dict, compare=False, repr=False)
    _by_indicator: dict[str, list[QuestionSpec]] = field(
        default_factory=dict, compare=False, repr=False
    )
    _by_subindicator: dict[str, list[OITItemSpec]] = field(
        default_factory=dict, compare=False, repr=False
    )
    # What the engine derives once per spec (itas.frameworks.engine._plan): the spec is frozen,
    # so its derived tables never go stale.
    _memo: dict[str, object] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        self._questions_by_code.update({q.code: q for q in self.questions})
        self._items_by_code.update({i.code: i for i in self.oit_items})
        for q in self.questions:
            self._by_indicator.setdefault(q.indicator, []).append(q)
        for i in self.oit_items:
            self._by_subindicator.setdefault(i.subindicator, []).append(i)

    # -- lookups -------------------------------------------------------------------------
    def tool(self, code: str) -> ToolSpec | None:
        return next((t for t in self.tools if t.code == code), None)

    def indicator(self, code: str) -> IndicatorSpec | None:
        return next((i for i in self.indicators if i.code == code), None)

    def indicators_for(self, tool: str) -> list[IndicatorSpec]:
        return [i for i in self.indicators if i.tool == tool.upper()]

    def questions_for(self, tool: str) -> list[QuestionSpec]:
        """The questions of IIT or EIT (case-insensitive: "iit" works), in order."""
        return [q for q in self.questions if q.tool == tool.upper()]

    def question(self, code: str) -> QuestionSpec | None:
        return self._questions_by_code.get(code)

    def oit_item(self, code: str) -> OITItemSpec | None:
        return self._items_by_code.get(code)

    def items_for(self, subindicator: str) -> list[OITItemSpec]:
        """The OIT items of a sub-indicator ("9.1"), in order."""
        return list(self._by_subindicator.get(subindicator, ()))

    def questions_in(self, indicator: str) -> list[QuestionSpec]:
        """The questions of an IIT/EIT indicator ("1"), in order."""
        return list(self._by_indicator.get(indicator, ()))

    # -- rules ---------------------------------------------------------------------------
    def minimum_sample(self, population: int) -> int:
        """The minimum number of IIT respondents for an agency with this many eligible staff."""
        if population <= 0:
            return 0
        for band in self.sample_table:
            upper = band.population_max
            if band.population_min <= population and (upper is None or population <= upper):
                return population if band.minimum is None else min(band.minimum, population)
        return population  # outside the table: everyone

    def grade(
        self, total: float, tool_scores: dict[str, float | None] | None = None
    ) -> GradeResult:
        """Grade, label and pass for a total out of 100 (rounded half-up to 2 decimals first).

        `tool_scores` are the tools' scores out of 100 (IIT, EIT, OIT), used by label rules
        that ask for every tool to reach a mark."""
        shown = round2(total)
        grade = ""
        for band in self.grading.bands:
            if band.min <= shown <= band.max:
                grade = band.grade
                break
        tools = {k.upper(): v for k, v in (tool_scores or {}).items()}
        label = ""
        for rule in self.grading.labels:
            if shown < rule.min_total:
                continue
            if rule.min_each_tool is not None:
                scores = [tools.get(t.code) for t in self.tools]
                if any(s is None or round2(s) < rule.min_each_tool for s in scores):
                    continue
            label = rule.label
            break
        return GradeResult(grade=grade, label=label, passed=shown >= self.grading.pass_mark)


def reverse_score(score: float) -> float:
    return round(100.0 - score, 6)
