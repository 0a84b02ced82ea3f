"""วิธีใช้งาน: short steps per role, each with a screenshot that a browser journey in tests/e2e/
takes itself (so the picture stays true when the page changes: `make test` retakes it). The
pictures are served from the screenshots folder (ITAS_SCREENSHOTS, default var/screenshots);
a step whose picture has not been taken on this machine shows its text alone.

Guides name pages by what people see, never another app's URL (core imports no app)."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Step:
    text: Promise
    screenshot: str = ""


@dataclass(frozen=True)
class Guide:
    slug: str
    title: Promise
    steps: tuple[Step, ...]


GUIDES: tuple[Guide, ...] = (
    Guide(
        "agency-admin",
        _("Agency admin"),
        (
            Step(
                _(
                    "On the home page, see which people your agency still has to appoint (admin, executive, an officer per function) and invite them from “My agency's people”."
                ),
                "agency-people-360",
            ),
            Step(
                _(
                    "Open “Respondents”: print the QR poster and share the IIT and EIT links with staff and service users."
                ),
                "",
            ),
            Step(
                _(
                    "On the OIT board, give each item to an officer, check the links, then submit the board."
                ),
                "oit-02-admin-board-submitted",
            ),
            Step(
                _(
                    "Before the briefing, find where your agency watches the live stream and show the host your agency's QR code."
                ),
                "sites-05-phone-qr-checkin",
            ),
            Step(
                _(
                    "While the practice round is open, try everything with the practice links: nothing counts."
                ),
                "practice-02-phone-home-panel",
            ),
        ),
    ),
    Guide(
        "executive",
        _("Responsible executive"),
        (
            Step(
                _(
                    "Follow the OIT board of your agency and answer the assessors' questions in time."
                ),
                "oit-07-agency-clarification",
            ),
            Step(
                _(
                    "Read your agency's scorecard when the results are published: what passed, what to improve."
                ),
                "reports-scorecard-phone",
            ),
        ),
    ),
    Guide(
        "officer",
        _("Agency officer"),
        (
            Step(
                _(
                    "Open the OIT item given to you, paste the link to the page on your agency's website, and read the automatic check."
                ),
                "oit-01-officer-item-precheck",
            ),
            Step(
                _("If an assessor asks for a clarification, answer it from the same item."),
                "oit-07-agency-clarification",
            ),
        ),
    ),
    Guide(
        "respondent",
        _("Respondent (staff and service users)"),
        (
            Step(
                _(
                    "Scan the QR code on the agency's poster or open the link; no name or account is asked."
                ),
                "questionnaire-01-start",
            ),
            Step(
                _(
                    "Answer step by step; your answers are kept on the phone if the connection drops."
                ),
                "questionnaire-03-offline",
            ),
            Step(
                _("Send at the last step; the thank-you page confirms that the answers arrived."),
                "questionnaire-07-thanks",
            ),
        ),
    ),
    Guide(
        "assessor",
        _("Assessor"),
        (
            Step(
                _("Open your queue of OIT items to review, in your group's provinces."),
                "oit-04-assessor-queue",
            ),
            Step(
                _("Review each item: pass, or fail with a recommendation the agency reads."),
                "oit-06-assessor-review-done",
            ),
        ),
    ),
    Guide(
        "coordinator",
        _("Provincial coordinator and district officer"),
        (
            Step(
                _(
                    "For a live-stream briefing, add the viewing sites of each district and assign its agencies."
                ),
                "sites-02-desktop-two-sites",
            ),
            Step(
                _("Give the host's link to each site's host: attendance is taken on a phone."),
                "sites-04-phone-tick-who-came",
            ),
            Step(
                _(
                    "After the briefing, see who was represented and remind the agencies that were not."
                ),
                "sites-07-desktop-followup",
            ),
            Step(
                _("Follow the registrations of events for your province's agencies."),
                "events-06-organiser-followup",
            ),
        ),
    ),
    Guide(
        "nacc",
        _("NACC"),
        (
            Step(
                _(
                    "Open the practice round from the cycle's page so agencies can try the system; reset it after the briefing."
                ),
                "practice-01-desktop-practice-cycle",
            ),
            Step(
                _("Build target groups from the letters' lists and announce events."),
                "events-08-list-matched",
            ),
            Step(
                _(
                    "Confirm the OIT decisions and publish the results; read the national dashboard."
                ),
                "reports-national-dashboard-desktop",
            ),
        ),
    ),
)

NAME = re.compile(r"^[a-z0-9-]{1,80}$")


def guide(slug: str) -> Guide | None:
    return next((g for g in GUIDES if g.slug == slug), None)


def screenshot_names() -> set[str]:
    return {s.screenshot for g in GUIDES for s in g.steps if s.screenshot}


def screenshots_dir() -> Path:
    default = Path(settings.VAR_DIR) / "screenshots" if hasattr(settings, "VAR_DIR") else None
    return Path(os.environ.get("ITAS_SCREENSHOTS") or default or "var/screenshots")


def screenshot_path(name: str) -> Path | None:
    """The file of a named guide screenshot, if that name is a guide's and it was taken."""
    if not NAME.match(name or "") or name not in screenshot_names():
        return None
    path = screenshots_dir() / f"{name}.png"
    return path if path.is_file() else None


def guide_for(user) -> str:
    """The guide a signed-in person most likely wants first, from their roles."""
    roles = (
        {r.role for r in user.cached_roles()} if getattr(user, "is_authenticated", False) else set()
    )
    for role, slug in (
        ("nacc_admin", "nacc"),
        ("province_coordinator", "coordinator"),
        ("district_officer", "coordinator"),
        ("assessor", "assessor"),
        ("agency_admin", "agency-admin"),
        ("agency_executive", "executive"),
        ("agency_officer", "officer"),
    ):
        if role in roles:
            return slug
    return "respondent"
