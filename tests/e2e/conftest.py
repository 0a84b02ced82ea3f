"""Browser journeys: Playwright for Python driving Debian's chromium (never a downloaded browser)."""

import os
from pathlib import Path

import pytest

from tests.conftest import chromium_path

SCREENSHOTS = Path(
    os.environ.get("ITAS_SCREENSHOTS", Path(__file__).resolve().parents[2] / "var" / "screenshots")
)

# The live server runs in a thread of the test process; Django refuses sync DB work from an
# async context, which Playwright's sync API creates.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser():
    path = chromium_path()
    if not path:
        pytest.skip(
            "Debian's chromium is not installed (apt-get install chromium); browser journeys skipped"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=path,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--disable-quic",
            ],
        )
        yield b
        b.close()


@pytest.fixture
def phone(browser):
    """A 360 px wide phone viewport."""
    context = browser.new_context(
        viewport={"width": 360, "height": 780}, locale="th-TH", device_scale_factor=2
    )
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def desktop(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="th-TH")
    page = context.new_page()
    yield page
    context.close()


def screenshot(page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def login(page, live_server, email: str, password: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", email)
    page.fill("#id_password", password)
    # Wait for the signed-in page: a goto() right after the click could cancel the POST.
    with page.expect_navigation():
        page.click("button.btn-primary")
