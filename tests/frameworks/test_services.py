"""Loading, exporting, editing, cloning and freezing frameworks."""

import pytest
import yaml
from django.core.management import call_command
from django.core.management.base import CommandError

from itas.core.models import AuditEntry
from itas.cycles.models import Cycle
from itas.frameworks.errors import FrameworkError, FrameworkInvalid
from itas.frameworks.models import Framework
from itas.frameworks.services import (
    SHIPPED,
    clone_framework,
    export_text,
    load_framework_file,
    load_shipped_framework,
    update_from_text,
)

pytestmark = pytest.mark.django_db


def test_load_export_load_is_identical(tmp_path, capsys):
    call_command("load_framework", str(SHIPPED))
    original = Framework.objects.get(code="ita-2564-lao")
    out = tmp_path / "exported.yaml"
    call_command("export_framework", "ita-2564-lao", "-o", str(out))
    first_export = out.read_text(encoding="utf-8")
    # load the export into a fresh database row and compare everything
    original_document, original_spec = original.document, original.spec
    Framework.objects.all().delete()
    call_command("load_framework", str(out))
    reloaded = Framework.objects.get(code="ita-2564-lao")
    assert reloaded.document == original_document
    assert reloaded.spec == original_spec
    assert export_text(reloaded) == first_export
    # the export is also what `export_framework CODE` prints
    capsys.readouterr()
    call_command("export_framework", "ita-2564-lao")
    assert capsys.readouterr().out == first_export


def test_export_unknown_code():
    with pytest.raises(CommandError, match="nope"):
        call_command("export_framework", "nope")


def test_reload_unchanged_does_not_write(tmp_path):
    framework, changed = load_framework_file(actor=None, path=SHIPPED)
    assert changed
    again, changed = load_framework_file(actor=None, path=SHIPPED)
    assert (again.pk, changed) == (framework.pk, False)
    assert AuditEntry.objects.filter(action="frameworks.framework.loaded").count() == 1


def test_replace_and_freeze(tmp_path, world):
    framework = load_shipped_framework()
    doc = yaml.safe_load(SHIPPED.read_text(encoding="utf-8"))
    doc["name"] = "ชื่อใหม่"
    path = tmp_path / "renamed.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    replaced, changed = load_framework_file(actor=world.nacc, path=path)
    assert changed and replaced.pk == framework.pk and replaced.name == "ชื่อใหม่"
    # a draft cycle does not freeze it; an opened one does
    cycle = Cycle.objects.create(fiscal_year=2564, name="ITA 2564", framework=framework)
    assert not framework.is_frozen
    cycle.status = "open"
    cycle.save()
    assert framework.is_frozen
    doc["name"] = "อีกชื่อ"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    with pytest.raises(FrameworkError, match="ita-2564-lao"):
        load_framework_file(actor=world.nacc, path=path)
    framework.refresh_from_db()
    assert framework.name == "ชื่อใหม่"
    with pytest.raises(FrameworkError):
        update_from_text(actor=world.nacc, framework=framework, text=path.read_text())
    # the shipped loader leaves a frozen framework alone
    assert load_shipped_framework().name == "ชื่อใหม่"


def test_edit_refuses_invalid_text_and_keeps_the_stored_one(world):
    framework = load_shipped_framework()
    text = export_text(framework).replace("pass_mark: 85", "pass_mark: 185")
    with pytest.raises(FrameworkInvalid) as exc:
        update_from_text(actor=world.nacc, framework=framework, text=text)
    assert any("grading.pass_mark" in line for line in exc.value.lines())
    framework.refresh_from_db()
    assert framework.document["grading"]["pass_mark"] == 85


def test_edit_changes_the_spec(world):
    framework = load_shipped_framework()
    text = export_text(framework).replace("pass_mark: 85", "pass_mark: 80")
    updated = update_from_text(actor=world.nacc, framework=framework, text=text)
    assert updated.spec.grading.pass_mark == 80
    assert Framework.objects.get(pk=framework.pk).spec.grade(82).passed is True
    entry = AuditEntry.objects.get(action="frameworks.framework.replaced")
    assert entry.actor == world.nacc


def test_clone_last_year(world):
    source = load_shipped_framework()
    Cycle.objects.create(fiscal_year=2564, name="ITA 2564", framework=source, status="closed")
    clone = clone_framework(
        actor=world.nacc, source=source, code="ita-2565-lao", fiscal_year=2565, name="ITA 2565"
    )
    assert clone.spec.fiscal_year == 2565
    assert clone.spec.questions == source.spec.questions
    assert not clone.is_frozen
    assert source.is_frozen
    with pytest.raises(FrameworkError):
        clone_framework(
            actor=world.nacc, source=source, code="ita-2565-lao", fiscal_year=2565, name="x"
        )
    with pytest.raises(FrameworkInvalid):
        clone_framework(actor=world.nacc, source=source, code="Bad Code", fiscal_year=65, name="x")
