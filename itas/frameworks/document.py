"""The framework document's shape, described once: typed models that validate a parsed YAML
document, name every problem with its path, and build the frozen FrameworkSpec.

The models give each mapping its keys, types, defaults and ranges (pydantic, strict, unknown
keys forbidden). What relates one part of the document to another (weights that add up, codes
that are unique or refer to each other, grade bands that cover 0–100) are the rules below,
which read the typed parts. Every part is validated on its own, each list entry by itself, so
that one broken entry does not hide the problems of the others: an author fixes a file in one
pass. The format is described for people in docs/frameworks.md.
"""

from __future__ import annotations

import re
import typing
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from django.utils.translation import gettext as _
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, TypeAdapter, ValidationError

from itas.frameworks.spec import (
    DEFAULT_FUNCTION,
    SURVEY_TOOLS,
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


@dataclass(frozen=True)
class Problem:
    path: str
    message: str

    def format(self, filename: str) -> str:
        return (
            f"{filename}: {self.path}: {self.message}"
            if self.path
            else f"{filename}: {self.message}"
        )


def _fmt(x: float) -> str:
    return f"{x:g}"


def _entry(base: str, index: int, raw: Any) -> str:
    """An entry of a list is named by its code (or grade) where it has one: tools[IIT]."""
    key = raw.get("code", raw.get("grade")) if isinstance(raw, dict) else None
    return f"{base}[{key}]" if key not in (None, "") else f"{base}[{index}]"


def _join(base: str, key: str) -> str:
    return f"{base}.{key}" if base else key


def _model_of(annotation: Any) -> type[Part] | None:
    """The Part inside Optional[...], list[...] or dict[str, ...] (None for plain values)."""
    if isinstance(annotation, type) and issubclass(annotation, Part):
        return annotation
    for arg in typing.get_args(annotation):
        found = _model_of(arg)
        if found is not None:
            return found
    return None


class _Collector:
    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, path: str, message: str) -> None:
        self.problems.append(Problem(path, message))

    def errors(self, exc: ValidationError, raw: Any, base: str, model: type[Part] | None) -> None:
        """pydantic's errors as problems: the path written the way the author reads the file,
        the message in the reader's language."""
        seen: set[str] = set()
        for error in exc.errors():
            path, value, parent, owner = base, raw, None, model
            loc = list(error["loc"])
            for step in loc:
                if isinstance(step, int) and isinstance(value, list) and step < len(value):
                    path, parent, value = _entry(path, step, value[step]), value, value[step]
                elif isinstance(value, dict) and step in value:
                    path, parent, value = _join(path, str(step)), value, value[step]
                    # A field leads to its own model; a key of a mapping (a scale's name) or an
                    # unknown key stays with the model that holds it.
                    field = owner.model_fields.get(str(step)) if owner else None
                    if field is not None:
                        owner = _model_of(field.annotation)
                elif isinstance(value, dict) and error["type"] in ("missing", "extra_forbidden"):
                    path = _join(path, str(step))
                    break
                else:  # a union's branch name: the problem belongs to the value itself
                    break
            message = self._message(error, loc, value, parent, model_for=owner, path=path)
            if path + message not in seen:  # a union reports one value once per branch
                seen.add(path + message)
                self.add(path, message)

    def _message(self, error: dict, loc: list, value: Any, parent: Any, *, model_for, path) -> str:
        kind = error["type"]
        last = str(loc[-1]) if loc else ""
        if kind == "missing":
            return _("is required")
        if kind == "extra_forbidden":
            allowed = ", ".join(sorted(model_for.model_fields)) if model_for else ""
            return _("unknown key (allowed here: %(keys)s)") % {"keys": allowed}
        if path == "format":
            return _("unknown format version (this ITAS reads format 1)")
        if path == "code":
            return _("use lower-case letters, digits and hyphens, e.g. ita-2565-lao")
        if path == "fiscal_year":
            return _("must be a Buddhist-era year such as 2565")
        if path.endswith(".minimum") and path.startswith("sample"):
            return _("must be a positive whole number or “all”")
        if last == "value" and isinstance(value, bool):
            return _('write yes/no values in quotes ("yes"), or YAML reads them as true/false')
        if kind in ("greater_than_equal", "less_than_equal"):
            return _("%(value)s is outside %(lo)s–%(hi)s") % {"value": value, "lo": 0, "hi": 100}
        if kind in ("float_type", "float_parsing", "finite_number"):
            return _("must be a number")
        if kind in ("int_type", "int_parsing", "int_from_float"):
            return _("must be a whole number")
        if kind == "bool_type":
            return _("must be true or false")
        if kind in ("string_type",):
            return _("must be text")
        if kind == "string_too_short":
            return _("is required")
        if kind == "list_type":
            return _("must be a list")
        if kind == "too_short" and path.endswith(".subitems"):
            return _("must not be empty (leave it out for a single item)")
        if kind == "too_short":
            return _("must not be empty")
        if kind in ("model_type", "dict_type", "model_attributes_type"):
            return _("must be a mapping (key: value)")
        if kind == "literal_error":
            expected = error.get("ctx", {}).get("expected", "").replace("'", "")
            values = ", ".join(re.split(r",\s*|\s+or\s+", expected))
            return _("must be one of %(values)s") % {"values": values}
        return error["msg"]

    def unique(self, entries: list[tuple[str, str]], seen: dict[str, str]) -> None:
        """A code used twice. entries: (path, code) in file order; `seen` may be shared by
        lists that share one space of codes."""
        for index, (path, code) in enumerate(entries):
            where = f"{path.rsplit('[', 1)[0]} #{index + 1}"
            if code in seen:
                self.add(
                    path,
                    _("duplicate code “%(code)s”: entry %(this)s repeats entry %(other)s")
                    % {"code": code, "this": where, "other": seen[code]},
                )
            else:
                seen[code] = where


