"""A framework as plain, frozen Python values, parsed from its (already validated) document.

Pure Python: no Django import, so that the scoring engine can use it anywhere. The document
format is described in docs/frameworks.md; `itas.frameworks.validation` checks a document and
names every problem before anything here sees it.

Sequences are tuples (the values are frozen); iterate or index them like lists.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

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


# -- parsing (the document is assumed valid: see itas.frameworks.validation) ---------------


def _num(value: Any) -> float:
    return float(value)


def reverse_score(score: float) -> float:
    return round(100.0 - score, 6)


def _choices(raw: list[dict], *, reversed_: bool) -> tuple[ChoiceSpec, ...]:
    out = []
    for c in raw:
        score = _num(c["score"])
        out.append(
            ChoiceSpec(
                value=str(c["value"]),
                label=str(c.get("label", c["value"])),
                score=reverse_score(score) if reversed_ else score,
            )
        )
    return tuple(out)


def _question(raw: dict, doc: dict, indicator_tool: dict[str, str]) -> QuestionSpec:
    scales = doc.get("scales") or {}
    kind = str(raw.get("kind", "scale4"))
    q_reversed = bool(raw.get("reversed", False))
    base_choices = raw.get("choices") or scales.get(kind) or []
    raw_subs = raw.get("subitems") or [{"code": "1", "text": ""}]
    subs = []
    for s in raw_subs:
        s_reversed = bool(s.get("reversed", q_reversed))
        subs.append(
            SubItemSpec(
                code=str(s["code"]),
                text=str(s.get("text", "")),
                choices=_choices(s.get("choices") or base_choices, reversed_=s_reversed),
                reversed=s_reversed,
            )
        )
    indicator = str(raw["indicator"])
    return QuestionSpec(
        code=str(raw["code"]),
        tool=indicator_tool.get(indicator, ""),
        indicator=indicator,
        text=str(raw.get("text", "")),
        kind=kind,
        subitems=tuple(subs),
        reversed=q_reversed,
    )


def spec_from_document(doc: dict) -> FrameworkSpec:
    tools = tuple(
        ToolSpec(code=str(t["code"]), name=str(t.get("name", "")), weight=_num(t["weight"]))
        for t in doc.get("tools") or []
    )
    indicators = tuple(
        IndicatorSpec(
            code=str(i["code"]),
            name=str(i.get("name", "")),
            tool=str(i["tool"]),
            weight=_num(i["weight"]),
            subindicators=tuple(
                SubIndicatorSpec(
                    code=str(s["code"]),
                    name=str(s.get("name", "")),
                    function=str(s.get("function") or DEFAULT_FUNCTION),
                )
                for s in i.get("subindicators") or []
            ),
        )
        for i in doc.get("indicators") or []
    )
    indicator_tool = {i.code: i.tool for i in indicators}
    questions = tuple(_question(q, doc, indicator_tool) for q in doc.get("questions") or [])
    oit = doc.get("oit") or {}
    common = tuple(str(c) for c in oit.get("common_criteria") or [])
    sub_parent = {s.code: i.code for i in indicators for s in i.subindicators}
    sub_function = {s.code: s.function for i in indicators for s in i.subindicators}
    items = tuple(
        OITItemSpec(
            code=str(it["code"]),
            indicator=sub_parent.get(str(it["subindicator"]), ""),
            subindicator=str(it["subindicator"]),
            title=str(it.get("title", "")),
            criteria=tuple(str(c) for c in it.get("criteria") or []) + common,
            function=str(
                it.get("function") or sub_function.get(str(it["subindicator"]), DEFAULT_FUNCTION)
            ),
        )
        for it in oit.get("items") or []
    )
    g = doc.get("grading") or {}
    grading = GradingSpec(
        pass_mark=_num(g.get("pass_mark", 0)),
        bands=tuple(
            GradeBand(grade=str(b["grade"]), min=_num(b["min"]), max=_num(b["max"]))
            for b in g.get("bands") or []
        ),
        labels=tuple(
            LabelRule(
                label=str(rule["label"]),
                min_total=_num(rule.get("min_total", 0)),
                min_each_tool=(
                    None if rule.get("min_each_tool") is None else _num(rule["min_each_tool"])
                ),
            )
            for rule in g.get("labels") or []
        ),
    )
    sample = doc.get("sample") or {}
    table = tuple(
        SampleBand(
            population_min=int(b["population_min"]),
            population_max=None if b.get("population_max") is None else int(b["population_max"]),
            minimum=None if b.get("minimum") in (None, "all") else int(b["minimum"]),
        )
        for b in sample.get("bands") or []
    )
    return FrameworkSpec(
        code=str(doc["code"]),
        fiscal_year=int(doc["fiscal_year"]),
        name=str(doc.get("name", "")),
        tools=tools,
        indicators=indicators,
        questions=questions,
        oit_items=items,
        grading=grading,
        sample_table=table,
        sample_note=str(sample.get("note", "")),
    )
