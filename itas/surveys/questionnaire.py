"""The questionnaire as the framework defines it: steps (one per indicator), the form fields of
its sub-items, and the server-side check of a posted form against the framework.

Field names are `q-<question>-<sub-item>` (q-I11-2); the value is the choice's value.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from itas.frameworks.spec import FrameworkSpec, QuestionSpec

MAX_FIELD_LENGTH = 40


def field_name(question_code: str, subitem_code: str) -> str:
    return f"q-{question_code}-{subitem_code}"


@dataclass
class Step:
    number: int
    indicator_code: str
    indicator_name: str
    questions: list[QuestionSpec]
    has_error: bool = False


@dataclass
class Parsed:
    """A posted questionnaire: the choices made ({question: {sub-item: value}}), the error
    per question code (Thai), and what was kept for re-display ({field name: value})."""

    chosen: dict[str, dict[str, str]] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    values: dict[str, str] = field(default_factory=dict)

    @property
    def is_valid(self) -> bool:
        return not self.errors


def steps_for(spec: FrameworkSpec, instrument: str) -> list[Step]:
    steps = []
    for number, indicator in enumerate(spec.indicators_for(instrument), start=1):
        questions = [q for q in spec.questions_for(instrument) if q.indicator == indicator.code]
        if questions:
            steps.append(Step(number, indicator.code, indicator.name, questions))
    return steps


def parse(spec: FrameworkSpec, instrument: str, data) -> Parsed:
    """Check every sub-item of the instrument: answered, and with a choice that exists. Fields
    that are not sub-items of this questionnaire are ignored (never stored)."""
    out = Parsed()
    for question in spec.questions_for(instrument):
        chosen: dict[str, str] = {}
        missing = forged = False
        for sub in question.subitems:
            name = field_name(question.code, sub.code)
            raw = data.get(name, "")
            value = raw.strip() if isinstance(raw, str) else ""
            if not value:
                missing = True
                continue
            if len(value) > MAX_FIELD_LENGTH or sub.choice(value) is None:
                forged = True
                continue
            chosen[sub.code] = value
            out.values[name] = value
        if forged:
            out.errors[question.code] = _(
                "This answer is not one of the choices. Please choose again."
            )
        elif missing:
            if len(question.subitems) > 1:
                out.errors[question.code] = _("Please answer every line of this question.")
            else:
                out.errors[question.code] = _("Please answer this question.")
        else:
            out.chosen[question.code] = chosen
    return out


def item_count(spec: FrameworkSpec, instrument: str) -> int:
    return sum(len(q.subitems) for q in spec.questions_for(instrument))
