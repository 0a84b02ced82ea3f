"""Issue 13 item 2: submitting is deliberate (a checklist and a confirmation), the executive
sees what the agency sends, an officer without items is told why and whom to ask."""

import pytest
from django.urls import reverse

from itas.disclosure import services
from itas.disclosure.models import CheckState, LinkCheck, Submission
from tests.disclosure.test_flow import item_of, login

pytestmark = pytest.mark.django_db


def _two_items(world, oit):
    for code in ("O1", "O2"):
        services.save_evidence(
            world.agency_admin,
            answer=item_of(oit, code),
            urls=[f"https://www.5380101.go.th/oit/{code}"],
            explanation="",
        )
    LinkCheck.objects.filter(evidence__answer__code="O2").update(
        state=CheckState.DONE, reachable=False, error="status 404"
    )
    LinkCheck.objects.filter(evidence__answer__code="O1").update(
        state=CheckState.DONE, reachable=True, on_agency_domain=True, mentions_fiscal_year=True
    )


def test_the_admin_sees_the_checklist_and_must_confirm(client, world, oit):
    _two_items(world, oit)
    login(client, world.agency_admin)
    page = client.get(reverse("disclosure:submit_check", args=[oit.enrolment.pk])).content.decode()
    assert "41 ข้อ" in page  # 43 items, 2 with evidence
    failed = page.split('id="failed-links"')[1].split("</ul>")[0]
    assert "O2" in failed and "O1" not in failed
    assert 'id="confirm-submit"' in page
    url = reverse("disclosure:submit", args=[oit.enrolment.pk])
    r = client.post(url)
    assert r.status_code == 400 and not Submission.objects.exists()
    assert client.post(url, {"confirm": "1"}).status_code == 302
    assert Submission.objects.get().evidences.count() == 2


def test_the_executive_sees_what_is_sent_but_does_not_send(client, world, oit):
    _two_items(world, oit)
    login(client, world.executive)
    r = client.get(reverse("disclosure:submit_check", args=[oit.enrolment.pk]))
    page = r.content.decode()
    assert r.status_code == 200 and 'id="approve-note"' in page
    assert "https://www.5380101.go.th/oit/O1" in page and 'id="confirm-submit"' not in page
    r = client.post(reverse("disclosure:submit", args=[oit.enrolment.pk]), {"confirm": "1"})
    assert r.status_code == 403 and not Submission.objects.exists()


def test_an_officer_without_items_is_told_why_and_whom_to_ask(client, world, oit):
    services.open_board(None, enrolment=oit.enrolment)
    login(client, world.officer)
    page = client.get(reverse("disclosure:board", args=[oit.enrolment.pk])).content.decode()
    assert 'id="no-items-for-you"' in page
    assert world.agency_admin.email in page and "เว็บไซต์" in page  # their function
    services.assign_items(
        world.agency_admin, enrolment=oit.enrolment, codes=["O1"], assignee=world.officer
    )
    page = client.get(reverse("disclosure:board", args=[oit.enrolment.pk])).content.decode()
    assert 'id="no-items-for-you"' not in page
