"""The surveys' verbs check their own permission (docs/development.md, the services contract):
called by someone the rule does not allow, they raise the app's error and write nothing, not
even an audit entry; the system (actor None) passes."""

import pytest

from itas.core.models import AuditEntry
from itas.surveys import services
from itas.surveys.credibility import services as credibility
from itas.surveys.credibility.models import CredibilityRun, ExplanationRequest
from itas.surveys.errors import CredibilityError, SurveyError
from itas.surveys.models import Contact, ContactList, ContactStatus

pytestmark = pytest.mark.django_db


def _refused(error, call):
    audited = AuditEntry.objects.count()
    with pytest.raises(error) as refused:
        call()
    assert refused.value.status == 403
    assert AuditEntry.objects.count() == audited


def test_contacts_are_uploaded_by_the_agencys_admin_and_called_by_its_group(world, enrolment):
    rows = [("นางสาวทดสอบ ใจดี", "0812345678")]
    _refused(
        SurveyError,
        lambda: services.add_contact_list(
            world.outsider, enrolment=enrolment, filename="a.csv", rows=rows
        ),
    )
    _refused(
        SurveyError,
        lambda: services.add_contact_list(
            world.nacc, enrolment=enrolment, filename="a.csv", rows=rows
        ),
    )
    assert not ContactList.objects.exists()
    services.add_contact_list(world.agency_admin, enrolment=enrolment, filename="a.csv", rows=rows)
    contact = Contact.objects.get()
    # The interviewers and assessors of group B do not call Bueng Kan's agencies.
    _refused(
        SurveyError,
        lambda: services.set_contact_status(
            world.other_assessor, contact=contact, status=ContactStatus.INTERVIEWED
        ),
    )
    contact.refresh_from_db()
    assert contact.status != ContactStatus.INTERVIEWED
    services.set_contact_status(world.assessor, contact=contact, status=ContactStatus.INTERVIEWED)
    contact.refresh_from_db()
    assert contact.status == ContactStatus.INTERVIEWED


def test_only_nacc_runs_the_credibility_analysis_and_asks_for_explanations(world, cycle, enrolment):
    _refused(CredibilityError, lambda: credibility.start_run(world.coordinator, cycle=cycle))
    assert not CredibilityRun.objects.exists()
    _refused(
        SurveyError,
        lambda: credibility.ask_explanation(world.agency_admin, enrolment=enrolment, message="x"),
    )
    assert not ExplanationRequest.objects.exists()
    asked = credibility.ask_explanation(world.nacc, enrolment=enrolment, message="โปรดชี้แจง")
    # Only the agency's own admin answers.
    for who in (world.outsider, world.nacc, world.executive):
        _refused(
            SurveyError,
            lambda who=who: credibility.reply_explanation(who, request=asked, reply="คำชี้แจง"),
        )
    asked.refresh_from_db()
    assert asked.replied_at is None
    credibility.reply_explanation(world.agency_admin, request=asked, reply="คำชี้แจง")
    asked.refresh_from_db()
    assert asked.reply == "คำชี้แจง"
