"""The year's documents and the ITA centre's contact: the verbs (NACC attaches a document, a new
version, sets the contact), who may download what, and what a person has not seen yet."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from itas.core import audit
from itas.core.permissions import require_perm
from itas.core.uploads import original_name
from itas.cycles.errors import CycleError
from itas.cycles.models import Cycle
from itas.cycles.models_documents import (
    DOCUMENT_EXTENSIONS,
    MAX_DOCUMENT_BYTES,
    CentreContact,
    CycleDocument,
    DocumentSeen,
    DocumentVersion,
)


def _clean(text: str) -> str:
    return " ".join((text or "").split())


def add_document(actor, *, cycle: Cycle, kind: str, title: str, is_public: bool, file, note=""):
    require_perm(actor, "cycles.manage_cycle", cycle, error=CycleError)
    title = _clean(title)
    if not title:
        raise CycleError(_("Give the document a title."))
    with transaction.atomic():
        document = CycleDocument.objects.create(
            cycle=cycle, kind=kind, title=title[:300], is_public=is_public
        )
        audit.record(actor, "cycles.document.added", document, changes={"title": [None, title]})
        add_version(actor, document=document, file=file, note=note)
    return document


def add_version(actor, *, document: CycleDocument, file, note: str = "") -> DocumentVersion:
    require_perm(actor, "cycles.manage_cycle", document.cycle, error=CycleError)
    name = getattr(file, "name", "") or ""
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if ext not in DOCUMENT_EXTENSIONS:
        raise CycleError(
            _("Upload a file of these kinds: %(kinds)s.")
            % {"kinds": ", ".join(DOCUMENT_EXTENSIONS)}
        )
    if file.size > MAX_DOCUMENT_BYTES:
        raise CycleError(
            _("The file is too large (%(size)s MB); the limit is %(limit)s MB.")
            % {"size": f"{file.size / 1048576:.1f}", "limit": MAX_DOCUMENT_BYTES // 1048576}
        )
    with transaction.atomic():
        CycleDocument.objects.select_for_update().get(pk=document.pk)
        number = (document.versions.aggregate(n=Max("number"))["n"] or 0) + 1
        version = DocumentVersion(
            document=document,
            number=number,
            original_name=original_name(name),
            size=file.size,
            note=_clean(note)[:300],
            uploaded_by=actor,
        )
        version.file.save(name, file, save=False)
        version.save()
        audit.record(
            actor, "cycles.document.version_added", document, changes={"version": [None, number]}
        )
    return version


def set_contact(actor, *, cycle: Cycle, name: str, phone: str, email: str, hours: str):
    require_perm(actor, "cycles.manage_cycle", cycle, error=CycleError)
    name, phone = _clean(name), _clean(phone)
    if not (name and phone):
        raise CycleError(_("Give the centre's name and telephone."))
    with transaction.atomic():
        contact, _created = CentreContact.objects.update_or_create(
            cycle=cycle,
            defaults={"name": name, "phone": phone, "email": email.strip(), "hours": _clean(hours)},
        )
        audit.record(actor, "cycles.contact.set", cycle, changes={"phone": [None, phone]})
    return contact


def may_download(user, version: DocumentVersion) -> bool:
    return version.document.is_public or getattr(user, "is_authenticated", False)


def mark_seen(user, version: DocumentVersion) -> None:
    """The person's own "seen" mark (like an inbox's read_at, the row is the record)."""
    if getattr(user, "is_authenticated", False):
        DocumentSeen.objects.get_or_create(user=user, version=version)


def with_news(user, documents) -> list[tuple[CycleDocument, DocumentVersion | None, bool]]:
    """(document, latest version, whether it is new to the user: not opened yet)."""
    documents = list(documents.prefetch_related("versions"))
    latest = {d.pk: d.latest for d in documents}
    seen = set()
    if getattr(user, "is_authenticated", False):
        seen = set(
            DocumentSeen.objects.filter(
                user=user, version_id__in=[v.pk for v in latest.values() if v]
            ).values_list("version_id", flat=True)
        )
    return [
        (d, latest[d.pk], bool(latest[d.pk]) and latest[d.pk].pk not in seen) for d in documents
    ]


def current_cycle() -> Cycle | None:
    """The year agencies work in: the latest real cycle that is open, else the latest one."""
    real = Cycle.objects.real()
    return real.filter(status="open").order_by("-fiscal_year").first() or real.first()
