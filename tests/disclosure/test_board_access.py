"""Who opens an OIT board: telephone interviewers do not (they collect IIT/EIT answers by phone;
OIT evidence is none of their work), although their assessor-group scope covers the agency.
Everyone who did see the boards still does."""

import pytest
from django.urls import reverse

from itas.core.roles import Role
from itas.disclosure.models import ItemAnswer
from tests.factories import UserFactory, grant

pytestmark = pytest.mark.django_db


def test_an_interviewer_opens_no_board_and_rechecks_no_link(client, world, oit):
    interviewer = UserFactory()
    grant(interviewer, Role.INTERVIEWER, assessor_group=world.group_a)
    answer = ItemAnswer.objects.create(enrolment=oit.enrolment, code="O1", position=1)
    client.force_login(interviewer)
    assert client.get(reverse("disclosure:board", args=[oit.enrolment.pk])).status_code == 403
    assert client.get(reverse("disclosure:item", args=[answer.pk])).status_code == 403
    assert client.post(reverse("disclosure:recheck", args=[answer.pk])).status_code == 403
    assert not interviewer.has_perm("disclosure.view_board", oit.enrolment)


@pytest.mark.parametrize(
    "who", ["nacc", "assessor", "coordinator", "district_officer", "agency_admin", "officer"]
)
def test_those_who_work_on_oit_still_open_the_board(client, world, oit, who):
    client.force_login(getattr(world, who))
    assert client.get(reverse("disclosure:board", args=[oit.enrolment.pk])).status_code == 200


def test_an_assessor_who_is_also_an_interviewer_keeps_the_board(client, world, oit):
    grant(world.assessor, Role.INTERVIEWER, assessor_group=world.group_a)
    client.force_login(world.assessor)
    assert client.get(reverse("disclosure:board", args=[oit.enrolment.pk])).status_code == 200


@pytest.mark.parametrize("who", ["outsider", "other_assessor", "nobody"])
def test_others_do_not(client, world, oit, who):
    client.force_login(getattr(world, who))
    assert client.get(reverse("disclosure:board", args=[oit.enrolment.pk])).status_code == 403
