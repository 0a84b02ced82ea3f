"""Check a framework document and name EVERY problem: the file, the path in it, and what is wrong.

`parse_document(text, filename)` returns the document or raises FrameworkInvalid with the
whole list; nothing is loaded from a file with a problem. The format: docs/frameworks.md.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import yaml
from django.utils.translation import gettext as _

from itas.frameworks.errors import FrameworkInvalid
from itas.frameworks.spec import FUNCTIONS, SURVEY_TOOLS, TOOLS

TOP_KEYS = {
    "format",
    "code",
    "fiscal_year",
    "name",
    "description",
    "scales",
    "tools",
    "indicators",
    "questions",
    "oit",
    "grading",
    "sample",
}
CHOICE_KEYS = {"value", "label", "score"}
TOOL_KEYS = {"code", "name", "weight"}
INDICATOR_KEYS = {"code", "name", "tool", "weight", "subindicators"}
SUBINDICATOR_KEYS = {"code", "name", "function"}
QUESTION_KEYS = {"code", "indicator", "kind", "text", "reversed", "subitems", "choices"}
SUBITEM_KEYS = {"code", "text", "reversed", "choices"}
OIT_KEYS = {"common_criteria", "items"}
ITEM_KEYS = {"code", "subindicator", "title", "criteria", "function"}
GRADING_KEYS = {"pass_mark", "bands", "labels"}
BAND_KEYS = {"grade", "min", "max"}
LABEL_KEYS = {"label", "min_total", "min_each_tool"}
SAMPLE_KEYS = {"note", "bands"}
SAMPLE_BAND_KEYS = {"population_min", "population_max", "minimum"}
CODE_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,49}$")
EPS = 1e-6


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


class _Loader(yaml.SafeLoader):
    """Safe YAML that also reports a key written twice in one mapping."""

    duplicate_keys: list[tuple[str, int]]


def _construct_mapping(loader: _Loader, node: yaml.MappingNode, deep: bool = False) -> dict:
    seen = set()
    for key_node, _value in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if isinstance(key, str | int) and key in seen:
            loader.duplicate_keys.append((str(key), key_node.start_mark.line + 1))
        seen.add(key)
    return yaml.SafeLoader.construct_mapping(loader, node, deep=deep)


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def load_yaml(text: str, filename: str) -> Any:
    loader = _Loader(text)
    loader.duplicate_keys = []
    try:
        data = loader.get_single_data()
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = _("line %(line)d") % {"line": mark.line + 1} if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise FrameworkInvalid(
            filename, [Problem(where, _("not valid YAML: %(problem)s") % {"problem": problem})]
        ) from exc
    finally:
        loader.dispose()
    if loader.duplicate_keys:
        raise FrameworkInvalid(
            filename,
            [
                Problem(
                    _("line %(line)d") % {"line": line},
                    _("the key “%(key)s” is written twice in the same place") % {"key": key},
                )
                for key, line in loader.duplicate_keys
            ],
        )
    return data


def parse_document(text: str, filename: str = "framework.yaml") -> dict:
    """The validated document of a YAML text, or FrameworkInvalid listing every problem."""
    data = load_yaml(text, filename)
    problems = validate_document(data)
    if problems:
        raise FrameworkInvalid(filename, problems)
    return data


class _Checker:
    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, path: str, message: str) -> None:
        self.problems.append(Problem(path, message))

    def keys(self, obj: Any, path: str, allowed: set[str], required: tuple[str, ...] = ()) -> bool:
        if not isinstance(obj, dict):
            self.add(path, _("must be a mapping (key: value)"))
            return False
        for key in obj:
            if key not in allowed:
                self.add(
                    f"{path}.{key}" if path else str(key),
                    _("unknown key (allowed here: %(keys)s)")
                    % {"keys": ", ".join(sorted(allowed))},
                )
        for key in required:
            if obj.get(key) in (None, ""):
                self.add(f"{path}.{key}" if path else key, _("is required"))
        return True

    def number(self, value: Any, path: str, lo: float = 0, hi: float = 100) -> float | None:
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.add(path, _("must be a number"))
            return None
        if not lo - EPS <= value <= hi + EPS:
            self.add(
                path,
                _("%(value)s is outside %(lo)s–%(hi)s") % {"value": value, "lo": lo, "hi": hi},
            )
            return None
        return float(value)

    def listing(self, value: Any, path: str, *, required: bool = True) -> list:
        if value is None:
            if required:
                self.add(path, _("is required"))
            return []
        if not isinstance(value, list):
            self.add(path, _("must be a list"))
            return []
        if required and not value:
            self.add(path, _("must not be empty"))
        return value

    def function(self, value: Any, path: str) -> None:
        if value is not None and value not in FUNCTIONS:
            self.add(path, _("must be one of %(functions)s") % {"functions": ", ".join(FUNCTIONS)})

    def unique(self, seen: dict[str, str], code: Any, path: str, index: int = 0) -> None:
        """Report a code used twice; `index` is the entry's position (from 0) in its list."""
        if code in (None, ""):
            return
        code = str(code)
        where = f"{path.rsplit('[', 1)[0]} #{index + 1}"
        if code in seen:
            self.add(
                path,
                _("duplicate code “%(code)s”: entry %(this)s repeats entry %(other)s")
                % {"code": code, "this": where, "other": seen[code]},
            )
        else:
            seen[code] = where


