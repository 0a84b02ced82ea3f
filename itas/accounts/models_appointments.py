"""Appointments with a deadline: by a date NACC sets for the fiscal year, every agency names
its admin, its responsible executive and an officer for each function of the letter (seed
letter 000). Who holds what is read from the roles themselves; only the deadline is stored.
Keyed by fiscal year, not by cycle: accounts is upstream of cycles."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from itas.agencies.models import Agency


class AppointmentDeadline(models.Model):
    fiscal_year = models.PositiveIntegerField(_("fiscal year"), unique=True)
    due_on = models.DateField(_("appoint by"))
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    set_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-fiscal_year"]
        verbose_name = _("appointment deadline")
        verbose_name_plural = _("appointment deadlines")

    def __str__(self) -> str:
        return f"{self.fiscal_year}: {self.due_on}"


class AppointmentReminder(models.Model):
    """One reminder to one agency about its missing appointments: at most one a day."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    fiscal_year = models.PositiveIntegerField()
    sent_at = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self) -> str:
        return f"{self.fiscal_year}: {self.agency_id}"
