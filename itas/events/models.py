"""Briefings and seminars for target groups of agencies: the event, its agenda and letters, the
group of agencies it is meant for, who registered, who attended, and who read the notice."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.validators import FileExtensionValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from itas.agencies.models import Agency
from itas.core import links, uploads
from itas.events.validators import validate_attachment_size
from itas.geo.models import Province

ATTACHMENT_EXTENSIONS = ["pdf", "doc", "docx", "xls", "xlsx", "jpg", "jpeg", "png"]


class ProvinceSet(models.Model):
    """A named set of provinces, e.g. NACC's own numbered regions (ภาค ๔ ภาคตะวันออกเฉียงเหนือ),
    which differ from the six geographical regions: data, edited by NACC, never code."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    provinces = models.ManyToManyField(Province, related_name="province_sets", blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("set of provinces")
        verbose_name_plural = _("sets of provinces")

    def __str__(self) -> str:
        return self.name


class TargetSource(models.TextChoices):
    RESULTS = "results", _("From results")
    REGISTRY = "registry", _("From a filter of the registry")
    LIST = "list", _("From a list in a letter")


class TargetGroup(models.Model):
    """The agencies an event is meant for (e.g. the LAOs of region 4 that failed in FY2563)."""

    name = models.CharField(_("name"), max_length=300)
    source = models.CharField(_("built"), max_length=20, choices=TargetSource.choices)
    criteria = models.JSONField(_("criteria"), default=dict, blank=True)
    description = models.TextField(_("description"), blank=True)
    agencies = models.ManyToManyField(
        Agency, through="TargetMember", related_name="target_groups", blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("target group")
        verbose_name_plural = _("target groups")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("events:target_group", args=[self.pk])


class TargetMember(models.Model):
    group = models.ForeignKey(TargetGroup, on_delete=models.CASCADE, related_name="members")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    # For a group built from a letter: the line as written and how it was matched.
    source_line = models.CharField(max_length=500, blank=True)
    confidence = models.FloatField(null=True, blank=True)
    chosen_by_person = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["group", "agency"], name="agency_once_per_group")
        ]

    def __str__(self) -> str:
        return f"{self.group_id}: {self.agency_id}"


class ListDraft(models.Model):
    """A list from a letter, matched line by line, waiting for a person to settle the ambiguous
    and unmatched lines before it becomes a target group."""

    name = models.CharField(_("name"), max_length=300)
    file_name = models.CharField(max_length=300, blank=True)
    province = models.ForeignKey(Province, null=True, blank=True, on_delete=models.SET_NULL)
    lines = models.JSONField(default=list)  # [{line, input, status, code, confidence, candidates}]
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    group = models.ForeignKey(TargetGroup, null=True, blank=True, on_delete=models.SET_NULL)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.name


def _public_code() -> str:
    return secrets.token_urlsafe(6)


class EventKind(models.TextChoices):
    LIVESTREAM = "livestream", _("Live stream")
    WEBINAR = "webinar", _("Webinar")
    ONSITE = "onsite", _("On-site")


