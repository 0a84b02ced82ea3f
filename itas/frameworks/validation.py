"""Read a framework file and name EVERY problem: the file, the path in it, and what is wrong.

`parse_document(text, filename)` returns the document or raises FrameworkInvalid with the
whole list; nothing is loaded from a file with a problem. This module reads the YAML (and its
repeated keys); the document's shape and rules are itas.frameworks.document.
"""

from __future__ import annotations

from typing import Any

import yaml
from django.utils.translation import gettext as _

from itas.frameworks.document_check import Problem, validate
from itas.frameworks.errors import FrameworkInvalid

__all__ = ["Problem", "load_yaml", "parse_document", "validate_document"]


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


def validate_document(doc: Any) -> list[Problem]:
    """Every problem of a parsed document (an empty list when it is valid)."""
    return validate(doc)