def _at(base: str, index: int, obj: Any) -> str:
    code = obj.get("code") if isinstance(obj, dict) else None
    return f"{base}[{code}]" if code not in (None, "") else f"{base}[{index}]"


def _choices(c: _Checker, raw: Any, path: str) -> None:
    items = c.listing(raw, path)
    values: dict[str, str] = {}
    for i, ch in enumerate(items):
        p = f"{path}[{i}]"
        if not c.keys(ch, p, CHOICE_KEYS, ("value",)):
            continue
        value = ch.get("value")
        if isinstance(value, bool):
            c.add(
                f"{p}.value",
                _('write yes/no values in quotes ("yes"), or YAML reads them as true/false'),
            )
        c.unique(values, value, f"{path}[{i}]", i)
        if "score" not in ch:
            c.add(f"{p}.score", _("is required"))
        else:
            c.number(ch["score"], f"{p}.score")


def validate_document(doc: Any) -> list[Problem]:
    """Every problem of a parsed document (an empty list when it is valid)."""
    c = _Checker()
    if not c.keys(
        doc, "", TOP_KEYS, ("code", "fiscal_year", "name", "tools", "indicators", "grading")
    ):
        return c.problems
    if doc.get("format", 1) != 1:
        c.add("format", _("unknown format version (this ITAS reads format 1)"))
    code = doc.get("code")
    if code and (not isinstance(code, str) or not CODE_RE.match(code)):
        c.add("code", _("use lower-case letters, digits and hyphens, e.g. ita-2565-lao"))
    fy = doc.get("fiscal_year")
    if fy is not None and (
        isinstance(fy, bool) or not isinstance(fy, int) or not 2500 <= fy <= 2700
    ):
        c.add("fiscal_year", _("must be a Buddhist-era year such as 2565"))

    # scales: named choice sets
    scales = doc.get("scales") or {}
    if not isinstance(scales, dict):
        c.add("scales", _("must be a mapping of named choice sets"))
        scales = {}
    for name, choices in scales.items():
        _choices(c, choices, f"scales.{name}")

    # tools
    tool_weights: dict[str, float] = {}
    seen: dict[str, str] = {}
    for i, t in enumerate(c.listing(doc.get("tools"), "tools")):
        p = _at("tools", i, t)
        if not c.keys(t, p, TOOL_KEYS, ("code", "weight")):
            continue
        c.unique(seen, t.get("code"), p, i)
        if t.get("code") not in (None, *TOOLS):
            c.add(f"{p}.code", _("must be one of %(tools)s") % {"tools": ", ".join(TOOLS)})
        w = c.number(t.get("weight"), f"{p}.weight") if "weight" in t else None
        if w is not None:
            tool_weights[str(t.get("code"))] = w
    if tool_weights and abs(sum(tool_weights.values()) - 100) > EPS:
        c.add(
            "tools",
            _("weights add to %(sum)s, not 100") % {"sum": _fmt(sum(tool_weights.values()))},
        )

    # indicators
    ind_tool: dict[str, str] = {}
    sub_codes: dict[str, str] = {}
    by_tool: dict[str, float] = {}
    total = 0.0
    seen = {}
    for i, ind in enumerate(c.listing(doc.get("indicators"), "indicators")):
        p = _at("indicators", i, ind)
        if not c.keys(ind, p, INDICATOR_KEYS, ("code", "tool", "weight")):
            continue
        c.unique(seen, ind.get("code"), p, i)
        tool = ind.get("tool")
        if tool is not None and tool not in tool_weights:
            c.add(f"{p}.tool", _("unknown tool “%(tool)s”") % {"tool": tool})
        w = c.number(ind.get("weight"), f"{p}.weight") if "weight" in ind else None
        if w is not None:
            total += w
            by_tool[str(tool)] = by_tool.get(str(tool), 0) + w
        ind_tool[str(ind.get("code"))] = str(tool)
        subs = ind.get("subindicators")
        if tool == "OIT":
            for j, s in enumerate(c.listing(subs, f"{p}.subindicators")):
                sp = _at(f"{p}.subindicators", j, s)
                if c.keys(s, sp, SUBINDICATOR_KEYS, ("code",)):
                    c.unique(sub_codes, s.get("code"), sp, j)
                    c.function(s.get("function"), f"{sp}.function")
        elif subs:
            c.add(f"{p}.subindicators", _("only OIT indicators have sub-indicators"))
    if seen and abs(total - 100) > EPS:
        c.add("indicators", _("weights add to %(sum)s, not 100") % {"sum": _fmt(total)})
    for tool, w in tool_weights.items():
        got = by_tool.get(tool, 0.0)
        if abs(got - w) > EPS:
            c.add(
                "indicators",
                _("the indicators of %(tool)s weigh %(got)s, but the tool weighs %(want)s")
                % {"tool": tool, "got": _fmt(got), "want": _fmt(w)},
            )

    # questions
    all_codes: dict[str, str] = {}
    questions_per_indicator: dict[str, int] = {}
    for i, q in enumerate(c.listing(doc.get("questions"), "questions", required=False)):
        p = _at("questions", i, q)
        if not c.keys(q, p, QUESTION_KEYS, ("code", "indicator", "text")):
            continue
        c.unique(all_codes, q.get("code"), p, i)
        ind = q.get("indicator")
        if ind is not None:
            ind = str(ind)
            if ind not in ind_tool:
                c.add(f"{p}.indicator", _("unknown indicator “%(code)s”") % {"code": ind})
            elif ind_tool[ind] not in SURVEY_TOOLS:
                c.add(f"{p}.indicator", _("questions belong to IIT or EIT indicators"))
            questions_per_indicator[ind] = questions_per_indicator.get(ind, 0) + 1
        if not isinstance(q.get("reversed", False), bool):
            c.add(f"{p}.reversed", _("must be true or false"))
        kind = q.get("kind", "scale4")
        has_own = q.get("choices") is not None
        if has_own:
            _choices(c, q["choices"], f"{p}.choices")
        subitems = q.get("subitems")
        sub_seen: dict[str, str] = {}
        sub_list = (
            c.listing(subitems, f"{p}.subitems", required=False) if subitems is not None else []
        )
        if subitems is not None and not sub_list:
            c.add(f"{p}.subitems", _("must not be empty (leave it out for a single item)"))
        all_subs_have_choices = bool(sub_list)
        for j, s in enumerate(sub_list):
            sp = _at(f"{p}.subitems", j, s)
            if not c.keys(s, sp, SUBITEM_KEYS, ("code",)):
                all_subs_have_choices = False
                continue
            c.unique(sub_seen, s.get("code"), sp, j)
            if not isinstance(s.get("reversed", False), bool):
                c.add(f"{sp}.reversed", _("must be true or false"))
            if s.get("choices") is not None:
                _choices(c, s["choices"], f"{sp}.choices")
            else:
                all_subs_have_choices = False
        if not has_own and not all_subs_have_choices and kind not in scales:
            c.add(
                f"{p}.kind",
                _(
                    "the question has no choices: “%(kind)s” is not one of the scales (%(scales)s) and it lists none of its own"
                )
                % {"kind": kind, "scales": ", ".join(sorted(scales)) or "–"},
            )
    for code, tool in ind_tool.items():
        if tool in SURVEY_TOOLS and not questions_per_indicator.get(code):
            c.add(f"indicators[{code}]", _("has no questions"))

    # OIT items
    oit = doc.get("oit")
    items_per_sub: dict[str, int] = {}
    if oit is not None and c.keys(oit, "oit", OIT_KEYS):
        for k, crit in enumerate(
            c.listing(oit.get("common_criteria"), "oit.common_criteria", required=False)
        ):
            if not isinstance(crit, str):
                c.add(f"oit.common_criteria[{k}]", _("must be text"))
        for i, it in enumerate(c.listing(oit.get("items"), "oit.items", required=False)):
            p = _at("oit.items", i, it)
            if not c.keys(it, p, ITEM_KEYS, ("code", "subindicator", "title")):
                continue
            c.unique(all_codes, it.get("code"), p, i)
            sub = it.get("subindicator")
            if sub is not None:
                if str(sub) not in sub_codes:
                    c.add(
                        f"{p}.subindicator", _("unknown sub-indicator “%(code)s”") % {"code": sub}
                    )
                items_per_sub[str(sub)] = items_per_sub.get(str(sub), 0) + 1
            c.function(it.get("function"), f"{p}.function")
            crit = it.get("criteria")
            if crit is not None and not (
                isinstance(crit, list) and all(isinstance(x, str) for x in crit)
            ):
                c.add(f"{p}.criteria", _("must be a list of texts"))
    for code in sub_codes:
        if not items_per_sub.get(code):
            c.add(f"sub-indicator {code}", _("has no OIT items"))

    _grading(c, doc.get("grading"), tool_weights)
    _sample(c, doc.get("sample"))
    return c.problems


