"""Issue 11 item 10: a Content-Security-Policy on every page, with no 'unsafe-inline' and no
'unsafe-eval', that the pages themselves satisfy: no inline <script> (JSON data through
json_script is not executed and is allowed), no on*= handler, no style="..." attribute, no
<style> element, in the HTML the demo's pages serve to every demo role and to the public.
The same in Chromium, with the scripts running: tests/e2e/test_csp_e2e.py."""

from __future__ import annotations

import base64
import hashlib
import importlib.machinery
import importlib.util
import re
from html.parser import HTMLParser
from io import StringIO
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.core.management import call_command
from django.template import engines
from django.urls import Resolver404, resolve, reverse

from itas.accounts.demo import PEOPLE as DEMO_PEOPLE
from itas.core.mailpreview import preview_policy
from itas.core.templatetags.layout import pct

ROOT = Path(__file__).resolve().parents[2]
HEADER = "Content-Security-Policy"


def directives(header: str) -> dict[str, list[str]]:
    out = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            out[words[0]] = words[1:]
    return out


def assert_strict(header: str | None) -> None:
    assert header, "no Content-Security-Policy header"
    policy = directives(header)
    assert "'unsafe-inline'" not in header and "'unsafe-eval'" not in header, header
    assert "'unsafe-hashes'" not in header, header
    for name in ("script-src", "style-src", "default-src", "font-src", "connect-src"):
        assert policy[name] == ["'self'"], (name, header)
    assert policy["img-src"] == ["'self'", "data:"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"] and policy["form-action"] == ["'self'"]


# A page's own files; "{" is a template's {% static %} or {{ url }} (the template scan below).
LOCAL = ("/", "{")


class InlineFinder(HTMLParser):
    """What the policy would refuse in a page's markup."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._script_inline = False

    def handle_starttag(self, tag, attrs):
        names = dict(attrs)
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}=…>")
            if name == "style":
                self.found.append(f'<{tag} style="{value}">')
            if name in ("href", "src", "action") and (value or "").strip().lower().startswith(
                "javascript:"
            ):
                self.found.append(f"<{tag} {name}=javascript:…>")
        if tag == "style":
            self.found.append("<style>")
        if tag == "iframe" and "srcdoc" in names:
            self.found.append("<iframe srcdoc> (inherits the page's policy)")
        if tag == "script":
            src = names.get("src")
            if src is not None and not src.startswith(LOCAL):
                self.found.append(f"<script src={src}> from elsewhere")
            self._script_inline = src is None and names.get("type") != "application/json"
        stylesheet = tag == "link" and "stylesheet" in (names.get("rel") or "")
        if stylesheet and not (names.get("href") or "").startswith(LOCAL):
            self.found.append(f"<link stylesheet {names.get('href')}> from elsewhere")

    def handle_endtag(self, tag):
        if tag == "script":
            self._script_inline = False

    def handle_data(self, data):
        if self._script_inline and data.strip():
            self.found.append(f"<script>{data.strip()[:60]}</script>")


def inline_code(html: str) -> list[str]:
    finder = InlineFinder()
    finder.feed(html)
    finder.close()
    return finder.found


# ------------------------------------------------------------------------------ unit checks


def test_the_finder_finds_what_the_policy_refuses():
    """The crawl below means something only if its finder catches each kind of inline code."""
    page = (
        '<div style="width:3%"></div><button onclick="go()">x</button><style>p{}</style>'
        "<script>alert(1)</script><iframe srcdoc='<p>'></iframe><a href='javascript:x()'>a</a>"
    )
    assert len(inline_code(page)) == 6
    allowed = (
        '<script src="/static/a.js"></script><script type="application/json" id="d">{"a": 1}'
        '</script><div class="w-pct-3" data-confirm="ok?"></div><a href="/x">x</a>'
    )
    assert inline_code(allowed) == []


@pytest.mark.parametrize(
    "value, expected",
    [(0, 0), (42, 42), (84.99, 84), (100, 100), (100.0, 100), (250, 100), (-3, 0), ("57", 57)]
    + [(None, 0), ("", 0), ("–", 0), (float("nan"), 0), (float("inf"), 100)],
)
def test_pct_is_a_whole_percent_that_never_shows_more_than_the_value(value, expected):
    assert pct(value) == expected


def test_pct_css_is_what_bin_pct_css_writes_and_has_every_class():
    loader = importlib.machinery.SourceFileLoader("pct_css", str(ROOT / "bin" / "pct-css"))
    spec = importlib.util.spec_from_loader("pct_css", loader)
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    css = (ROOT / "static/itas/pct.css").read_text(encoding="utf-8")
    assert css == module.css(), "static/itas/pct.css is stale: run python3 bin/pct-css"
    for n in (0, 1, 50, 99, 100):
        assert f".w-pct-{n}{{width:{n}%}}" in css


def test_a_template_with_a_percent_bar_renders_a_class():
    html = (
        engines["django"]
        .from_string('<div class="bar w-pct-{{ x|pct }}"></div>')
        .render({"x": 67.5})
    )
    assert html == '<div class="bar w-pct-67"></div>'


# Templates that never reach a browser as a page: WeasyPrint renders the PDFs (their <style> is
# the PDF's layout), and e-mails must style themselves inline for mail programs (the outbox
# shows them under a policy of their own, core:outbox_body).
NOT_PAGES = re.compile(r"/(email|pdf)/|_pdf\.html$|^itas/cycles/templates/cycles/poster\.html$")
COMMENT = re.compile(r"{#.*?#}|{% comment %}.*?{% endcomment %}", re.S)


def test_no_template_served_as_a_page_holds_inline_code():
    """Every template, including those of pages the crawl below does not reach (a state the
    demo is not in): its markup, comments taken out, has nothing the policy refuses."""
    found = {}
    templates = sorted(ROOT.glob("itas/**/templates/**/*.html"))
    assert len(templates) > 100
    for path in templates:
        name = str(path.relative_to(ROOT))
        if NOT_PAGES.search(name):
            continue
        source = COMMENT.sub("", path.read_text(encoding="utf-8"))
        hits = inline_code(source)
        if hits:
            found[name] = hits
    assert not found, found


# ------------------------------------------------------------------------------ the header


@pytest.mark.django_db
def test_header_on_staff_public_and_api_docs_pages(client, world):
    from itas.frameworks.services import load_shipped_framework
    from tests.cycles.helpers import make_cycle

    framework = load_shipped_framework()
    cycle = make_cycle(world.nacc, framework=framework, fiscal_year=framework.fiscal_year)
    enrolment = cycle.enrolments.get(agency=world.agency)
    assert_strict(client.get(reverse("accounts:login"))[HEADER])
    client.force_login(world.nacc)
    r = client.get(reverse("core:home"))
    assert r.status_code == 200
    assert_strict(r[HEADER])
    client.logout()
    r = client.get(enrolment.public_path("iit"))
    assert r.status_code == 200 and "survey" in r.content.decode()
    assert_strict(r[HEADER])
    assert inline_code(r.content.decode()) == []
    r = client.get(reverse("api:docs"))
    assert r.status_code == 200
    assert_strict(r[HEADER])
    html = r.content.decode()
    assert inline_code(html) == []
    # Swagger UI's start script comes from the same URL, as JavaScript, not inline.
    script = re.search(r'<script src="([^"]*script=[^"]*)"', html).group(1)
    r = client.get(script)
    assert r.status_code == 200 and r["Content-Type"].startswith("application/javascript")
    assert "SwaggerUIBundle" in r.content.decode()
    assert client.get(reverse("api:index"))[HEADER]  # JSON answers carry it too
    # A page that is not found still carries the policy.
    r = client.get("/no-such-page/")
    assert r.status_code == 404
    assert_strict(r[HEADER])


def test_the_cached_headers_are_django_csps_own_and_follow_the_settings(client, settings):
    """The site's policy is built once per process (itas.core.middleware.CSPMiddleware): it
    must be the header django-csp builds, and a change of the settings must show at once."""
    from csp.utils import build_policy

    r = client.get("/healthz")
    assert r[HEADER] == build_policy()
    assert "Content-Security-Policy-Report-Only" not in r
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {"default-src": ["'none'"]}}
    settings.CONTENT_SECURITY_POLICY_REPORT_ONLY = {
        "EXCLUDE_URL_PREFIXES": ["/healthz"],
        "DIRECTIVES": {"img-src": ["https:"]},
    }
    r = client.get("/healthz")
    assert r[HEADER] == "default-src 'none'"
    assert "Content-Security-Policy-Report-Only" not in r  # its excluded prefix
    r = client.get("/no-such-page/")
    assert r["Content-Security-Policy-Report-Only"] == build_policy(report_only=True)
    assert "img-src https:" in r["Content-Security-Policy-Report-Only"]


@pytest.mark.django_db
def test_outbox_preview_allows_exactly_the_messages_own_inline_styles(client, world):
    from itas.core.models import OutboxMessage

    body = (
        '<p style="color: #123456">สวัสดี</p><p style="color: #123456">x</p>'
        "<style>p { margin: 0 }</style><script>alert(1)</script>"
    )
    message = OutboxMessage.objects.create(
        subject="ทดสอบ", from_email="a@b.c", to=["x@y.z"], body_text="x", body_html=body
    )
    client.force_login(world.nacc)
    page = client.get(reverse("core:outbox_message", args=[message.pk]))
    assert page.status_code == 200
    assert_strict(page[HEADER])
    assert inline_code(page.content.decode()) == []
    frame = reverse("core:outbox_body", args=[message.pk])
    assert f'src="{frame}"' in page.content.decode() and 'sandbox=""' in page.content.decode()
    r = client.get(frame)
    assert r.status_code == 200 and r["X-Frame-Options"] == "SAMEORIGIN"
    policy = directives(r[HEADER])
    # the hashes of "color: #123456" (once) and of "p { margin: 0 }"; nothing else inline
    sha = [
        "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"
        for text in ("color: #123456", "p { margin: 0 }")
    ]
    assert policy["style-src"] == ["'self'", "'unsafe-hashes'", *sha]
    assert preview_policy(body)["style-src"] == policy["style-src"]
    assert policy["script-src"] == ["'none'"] and policy["default-src"] == ["'none'"]
    assert "sandbox" in policy and policy["frame-ancestors"] == ["'self'"]
    assert "'unsafe-inline'" not in r[HEADER]
    client.force_login(world.nobody)
    assert client.get(frame).status_code in (403, 404)


# ------------------------------------------------------------------------------ the crawl

ROLES = [local for local, *_ in DEMO_PEOPLE]  # every demo person signs in
SKIP_PREFIXES = ("/static/", "/media/", "/admin/", "/accounts/logout", "/i18n/")
SKIP_SUFFIXES = (".csv", ".xlsx", ".pdf", ".ics", ".png", ".svg", ".json", ".zip", ".txt")


def page_kind(url: str) -> str | None:
    """One key per kind of page: the view's name and the names of its query parameters."""
    parts = urlsplit(url)
    if parts.path.startswith(SKIP_PREFIXES) or parts.path.lower().endswith(SKIP_SUFFIXES):
        return None
    try:
        match = resolve(parts.path)
    except Resolver404:
        return None
    if any(w in (match.url_name or "") for w in ("download", "export", "pdf", "csv", "qr")):
        return None
    keys = sorted({k for k, _v in parse_qsl(parts.query) if k not in ("page", "next")})
    return f"{match.view_name}?{'&'.join(keys)}"


HREF = re.compile(r'\bhref="([^"#][^"]*)"')


def crawl(client, seeds: list[str], seen: set[str], pages: dict[str, list[str]]) -> None:
    queue = list(seeds)
    visited: set[str] = set()
    while queue:
        url = queue.pop(0)
        kind = page_kind(url)
        if kind is None or url in visited:
            continue
        visited.add(url)
        if kind in seen and url not in seeds:
            continue
        seen.add(kind)
        r = client.get(url)
        if "text/html" not in r.get("Content-Type", ""):
            continue
        assert r.status_code < 500, url
        html = r.content.decode()
        if r.status_code < 400 or r.status_code == 404:
            assert_strict(r.get(HEADER))
            pages[url] = inline_code(html)
        for href in HREF.findall(html):
            href = href.replace("&amp;", "&")
            parts = urlsplit(href)
            if parts.scheme or parts.netloc or not parts.path.startswith("/"):
                continue
            queue.append(parts.path + (f"?{parts.query}" if parts.query else ""))


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_every_page_the_demo_roles_reach_holds_no_inline_code(client, settings):
    """The demo loaded, the public (from the links of a QR code and an event letter) and every
    demo role follow every link they are shown, one page per kind of page: each page carries
    the strict header and holds nothing inline that the policy refuses."""
    from itas.accounts.demo import DOMAIN
    from itas.accounts.models import User
    from itas.cycles.models import Enrolment
    from itas.events.models import Event

    call_command("load_demo", stdout=StringIO())
    seen: set[str] = set()
    pages: dict[str, list[str]] = {}
    seeds = ["/", reverse("accounts:login"), reverse("api:docs")]
    enrolment = Enrolment.objects.filter(cycle__fiscal_year=2570).order_by("agency__name").first()
    seeds += [enrolment.public_path("iit"), enrolment.public_path("eit")]
    seeds += [e.public_path() for e in Event.objects.all()]
    crawl(client, seeds, seen, pages)
    for local in ROLES:
        user = User.objects.filter(email=f"{local}@{DOMAIN}").first()
        if user is None:
            continue
        client.force_login(user)
        crawl(client, ["/"], seen, pages)
        client.logout()
    print(f"{len(pages)} pages of {len(seen)} kinds checked")
    assert len(pages) >= 80, f"the crawl reached too few pages to mean anything: {len(pages)}"
    for needed in ("reports:dashboard", "reports:scorecard", "disclosure:board", "surveys:go"):
        assert any(k.startswith(needed + "?") for k in seen), needed
    assert not {url: hits for url, hits in pages.items() if hits}
