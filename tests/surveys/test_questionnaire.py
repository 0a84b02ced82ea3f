import re
import uuid

import pytest
from django.urls import reverse

from itas.cycles.models import PhaseKind
from itas.surveys.models import Answer, Response
from tests.surveys.conftest import answers_for, varied

pytestmark = pytest.mark.django_db


def go(enrolment, instrument="eit"):
    return reverse("surveys:go", args=[instrument, enrolment.access_code])


def post_body(enrolment, instrument="eit", submission_id=None, **extra):
    spec = enrolment.cycle.framework.spec
    data = answers_for(spec, instrument, varied)
    data["submission_id"] = str(submission_id or uuid.uuid4())
    data.update(extra)
    return data


def test_form_renders_every_question_in_one_page_with_a_submission_id(client, enrolment):
    spec = enrolment.cycle.framework.spec
    response = client.get(go(enrolment, "iit"))
    assert response.status_code == 200
    html = response.content.decode()
    for q in spec.questions_for("IIT"):
        assert f'id="q-{q.code}"' in html
    assert html.count('class="survey-step') == len(spec.indicators_for("IIT")) == 5
    submission_id = re.search(r'name="submission_id" value="([^"]+)"', html).group(1)
    uuid.UUID(submission_id)
    assert enrolment.agency.full_name in html


def test_valid_submission_stores_one_answer_row_per_question_with_engine_scores(client, enrolment):
    from itas.frameworks.engine import question_score

    data = post_body(enrolment, "iit")
    response = client.post(go(enrolment, "iit"), data)
    assert response.status_code == 302
    assert response["Location"] == reverse("surveys:thanks", args=["iit", enrolment.access_code])
    stored = Response.objects.get(submission_id=data["submission_id"])
    spec = enrolment.cycle.framework.spec
    questions = spec.questions_for("IIT")
    answers = {a.question_code: a.score for a in Answer.objects.filter(response=stored)}
    assert set(answers) == {q.code for q in questions}
    for q in questions:
        chosen = {s.code: data[f"q-{q.code}-{s.code}"] for s in q.subitems}
        assert answers[q.code] == pytest.approx(question_score(q, chosen))
    assert all(a.enrolment_id == enrolment.pk for a in Answer.objects.filter(response=stored))
    thanks = client.get(response["Location"])
    assert thanks.status_code == 200
    assert "ขอบคุณ" in thanks.content.decode()
    assert "<form" not in thanks.content.decode().split("<main")[1]  # no way back to edit


def test_missing_answer_gets_a_thai_message_at_that_question_and_nothing_is_stored(
    client, enrolment
):
    data = post_body(enrolment)
    del data["q-E3-1"]
    response = client.post(go(enrolment), data)
    assert response.status_code == 400
    html = response.content.decode()
    block = html.split('id="q-E3"')[1].split("</fieldset>")[0]
    assert "กรุณาตอบ" in block
    # the answers given are kept in the re-shown form, with the same submission id
    assert f'value="{data["submission_id"]}"' in html
    v = data["q-E1-1"]
    assert f'id="q-E1-1-{v}" value="{v}" checked' in html
    assert Response.objects.count() == 0 and Answer.objects.count() == 0


def test_forged_choice_is_refused(client, enrolment):
    data = post_body(enrolment)
    data["q-E1-1"] = "excellent-please"
    response = client.post(go(enrolment), data)
    assert response.status_code == 400
    assert "ไม่ใช่ตัวเลือก" in response.content.decode().split('id="q-E1"')[1].split("</fieldset>")[0]
    assert Response.objects.count() == 0


