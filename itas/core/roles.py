"""The vocabulary of roles and functions, shared by every app (core imports none of them)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    NACC_ADMIN = "nacc_admin", _("NACC administrator")
    ASSESSOR = "assessor", _("Assessor")
    INTERVIEWER = "interviewer", _("Telephone interviewer")
    PROVINCE_COORDINATOR = "province_coordinator", _("Provincial coordinator")
    DISTRICT_OFFICER = "district_officer", _("District officer")
    AGENCY_ADMIN = "agency_admin", _("Agency administrator")
    AGENCY_EXECUTIVE = "agency_executive", _("Responsible executive")
    AGENCY_OFFICER = "agency_officer", _("Agency officer")


class Scope(models.TextChoices):
    NATIONAL = "national", _("National")
    ASSESSOR_GROUP = "assessor_group", _("Assessor group")
    PROVINCE = "province", _("Province")
    DISTRICT = "district", _("District")
    AGENCY = "agency", _("Agency")


# A role without a scope does not exist: each role has exactly one kind of scope.
SCOPE_OF_ROLE = {
    Role.NACC_ADMIN: Scope.NATIONAL,
    Role.ASSESSOR: Scope.ASSESSOR_GROUP,
    Role.INTERVIEWER: Scope.ASSESSOR_GROUP,
    Role.PROVINCE_COORDINATOR: Scope.PROVINCE,
    Role.DISTRICT_OFFICER: Scope.DISTRICT,
    Role.AGENCY_ADMIN: Scope.AGENCY,
    Role.AGENCY_EXECUTIVE: Scope.AGENCY,
    Role.AGENCY_OFFICER: Scope.AGENCY,
}

AGENCY_ROLES = (Role.AGENCY_ADMIN, Role.AGENCY_EXECUTIVE, Role.AGENCY_OFFICER)


class Function(models.TextChoices):
    POLICY = "policy", _("Policy and planning")
    FINANCE = "finance", _("Finance and accounting")
    PROCUREMENT = "procurement", _("Treasury and procurement")
    PERSONNEL = "personnel", _("Personnel")
    WEBSITE = "website", _("Website")
