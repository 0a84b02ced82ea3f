"""`make demo` installs the project; its metadata must not make setuptools print deprecation
blocks (a licence given as a table instead of an SPDX expression did, on every install)."""

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
