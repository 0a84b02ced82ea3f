"""วิธีใช้งาน: a guide per role whose pictures are the browser journeys' own screenshots, a
link in every page's header, and an FAQ NACC edits."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

from itas.core import help
from itas.core.models import AuditEntry, FaqEntry
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

E2E = Path(__file__).resolve().parents[1] / "e2e"


def test_every_guide_picture_is_taken_by_a_browser_journey():
    taken = set()
    for path in E2E.glob("test_*.py"):
        taken |= set(re.findall(r'screenshot\(\w+, f?"([a-z0-9-]+)"\)', path.read_text()))
    assert help.screenshot_names() <= taken, help.screenshot_names() - taken
    assert {g.slug for g in help.GUIDES} >= {
        "agency-admin",
        "executive",
        "officer",
        "respondent",
        "assessor",
        "coordinator",
        "nacc",
    }


def test_help_is_linked_from_the_header_and_lists_the_guides(client, world):
    client.login(username=world.coordinator.email, password=PASSWORD)
    home = client.get("/").content.decode()
    assert 'id="help-link"' in home and reverse("core:help") in home
    page = client.get(reverse("core:help"))
    assert page.context["mine"] == "coordinator"
    html = page.content.decode()
    for guide in help.GUIDES:
        assert reverse("core:help_guide", args=[guide.slug]) in html


def test_a_guide_shows_its_screenshots_when_they_were_taken(client, tmp_path, monkeypatch):
    monkeypatch.setenv("ITAS_SCREENSHOTS", str(tmp_path))
    (tmp_path / "sites-02-desktop-two-sites.png").write_bytes(b"\x89PNG\r\n\x1a\nfake")
    html = client.get(reverse("core:help_guide", args=["coordinator"])).content.decode()
    assert reverse("core:help_screenshot", args=["sites-02-desktop-two-sites"]) in html
    # A picture not taken on this machine leaves its step as text alone.
    assert reverse("core:help_screenshot", args=["sites-07-desktop-followup"]) not in html
    assert "ติดต่อ" in html or "<ol" in html
    image = client.get(reverse("core:help_screenshot", args=["sites-02-desktop-two-sites"]))
    assert b"".join(image.streaming_content).startswith(b"\x89PNG")
    # Only the guides' own pictures are served, and no path leaves the folder.
    assert client.get("/help/screens/secret.png").status_code == 404
    assert client.get("/help/screens/..%2F..%2Fsettings.png").status_code == 404
    assert client.get(reverse("core:help_guide", args=["nobody"])).status_code == 404


def test_nacc_edits_the_faq_and_others_cannot(client, world):
    client.login(username=world.nacc.email, password=PASSWORD)
    client.post(
        reverse("core:faq_new"),
        {"question": "ลืมรหัสผ่านต้องทำอย่างไร", "answer": "กด “ลืมรหัสผ่าน” ที่หน้าเข้าสู่ระบบ", "position": 1},
    )
    entry = FaqEntry.objects.get()
    assert AuditEntry.objects.filter(action="core.faq.saved", actor=world.nacc).exists()
    assert "ลืมรหัสผ่านต้องทำอย่างไร" in client.get(reverse("core:help")).content.decode()
    bad = client.post(reverse("core:faq_edit", args=[entry.pk]), {"question": "", "answer": ""})
    assert bad.status_code == 400
    entry.refresh_from_db()
    assert entry.question == "ลืมรหัสผ่านต้องทำอย่างไร"
    client.login(username=world.agency_admin.email, password=PASSWORD)
    assert client.post(reverse("core:faq_delete", args=[entry.pk])).status_code == 403
    client.logout()
    assert "ลืมรหัสผ่านต้องทำอย่างไร" in client.get(reverse("core:help")).content.decode()
