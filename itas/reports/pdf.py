"""PDF documents with WeasyPrint and the vendored Sarabun font (A4, Thai)."""

from __future__ import annotations

from pathlib import Path

from django.contrib.staticfiles import finders
from django.http import HttpResponse
from django.template.loader import render_to_string


def font_faces() -> str:
    """@font-face rules that point WeasyPrint at the vendored Sarabun files on disk."""
    rules = []
    for weight in (400, 700):
        for subset in ("thai", "latin"):
            path = finders.find(f"vendor/sarabun/sarabun-{subset}-{weight}-normal.woff")
            if path:
                rules.append(
                    "@font-face { font-family: 'Sarabun'; font-style: normal; "
                    f"font-weight: {weight}; src: url('{Path(path).as_uri()}') format('woff'); }}"
                )
    return "\n".join(rules)


def render_pdf(template: str, context: dict, request=None) -> bytes:
    from weasyprint import HTML  # heavy import, only when a PDF is asked for

    html = render_to_string(template, {**context, "font_faces": font_faces()}, request=request)
    base = request.build_absolute_uri("/") if request is not None else None
    return HTML(string=html, base_url=base).write_pdf()


def pdf_response(data: bytes, filename: str, inline: bool = True) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response
