"""PDF documents with WeasyPrint and the vendored Sarabun font (A4, Thai): every PDF the system
writes (result lists, scorecards, QR posters, site lists) is rendered by `render_pdf`.

**Why the Thai font is adjusted before use.** A PDF maps each glyph of a font to one text
(the ToUnicode map) for copying and searching, and WeasyPrint takes that text from the first
place a glyph is drawn. Thai shaping splits SARA AM (ำ) into NIKHAHIT + SARA AA and moves the
NIKHAHIT in front of a tone mark, so one SARA AA glyph stands for "า" in ผ่าน and for "ำ" in
ประจำปี, and the glyphs of น้ำ share one cluster: whichever came first won, and the text layer
read "ประจาปี", "ผำ่น" or "นำ". Two changes make the map exact:

1. the font gets a copy of SARA AA used only after a NIKHAHIT (a contextual substitution added
   to its `ccmp` feature): same outline, same advance, so the page looks the same, but a glyph
   of its own that can be mapped to "ำ";
2. after WeasyPrint has written the PDF's fonts, the map of the Thai font is rewritten from the
   glyph names: each glyph stands for its own character (variants for their base letter), the
   NIKHAHIT+tone ligature for its tone mark, the NIKHAHIT for nothing and the copy of SARA AA
   for "ำ". Copying "น้ำ" then gives น + ้ + ำ, which is the text.

fontTools (already a WeasyPrint dependency) edits the font in memory, once per process.
"""

from __future__ import annotations

import base64
import copy
import functools
import io
import re
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.http import content_disposition_header

UNICODE_RANGES = {
    "thai": "U+02D7,U+0303,U+0331,U+0E01-0E5B,U+200C-200D,U+25CC",
    "latin": "U+0000-00FF,U+0131,U+0152-0153,U+02BB-02BC,U+02C6,U+02DA,U+02DC,U+0304,"
    "U+0308,U+0329,U+2000-206F,U+20AC,U+2122,U+2191,U+2193,U+2212,U+2215,U+FEFF,U+FFFD",
}
THAI_FAMILY = "SarabunThai"
# The PDF's font stack: Latin letters and digits from the Latin subset, Thai from the Thai one
# (two families, so that each character is taken from the file that has it).
FONT_STACK = f"'SarabunLatin', '{THAI_FAMILY}', sans-serif"

AA, AA_IN_AM = "uni0E32", "uni0E32.am"
NIKHAHIT = ("uni0E4D", "uni0E4D.narrow")
TONES = ("uni0E48", "uni0E49", "uni0E4A", "uni0E4B")
_UNI_NAME = re.compile(r"^uni((?:[0-9A-F]{4})+)$")
_THAI_BASE_FONT = re.compile(rf"\+{THAI_FAMILY}(-\w+)?$")  # "ABCDEF+SarabunThai-Bold"


def _font_path(subset: str, weight: int) -> str | None:
    return finders.find(f"vendor/sarabun/sarabun-{subset}-{weight}-normal.woff")


def _with_sara_am_glyph(path: str) -> bytes:
    """The Thai font as TrueType with AA_IN_AM: a copy of SARA AA that a contextual lookup in
    `ccmp` substitutes for SARA AA right after a NIKHAHIT (or NIKHAHIT + tone mark)."""
    from fontTools.otlLib import builder as otl
    from fontTools.ttLib import TTFont
    from fontTools.ttLib.tables import otTables as ot

    font = TTFont(path)
    font.flavor = None
    order = font.getGlyphOrder()
    font.setGlyphOrder([*order, AA_IN_AM])  # appended: every other glyph keeps its id
    glyf = font["glyf"]
    glyf.glyphOrder = font.getGlyphOrder()
    glyf.glyphs[AA_IN_AM] = copy.deepcopy(glyf[AA])
    font["hmtx"].metrics[AA_IN_AM] = font["hmtx"].metrics[AA]
    classes = font["GDEF"].table.GlyphClassDef.classDefs
    classes[AA_IN_AM] = classes.get(AA, 1)

    glyph_map = font.getReverseGlyphMap()
    names = set(order)
    nikhahit = sorted(
        n for n in names if n.split(".")[0] in NIKHAHIT[0:1] or n.startswith("uni0E4D0E")
    )
    tones = sorted(n for n in names if n.split(".")[0] in TONES)
    gsub = font["GSUB"].table
    lookups = gsub.LookupList.Lookup
    single_index = len(lookups)
    lookups.append(otl.buildLookup([otl.buildSingleSubstSubtable({AA: AA_IN_AM})]))

    def chain(backtrack: list[list[str]]) -> ot.ChainContextSubst:
        st = ot.ChainContextSubst()
        st.Format = 3
        st.BacktrackGlyphCount = len(backtrack)
        st.BacktrackCoverage = [otl.buildCoverage(g, glyph_map) for g in backtrack]
        st.InputGlyphCount = 1
        st.InputCoverage = [otl.buildCoverage([AA], glyph_map)]
        st.LookAheadGlyphCount = 0
        st.LookAheadCoverage = []
        record = ot.SubstLookupRecord()
        record.SequenceIndex = 0
        record.LookupListIndex = single_index
        st.SubstCount = 1
        st.SubstLookupRecord = [record]
        return st

    # Backtrack coverages run from the glyph just before SARA AA outwards.
    lookups.append(otl.buildLookup([chain([nikhahit]), chain([tones, nikhahit])]))
    gsub.LookupList.LookupCount = len(lookups)
    for record in gsub.FeatureList.FeatureRecord:
        if record.FeatureTag == "ccmp":
            record.Feature.LookupListIndex.append(single_index + 1)
            record.Feature.LookupCount = len(record.Feature.LookupListIndex)
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


