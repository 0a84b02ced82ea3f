import datetime as dt

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from itas.agencies.models import Agency
from itas.frameworks.models import Framework


class CycleStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class PhaseKind(models.TextChoices):
    REGISTRATION = "registration", _("Registration and agency data")
    OIT_ANSWERS = "oit_answers", _("OIT answers")
    OIT_REVIEW = "oit_review", _("OIT review")
    CLARIFICATION = "clarification", _("Clarification")
    CONFIRMATION = "confirmation", _("OIT confirmation")
    SURVEY = "survey", _("IIT/EIT collection")
    RESULTS = "results", _("Results")


class Cycle(models.Model):
    """A fiscal year's run of a framework."""

    fiscal_year = models.PositiveIntegerField(_("fiscal year"), unique=True)  # Buddhist era
    name = models.CharField(_("name"), max_length=300)
    framework = models.ForeignKey(Framework, on_delete=models.PROTECT, related_name="cycles")
    status = models.CharField(max_length=10, choices=CycleStatus.choices, default=CycleStatus.DRAFT)
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-fiscal_year"]
        verbose_name = _("assessment cycle")
        verbose_name_plural = _("assessment cycles")

    def __str__(self) -> str:
        return self.name or str(self.fiscal_year)

    def phase(self, kind: str) -> "Phase | None":
        return next((p for p in self.phases.all() if p.kind == kind), None)

    def is_phase_open(self, kind: str, at: dt.datetime | None = None) -> bool:
        phase = self.phase(kind)
        return self.status == CycleStatus.OPEN and phase is not None and phase.is_open(at)


class Phase(models.Model):
    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="phases")
    kind = models.CharField(_("phase"), max_length=20, choices=PhaseKind.choices)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))  # inclusive: open until the end of this day

    class Meta:
        ordering = ["starts_on", "kind"]
        constraints = [models.UniqueConstraint(fields=["cycle", "kind"], name="one_phase_per_kind")]
        verbose_name = _("phase")
        verbose_name_plural = _("phases")

    def __str__(self) -> str:
        return self.get_kind_display()

    def is_open(self, at: dt.datetime | None = None) -> bool:
        today = timezone.localdate(at) if at else timezone.localdate()
        return self.starts_on <= today <= self.ends_on


class Enrolment(models.Model):
    """An agency taking part in a cycle, with its respondents' access code."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="enrolments")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="enrolments")
    access_code = models.CharField(_("access code"), max_length=6)
    iit_population = models.PositiveIntegerField(
        _("staff with at least one year of service"), null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["agency__code"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "agency"], name="one_enrolment_per_agency"),
            models.UniqueConstraint(
                fields=["cycle", "access_code"], name="access_code_unique_in_cycle"
            ),
        ]
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")

    def __str__(self) -> str:
        return f"{self.agency} · {self.cycle}"
