"""Who may see what of the surveys.

* Progress (answers / minimum): NACC nationally; coordinators, district officers and assessors
  for their scope; an agency's own people for their agency.
* Flags of doubtful answers: NACC only (never the agency). The credibility list: NACC
  nationally, assessors and coordinators for their scope; the responses behind a reason and
  exclusions: NACC and the agency's assessors only.
* Requests to explain: the agency's admin and executive read them, the admin answers.
* Telephone contact lists: only the interviewers and assessors of the assessor group that
  covers the agency's province. Not NACC, not the agency after uploading, not anyone else.
"""

import rules

from itas.core.roles import AGENCY_ROLES, Role
from itas.core.rules import is_nacc_admin
from itas.cycles.rules import is_admin_of_enrolment

SUPERVISING = (Role.PROVINCE_COORDINATOR, Role.DISTRICT_OFFICER, Role.ASSESSOR, Role.INTERVIEWER)
CALLERS = (Role.INTERVIEWER, Role.ASSESSOR)


def _roles(user):
    return user.cached_roles() if getattr(user, "is_authenticated", False) else []


@rules.predicate
def supervises_some_area(user) -> bool:
    return any(r.role in SUPERVISING for r in _roles(user))


@rules.predicate
def is_member_of_enrolment(user, enrolment) -> bool:
    if enrolment is None or not getattr(user, "is_authenticated", False):
        return False
    return enrolment.agency_id in user.agency_ids(roles=AGENCY_ROLES)


def caller_group_ids(user) -> set[int]:
    return {r.assessor_group_id for r in _roles(user) if r.role in CALLERS and r.assessor_group_id}


@rules.predicate
def is_caller(user) -> bool:
    return bool(caller_group_ids(user))


@rules.predicate
def calls_for_enrolment(user, enrolment) -> bool:
    groups = caller_group_ids(user) if enrolment is not None else set()
    if not groups:
        return False
    from itas.geo.models import AssessorGroup

    return AssessorGroup.objects.filter(
        pk__in=groups, provinces=enrolment.agency.province_id
    ).exists()


rules.add_perm("surveys.view_progress", is_nacc_admin | supervises_some_area)


def _assessor_groups(user) -> set[int]:
    return {
        r.assessor_group_id for r in _roles(user) if r.role == Role.ASSESSOR and r.assessor_group_id
    }


@rules.predicate
def assesses_enrolment(user, enrolment) -> bool:
    """An assessor of the group covering the agency's province (enrolment or response)."""
    enrolment = getattr(enrolment, "enrolment", enrolment)
    groups = _assessor_groups(user) if enrolment is not None else set()
    if not groups:
        return False
    from itas.geo.models import AssessorGroup

    return AssessorGroup.objects.filter(
        pk__in=groups, provinces=enrolment.agency.province_id
    ).exists()


@rules.predicate
def coordinates_enrolment(user, enrolment) -> bool:
    if enrolment is None:
        return False
    return any(
        r.role == Role.PROVINCE_COORDINATOR and r.province_id == enrolment.agency.province_id
        for r in _roles(user)
    )


@rules.predicate
def reviews_credibility(user) -> bool:
    return any(r.role in (Role.ASSESSOR, Role.PROVINCE_COORDINATOR) for r in _roles(user))


rules.add_perm("surveys.view_flags", is_nacc_admin)
# Exclusions: NACC, and the assessors of the agency's group (issue 12). Coordinators see the
# credibility list and reasons of their province, never the responses behind them.
rules.add_perm("surveys.exclude_response", is_nacc_admin | assesses_enrolment)
rules.add_perm("surveys.view_credibility", is_nacc_admin | reviews_credibility)
rules.add_perm(
    "surveys.view_agency_credibility",
    is_nacc_admin | assesses_enrolment | coordinates_enrolment,
)
rules.add_perm("surveys.run_credibility", is_nacc_admin)


@rules.predicate
def leads_enrolment(user, enrolment) -> bool:
    """The agency's admin or executive (who receive NACC's requests to explain)."""
    if enrolment is None or not getattr(user, "is_authenticated", False):
        return False
    return enrolment.agency_id in user.agency_ids(roles=(Role.AGENCY_ADMIN, Role.AGENCY_EXECUTIVE))


# Requests to explain: the agency's admin answers (text only), its executive reads them too;
# NACC and the agency's assessors read the answers on the credibility page.
rules.add_perm("surveys.view_explanations", is_nacc_admin | leads_enrolment)
rules.add_perm("surveys.reply_explanation", is_admin_of_enrolment)
rules.add_perm("surveys.view_respondents", is_nacc_admin | is_member_of_enrolment)
rules.add_perm("surveys.manage_respondents", is_nacc_admin | is_admin_of_enrolment)
rules.add_perm("surveys.upload_contacts", is_admin_of_enrolment)
rules.add_perm("surveys.interview", calls_for_enrolment)
rules.add_perm("surveys.list_interviews", is_caller)