class Event(models.Model):
    title = models.CharField(_("title"), max_length=400)
    kind = models.CharField(_("kind"), max_length=20, choices=EventKind.choices)
    description = models.TextField(_("description"), blank=True)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    venue = models.CharField(_("venue"), max_length=300, blank=True)
    join_url = models.URLField(_("join link"), max_length=500, blank=True)
    meeting_id = models.CharField(_("meeting ID"), max_length=100, blank=True)
    passcode = models.CharField(_("passcode"), max_length=100, blank=True)
    seats_per_agency = models.PositiveSmallIntegerField(
        _("seats per agency"), default=2, validators=[MinValueValidator(1)]
    )
    seats_total = models.PositiveIntegerField(
        _("seats in total"), null=True, blank=True, help_text=_("Leave empty for no limit.")
    )
    registration_deadline = models.DateTimeField(_("registration deadline"))
    contact_name = models.CharField(_("contact officer"), max_length=200, blank=True)
    contact_phone = models.CharField(_("contact telephone"), max_length=100, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    letter_number = models.CharField(_("letter number"), max_length=100, blank=True)
    # A coordinator's event belongs to their province; NACC's events have none.
    province = models.ForeignKey(
        Province,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="events",
        verbose_name=_("province"),
    )
    target_group = models.ForeignKey(
        TargetGroup,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="events",
        verbose_name=_("target group"),
        help_text=_("When set, only the agencies of the group may register."),
    )
    public_code = models.CharField(max_length=20, unique=True, default=_public_code)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_at"]
        verbose_name = _("event")
        verbose_name_plural = _("events")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("events:detail", args=[self.pk])

    def public_path(self) -> str:
        return reverse("events:register", args=[self.public_code])

    def public_url(self) -> str:
        return links.absolute(self.public_path())

    @property
    def registration_open(self) -> bool:
        return timezone.now() <= self.registration_deadline

    @property
    def is_online(self) -> bool:
        return self.kind != EventKind.ONSITE


class Session(models.Model):
    """One line of the agenda: time, topic, speakers."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="sessions")
    starts = models.TimeField(_("from"))
    ends = models.TimeField(_("until"), null=True, blank=True)
    topic = models.CharField(_("topic"), max_length=500)
    speakers = models.CharField(_("speakers"), max_length=500, blank=True)

    class Meta:
        ordering = ["starts", "id"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")

    def __str__(self) -> str:
        return self.topic


class AttachmentKind(models.TextChoices):
    LETTER = "letter", _("Letter")
    AGENDA = "agenda", _("Agenda")
    MANUAL = "manual", _("Manual")
    OTHER = "other", _("Other")


def _attachment_path(instance: Attachment, filename: str) -> str:
    return uploads.generated_name(f"events/{instance.event_id}", filename)


class Attachment(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="attachments")
    kind = models.CharField(_("kind"), max_length=20, choices=AttachmentKind.choices)
    title = models.CharField(_("title"), max_length=300)
    file = models.FileField(
        _("file"),
        upload_to=_attachment_path,
        max_length=300,
        validators=[
            FileExtensionValidator(ATTACHMENT_EXTENSIONS),
            validate_attachment_size,
        ],
    )
    # The name the file had when uploaded, offered on download (the stored name is generated).
    original_name = models.CharField(
        _("file name"), max_length=uploads.ORIGINAL_NAME_LENGTH, blank=True
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kind", "id"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.title

    @property
    def download_name(self) -> str:
        return self.original_name or (self.file.name or "").rsplit("/", 1)[-1]


class RegistrationStatus(models.TextChoices):
    # A request holds no seat: the seat is taken only when the registrant confirms from the
    # e-mail, so one client cannot fill an event with addresses it does not read.
    PENDING = "pending", _("Awaiting confirmation")
    REGISTERED = "registered", _("Registered")
    CANCELLED = "cancelled", _("Cancelled")
    EXPIRED = "expired", _("Not confirmed in time")
    RELEASED = "released", _("Released by the organiser")


class RegistrationQuerySet(models.QuerySet):
    def holding_seats(self):
        return self.filter(status=RegistrationStatus.REGISTERED)

    def awaiting(self, now=None):
        return self.filter(status=RegistrationStatus.PENDING, expires_at__gt=now or timezone.now())


class Registration(models.Model):
    """One person from one agency taking a seat (anyone with the link; no account needed)."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    full_name = models.CharField(_("full name"), max_length=200)
    position = models.CharField(_("position"), max_length=200)
    email = models.EmailField(_("e-mail"))
    phone = models.CharField(_("telephone"), max_length=50)
    status = models.CharField(
        max_length=20, choices=RegistrationStatus.choices, default=RegistrationStatus.PENDING
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    # Keyed hash of the client's address (never the address): lets the organiser see one client
    # registering many agencies, without keeping registrants' IP addresses.
    client_hash = models.CharField(max_length=64, blank=True, db_index=True)
    # Attendance, from the webinar's attendee report.
    attended = models.BooleanField(null=True)
    attended_minutes = models.PositiveIntegerField(null=True, blank=True)

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["event", "agency", "status"])]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "email"],
                condition=models.Q(status="registered"),
                name="one_active_registration_per_email",
            )
        ]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")

    def __str__(self) -> str:
        return f"{self.full_name} · {self.agency}"


class Announcement(models.Model):
    """The event announced to the agencies of its target group (with the letter attached)."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="announcements")
    message = models.TextField(_("message"))
    letter = models.ForeignKey(
        Attachment, null=True, blank=True, on_delete=models.SET_NULL, verbose_name=_("letter")
    )
    agencies = models.ManyToManyField(Agency, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("announcement")
        verbose_name_plural = _("announcements")

    def __str__(self) -> str:
        return f"{self.event} · {self.created_at:%Y-%m-%d}"


class Acknowledgement(models.Model):
    announcement = models.ForeignKey(
        Announcement, on_delete=models.CASCADE, related_name="acknowledgements"
    )
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["announcement", "agency"], name="one_acknowledgement_per_agency"
            )
        ]

    def __str__(self) -> str:
        return f"{self.announcement_id}: {self.agency_id}"


# Viewing sites live in their own module (this one is long enough); imported so Django sees them.
from itas.events.models_sites import (  # noqa: E402, F401
    Represented,
    SiteAssignment,
    SiteAttendance,
    SiteReminder,
    ViewingSite,
)
