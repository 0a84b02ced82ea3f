"""The public pages stay light on a phone's first visit (issue 16): the questionnaire, its
thank-you page and the message pages weigh at most 150 KB uncompressed with everything they
load (their own HTML, the stylesheets, scripts, icon and the font files those stylesheets
name), counted from the files Django serves. A size budget, not a speed test; the bench
measures the same pages in Chromium (transferred bytes, compressed and not)."""

import re

import pytest
from django.contrib.staticfiles import finders

from tests.surveys.conftest import answers_for

BUDGET = 150 * 1024
ASSET = re.compile(r'<(?:link[^>]+href|script[^>]+src)="(/static/[^"]+)"')
FONT = re.compile(r"url\('?([^')]+\.woff2)'?\)")


def _static(url: str) -> bytes:
    path = finders.find(url.removeprefix("/static/").split("?")[0])
    assert path, f"{url} is not a static file"
    with open(path, "rb") as f:
        return f.read()


def first_visit(html: str) -> tuple[int, list[str]]:
    """Bytes of a first visit to a page (its HTML and everything it names), and the files."""
    total, files = len(html.encode()), []
    for url in dict.fromkeys(ASSET.findall(html)):
        body = _static(url)
        total += len(body)
        files.append(url)
        if url.endswith(".css"):
            base = url.rsplit("/", 1)[0]
            for font in FONT.findall(body.decode()):
                total += len(_static(f"{base}/{font}"))
                files.append(font)
    return total, files


@pytest.mark.django_db
@pytest.mark.parametrize("instrument", ["iit", "eit"])
def test_questionnaire_and_thanks_within_budget(client, enrolment, framework, instrument):
    r = client.get(enrolment.public_path(instrument))
    assert r.status_code == 200
    html = r.content.decode()
    total, files = first_visit(html)
    assert total <= BUDGET, (total, files)
    # No staff-side weight: the whole Bootstrap, its JavaScript, htmx.
    assert not any(
        name in f for f in files for name in ("bootstrap.min.css", "bootstrap.bundle", "htmx")
    ), files
    # The answers still go through (the lighter page is the same form).
    data = {
        **answers_for(framework.spec, instrument),
        "submission_id": "7" * 8 + "-7777-4777-8777-" + "7" * 12,
    }
    r = client.post(enrolment.public_path(instrument), data)
    assert r.status_code == 302
    thanks = client.get(r["Location"])
    assert thanks.status_code == 200
    total, files = first_visit(thanks.content.decode())
    assert total <= BUDGET, (total, files)


@pytest.mark.django_db
def test_message_pages_within_budget(client, enrolment):
    r = client.get("/go/eit/ZZZZZZ")
    assert r.status_code == 404
    total, files = first_visit(r.content.decode())
    assert total <= BUDGET, (total, files)


def test_public_css_keeps_the_rules_the_pages_use():
    """bin/purge-public-css was rerun after the last change of a public template's classes:
    every class the questionnaire's markup names that Bootstrap styles has a rule."""
    full = _static("/static/vendor/bootstrap/bootstrap.min.css").decode()
    public = _static("/static/vendor/bootstrap/bootstrap-public.min.css").decode()
    for name in (
        "btn",
        "btn-check",
        "card",
        "card-body",
        "alert",
        "progress",
        "progress-bar",
        "container",
        "d-none",
        "visually-hidden-focusable",
        "form-control",
        "text-muted",
    ):
        assert f".{name}" in full
        assert re.search(rf"\.{re.escape(name)}[^-\w]", public), name
