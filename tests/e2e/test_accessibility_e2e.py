"""WCAG 2.1 AA, checked by axe-core in Chromium: the demo world is loaded, every demo role signs
in and follows the links it is shown (one page per kind of page, so 460 scorecards are one),
and every page found is checked on a 1366 px desktop and a 360 px phone. Any critical or
serious violation fails the test. The full table of findings is written to
var/axe/axe-report.json (and printed), so the counts can be compared from one run to
the next.

A kind of page already checked for an earlier role is not checked again, nor rendered: the
later role reads it over HTTP for its links only.

axe-core is vendored for the tests only (tests/e2e/vendor/axe-core, MPL-2.0; see
static/vendor/README.md): it is never served to users."""

import json
import os
import time
from collections import Counter
from html.parser import HTMLParser
from io import StringIO
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.core.management import call_command
from django.urls import Resolver404, resolve
from playwright.sync_api import Error as PlaywrightError

from itas.accounts.demo import DOMAIN
from itas.accounts.demo import PEOPLE as DEMO_PEOPLE
from tests.e2e.conftest import SCREENSHOTS

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
WIDTHS = {"desktop": (1366, 900), "phone": (360, 780)}
# Pages a link crawl must not open: they change state on GET in no view, but they are files
# (not pages), the admin site (Django's own), or would end the session.
SKIP_PREFIXES = ("/static/", "/media/", "/admin/", "/accounts/logout", "/i18n/", "/api/")
SKIP_SUFFIXES = (".csv", ".xlsx", ".pdf", ".ics", ".png", ".svg", ".json", ".zip", ".txt")
PER_ROLE = int(os.environ.get("ITAS_AXE_PER_ROLE", "60"))
START = 0.0
BLOCKING = {"critical", "serious"}


def page_kind(url: str) -> str | None:
    """One key per kind of page: the view's name and the names of its query parameters."""
    parts = urlsplit(url)
    path = parts.path
    if path.startswith(SKIP_PREFIXES) or path.lower().endswith(SKIP_SUFFIXES):
        return None
    try:
        match = resolve(path)
    except Resolver404:
        return None
    if any(word in match.url_name or "" for word in ("download", "export", "pdf", "csv", "qr")):
        return None
    keys = sorted({k for k, _v in parse_qsl(parts.query) if k not in ("page", "next")})
    return f"{match.view_name}?{'&'.join(keys)}"


