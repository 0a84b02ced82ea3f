"""The early warning's table: each enrolled agency's latest risk of failing, with its reasons.
Computed by services.refresh_warnings (never typed in), replaced at each refresh."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from itas.cycles.models import Cycle, Enrolment
from itas.scoring.models import BackgroundRun


class EarlyWarning(models.Model):
    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="warnings")
    enrolment = models.OneToOneField(Enrolment, on_delete=models.CASCADE, related_name="warning")
    # Copied from the agency at refresh time, so that scopes filter without joins.
    agency_id_copy = models.BigIntegerField(db_index=True)
    province_code = models.CharField(max_length=2)
    district_code = models.CharField(max_length=4, blank=True)
    risk = models.FloatField()  # 0..1: the chance of failing
    projected_total = models.FloatField(null=True, blank=True)
    reasons = models.JSONField(default=list, blank=True)  # [[code, {params}], ...]
    computed_at = models.DateTimeField()
    elapsed = models.FloatField(default=0)  # share of the survey phase past at refresh
    reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["cycle", "province_code", "-risk"])]
        verbose_name = _("early warning")
        verbose_name_plural = _("early warnings")

    def __str__(self) -> str:
        return f"{self.enrolment_id}: {self.risk:.2f}"


class WarningRun(BackgroundRun):
    """One refresh of a cycle's early warning in the background (services.start_refresh, the
    beat's periodic refresh)."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="warning_runs")
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta(BackgroundRun.Meta):
        verbose_name = _("early-warning refresh")
        verbose_name_plural = _("early-warning refreshes")
