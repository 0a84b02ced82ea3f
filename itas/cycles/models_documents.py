"""The year's documents attached to a cycle (the manual, the calendar, the framework
description, letters), each with numbered versions; and the ITA centre's contact for the year
(seed letter 000: LAOs download the manual beforehand; questions go to the centre by phone)."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import FileExtensionValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

DOCUMENT_EXTENSIONS = ["pdf", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "zip"]
MAX_DOCUMENT_BYTES = 30 * 1024 * 1024


class DocumentKind(models.TextChoices):
    MANUAL = "manual", _("Manual")
    CALENDAR = "calendar", _("Calendar")
    FRAMEWORK = "framework", _("Framework description")
    LETTER = "letter", _("Letter")
    OTHER = "other", _("Other")


class CycleDocument(models.Model):
    cycle = models.ForeignKey("cycles.Cycle", on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("kind"), max_length=20, choices=DocumentKind.choices)
    title = models.CharField(_("title"), max_length=300)
    is_public = models.BooleanField(_("anyone may download it"), default=False)
    position = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["position", "kind", "id"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")

    def __str__(self) -> str:
        return self.title

    @property
    def latest(self) -> DocumentVersion | None:
        versions = list(self.versions.all())
        return max(versions, key=lambda v: v.number) if versions else None


def _stored_name(instance: DocumentVersion, filename: str) -> str:
    # A generated name (core.uploads); the original name is kept in the row for the download.
    from itas.core.uploads import generated_name

    return generated_name("cycles/documents", filename)


class DocumentVersion(models.Model):
    document = models.ForeignKey(CycleDocument, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    file = models.FileField(
        upload_to=_stored_name,
        max_length=200,
        validators=[FileExtensionValidator(DOCUMENT_EXTENSIONS)],
    )
    original_name = models.CharField(max_length=255)
    size = models.PositiveIntegerField(default=0)
    note = models.CharField(_("what changed"), max_length=300, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["document", "number"], name="version_once")]

    def __str__(self) -> str:
        return f"{self.document} v{self.number}"


class DocumentSeen(models.Model):
    """Who has opened which version: the home page tells people of versions they have not."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    version = models.ForeignKey(DocumentVersion, on_delete=models.CASCADE, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "version"], name="seen_once")]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.version_id}"


class CentreContact(models.Model):
    """NACC's ITA centre for the year: shown on every page agencies use."""

    cycle = models.OneToOneField(
        "cycles.Cycle", on_delete=models.CASCADE, related_name="centre_contact"
    )
    name = models.CharField(_("name"), max_length=300)
    phone = models.CharField(_("telephone"), max_length=100)
    email = models.EmailField(_("e-mail"), blank=True)
    hours = models.CharField(_("office hours"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("ITA centre contact")
        verbose_name_plural = _("ITA centre contacts")

    def __str__(self) -> str:
        return self.name