@functools.cache
def _thai_font(path: str) -> bytes:
    return _with_sara_am_glyph(path)


@functools.cache
def _thai_texts() -> dict[int, str]:
    """Glyph id → the text it stands for, for the adjusted Thai font."""
    from fontTools.ttLib import TTFont

    path = _font_path("thai", 400)
    if not path:
        return {}
    font = TTFont(io.BytesIO(_thai_font(path)))
    cmap = {name: chr(code) for code, name in font.getBestCmap().items()}
    base_of: dict[str, str] = {}  # variant glyph → the glyph it replaces
    for lookup in font["GSUB"].table.LookupList.Lookup:
        for st in lookup.SubTable:
            for source, target in getattr(st, "mapping", {}).items():
                if isinstance(target, str) and target != AA_IN_AM:
                    base_of.setdefault(target, source)
    texts: dict[int, str] = {}
    for gid, name in enumerate(font.getGlyphOrder()):
        if name == AA_IN_AM:
            texts[gid] = "\u0e33"
            continue
        while name in base_of and name not in cmap:
            name = base_of[name]
        stem = name.split(".")[0]
        if stem in NIKHAHIT[0:1]:
            texts[gid] = ""  # its text is the "ำ" of the SARA AA that follows
        elif stem in cmap:
            texts[gid] = cmap[stem]
        elif m := _UNI_NAME.match(stem):
            chars = "".join(chr(int(m.group(1)[i : i + 4], 16)) for i in range(0, len(m[1]), 4))
            texts[gid] = chars[1:] if chars[0] == "\u0e4d" else chars  # NIKHAHIT + tone mark
    return texts


def _text(value) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


def _fix_thai_text_layer(document, pdf) -> None:
    """WeasyPrint finisher: rewrite the ToUnicode map of the Thai font from the glyph names."""
    texts = _thai_texts()
    by_number = {obj.number: obj for obj in pdf.objects if hasattr(obj, "number")}
    for obj in pdf.objects:
        if (
            not isinstance(obj, dict)
            or "ToUnicode" not in obj
            or not _THAI_BASE_FONT.search(_text(obj.get("BaseFont", "")))
        ):
            continue
        stream = by_number.get(int(_text(obj["ToUnicode"]).split()[0]))
        if stream is None:
            continue
        lines = []
        for line in stream.stream:
            m = re.match(rb"^<([0-9a-f]{4})> <([0-9a-f]*)>$", line)
            if m and int(m[1], 16) in texts:
                text = texts[int(m[1], 16)]
                line = b"<%s> <%s>" % (m[1], text.encode("utf-16-be").hex().encode())
            lines.append(line)
        stream.stream = lines


def font_faces() -> str:
    """@font-face rules for WeasyPrint: the Latin files from disk, the adjusted Thai font inline."""
    rules = []
    for subset, family in (("latin", "SarabunLatin"), ("thai", THAI_FAMILY)):
        for weight in (400, 700):
            path = _font_path(subset, weight)
            if not path:
                continue
            if subset == "thai":
                data = base64.b64encode(_thai_font(path)).decode()
                src = f"url('data:font/ttf;base64,{data}') format('truetype')"
            else:
                src = f"url('{Path(path).as_uri()}') format('woff')"
            rules.append(
                f"@font-face {{ font-family: '{family}'; font-style: normal; "
                f"font-weight: {weight}; src: {src}; "
                f"unicode-range: {UNICODE_RANGES[subset]}; }}"
            )
    return "\n".join(rules)


def html_to_pdf(html: str, base_url: str | None = None) -> bytes:
    from weasyprint import HTML  # heavy import, only when a PDF is asked for

    return HTML(string=html, base_url=base_url).write_pdf(finisher=_fix_thai_text_layer)


def render_pdf(template: str, context: dict, request=None) -> bytes:
    """A template rendered to PDF; it places `font_faces` in a <style> and uses `font_stack`."""
    html = render_to_string(
        template,
        {**context, "font_faces": font_faces(), "font_stack": FONT_STACK},
        request=request,
    )
    if request is not None:
        base = request.build_absolute_uri("/")
    else:
        base = str(settings.STATICFILES_DIRS[0]) + "/"
    return html_to_pdf(html, base)


def pdf_response(data: bytes, filename: str, inline: bool = True) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(not inline, filename) or ""
    return response
