from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AgencyReminder(models.Model):
    """A reminder a coordinator, district officer or NACC sent an agency that was behind:
    who, when, why (the reasons at that moment) and to how many people. It is also the
    memory of the rate limit (one reminder per agency per REMINDER_GAP)."""

    cycle = models.ForeignKey("cycles.Cycle", on_delete=models.CASCADE, related_name="+")
    agency = models.ForeignKey(
        "agencies.Agency", on_delete=models.CASCADE, related_name="reminders"
    )
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    sent_at = models.DateTimeField(auto_now_add=True)
    reasons = models.JSONField(default=list)  # ["survey", "oit", "event"]
    recipients = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["-sent_at", "-id"]
        indexes = [models.Index(fields=["agency", "sent_at"])]
        verbose_name = _("reminder to an agency")
        verbose_name_plural = _("reminders to agencies")

    def __str__(self) -> str:
        return f"{self.agency_id} {self.sent_at:%Y-%m-%d %H:%M}"
