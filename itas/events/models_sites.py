"""Viewing sites of a live-stream briefing: the LAOs of a district watch the stream together
at a place the province designates (seed letter 000). Who was there is recorded per agency, and
by whom: the admin, the responsible executive, the officers of each function of the letter."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from itas.agencies.models import Agency
from itas.core.roles import Function
from itas.geo.models import District


class Represented(models.TextChoices):
    """Who of an agency came: the two people the letter names, and its functions."""

    ADMIN = "admin", _("Admin")
    EXECUTIVE = "executive", _("Responsible executive")
    POLICY = Function.POLICY.value, Function.POLICY.label
    FINANCE = Function.FINANCE.value, Function.FINANCE.label
    PROCUREMENT = Function.PROCUREMENT.value, Function.PROCUREMENT.label
    PERSONNEL = Function.PERSONNEL.value, Function.PERSONNEL.label
    WEBSITE = Function.WEBSITE.value, Function.WEBSITE.label


def _host_code() -> str:
    return secrets.token_urlsafe(16)


# What the province fills in for a site (its form, and the audit's before/after).
SITE_FIELDS = [
    "district",
    "venue",
    "address",
    "host_name",
    "host_phone",
    "capacity",
    "equipment_note",
    "agencies_choose",
]


class ViewingSite(models.Model):
    event = models.ForeignKey("events.Event", on_delete=models.CASCADE, related_name="sites")
    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="+", verbose_name=_("district")
    )
    venue = models.CharField(_("venue"), max_length=300)
    address = models.CharField(_("address"), max_length=500, blank=True)
    host_name = models.CharField(_("host"), max_length=200)
    host_phone = models.CharField(_("host's telephone"), max_length=50, blank=True)
    capacity = models.PositiveIntegerField(_("capacity (people)"), null=True, blank=True)
    equipment_note = models.CharField(_("equipment"), max_length=500, blank=True)
    agencies_choose = models.BooleanField(
        _("agencies of the district choose this site themselves"), default=False
    )
    # The host's link: whoever holds it takes attendance at this site, on a phone, without an
    # account (hosts are often district staff with no ITAS role).
    host_code = models.CharField(max_length=40, unique=True, default=_host_code)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["district__sort_key", "venue", "id"]
        verbose_name = _("viewing site")
        verbose_name_plural = _("viewing sites")

    def __str__(self) -> str:
        return f"{self.venue} ({self.district.name_th})"

    def host_path(self) -> str:
        return reverse("events:site_host", args=[self.host_code])


class SiteAssignment(models.Model):
    """An agency watching at a site: assigned by the province or chosen by the agency."""

    event = models.ForeignKey("events.Event", on_delete=models.CASCADE, related_name="+")
    site = models.ForeignKey(ViewingSite, on_delete=models.CASCADE, related_name="assignments")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    chosen_by_agency = models.BooleanField(default=False)
    at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["event", "agency"], name="one_site_per_agency")
        ]

    def __str__(self) -> str:
        return f"{self.site_id}: {self.agency_id}"


class SiteAttendance(models.Model):
    """An agency present at a site, and who of it came (Represented codes)."""

    class Via(models.TextChoices):
        QR = "qr", _("QR code")
        LIST = "list", _("From the list")

    site = models.ForeignKey(ViewingSite, on_delete=models.CASCADE, related_name="attendance")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    represented = models.JSONField(default=list)
    people = models.CharField(_("names"), max_length=500, blank=True)
    via = models.CharField(max_length=10, choices=Via.choices, default=Via.LIST)
    at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["site", "agency"], name="attended_once_per_site")
        ]

    def __str__(self) -> str:
        return f"{self.site_id}: {self.agency_id}"

    def represented_labels(self) -> list[str]:
        labels = dict(Represented.choices)
        return [str(labels[c]) for c in self.represented if c in labels]


class SiteReminder(models.Model):
    """One reminder to one agency that was not represented: kept so nobody is reminded twice
    within a day, however often the organiser presses the button."""

    event = models.ForeignKey("events.Event", on_delete=models.CASCADE, related_name="+")
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    sent_at = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self) -> str:
        return f"{self.event_id}: {self.agency_id}"
