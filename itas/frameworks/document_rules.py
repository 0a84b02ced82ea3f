"""The rules between the parts of a framework document: weights that add up, codes that are
unique or refer to each other, grade bands that cover 0–100. They read the parts that validated
(itas.frameworks.document_check) and add each problem with its path."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

from itas.frameworks.document import (
    EPS,
    Choice,
    GradingPart,
    IndicatorPart,
    OITItemPart,
    QuestionPart,
    SamplePart,
    ToolPart,
)
from itas.frameworks.spec import SURVEY_TOOLS

if TYPE_CHECKING:
    from itas.frameworks.document_check import Collector


def fmt_number(x: float) -> str:
    return f"{x:g}"


def entry_path(base: str, index: int, raw: Any) -> str:
    """An entry of a list is named by its code (or grade) where it has one: tools[IIT]."""
    key = raw.get("code", raw.get("grade")) if isinstance(raw, dict) else None
    return f"{base}[{key}]" if key not in (None, "") else f"{base}[{index}]"


@dataclass
class Valid:
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


def check_rules(c: Collector, v: Valid) -> None:
    tool_weights = {t.code: t.weight for _p, t in v.tools}
    c.unique([(p, t.code) for p, t in v.tools], {})
    tools_known = "tools" not in v.broken
    indicators_known = "indicators" not in v.broken
    if tools_known and abs(sum(tool_weights.values()) - 100) > EPS:
        c.add(
            "tools",
            _("weights add to %(sum)s, not 100") % {"sum": fmt_number(sum(tool_weights.values()))},
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
                subs.append((entry_path(f"{p}.subindicators", j, {"code": s.code}), s.code))
        elif ind.subindicators:
            c.add(f"{p}.subindicators", _("only OIT indicators have sub-indicators"))
    c.unique(subs, sub_codes)
    total = sum(i.weight for _p, i in v.indicators)
    if indicators_known and abs(total - 100) > EPS:
        c.add("indicators", _("weights add to %(sum)s, not 100") % {"sum": fmt_number(total)})
    for tool, weight in tool_weights.items() if indicators_known else ():
        got = by_tool.get(tool, 0.0)
        if abs(got - weight) > EPS:
            c.add(
                "indicators",
                _("the indicators of %(tool)s weigh %(got)s, but the tool weighs %(want)s")
                % {"tool": tool, "got": fmt_number(got), "want": fmt_number(weight)},
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
                (entry_path(f"{p}.subitems", j, {"code": s.code}), s.code)
                for j, s in enumerate(q.subitems or ())
            ],
            {},
        )
        _choice_values(c, f"{p}.choices", q.choices)
        for j, s in enumerate(q.subitems or ()):
            _choice_values(
                c, f"{entry_path(f'{p}.subitems', j, {'code': s.code})}.choices", s.choices
            )
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
        _gradingcheck_rules(c, v.grading)
    if v.sample is not None:
        _samplecheck_rules(c, v.sample)


def _choice_values(c: Collector, path: str, choices: list[Choice] | None) -> None:
    c.unique([(f"{path}[{k}]", ch.value) for k, ch in enumerate(choices or ())], {})


def _gradingcheck_rules(c: Collector, g: GradingPart) -> None:
    c.unique([(f"grading.bands[{b.grade}]", b.grade) for b in g.bands], {})
    bands = []
    for b in g.bands:
        if b.min > b.max:
            c.add(
                f"grading.bands[{b.grade}]",
                _("min %(lo)s is above max %(hi)s")
                % {"lo": fmt_number(b.min), "hi": fmt_number(b.max)},
            )
        else:
            bands.append((b.min, b.max, b.grade))
    bands.sort()
    if bands:
        if bands[0][0] > EPS:
            c.add(
                "grading.bands",
                _("no grade for totals below %(x)s") % {"x": fmt_number(bands[0][0])},
            )
        if bands[-1][1] < 100 - EPS:
            c.add(
                "grading.bands",
                _("no grade for totals above %(x)s") % {"x": fmt_number(bands[-1][1])},
            )
    for (_lo1, hi1, g1), (lo2, _hi2, g2) in zip(bands, bands[1:], strict=False):
        if lo2 <= hi1 + EPS:
            c.add(
                "grading.bands",
                _("grades %(a)s and %(b)s overlap (%(b)s starts at %(lo)s, %(a)s ends at %(hi)s)")
                % {"a": g1, "b": g2, "lo": fmt_number(lo2), "hi": fmt_number(hi1)},
            )
        elif lo2 - hi1 > 0.01 + EPS:
            c.add(
                "grading.bands",
                _("gap between %(a)s (ends at %(hi)s) and %(b)s (starts at %(lo)s)")
                % {"a": g1, "b": g2, "lo": fmt_number(lo2), "hi": fmt_number(hi1)},
            )


def _samplecheck_rules(c: Collector, s: SamplePart) -> None:
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