@pytest.mark.parametrize(
    "mutate, status",
    [
        (lambda d: d.pop("submission_id"), 400),
        (lambda d: d.update(submission_id="not-a-uuid"), 400),
        (lambda d: d.update({"q-E1-1": "x" * 5000}), 400),
        (lambda d: d.update({f"extra{i}": "y" for i in range(2000)}), 400),
    ],
)
def test_malformed_posts_get_a_clear_4xx_never_500(client, enrolment, mutate, status):
    from urllib.parse import urlencode

    data = post_body(enrolment)
    mutate(data)
    response = client.post(
        go(enrolment), urlencode(data), content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == status
    assert Response.objects.count() == 0


def test_oversized_post_is_refused_with_413(client, enrolment):
    data = post_body(enrolment)
    data["padding"] = "z" * 70_000
    response = client.post(go(enrolment), data)
    assert response.status_code == 413
    assert Response.objects.count() == 0


def test_unknown_code_and_unknown_instrument_get_a_clear_page_without_form(client, enrolment):
    for url in ("/go/eit/ZZZZZZ", "/go/eit/abc", "/go/oit/" + enrolment.access_code):
        response = client.get(url)
        assert response.status_code == 404, url
        assert 'name="submission_id"' not in response.content.decode()
    response = client.post("/go/eit/ZZZZZZ", post_body(enrolment))
    assert response.status_code == 404
    assert Response.objects.count() == 0


def test_lower_case_code_redirects_to_the_real_link(client, enrolment):
    response = client.get(f"/go/eit/{enrolment.access_code.lower()}")
    assert response.status_code == 302 and response["Location"].endswith(enrolment.access_code)
    response = client.get(f"/go/eit/?code={enrolment.access_code.lower()}")
    assert response.status_code == 302


def test_outside_the_collection_phase_no_form_and_nothing_stored(client, enrolment, world):
    from itas.cycles import services

    cycle = enrolment.cycle
    survey = cycle.phase(PhaseKind.SURVEY)
    import datetime as dt

    from django.utils import timezone

    later = timezone.localdate() + dt.timedelta(days=5)
    services.set_phases(
        world.nacc, cycle=cycle, phases={"survey": (later, later + dt.timedelta(days=9))}
    )
    response = client.get(go(enrolment))
    assert response.status_code == 403
    html = response.content.decode()
    assert 'name="submission_id"' not in html
    assert str(later.year + 543) in html  # when it opens
    response = client.post(go(enrolment), post_body(enrolment))
    assert response.status_code == 403
    assert Response.objects.count() == 0
    assert survey.pk  # the phase moved, not replaced


def test_rotated_code_says_politely_it_was_replaced(client, enrolment, world):
    from itas.cycles.services import rotate_code

    old = enrolment.access_code
    rotate_code(world.agency_admin, enrolment=enrolment)
    response = client.get(f"/go/eit/{old}")
    assert response.status_code == 410
    assert "เปลี่ยน" in response.content.decode()
    assert client.get(f"/go/eit/{enrolment.access_code}").status_code == 200


def test_works_without_javascript_as_one_plain_form(client, enrolment):
    html = client.get(go(enrolment)).content.decode()
    # the no-JS submit button exists and every step is in the page (CSS hides none without .js)
    assert 'class="no-js-only' in html
    assert html.count('type="radio"') == sum(
        len(s.choices)
        for q in enrolment.cycle.framework.spec.questions_for("EIT")
        for s in q.subitems
    )


def test_a_missing_answer_is_tied_to_its_question_for_a_screen_reader(client, enrolment):
    """WCAG 3.3.1/4.1.2: the error is on the question's radio group (aria-invalid,
    aria-describedby), and the summary names the question and links to it instead of
    pointing at a colour."""
    data = post_body(enrolment)
    del data["q-E3-1"]
    html = client.post(go(enrolment), data).content.decode()
    block = html.split('id="q-E3"')[1].split("</fieldset>")[0]
    assert 'aria-invalid="true" aria-describedby="error-E3"' in block
    assert 'id="error-E3"' in block
    summary = html.split('id="form-errors"')[1].split("</div>")[0]
    assert 'href="#q-E3"' in summary
    assert "แดง" not in summary and "red" not in summary
    answered = html.split('id="q-E1"')[1].split("</fieldset>")[0]
    assert "aria-invalid" not in answered


def test_the_code_entry_page_shows_no_error_code_and_a_wrong_code_stays_typed(client, enrolment):
    page = client.get(reverse("surveys:enter_code", args=["eit"]))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="code"' in html
    assert "รหัสข้อผิดพลาด" not in html and "200" not in html.split("<main")[1]
    wrong = client.get(reverse("surveys:enter_code", args=["eit"]), {"code": "zzq<b>9"})
    assert wrong.status_code == 404
    html = wrong.content.decode()
    assert "รหัสข้อผิดพลาด 404" in html
    box = html.split('id="code"')[1].split(">")[0]
    assert 'value="zzq&lt;b&gt;9"' in box  # kept, escaped, to be corrected
    assert 'aria-invalid="true"' in box and 'aria-describedby="page-message"' in box
