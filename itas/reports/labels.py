"""Names of tools, indicators, questions and OIT items, read from the cycle's framework.

The framework app owns the format (`cycle.framework.spec`, a FrameworkSpec); this module only
reads it, tolerantly, so that a page still shows codes when a name is missing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

DEFAULT_TOOLS = ("IIT", "EIT", "OIT")


@dataclass
class Labels:
    tools: dict[str, str] = field(default_factory=dict)  # IIT -> name
    tool_weights: dict[str, float] = field(default_factory=dict)
    indicators: dict[str, str] = field(default_factory=dict)  # "1" -> การปฏิบัติหน้าที่
    indicator_tool: dict[str, str] = field(default_factory=dict)  # "1" -> IIT
    indicator_order: list[str] = field(default_factory=list)
    questions: dict[str, str] = field(default_factory=dict)  # I1 -> text, O1 -> title
    grades: list[str] = field(default_factory=list)  # best first: AA, A, B…
    pass_mark: float = 85.0

    def indicator(self, code: str) -> str:
        return self.indicators.get(code, code)

    def question(self, code: str) -> str:
        return self.questions.get(code, "")

    def tool_of(self, code: str) -> str:
        """The tool of a question or item code (I…, E…, O…) or of an indicator code."""
        if code in self.indicator_tool:
            return self.indicator_tool[code]
        head = code[:1].upper()
        return {"I": "IIT", "E": "EIT", "O": "OIT"}.get(head, "")


def _get(obj: Any, *names: str, default: Any = None) -> Any:
    for name in names:
        if isinstance(obj, dict) and name in obj:
            return obj[name]
        if not isinstance(obj, dict) and hasattr(obj, name):
            return getattr(obj, name)
    return default


def _items(value: Any) -> list:
    if value is None:
        return []
    if isinstance(value, dict):
        return [dict(v, code=k) if isinstance(v, dict) else v for k, v in value.items()]
    return list(value)


def labels_for(cycle) -> Labels:
    cached = getattr(cycle, "_reports_labels", None)
    if cached is not None:
        return cached
    labels = Labels()
    framework = getattr(cycle, "framework", None)
    try:
        spec = getattr(framework, "spec", None)
        if callable(spec):
            spec = spec()
    except Exception:  # noqa: BLE001 - an unreadable framework must not break a results page
        spec = None
    if spec is None and framework is not None:
        spec = framework.document or None
    if spec:
        _read(spec, labels)
    cycle._reports_labels = labels
    return labels


def _read(spec: Any, labels: Labels) -> None:
    for tool in _items(_get(spec, "tools")):
        code = str(_get(tool, "code", default=""))
        if not code:
            continue
        labels.tools[code] = str(_get(tool, "name", "name_th", "title", default=code))
        weight = _get(tool, "weight")
        if weight is not None:
            labels.tool_weights[code] = float(weight)
        for ind in _items(_get(tool, "indicators")):
            _indicator(ind, labels, code)
    for ind in _items(_get(spec, "indicators")):
        _indicator(ind, labels, str(_get(ind, "tool", default="")))
    for q in _items(_get(spec, "questions")):
        code = str(_get(q, "code", default=""))
        if code:
            labels.questions[code] = str(_get(q, "text", "title", "name", default=""))
    for item in _items(_get(spec, "oit_items", "items")):
        code = str(_get(item, "code", default=""))
        if code:
            labels.questions[code] = str(_get(item, "title", "text", "name", default=""))
    grading = _get(spec, "grading", default=None) or {}
    for band in _items(_get(grading, "bands", default=None)):
        grade = _get(band, "grade", default=None)
        if grade:
            labels.grades.append(str(grade))
    mark = _get(grading, "pass_mark", default=None)
    if mark is not None:
        labels.pass_mark = float(mark)


def _indicator(ind: Any, labels: Labels, tool: str) -> None:
    code = str(_get(ind, "code", default=""))
    if not code:
        return
    if code not in labels.indicator_order:
        labels.indicator_order.append(code)
    labels.indicators[code] = str(_get(ind, "name", "name_th", "title", default=code))
    tool = str(_get(ind, "tool", default=tool) or tool)
    if tool:
        labels.indicator_tool[code] = tool
    for q in _items(_get(ind, "questions")):
        qcode = str(_get(q, "code", default=""))
        if qcode:
            labels.questions[qcode] = str(_get(q, "text", "title", default=""))
    for sub in _items(_get(ind, "sub_indicators", "subindicators")):
        for item in _items(_get(sub, "items", "oit_items")):
            icode = str(_get(item, "code", default=""))
            if icode:
                labels.questions[icode] = str(_get(item, "title", "text", default=""))
