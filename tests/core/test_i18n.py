"""Thai first: complete catalogues, no string in the code without a Thai translation, Thai by
default and English by the switch in the navbar."""

import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

ITAS = Path(__file__).resolve().parents[2] / "itas"
PO_FILES = sorted(ITAS.glob("*/locale/th/LC_MESSAGES/django.po"))
HAVE_GETTEXT = all(shutil.which(tool) for tool in ("msgattrib", "xgettext", "msgmerge", "msgfmt"))
needs_gettext = pytest.mark.skipif(
    not HAVE_GETTEXT, reason="GNU gettext tools are missing (apt-get install gettext)"
)


def msgattrib(po: Path, flag: str) -> str:
    result = subprocess.run(
        ["msgattrib", flag, "--no-wrap", str(po)], capture_output=True, text=True, check=True
    )
    return result.stdout.strip()


def entries(text: str) -> list[str]:
    """The msgids in msgattrib's output, without the header."""
    return [
        line[len("msgid ") :]
        for line in text.splitlines()
        if line.startswith("msgid ") and line != 'msgid ""'
    ]


@needs_gettext
@pytest.mark.parametrize("po", PO_FILES, ids=lambda p: p.parts[-5])
def test_catalogue_is_complete(po):
    assert not entries(msgattrib(po, "--untranslated")), f"untranslated entries in {po}"
    assert not msgattrib(po, "--only-fuzzy"), f"fuzzy entries in {po}"


def test_there_are_catalogues():
    apps = {p.parts[-5] for p in PO_FILES}
    assert {"core", "geo", "agencies", "accounts"} <= apps


@needs_gettext
def test_every_string_in_the_code_has_a_thai_translation(tmp_path, monkeypatch):
    """Extract afresh from a copy of the code: a new string without a translation fails."""
    copy = tmp_path / "itas"
    shutil.copytree(
        ITAS, copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo", "static", "migrations")
    )
    problems = {}
    for app in sorted(p for p in copy.iterdir() if (p / "apps.py").exists()):
        (app / "locale").mkdir(exist_ok=True)
        monkeypatch.chdir(app)
        call_command("makemessages", locale=["th"], no_obsolete=True, no_location=True, verbosity=0)
        po = app / "locale" / "th" / "LC_MESSAGES" / "django.po"
        if not po.exists():
            continue
        missing = entries(msgattrib(po, "--untranslated")) + entries(msgattrib(po, "--only-fuzzy"))
        if missing:
            problems[app.name] = missing
    assert not problems, (
        "strings without a Thai translation (run `make messages`, translate, remove fuzzy): "
        + "; ".join(f"{app}: {', '.join(ids[:10])}" for app, ids in problems.items())
    )


@pytest.mark.django_db
def test_thai_is_the_default_and_english_is_a_switch_away(client):
    home = client.get(reverse("core:home"))
    html = home.content.decode()
    assert '<html lang="th">' in html
    assert "เข้าสู่ระบบ" in html and ">Sign in<" not in html
    agencies = client.get(reverse("agencies:list")).content.decode()
    assert "ชื่อภาษาไทยหรือรหัส" in agencies
    response = client.post(reverse("set_language"), {"language": "en", "next": "/agencies/"})
    assert response.status_code == 302
    english = client.get(reverse("agencies:list")).content.decode()
    assert '<html lang="en">' in english
    assert "Thai name or code" in english and "ชื่อภาษาไทยหรือรหัส" not in english
    client.post(reverse("set_language"), {"language": "th", "next": "/"})
    assert "เข้าสู่ระบบ" in client.get(reverse("core:home")).content.decode()


@pytest.mark.django_db
def test_an_english_browser_still_gets_thai_until_the_switch(client):
    html = client.get(reverse("core:home"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="th">' in html
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    html = client.get(reverse("core:home"), HTTP_ACCEPT_LANGUAGE="th").content.decode()
    assert '<html lang="en">' in html


@needs_gettext
def test_one_english_text_has_one_thai_translation_across_apps(tmp_path):
    """Django merges every app's catalogue into one, and the first app listed wins: the same
    msgid translated two ways shows one app's words on the other's pages ("Part" of the system
    status page turned the questionnaire's "Part 1 of 3" into ส่วนของระบบ). A word with two
    meanings gets a context (pgettext, {% translate … context … %})."""
    import gettext

    first: dict[str, tuple[str, str]] = {}
    clashes = []
    for po in PO_FILES:
        app = po.parts[-5]
        # Compiled apart from the app's own .mo, which other test workers are reading.
        mo = tmp_path / f"{app}.mo"
        subprocess.run(["msgfmt", "-o", str(mo), str(po)], check=True)
        with mo.open("rb") as handle:
            catalogue = gettext.GNUTranslations(handle)._catalog  # noqa: SLF001
        for msgid, msgstr in catalogue.items():
            if not isinstance(msgid, str) or not msgid:
                continue
            other = first.setdefault(msgid, (app, msgstr))
            if other[1] != msgstr:
                clashes.append(f"{msgid!r}: {other[0]} {other[1]!r} / {app} {msgstr!r}")
    assert not clashes, "one text, two translations:\n" + "\n".join(clashes)
