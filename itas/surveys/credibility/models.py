"""The credibility engine's results: one risk row per agency and instrument, and the runs of
the cycle's re-analysis (with their progress). Registered with the surveys app (imported by
itas.surveys.models)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from itas.cycles.models import Cycle, Enrolment


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class CredibilityRun(models.Model):
    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="credibility_runs")
    status = models.CharField(max_length=10, choices=RunStatus.choices, default=RunStatus.QUEUED)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    responses = models.PositiveIntegerField(default=0)  # how many the run read
    seconds = models.FloatField(null=True, blank=True)
    error = models.TextField(blank=True)
    # Last progress from the worker, and how many workers have claimed it (itas.core.jobs).
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        app_label = "surveys"
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.cycle} {self.status} {self.done}/{self.total}"

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0


class AgencyRisk(models.Model):
    """How far one agency's answers to one instrument can be trusted, with the reasons.

    `reasons` is a list of {"code", "flagged", "weight", "count", "ids", "params"}: `ids` are
    the responses behind the reason (never shown to coordinators), `params` fill the Thai
    sentence (see credibility/reasons.py)."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="risks")
    instrument = models.CharField(max_length=3)
    run = models.ForeignKey(CredibilityRun, null=True, on_delete=models.SET_NULL, related_name="+")
    risk = models.PositiveSmallIntegerField(default=0, db_index=True)  # 0..100
    flagged = models.BooleanField(default=False, db_index=True)
    responses = models.PositiveIntegerField(default=0)  # counted when analysed
    score = models.FloatField(null=True)  # mean of the counted responses' scores
    score_without = models.FloatField(null=True)  # ... leaving out the flagged reasons' ones
    behind = models.PositiveIntegerField(default=0)  # responses behind the flagged reasons
    reasons = models.JSONField(default=list)
    computed_at = models.DateTimeField(auto_now=True)

    class Meta:
        app_label = "surveys"
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "instrument"], name="risk_once")
        ]

    def __str__(self) -> str:
        return f"{self.enrolment} {self.instrument}: {self.risk}"

    @property
    def inflation(self) -> float | None:
        if self.score is None or self.score_without is None:
            return None
        return self.score - self.score_without

    def flagged_ids(self) -> set[int]:
        return {i for r in self.reasons if r.get("flagged") for i in r.get("ids", [])}


class ExplanationRequest(models.Model):
    """NACC or an assessor asks an agency to explain its answers; the agency's reply is a new
    field on the same row (the question stays as asked)."""

    enrolment = models.ForeignKey(
        Enrolment, on_delete=models.CASCADE, related_name="explanation_requests"
    )
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    asked_at = models.DateTimeField(auto_now_add=True)
    message = models.TextField()
    reply = models.TextField(blank=True)
    replied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        app_label = "surveys"
        ordering = ["-asked_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.enrolment}: {self.message[:40]}"
