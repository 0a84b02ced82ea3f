"""Names of tools, indicators, questions and OIT items, read from the cycle's framework.

The framework app owns the format (`cycle.framework.spec`, a FrameworkSpec, validated when it
was loaded); this module only gathers the names that pages print.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from itas.frameworks.spec import FrameworkSpec

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


def labels_for(cycle) -> Labels:
    """The names of the cycle's framework, read once per cycle object."""
    cached = getattr(cycle, "_reports_labels", None)
    if cached is None:
        cached = cycle._reports_labels = _read(cycle.framework.spec)
    return cached


def _read(spec: FrameworkSpec) -> Labels:
    labels = Labels(pass_mark=spec.grading.pass_mark)
    for tool in spec.tools:
        labels.tools[tool.code] = tool.name or tool.code
        labels.tool_weights[tool.code] = tool.weight
    for ind in spec.indicators:
        labels.indicator_order.append(ind.code)
        labels.indicators[ind.code] = ind.name or ind.code
        labels.indicator_tool[ind.code] = ind.tool
    for q in spec.questions:
        labels.questions[q.code] = q.text
    for item in spec.oit_items:
        labels.questions[item.code] = item.title
    labels.grades = [band.grade for band in spec.grading.bands]
    return labels
