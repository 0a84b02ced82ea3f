"""The verbs of frameworks: load a YAML file, export it back, edit, clone. Every write is audited."""

from __future__ import annotations

from pathlib import Path

import yaml
from django.db import transaction
from django.utils.translation import gettext as _

from itas.core import audit
from itas.core.permissions import require_perm
from itas.frameworks.errors import FrameworkError
from itas.frameworks.models import Framework
from itas.frameworks.validation import parse_document

SHIPPED = Path(__file__).resolve().parent / "data" / "ita-2564-lao.yaml"


def _refuse_if_frozen(framework: Framework) -> None:
    if framework.pk and framework.is_frozen:
        raise FrameworkError(
            _(
                "The framework %(code)s is used by a cycle that has been opened, so it can no "
                "longer change. Clone it to start a new framework."
            )
            % {"code": framework.code}
        )


@transaction.atomic
def save_document(actor, *, document: dict, replace: bool = True) -> tuple[Framework, bool]:
    """Create the framework of a validated document, or replace the one with its code.

    Returns (framework, changed). Refused for a frozen framework, unless nothing changes."""
    require_perm(actor, "frameworks.manage_framework", None, error=FrameworkError)
    code = document["code"]
    framework = Framework.objects.select_for_update().filter(code=code).first()
    if framework is not None:
        if framework.document == document:
            return framework, False
        if not replace:
            raise FrameworkError(
                _("A framework with the code %(code)s already exists.") % {"code": code}
            )
        _refuse_if_frozen(framework)
        before = {"fiscal_year": framework.fiscal_year, "name": framework.name}
        framework.fiscal_year = document["fiscal_year"]
        framework.name = document["name"]
        framework.document = document
        framework.save()
        framework.__dict__.pop("spec", None)
        audit.record(
            actor,
            "frameworks.framework.replaced",
            framework,
            changes=audit.diff(
                before, {"fiscal_year": framework.fiscal_year, "name": framework.name}
            ),
        )
        return framework, True
    framework = Framework.objects.create(
        code=code, fiscal_year=document["fiscal_year"], name=document["name"], document=document
    )
    audit.record(actor, "frameworks.framework.loaded", framework)
    return framework, True


def load_framework_text(
    actor, *, text: str, filename: str = "framework.yaml", replace: bool = True
) -> tuple[Framework, bool]:
    """Validate a YAML text (FrameworkInvalid lists every problem) and load it."""
    document = parse_document(text, filename)
    return save_document(actor=actor, document=document, replace=replace)


def load_framework_file(actor, *, path: str | Path, replace: bool = True) -> tuple[Framework, bool]:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise FrameworkError(
            _("Cannot read %(file)s: %(error)s") % {"file": path, "error": exc}
        ) from exc
    return load_framework_text(actor=actor, text=text, filename=str(path), replace=replace)


def load_shipped_framework(actor=None) -> Framework:
    """Load ita-2564-lao from itas/frameworks/data (idempotent; a frozen copy is left alone)."""
    document = parse_document(SHIPPED.read_text(encoding="utf-8"), SHIPPED.name)
    existing = Framework.objects.filter(code=document["code"]).first()
    if existing is not None and existing.is_frozen:
        return existing
    framework, _changed = save_document(actor=actor, document=document)
    return framework


def export_text(framework: Framework) -> str:
    """The framework's document as YAML; loading it gives back the same framework."""
    header = (
        f"# ITAS framework {framework.code} (format: docs/frameworks.md)\n"
        f"# Load with: itas load_framework FILE\n"
    )
    body = yaml.safe_dump(
        framework.document, allow_unicode=True, sort_keys=False, width=100, default_flow_style=False
    )
    return header + body


@transaction.atomic
def update_from_text(actor, *, framework: Framework, text: str) -> Framework:
    """Replace a framework's document with an edited YAML text (same code; not if frozen)."""
    require_perm(actor, "frameworks.manage_framework", framework, error=FrameworkError)
    _refuse_if_frozen(framework)
    document = parse_document(text, f"{framework.code}.yaml")
    if document["code"] != framework.code:
        raise FrameworkError(
            _(
                "The code in the text (%(new)s) differs from this framework's code (%(old)s). "
                "To start a new framework, clone this one."
            )
            % {"new": document["code"], "old": framework.code}
        )
    framework, _changed = save_document(actor=actor, document=document)
    return framework


@transaction.atomic
def clone_framework(
    actor, *, source: Framework, code: str, fiscal_year: int, name: str
) -> Framework:
    """Start a new year's framework as a copy of another (typically last year's)."""
    require_perm(actor, "frameworks.manage_framework", source, error=FrameworkError)
    if Framework.objects.filter(code=code).exists():
        raise FrameworkError(
            _("A framework with the code %(code)s already exists.") % {"code": code}
        )
    document = {**source.document, "code": code, "fiscal_year": fiscal_year, "name": name}
    # the copy must be valid on its own (a bad code or year is reported like a file problem)
    document = parse_document(
        yaml.safe_dump(document, allow_unicode=True, sort_keys=False), f"{code}.yaml"
    )
    framework = Framework.objects.create(
        code=code, fiscal_year=fiscal_year, name=name, document=document
    )
    audit.record(
        actor,
        "frameworks.framework.cloned",
        framework,
        changes={"source": [None, source.code]},
    )
    return framework