def sign_in(page, base: str, local: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", f"{local}@{DOMAIN}")
    page.fill("#id_password", "demo-password")
    # The login page is already loaded: wait for the page the POST opens, not for "load".
    with page.expect_navigation():
        page.click("form button[type=submit], form button.btn-primary")
    assert "/accounts/login/" not in page.url, f"{local} could not sign in"


class LinkFinder(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a" and (href := dict(attrs).get("href")):
            self.hrefs.append(href)


def crawl(page, base: str, seeds: list[str], check, checked: set[str]) -> dict[str, str]:
    """Breadth-first over same-origin links; one URL per kind of page, as {kind: url}.

    A kind not checked yet is opened in the browser and `check(kind, url, status)` runs on
    it there (the desktop pass, instead of opening it a second time); a kind an earlier role
    checked is only read over HTTP, with this person's session, for its links: rendering it
    again cost most of the crawl for roles that reach no new kind of page."""
    found: dict[str, str] = {}
    queue = list(seeds)
    while queue and len(found) < PER_ROLE:
        url = queue.pop(0)
        kind = page_kind(url)
        if kind is None or kind in found:
            continue
        if kind in checked:
            response = page.request.get(base + url)
            if "text/html" not in (response.headers.get("content-type") or ""):
                continue
            found[kind] = url
            if response.status >= 400:
                continue
            finder = LinkFinder()
            finder.feed(response.text())
            hrefs = finder.hrefs
        else:
            try:
                response = page.goto(base + url)
            except PlaywrightError:  # a file download, not a page
                continue
            if response is None or "text/html" not in (response.headers.get("content-type") or ""):
                continue
            found[kind] = url
            check(kind, url, response.status)
            if response.status >= 400:
                continue  # still checked; the status is reported
            hrefs = page.eval_on_selector_all(
                "a[href]", "els => els.map(a => a.getAttribute('href'))"
            )
        for href in hrefs:
            if not href or href.startswith(("#", "mailto:", "tel:", "javascript:")):
                continue
            parts = urlsplit(href)
            if parts.netloc and base.split("//")[1] != parts.netloc:
                continue
            local = parts.path + (f"?{parts.query}" if parts.query else "")
            if local.startswith("/"):
                queue.append(local)
    return found


def run_axe(page) -> list[dict]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        """() => axe.run(document, {
            runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']},
            resultTypes: ['violations'],
        })"""
    )
    return result["violations"]


def public_seeds() -> list[str]:
    """What an anonymous person reaches from a QR code or an invitation, not from a link."""
    from itas.cycles.models import Enrolment
    from itas.events.models import Event

    seeds = ["/", "/accounts/login/"]
    enrolment = Enrolment.objects.filter(cycle__fiscal_year=2570).order_by("agency__name").first()
    if enrolment is not None:
        seeds += [enrolment.public_path("iit"), enrolment.public_path("eit")]
    seeds += [e.public_path() for e in Event.objects.all()[:1]]
    return seeds


def open_the_pages_the_demo_leaves_closed() -> dict[str, list[str]]:
    """Pages that exist only once someone acts: a scored practice round (its dashboard and
    scorecards) and a request to explain answers (the agency admin's reply page). Returns the
    pages each role starts its crawl from, so that they are checked whatever the crawl's
    limit reaches first."""
    from django.urls import reverse

    from itas.accounts.models import User
    from itas.cycles import practice as practice_round
    from itas.cycles.models import Cycle, Enrolment
    from itas.scoring.services import compute_scores
    from itas.surveys.credibility.services import ask_explanation

    nacc = User.objects.get(email=f"nacc@{DOMAIN}")
    admin = User.objects.get(email=f"admin@{DOMAIN}")
    year = Cycle.objects.real().get(fiscal_year=2570)
    practice = practice_round.open_practice(nacc, cycle=year)
    compute_scores(cycle=practice, practice=True)
    enrolment = Enrolment.objects.select_related("agency").get(
        cycle=year, agency_id__in=admin.agency_ids()
    )
    ask_explanation(nacc, enrolment=enrolment, message="โปรดชี้แจงคำตอบที่เข้ามาพร้อมกัน")
    return {
        "nacc": [reverse("reports:practice", args=[practice.pk])],
        "admin": [
            reverse("surveys:explanations", args=[enrolment.pk]),
            reverse("reports:practice_scorecard", args=[practice.pk, enrolment.agency.code]),
        ],
    }


@pytest.mark.slow
def test_every_page_of_the_demo_has_no_serious_accessibility_violation(live_server, browser):
    roles = [None] + [local for local, *_ in DEMO_PEOPLE]  # anonymous, then every demo person
    global START
    START = time.monotonic()
    call_command("load_demo", stdout=StringIO())
    extra_seeds = open_the_pages_the_demo_leaves_closed()
    print(f"demo loaded {time.monotonic() - START:.1f} s")
    base = live_server.url
    rows = []
    statuses = {}
    checked: set[str] = set()  # kinds of page already checked (by an earlier role)

    def record(page, role: str, width: str, url: str, status) -> None:
        statuses[(role, url)] = status
        for v in run_axe(page):
            rows.append(
                {
                    "role": role,
                    "width": width,
                    "url": url,
                    "rule": v["id"],
                    "impact": v["impact"],
                    "nodes": len(v["nodes"]),
                    "targets": [n["target"] for n in v["nodes"][:3]],
                }
            )

    for local in roles:
        role = local or "anonymous"
        pages: dict[str, str] = {}
        for width, (w, h) in WIDTHS.items():
            context = browser.new_context(
                viewport={"width": w, "height": h}, locale="th-TH", bypass_csp=True
            )
            page = context.new_page()
            if local:
                sign_in(page, base, local)
            if width == "desktop":
                seeds = (
                    extra_seeds.get(role, []) + ["/"] + (public_seeds() if local is None else [])
                )

                def check(kind, url, status, page=page, role=role, width=width):
                    record(page, role, width, url, status)

                pages = {
                    k: u
                    for k, u in crawl(page, base, seeds, check, checked).items()
                    if k not in checked
                }
                checked.update(pages)
            else:
                for url in pages.values():
                    response = page.goto(base + url)
                    record(page, role, width, url, response.status if response else None)
            context.close()
        print(f"{time.monotonic() - START:7.1f} s  {role}: {len(pages)} new kinds of page")
    report = SCREENSHOTS.parent / "axe" / "axe-report.json"
    report.parent.mkdir(parents=True, exist_ok=True)
    report.write_text(json.dumps(rows, ensure_ascii=False, indent=1))
    blocking = [r for r in rows if r["impact"] in BLOCKING]
    per_rule = Counter()
    for r in blocking:
        per_rule[(r["rule"], r["impact"])] += r["nodes"]
    per_page = Counter()
    for r in blocking:
        per_page[(r["width"], r["role"], r["url"])] += r["nodes"]
    summary = "\n".join(
        [f"{n:5d}  {rule} ({impact})" for (rule, impact), n in per_rule.most_common()]
        + [f"{n:5d}  {w} {role} {url}" for (w, role, url), n in sorted(per_page.items())]
    )
    print(f"axe: {len(statuses)} pages checked\n{summary}")
    assert len(statuses) >= 30, "the crawl reached too few pages to mean anything"
    reached = {kind.split("?")[0] for kind in checked}
    wanted = {
        resolve(urlsplit(url).path).view_name
        for role in (local or "anonymous" for local in roles)
        for url in extra_seeds.get(role, [])
    }
    assert wanted <= reached, sorted(wanted - reached)
    assert not [u for u, s in statuses.items() if s is None or s >= 500], statuses
    assert not blocking, f"critical/serious axe violations (elements):\n{summary}"