@dataclass
class _Valid:
    """The parts of a document that validated, each beside its path and position."""

    scales: dict[str, Any]  # every scale named, valid or not (its name exists either way)
    valid_scales: dict[str, list[Choice]]
    tools: list[tuple[str, ToolPart]]
    indicators: list[tuple[str, IndicatorPart]]
    questions: list[tuple[str, QuestionPart]]
    oit_items: list[tuple[str, OITItemPart]]
    grading: GradingPart | None
    sample: SamplePart | None
    # Lists with an entry that did not validate: rules that count or look up their entries
    # would only repeat that problem in other words ("unknown tool" for a tool whose weight
    # is broken), so they wait until the entry is fixed.
    broken: set[str]


def _validate_list(
    c: _Collector, raw: Any, name: str, item: type[Part], required: bool, broken: set[str]
):
    """Each entry on its own: a broken entry is reported and left out of the rules."""
    if raw is not None and not isinstance(raw, list) or raw is None and required:
        broken.add(name)
    if raw is None:
        if required:
            c.add(name, _("is required"))
        return []
    if not isinstance(raw, list):
        c.add(name, _("must be a list"))
        return []
    if required and not raw:
        c.add(name, _("must not be empty"))
    out = []
    for index, entry in enumerate(raw):
        path = _entry(name, index, entry)
        try:
            out.append((path, index, item.model_validate(entry)))
        except ValidationError as exc:
            c.errors(exc, entry, path, item)
            broken.add(name)
    return out


def validate(doc: Any) -> list[Problem]:
    """Every problem of a parsed document (an empty list when it is valid)."""
    c = _Collector()
    if not isinstance(doc, dict):
        c.add("", _("must be a mapping (key: value)"))
        return c.problems
    fields = Document.model_fields
    for key in doc:
        if key not in fields:
            c.add(
                str(key),
                _("unknown key (allowed here: %(keys)s)") % {"keys": ", ".join(sorted(fields))},
            )
    lists = {"tools": ToolPart, "indicators": IndicatorPart, "questions": QuestionPart}
    parts: dict[str, Any] = {}
    broken: set[str] = set()
    for name, field in fields.items():
        if name in lists:
            parts[name] = _validate_list(
                c, doc.get(name), name, lists[name], field.is_required(), broken
            )
            continue
        if name not in doc or (doc[name] is None and not field.is_required()):
            if field.is_required():
                c.add(name, _("is required"))
            parts[name] = None
            continue
        if name == "scales" and not isinstance(doc[name], dict):
            c.add(name, _("must be a mapping of named choice sets"))
            parts[name] = None
            continue
        if name == "oit" and isinstance(doc[name], dict):
            parts[name] = _validate_oit(c, doc[name], broken)
            continue
        model = _model_of(field.annotation)
        try:
            if model is not None and model in (
                field.annotation,
                *typing.get_args(field.annotation),
            ):
                parts[name] = model.model_validate(doc[name])
            else:
                kind = (
                    Annotated[field.annotation, *field.metadata]
                    if field.metadata
                    else field.annotation
                )
                parts[name] = TypeAdapter(kind, config=STRICT).validate_python(doc[name])
        except ValidationError as exc:
            c.errors(exc, doc[name], name, model)
            parts[name] = None
    raw_scales = doc.get("scales") if isinstance(doc.get("scales"), dict) else {}
    valid = _Valid(
        scales=raw_scales,
        valid_scales=parts["scales"] or {},
        tools=[(p, t) for p, _i, t in parts["tools"]],
        indicators=[(p, i) for p, _i, i in parts["indicators"]],
        questions=[(p, q) for p, _i, q in parts["questions"]],
        oit_items=parts["oit"] or [],
        grading=parts["grading"],
        sample=parts["sample"],
        broken=broken,
    )
    _rules(c, valid)
    return c.problems


