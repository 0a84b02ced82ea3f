"""Section `weight`: the public pages as a phone's Chromium loads them on a first visit, from
the production stack (gunicorn, WhiteNoise with the compressed manifest storage that bin/serve
uses): requests, bytes transferred (compressed, headers excluded), bytes once decompressed,
and whether every static file is served compressed and cacheable for a year under a hashed
name. tests/surveys/test_public_weight.py keeps the uncompressed budget in the suite; this
section measures what a browser really fetches."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess

from bench.env import ROOT, VENV_BIN, child_env
from bench.server import Gunicorn

COMPRESSED_STORAGE = "whitenoise.storage.CompressedManifestStaticFilesStorage"
BUDGET = 150 * 1024
YEAR = 365 * 24 * 3600


def _collectstatic(url: str) -> None:
    env = child_env(url, ITAS_STATICFILES_STORAGE=COMPRESSED_STORAGE)
    subprocess.run(
        [str(VENV_BIN / "python"), "-m", "itas.manage", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
    )


def _event(cycle):
    """A public event for the registration page, removed by the caller."""
    from django.utils import timezone

    from itas.events.models import Event, EventKind

    now = timezone.now()
    return Event.objects.create(
        title="สัมมนาชี้แจงการประเมิน ITA (bench)",
        kind=EventKind.values[0],
        starts_at=now + dt.timedelta(days=14),
        ends_at=now + dt.timedelta(days=14, hours=3),
        registration_deadline=now + dt.timedelta(days=10),
    )


def _pages(cycle, event) -> dict[str, str]:
    enrolment = cycle.enrolments.order_by("id").first()
    return {
        "questionnaire IIT": enrolment.public_path("iit"),
        "questionnaire EIT": enrolment.public_path("eit"),
        "thank-you page": enrolment.public_path("iit") + "/thanks",
        "event registration": event.public_path(),
    }


def _max_age(cache_control: str) -> int:
    for part in cache_control.split(","):
        name, _, value = part.strip().partition("=")
        if name == "max-age" and value.isdigit():
            return int(value)
    return 0


def _visit(browser, base: str, path: str) -> dict:
    """One first visit on a fresh phone profile (empty cache)."""
    context = browser.new_context(
        viewport={"width": 360, "height": 780}, locale="th-TH", is_mobile=True
    )
    page = context.new_page()
    seen = []
    page.on("requestfinished", lambda request: seen.append(request))
    response = page.goto(base + path, wait_until="load")
    status = response.status if response else None
    rows = []
    for request in seen:
        r = request.response()
        if r is None:
            continue
        sizes = request.sizes()
        headers = r.all_headers()
        rows.append(
            {
                "url": request.url.removeprefix(base),
                "transferred": sizes["responseBodySize"],
                "decoded": len(r.body()),
                "encoding": headers.get("content-encoding", ""),
                "max_age": _max_age(headers.get("cache-control", "")),
                "immutable": "immutable" in headers.get("cache-control", ""),
            }
        )
    context.close()
    statics = [r for r in rows if r["url"].startswith("/static/")]
    textual = [r for r in statics if not r["url"].endswith((".woff2", ".png", ".ico"))]
    return {
        "status": status,
        "requests": len(rows),
        "transferred": sum(r["transferred"] for r in rows),
        "decoded": sum(r["decoded"] for r in rows),
        "static_compressed": bool(textual)
        and all(r["encoding"] in ("gzip", "br") for r in textual),
        "static_year": bool(statics)
        and all(r["max_age"] >= YEAR and r["immutable"] for r in statics),
        "files": rows,
    }


def measure(cycle, url: str, *, port: int) -> dict:
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        return {"skipped": "Debian's chromium is not installed (apt-get install chromium)"}
    _collectstatic(url)
    event = _event(cycle)
    try:
        pages = _pages(cycle, event)
        out: dict = {"budget": BUDGET, "pages": {}}
        env = {"ITAS_STATICFILES_STORAGE": COMPRESSED_STORAGE}
        with Gunicorn(url, port=port, workers=2, env=env) as server, sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
            try:
                for name, path in pages.items():
                    out["pages"][name] = _visit(browser, server.base, path)
            finally:
                browser.close()
    finally:
        event.delete()
    return out


def table(result: dict) -> str:
    """The markdown table of docs/benchmarks.md."""
    if "skipped" in result:
        return f"Not measured: {result['skipped']}."
    lines = [
        "| page, first visit in Chromium (360 px) | status | requests | transferred | "
        "decoded | static compressed | static cached a year |",
        "|---|---:|---:|---:|---:|---|---|",
    ]

    def ok(v: dict) -> bool:
        return v["status"] == 200 and v["decoded"] <= result["budget"]

    for name, v in result["pages"].items():
        lines.append(
            f"| {name} | {v['status']} | {v['requests']} | {v['transferred']:,} B | "
            f"{v['decoded']:,} B {'✓' if ok(v) else '✗'} | "
            f"{'yes' if v['static_compressed'] else 'no'} | {'yes' if v['static_year'] else 'no'} |"
        )
    return "\n".join(lines)
