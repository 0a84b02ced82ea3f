"""A `back`/`next` address posted with a form is followed only when it stays on this site:
`/oit/queue/assign/` redirected to any address it was given (an open redirect)."""

import pytest
from django.urls import reverse

from itas.core.roles import Role
from itas.disclosure.models import ReviewAssignment
from tests.factories import PASSWORD, UserFactory, grant

pytestmark = pytest.mark.django_db

OFFSITE = [
    "https://evil.example/phish",
    "//evil.example/phish",
    "/\\evil.example",
    "javascript:alert(1)",
    "https:///evil.example",
]


@pytest.mark.parametrize("back", OFFSITE)
def test_assigning_reviewers_never_sends_the_browser_off_site(client, world, oit, back):
    colleague = UserFactory()
    grant(colleague, Role.ASSESSOR, assessor_group=world.group_a)
    client.login(username=world.assessor.email, password=PASSWORD)
    r = client.post(
        reverse("disclosure:assign_reviewers"),
        {"enrolments": [oit.enrolment.pk], "assessor": colleague.pk, "back": back},
    )
    assert r.status_code == 302
    assert r["Location"] == reverse("disclosure:queue")
    assert ReviewAssignment.objects.get(enrolment=oit.enrolment).assessor == colleague


def test_a_back_address_on_this_site_is_kept(client, world, oit):
    colleague = UserFactory()
    grant(colleague, Role.ASSESSOR, assessor_group=world.group_a)
    client.login(username=world.assessor.email, password=PASSWORD)
    back = reverse("disclosure:queue") + "?who=mine"
    r = client.post(
        reverse("disclosure:assign_reviewers"),
        {"enrolments": [oit.enrolment.pk], "assessor": colleague.pk, "back": back},
    )
    assert r["Location"] == back
