"""`make demo` installs the project; its metadata must not make setuptools print deprecation or
information blocks (a licence given as a table instead of an SPDX expression did, on every
install; so does the editable install's import finder)."""

import tomllib
from pathlib import Path

PYPROJECT = Path(__file__).resolve().parents[2] / "pyproject.toml"


def test_licence_is_an_spdx_expression_that_setuptools_reads_without_warning():
    data = tomllib.loads(PYPROJECT.read_text())
    assert data["project"]["license"] == "AGPL-3.0-or-later"
    assert "license-files" not in data["project"] or data["project"]["license-files"]
    assert not any("License ::" in c for c in data["project"].get("classifiers", []))
    requires = data["build-system"]["requires"]
    assert any(r.replace(" ", "").startswith("setuptools>=77") for r in requires)


def test_editable_install_is_a_plain_path_entry_so_setuptools_prints_no_block():
    """With the root package directory named, setuptools' editable install writes a .pth line
    (quiet) instead of its import finder, which warns on every install ("Editable
    installation… folders in your working directory with the same name")."""
    data = tomllib.loads(PYPROJECT.read_text())
    assert data["tool"]["setuptools"]["package-dir"] == {"": "."}
    assert data["tool"]["setuptools"]["packages"]["find"]["include"] == ["itas*"]
