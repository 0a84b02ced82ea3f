"""Markup rules of WCAG 2.1 AA that hold for every template, checked on the files themselves so
a new template cannot slip past them (the browser crawl, tests/e2e/test_accessibility_e2e.py,
checks the rendered pages with axe-core)."""

import re
from pathlib import Path

import pytest

ITAS = Path(__file__).resolve().parents[2] / "itas"
TEMPLATES = sorted(ITAS.glob("*/templates/**/*.html"))
PAGES = [t for t in TEMPLATES if "/email/" not in str(t) and "/pdf/" not in str(t)]


def test_there_are_templates():
    assert len(PAGES) > 50


@pytest.mark.parametrize("template", PAGES, ids=lambda p: str(p.relative_to(ITAS)))
def test_labels_read_to_a_screen_reader_are_translated(template):
    """An aria-label, alt or title written in English is read out in English on a Thai page."""
    text = template.read_text()
    literal = re.findall(r'\b(?:aria-label|alt|title)="([A-Za-z][^"{]*)"', text)
    # Tool names and codes are the same in both languages.
    literal = [v for v in literal if not re.fullmatch(r"(IIT|EIT|OIT|ITA|ITAS|Alt\+\S+)", v)]
    assert not literal, f"untranslated labels: {literal}"


@pytest.mark.parametrize("template", PAGES, ids=lambda p: str(p.relative_to(ITAS)))
def test_every_nav_is_named(template):
    """With more than one <nav> on a page, a screen reader tells them apart only by name."""
    navs = re.findall(r"<nav\b[^>]*>", template.read_text())
    assert all("aria-label" in n or "aria-labelledby" in n for n in navs), navs


def test_every_page_has_a_skip_link_to_its_main_content():
    base = (ITAS / "core/templates/core/base.html").read_text()
    skip = re.search(r'<a class="[^"]*skip-link[^"]*" href="#(\w+)"', base)
    assert skip, "no skip link in base.html"
    assert f'<main id="{skip.group(1)}"' in base
    assert base.index("skip-link") < base.index("<nav"), "the skip link must come first"