def _validate_oit(c: _Collector, raw: dict, broken: set[str]) -> list[tuple[str, OITItemPart]]:
    for key in raw:
        if key not in OITPart.model_fields:
            c.add(
                f"oit.{key}",
                _("unknown key (allowed here: %(keys)s)")
                % {"keys": ", ".join(sorted(OITPart.model_fields))},
            )
    common = raw.get("common_criteria")
    if common is not None:
        if not isinstance(common, list):
            c.add("oit.common_criteria", _("must be a list"))
        else:
            for k, text in enumerate(common):
                if not isinstance(text, str):
                    c.add(f"oit.common_criteria[{k}]", _("must be text"))
    return [
        (p, it)
        for p, _i, it in _validate_list(
            c, raw.get("items"), "oit.items", OITItemPart, False, broken
        )
    ]


# ------------------------------------------------------------------ rules between the parts


def _rules(c: _Collector, v: _Valid) -> None:
    tool_weights = {t.code: t.weight for _p, t in v.tools}
    c.unique([(p, t.code) for p, t in v.tools], {})
    tools_known = "tools" not in v.broken
    indicators_known = "indicators" not in v.broken
    if tools_known and abs(sum(tool_weights.values()) - 100) > EPS:
        c.add(
            "tools",
            _("weights add to %(sum)s, not 100") % {"sum": _fmt(sum(tool_weights.values()))},
        )

    c.unique([(p, i.code) for p, i in v.indicators], {})
    by_tool: dict[str, float] = {}
    sub_codes: dict[str, str] = {}
    subs: list[tuple[str, str]] = []
    for p, ind in v.indicators:
        if ind.tool not in tool_weights and tools_known:
            c.add(f"{p}.tool", _("unknown tool “%(tool)s”") % {"tool": ind.tool})
        by_tool[ind.tool] = by_tool.get(ind.tool, 0.0) + ind.weight
        if ind.tool == "OIT":
            if not ind.subindicators:
                c.add(f"{p}.subindicators", _("is required"))
            for j, s in enumerate(ind.subindicators or ()):
                subs.append((_entry(f"{p}.subindicators", j, {"code": s.code}), s.code))
        elif ind.subindicators:
            c.add(f"{p}.subindicators", _("only OIT indicators have sub-indicators"))
    c.unique(subs, sub_codes)
    total = sum(i.weight for _p, i in v.indicators)
    if indicators_known and abs(total - 100) > EPS:
        c.add("indicators", _("weights add to %(sum)s, not 100") % {"sum": _fmt(total)})
    for tool, weight in tool_weights.items() if indicators_known else ():
        got = by_tool.get(tool, 0.0)
        if abs(got - weight) > EPS:
            c.add(
                "indicators",
                _("the indicators of %(tool)s weigh %(got)s, but the tool weighs %(want)s")
                % {"tool": tool, "got": _fmt(got), "want": _fmt(weight)},
            )

    # Questions and OIT items share one space of codes (I1, E1, O1).
    codes: dict[str, str] = {}
    c.unique([(p, q.code) for p, q in v.questions], codes)
    ind_tool = {i.code: i.tool for _p, i in v.indicators}
    asked: set[str] = set()
    for p, q in v.questions:
        if q.indicator not in ind_tool:
            if indicators_known:
                c.add(f"{p}.indicator", _("unknown indicator “%(code)s”") % {"code": q.indicator})
        elif ind_tool[q.indicator] not in SURVEY_TOOLS:
            c.add(f"{p}.indicator", _("questions belong to IIT or EIT indicators"))
        asked.add(q.indicator)
        c.unique(
            [
                (_entry(f"{p}.subitems", j, {"code": s.code}), s.code)
                for j, s in enumerate(q.subitems or ())
            ],
            {},
        )
        _choice_values(c, f"{p}.choices", q.choices)
        for j, s in enumerate(q.subitems or ()):
            _choice_values(c, f"{_entry(f'{p}.subitems', j, {'code': s.code})}.choices", s.choices)
        own = q.choices is not None or (q.subitems and all(s.choices for s in q.subitems))
        if not own and q.kind not in v.scales:
            c.add(
                f"{p}.kind",
                _(
                    "the question has no choices: “%(kind)s” is not one of the scales (%(scales)s) and it lists none of its own"
                )
                % {"kind": q.kind, "scales": ", ".join(sorted(v.scales)) or "–"},
            )
    for _p, ind in v.indicators:
        if ind.tool in SURVEY_TOOLS and ind.code not in asked and "questions" not in v.broken:
            c.add(f"indicators[{ind.code}]", _("has no questions"))
    for scale, choices in v.valid_scales.items():
        _choice_values(c, f"scales.{scale}", choices)

    c.unique([(p, it.code) for p, it in v.oit_items], codes)
    with_items: set[str] = set()
    for p, it in v.oit_items:
        if it.subindicator not in sub_codes and indicators_known:
            c.add(
                f"{p}.subindicator",
                _("unknown sub-indicator “%(code)s”") % {"code": it.subindicator},
            )
        with_items.add(it.subindicator)
    for code in sub_codes if "oit.items" not in v.broken else ():
        if code not in with_items:
            c.add(f"sub-indicator {code}", _("has no OIT items"))

    if v.grading is not None:
        _grading_rules(c, v.grading)
    if v.sample is not None:
        _sample_rules(c, v.sample)


