"""QR codes (segno) for an agency's two links, and the printable A4 poster (core.pdf)."""

from __future__ import annotations

import base64
import io

import segno
from django.utils import translation

from itas.core import links
from itas.core.pdf import render_pdf
from itas.cycles.models import Enrolment, PhaseKind

INSTRUMENTS = ("iit", "eit")


def public_url(enrolment: Enrolment, instrument: str) -> str:
    return links.absolute(enrolment.public_path(instrument))


def _qr(enrolment: Enrolment, instrument: str):
    return segno.make(public_url(enrolment, instrument), error="m")


def qr_svg(enrolment: Enrolment, instrument: str, scale: float = 8) -> bytes:
    out = io.BytesIO()
    _qr(enrolment, instrument).save(out, kind="svg", scale=scale, border=2, light="#fff")
    return out.getvalue()


def qr_png(enrolment: Enrolment, instrument: str, scale: int = 12) -> bytes:
    out = io.BytesIO()
    _qr(enrolment, instrument).save(out, kind="png", scale=scale, border=2)
    return out.getvalue()


def poster_pdf(enrolment: Enrolment, instrument: str) -> bytes:
    survey = enrolment.cycle.phase(PhaseKind.SURVEY)
    svg = qr_svg(enrolment, instrument, scale=10)
    with translation.override("th"):
        return render_pdf(
            "cycles/poster.html",
            {
                "enrolment": enrolment,
                "agency": enrolment.agency,
                "cycle": enrolment.cycle,
                "instrument": instrument,
                "url": public_url(enrolment, instrument),
                "closes_on": survey.ends_on if survey else None,
                "qr_data_uri": "data:image/svg+xml;base64," + base64.b64encode(svg).decode(),
            },
        )