def _grading(c: _Checker, g: Any, tools: dict[str, float]) -> None:
    if g is None or not c.keys(g, "grading", GRADING_KEYS, ("pass_mark", "bands")):
        return
    if "pass_mark" in g:
        c.number(g["pass_mark"], "grading.pass_mark")
    bands = []
    grades: dict[str, str] = {}
    for i, b in enumerate(c.listing(g.get("bands"), "grading.bands")):
        p = f"grading.bands[{b.get('grade', i) if isinstance(b, dict) else i}]"
        if not c.keys(b, p, BAND_KEYS, ("grade",)):
            continue
        c.unique(grades, b.get("grade"), p, i)
        lo = c.number(b.get("min"), f"{p}.min")
        hi = c.number(b.get("max"), f"{p}.max")
        if lo is not None and hi is not None:
            if lo > hi:
                c.add(p, _("min %(lo)s is above max %(hi)s") % {"lo": _fmt(lo), "hi": _fmt(hi)})
            else:
                bands.append((lo, hi, str(b.get("grade"))))
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
    for i, rule in enumerate(c.listing(g.get("labels"), "grading.labels", required=False)):
        p = f"grading.labels[{i}]"
        if not c.keys(rule, p, LABEL_KEYS, ("label",)):
            continue
        c.number(rule.get("min_total", 0), f"{p}.min_total")
        if rule.get("min_each_tool") is not None:
            c.number(rule["min_each_tool"], f"{p}.min_each_tool")


