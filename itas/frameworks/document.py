"""The framework document's shape, described once: typed models that validate a parsed YAML
document, name every problem with its path, and build the frozen FrameworkSpec.

The models give each mapping its keys, types, defaults and ranges (pydantic, strict, unknown
keys forbidden). What relates one part of the document to another (weights that add up, codes
that are unique or refer to each other, grade bands that cover 0–100) are the rules in
document_rules, which read the typed parts; document_check validates every part on its own,
each list entry by itself, so that one broken entry does not hide the problems of the others:
an author fixes a file in one pass. The format is described for people in docs/frameworks.md.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from itas.frameworks.spec import (
    DEFAULT_FUNCTION,
    ChoiceSpec,
    FrameworkSpec,
    GradeBand,
    GradingSpec,
    IndicatorSpec,
    LabelRule,
    OITItemSpec,
    QuestionSpec,
    SampleBand,
    SubIndicatorSpec,
    SubItemSpec,
    ToolSpec,
    reverse_score,
)

EPS = 1e-6
CODE_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,49}$")


def _code_text(value: Any) -> Any:
    # YAML reads `code: 1` as a number; a code is its text either way.
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


Code = Annotated[str, BeforeValidator(_code_text), Field(min_length=1)]
Score = Annotated[float, Field(ge=0, le=100)]
Text = Annotated[str, Field(min_length=1)]
Function = Literal["policy", "finance", "procurement", "personnel", "website"]  # spec.FUNCTIONS
Tool = Literal["IIT", "EIT", "OIT"]


STRICT = ConfigDict(strict=True)


class Part(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class Choice(Part):
    value: Code
    label: str = ""
    score: Score

    def spec(self, *, reversed_: bool) -> ChoiceSpec:
        return ChoiceSpec(
            value=self.value,
            label=self.label or self.value,
            score=reverse_score(self.score) if reversed_ else self.score,
        )


Choices = Annotated[list[Choice], Field(min_length=1)]


class ToolPart(Part):
    code: Tool
    name: str = ""
    weight: Score


class SubIndicatorPart(Part):
    code: Code
    name: str = ""
    function: Function = DEFAULT_FUNCTION


class IndicatorPart(Part):
    code: Code
    name: str = ""
    tool: Code
    weight: Score
    subindicators: list[SubIndicatorPart] | None = None


class SubItemPart(Part):
    code: Code
    text: str = ""
    reversed: bool | None = None  # None: as the question
    choices: Choices | None = None


class QuestionPart(Part):
    code: Code
    indicator: Code
    kind: str = "scale4"
    text: Text
    reversed: bool = False
    subitems: Annotated[list[SubItemPart], Field(min_length=1)] | None = None
    choices: Choices | None = None


class OITItemPart(Part):
    code: Code
    subindicator: Code
    title: Text
    criteria: list[str] = []
    function: Function | None = None  # None: the sub-indicator's


class OITPart(Part):
    common_criteria: list[str] = []
    items: list[OITItemPart] = []


class BandPart(Part):
    grade: Text
    min: Score
    max: Score


class LabelPart(Part):
    label: Text
    min_total: Score = 0
    min_each_tool: Score | None = None


class GradingPart(Part):
    pass_mark: Score
    bands: Annotated[list[BandPart], Field(min_length=1)]
    labels: list[LabelPart] = []


class SampleBandPart(Part):
    population_min: int
    population_max: int | None = None  # None: open-ended (the last band)
    minimum: Annotated[int, Field(ge=1)] | Literal["all"] | None = None  # None/"all": everyone


class SamplePart(Part):
    note: str = ""
    bands: Annotated[list[SampleBandPart], Field(min_length=1)]


class Document(Part):
    format: Literal[1] = 1
    code: Annotated[str, Field(pattern=CODE_RE.pattern)]
    fiscal_year: Annotated[int, Field(ge=2500, le=2700)]
    name: Text
    description: str = ""
    scales: dict[str, Choices] = {}
    tools: Annotated[list[ToolPart], Field(min_length=1)]
    indicators: Annotated[list[IndicatorPart], Field(min_length=1)]
    questions: list[QuestionPart] = []
    oit: OITPart | None = None
    grading: GradingPart
    sample: SamplePart | None = None

    def spec(self) -> FrameworkSpec:
        indicators = tuple(
            IndicatorSpec(
                code=i.code,
                name=i.name,
                tool=i.tool,
                weight=i.weight,
                subindicators=tuple(
                    SubIndicatorSpec(code=s.code, name=s.name, function=s.function)
                    for s in i.subindicators or ()
                ),
            )
            for i in self.indicators
        )
        indicator_tool = {i.code: i.tool for i in indicators}
        subs = {s.code: (i.code, s) for i in indicators for s in i.subindicators}
        oit = self.oit or OITPart()
        common = tuple(oit.common_criteria)
        sample = self.sample
        return FrameworkSpec(
            code=self.code,
            fiscal_year=self.fiscal_year,
            name=self.name,
            tools=tuple(ToolSpec(code=t.code, name=t.name, weight=t.weight) for t in self.tools),
            indicators=indicators,
            questions=tuple(self._question(q, indicator_tool) for q in self.questions),
            oit_items=tuple(
                OITItemSpec(
                    code=it.code,
                    indicator=subs[it.subindicator][0],
                    subindicator=it.subindicator,
                    title=it.title,
                    criteria=tuple(it.criteria) + common,
                    function=it.function or subs[it.subindicator][1].function,
                )
                for it in oit.items
            ),
            grading=GradingSpec(
                pass_mark=self.grading.pass_mark,
                bands=tuple(
                    GradeBand(grade=b.grade, min=b.min, max=b.max) for b in self.grading.bands
                ),
                labels=tuple(
                    LabelRule(label=r.label, min_total=r.min_total, min_each_tool=r.min_each_tool)
                    for r in self.grading.labels
                ),
            ),
            sample_table=tuple(
                SampleBand(
                    population_min=b.population_min,
                    population_max=b.population_max,
                    minimum=b.minimum if isinstance(b.minimum, int) else None,
                )
                for b in (sample.bands if sample else ())
            ),
            sample_note=sample.note if sample else "",
        )

    def _question(self, q: QuestionPart, indicator_tool: dict[str, str]) -> QuestionSpec:
        base = q.choices or self.scales.get(q.kind) or []
        subitems = []
        for s in q.subitems or [SubItemPart(code="1")]:
            reversed_ = q.reversed if s.reversed is None else s.reversed
            subitems.append(
                SubItemSpec(
                    code=s.code,
                    text=s.text,
                    choices=tuple(c.spec(reversed_=reversed_) for c in s.choices or base),
                    reversed=reversed_,
                )
            )
        return QuestionSpec(
            code=q.code,
            tool=indicator_tool.get(q.indicator, ""),
            indicator=q.indicator,
            text=q.text,
            kind=q.kind,
            subitems=tuple(subitems),
            reversed=q.reversed,
        )


def spec_from_document(doc: dict) -> FrameworkSpec:
    """The spec of a document that validate() found without problems."""
    return Document.model_validate(doc).spec()


# ------------------------------------------------------------------ problems, with their paths