def _choice_values(c: _Collector, path: str, choices: list[Choice] | None) -> None:
    c.unique([(f"{path}[{k}]", ch.value) for k, ch in enumerate(choices or ())], {})


def _grading_rules(c: _Collector, g: GradingPart) -> None:
    c.unique([(f"grading.bands[{b.grade}]", b.grade) for b in g.bands], {})
    bands = []
    for b in g.bands:
        if b.min > b.max:
            c.add(
                f"grading.bands[{b.grade}]",
                _("min %(lo)s is above max %(hi)s") % {"lo": _fmt(b.min), "hi": _fmt(b.max)},
            )
        else:
            bands.append((b.min, b.max, b.grade))
    bands.sort()
    if bands:
        if bands[0][0] > EPS:
            c.add("grading.bands", _("no grade for totals below %(x)s") % {"x": _fmt(bands[0][0])})
        if bands[-1][1] < 100 - EPS:
            c.add("grading.bands", _("no grade for totals above %(x)s") % {"x": _fmt(bands[-1][1])})
    for (_lo1, hi1, g1), (lo2, _hi2, g2) in zip(bands, bands[1:], strict=False):
        if lo2 <= hi1 + EPS:
            c.add(
                "grading.bands",
                _("grades %(a)s and %(b)s overlap (%(b)s starts at %(lo)s, %(a)s ends at %(hi)s)")
                % {"a": g1, "b": g2, "lo": _fmt(lo2), "hi": _fmt(hi1)},
            )
        elif lo2 - hi1 > 0.01 + EPS:
            c.add(
                "grading.bands",
                _("gap between %(a)s (ends at %(hi)s) and %(b)s (starts at %(lo)s)")
                % {"a": g1, "b": g2, "lo": _fmt(lo2), "hi": _fmt(hi1)},
            )


def _sample_rules(c: _Collector, s: SamplePart) -> None:
    expected: int | None = 1
    for i, b in enumerate(s.bands):
        p = f"sample.bands[{i}]"
        if b.population_min != expected:
            c.add(
                f"{p}.population_min",
                _("should be %(n)s (bands must follow each other without gap or overlap)")
                % {"n": expected},
            )
        if b.population_max is None:
            if i != len(s.bands) - 1:
                c.add(f"{p}.population_max", _("only the last band may be open-ended"))
            return
        if b.population_max < b.population_min:
            c.add(f"{p}.population_max", _("must be a whole number at least population_min"))
            return
        expected = b.population_max + 1
    c.add("sample.bands", _("the last band must be open-ended (population_max: null)"))
