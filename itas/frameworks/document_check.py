"""Validating a framework document against its shape (itas.frameworks.document): every part on
its own, each list entry by itself, every problem named with its path; then the rules between
the parts (itas.frameworks.document_rules)."""

from __future__ import annotations

import re
import typing
from dataclasses import dataclass
from typing import Annotated, Any

from django.utils.translation import gettext as _
from pydantic import TypeAdapter, ValidationError

from itas.frameworks.document import (
    STRICT,
    Document,
    IndicatorPart,
    OITItemPart,
    OITPart,
    Part,
    QuestionPart,
    ToolPart,
)
from itas.frameworks.document_rules import Valid, check_rules, entry_path


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


class Collector:
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
                    path, parent, value = entry_path(path, step, value[step]), value, value[step]
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


def _validate_list(
    c: Collector, raw: Any, name: str, item: type[Part], required: bool, broken: set[str]
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
        path = entry_path(name, index, entry)
        try:
            out.append((path, index, item.model_validate(entry)))
        except ValidationError as exc:
            c.errors(exc, entry, path, item)
            broken.add(name)
    return out


def validate(doc: Any) -> list[Problem]:
    """Every problem of a parsed document (an empty list when it is valid)."""
    c = Collector()
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
    valid = Valid(
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
    check_rules(c, valid)
    return c.problems


def _validate_oit(c: Collector, raw: dict, broken: set[str]) -> list[tuple[str, OITItemPart]]:
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
