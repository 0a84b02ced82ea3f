"""PDF documents with WeasyPrint and the vendored Sarabun font (A4, Thai)."""

from __future__ import annotations

from pathlib import Path

from django.contrib.staticfiles import finders
from django.http import HttpResponse
from django.template.loader import render_to_string

UNICODE_RANGES = {
    "thai": "U+02D7,U+0303,U+0331,U+0E01-0E5B,U+200C-200D,U+25CC",
    "latin": "U+0000-00FF,U+0131,U+0152-0153,U+02BB-02BC,U+02C6,U+02DA,U+02DC,U+0304,"
    "U+0308,U+0329,U+2000-206F,U+20AC,U+2122,U+2191,U+2193,U+2212,U+2215,U+FEFF,U+FFFD",
}
# The PDF's font stack: Latin letters and digits from the Latin subset, Thai from the Thai one
# (two families, so that each character is taken from the file that has it).
FONT_STACK = "'SarabunLatin', 'SarabunThai', sans-serif"


def font_faces() -> str:
    """@font-face rules that point WeasyPrint at the vendored Sarabun files on disk."""
    rules = []
    for subset, family in (("latin", "SarabunLatin"), ("thai", "SarabunThai")):
        for weight in (400, 700):
            path = finders.find(f"vendor/sarabun/sarabun-{subset}-{weight}-normal.woff")
            if path:
                rules.append(
                    f"@font-face {{ font-family: '{family}'; font-style: normal; "
                    f"font-weight: {weight}; src: url('{Path(path).as_uri()}') format('woff'); "
                    f"unicode-range: {UNICODE_RANGES[subset]}; }}"
                )
    return "\n".join(rules)


def render_pdf(template: str, context: dict, request=None) -> bytes:
    from weasyprint import HTML  # heavy import, only when a PDF is asked for

    html = render_to_string(
        template,
        {**context, "font_faces": font_faces(), "font_stack": FONT_STACK},
        request=request,
    )
    base = request.build_absolute_uri("/") if request is not None else None
    return HTML(string=html, base_url=base).write_pdf()


def pdf_response(data: bytes, filename: str, inline: bool = True) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response