def _sample(c: _Checker, s: Any) -> None:
    if s is None or not c.keys(s, "sample", SAMPLE_KEYS):
        return
    expected = 1
    bands = c.listing(s.get("bands"), "sample.bands")
    for i, b in enumerate(bands):
        p = f"sample.bands[{i}]"
        if not c.keys(b, p, SAMPLE_BAND_KEYS, ("population_min",)):
            return
        lo, hi, minimum = b.get("population_min"), b.get("population_max"), b.get("minimum")
        if not isinstance(lo, int) or isinstance(lo, bool):
            c.add(f"{p}.population_min", _("must be a whole number"))
            return
        if lo != expected:
            c.add(
                f"{p}.population_min",
                _("should be %(n)s (bands must follow each other without gap or overlap)")
                % {"n": expected},
            )
        if hi is None:
            if i != len(bands) - 1:
                c.add(f"{p}.population_max", _("only the last band may be open-ended"))
            expected = None
        elif not isinstance(hi, int) or isinstance(hi, bool) or hi < lo:
            c.add(f"{p}.population_max", _("must be a whole number at least population_min"))
            return
        else:
            expected = hi + 1
        if minimum not in (None, "all") and (
            not isinstance(minimum, int) or isinstance(minimum, bool) or minimum < 1
        ):
            c.add(f"{p}.minimum", _("must be a positive whole number or “all”"))
        if expected is None:
            break
    if bands and expected is not None:
        c.add("sample.bands", _("the last band must be open-ended (population_max: null)"))


def _fmt(x: float) -> str:
    return f"{x:g}"
