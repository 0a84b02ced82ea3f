import pytest
from django.urls import reverse

from tests.cycles.helpers import make_cycle

pytestmark = pytest.mark.django_db


def test_agency_admin_gets_svg_png_and_a_thai_poster(client, world, settings):
    settings.PUBLIC_BASE_URL = "https://itas.example.go.th"
    cycle = make_cycle(world.nacc)
    enrolment = cycle.enrolments.get(agency=world.agency)
    client.force_login(world.agency_admin)
    svg = client.get(reverse("cycles:qr_svg", args=[enrolment.pk, "eit"]))
    assert svg.status_code == 200 and svg["Content-Type"] == "image/svg+xml"
    assert b"<svg" in svg.content
    png = client.get(reverse("cycles:qr_png", args=[enrolment.pk, "iit"]))
    assert png.status_code == 200 and png.content[:8] == b"\x89PNG\r\n\x1a\n"
    pdf = client.get(reverse("cycles:poster", args=[enrolment.pk, "eit"]))
    assert pdf.status_code == 200 and pdf.content[:5] == b"%PDF-"
    pypdf = pytest.importorskip("pypdf")
    import io

    page = pypdf.PdfReader(io.BytesIO(pdf.content)).pages[0]
    fonts = {str(f.get_object()["/BaseFont"]) for f in page["/Resources"]["/Font"].values()}
    # the vendored font is embedded, its Thai and its Latin subsets
    assert any("+SarabunThai" in f for f in fonts) and any("+SarabunLatin" in f for f in fonts)
    reader = pypdf.PdfReader(io.BytesIO(pdf.content))
    assert len(reader.pages) == 1  # one A4 sheet
    assert [round(float(x)) for x in page.mediabox[2:]] == [595, 842]
    assert client.get(reverse("cycles:qr_svg", args=[enrolment.pk, "oit"])).status_code == 404


def test_qr_encodes_the_short_link():
    import segno

    from itas.cycles.qr import public_url

    class E:
        access_code = "ACD347"

        def public_path(self, instrument):
            return f"/go/{instrument}/{self.access_code}"

    assert public_url(E(), "eit").endswith("/go/eit/ACD347")
    assert segno.make(public_url(E(), "eit")).designator  # encodable


def test_outsider_cannot_get_another_agencys_qr(client, world):
    cycle = make_cycle(world.nacc)
    enrolment = cycle.enrolments.get(agency=world.agency)
    client.force_login(world.outsider)
    assert client.get(reverse("cycles:qr_svg", args=[enrolment.pk, "eit"])).status_code == 403
    assert client.get(reverse("cycles:poster", args=[enrolment.pk, "eit"])).status_code == 403
    client.force_login(world.coordinator)
    assert client.get(reverse("cycles:qr_svg", args=[enrolment.pk, "eit"])).status_code == 200
