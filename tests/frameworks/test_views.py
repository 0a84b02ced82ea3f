"""NACC staff read, load, edit and clone frameworks in the browser; nobody else can."""

import pytest
import yaml
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.html import escape

from itas.cycles.models import Cycle
from itas.frameworks.models import Framework
from itas.frameworks.services import SHIPPED, export_text, load_shipped_framework

pytestmark = pytest.mark.django_db


@pytest.fixture
def framework():
    return load_shipped_framework()


@pytest.fixture
def nacc(client, world):
    client.force_login(world.nacc)
    return client


def test_detail_page_shows_the_whole_framework(nacc, framework):
    response = nacc.get(reverse("frameworks:detail", args=[framework.code]))
    assert response.status_code == 200
    html = response.content.decode()
    spec = framework.spec
    for q in spec.questions:
        assert escape(q.text) in html
    for item in spec.oit_items:
        assert escape(item.title) in html
    for band in spec.grading.bands:
        assert f"<td>{band.grade}</td>" in html
    assert "ผ่านดีเยี่ยม" in html
    assert escape(spec.sample_note) in html


def test_list_page(nacc, framework):
    response = nacc.get(reverse("frameworks:list"))
    assert response.status_code == 200
    assert framework.name in response.content.decode()


def test_others_are_refused(client, world, framework):
    urls = [
        reverse("frameworks:list"),
        reverse("frameworks:detail", args=[framework.code]),
        reverse("frameworks:edit", args=[framework.code]),
        reverse("frameworks:clone", args=[framework.code]),
        reverse("frameworks:load"),
        reverse("frameworks:export", args=[framework.code]),
    ]
    for who in ("agency_admin", "assessor", "coordinator", "outsider", "nobody"):
        client.force_login(getattr(world, who))
        for url in urls:
            assert client.get(url).status_code == 403, (who, url)
    text = export_text(framework).replace("pass_mark: 85", "pass_mark: 1")
    client.post(reverse("frameworks:edit", args=[framework.code]), {"text": text})
    framework.refresh_from_db()
    assert framework.document["grading"]["pass_mark"] == 85


def test_anonymous_is_sent_to_sign_in(client, framework):
    response = client.get(reverse("frameworks:detail", args=[framework.code]))
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_edit_saves_a_valid_text(nacc, framework):
    text = export_text(framework).replace("pass_mark: 85", "pass_mark: 80")
    response = nacc.post(reverse("frameworks:edit", args=[framework.code]), {"text": text})
    assert response.status_code == 302
    framework.refresh_from_db()
    assert framework.document["grading"]["pass_mark"] == 80


def test_edit_lists_every_problem_and_keeps_the_stored_framework(nacc, framework):
    text = (
        export_text(framework)
        .replace("pass_mark: 85", "pass_mark: 185")
        .replace("weight: 40", "weight: 45")
    )
    response = nacc.post(reverse("frameworks:edit", args=[framework.code]), {"text": text})
    assert response.status_code == 400
    html = response.content.decode()
    assert "grading.pass_mark" in html
    assert "tools" in html and "105" in html
    framework.refresh_from_db()
    assert framework.document["grading"]["pass_mark"] == 85


def test_edit_of_a_frozen_framework_is_refused(nacc, framework):
    Cycle.objects.create(fiscal_year=2564, name="ITA 2564", framework=framework, status="open")
    text = export_text(framework).replace("pass_mark: 85", "pass_mark: 80")
    response = nacc.post(
        reverse("frameworks:edit", args=[framework.code]), {"text": text}, follow=True
    )
    assert response.redirect_chain
    assert "alert-danger" in response.content.decode()
    framework.refresh_from_db()
    assert framework.document["grading"]["pass_mark"] == 85


def test_clone(nacc, framework):
    url = reverse("frameworks:clone", args=[framework.code])
    page = nacc.get(url)
    assert 'value="ita-2565-lao"' in page.content.decode()
    response = nacc.post(url, {"code": "ita-2565-lao", "fiscal_year": 2565, "name": "ITA 2565"})
    assert response.status_code == 302
    clone = Framework.objects.get(code="ita-2565-lao")
    assert clone.spec.questions == framework.spec.questions
    again = nacc.post(url, {"code": "ita-2565-lao", "fiscal_year": 2565, "name": "x"})
    assert again.status_code == 400


def test_load_upload(nacc):
    upload = SimpleUploadedFile("fw.yaml", SHIPPED.read_bytes(), content_type="application/yaml")
    response = nacc.post(reverse("frameworks:load"), {"file": upload})
    assert response.status_code == 302
    assert Framework.objects.filter(code="ita-2564-lao").exists()


def test_load_broken_upload_names_the_file(nacc):
    doc = yaml.safe_load(SHIPPED.read_text(encoding="utf-8"))
    doc["tools"][0]["colour"] = "blue"
    upload = SimpleUploadedFile("mine.yaml", yaml.safe_dump(doc, allow_unicode=True).encode())
    response = nacc.post(reverse("frameworks:load"), {"file": upload})
    assert response.status_code == 400
    assert "mine.yaml: tools[IIT].colour" in response.content.decode()
    assert not Framework.objects.exists()


def test_load_refuses_binary_and_empty(nacc):
    upload = SimpleUploadedFile("x.yaml", b"\xff\xfe\x00garbage")
    assert nacc.post(reverse("frameworks:load"), {"file": upload}).status_code == 400
    assert nacc.post(reverse("frameworks:load"), {"text": "  "}).status_code == 400
    assert nacc.post(reverse("frameworks:load"), {"text": "- a\n- b"}).status_code == 400
    assert nacc.post(reverse("frameworks:load"), {"text": "a: [\n"}).status_code == 400


def test_export_download(nacc, framework):
    response = nacc.get(reverse("frameworks:export", args=[framework.code]))
    assert response.status_code == 200
    assert yaml.safe_load(response.content.decode()) == framework.document


def test_detail_page_speaks_thai_not_codes(nacc, framework):
    """The kinds of answer by name, not scale4/yes_no; no English note in the sample table."""
    html = nacc.get(reverse("frameworks:detail", args=[framework.code])).content.decode()
    kinds = {q.kind for q in framework.spec.questions}
    assert {"scale4", "yes_no"} <= kinds
    assert "มาตรวัด 4 ระดับ" in html and "ใช่ หรือ ไม่ใช่" in html
    assert ">scale4<" not in html and ">yes_no<" not in html
    assert "placeholder" not in html
