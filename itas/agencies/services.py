"""Verbs on agencies: every write is checked, in one transaction, and audited."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from itas.agencies.errors import AgencyError
from itas.agencies.models import Agency, AgencyKind, AgencySource
from itas.core import audit
from itas.core.permissions import require_perm

CONTACT_FIELDS = ["website", "email", "phone", "address", "postal_code"]
MANUAL_KINDS = (AgencyKind.CENTRAL, AgencyKind.SPECIAL)


def update_contacts(actor, *, agency: Agency, **values) -> Agency:
    """The agency admin (or NACC) sets the contacts and website; never the code or type."""
    require_perm(
        actor,
        "agencies.change_agency",
        agency,
        error=AgencyError,
        message=_("You may not change this agency's details."),
    )
    unknown = set(values) - set(CONTACT_FIELDS)
    if unknown:
        raise AgencyError(
            _("These fields cannot be changed here: %(fields)s")
            % {"fields": ", ".join(sorted(unknown))}
        )
    with transaction.atomic():
        agency = Agency.objects.select_for_update().get(pk=agency.pk)
        before = audit.snapshot(agency, CONTACT_FIELDS)
        for name, value in values.items():
            setattr(agency, name, (value or "").strip())
        _validate(agency, exclude_all_but=list(values))
        after = audit.snapshot(agency, CONTACT_FIELDS)
        changes = audit.diff(before, after)
        if changes:
            agency.save(update_fields=[*changes, "updated_at"])
            audit.record(actor, "agencies.agency.contacts_updated", agency, changes=changes)
    return agency


def add_agency(
    actor,
    *,
    code: str,
    kind: str,
    name: str,
    province,
    district=None,
    website: str = "",
    email: str = "",
    phone: str = "",
    address: str = "",
) -> Agency:
    """NACC adds an agency outside the DLA registry (Bangkok, a central agency)."""
    require_perm(
        actor,
        "agencies.add_agency",
        error=AgencyError,
        message=_("Only NACC administrators may add agencies."),
    )
    code = (code or "").strip()
    name = (name or "").strip()
    if kind not in MANUAL_KINDS:
        raise AgencyError(
            _(
                "Local administrations of the DLA registry come from the registry import; "
                "add here only central agencies and special-form administrations."
            )
        )
    if not code or not name:
        raise AgencyError(_("The code and the name are required."))
    if district is not None and district.province_id != province.pk:
        raise AgencyError(_("The district is not in the chosen province."))
    with transaction.atomic():
        if Agency.objects.filter(code=code).exists():
            raise AgencyError(
                _("An agency with the code %(code)s already exists.") % {"code": code}
            )
        agency = Agency(
            code=code,
            kind=kind,
            name=name,
            province=province,
            district=district,
            website=website.strip(),
            email=email.strip(),
            phone=phone.strip(),
            address=address.strip(),
            source=AgencySource.MANUAL,
        )
        _validate(agency, exclude_all_but=["code", "name", "website", "email", "phone", "address"])
        agency.save()
        audit.record(
            actor,
            "agencies.agency.added",
            agency,
            changes=audit.diff(
                {},
                audit.snapshot(agency, ["code", "kind", "name", "province", "district", "website"]),
            ),
        )
    return agency


def _validate(agency: Agency, *, exclude_all_but: list[str]) -> None:
    """The model's own field checks (URL, e-mail, lengths), as one translated domain error."""
    exclude = [f.name for f in Agency._meta.fields if f.name not in exclude_all_but]
    try:
        agency.clean_fields(exclude=exclude)
    except ValidationError as exc:
        messages = []
        for field, errors in exc.message_dict.items():
            label = Agency._meta.get_field(field).verbose_name
            messages.append(f"{label}: {' '.join(errors)}")
        raise AgencyError("; ".join(messages)) from exc
