import datetime as dt
from typing import cast

from django.db import models
from django.urls import reverse
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


class CycleQuerySet(models.QuerySet):
    def real(self) -> "CycleQuerySet":
        """The cycles that count. Every read that feeds results, dashboards, exports, the API,
        reminders or credibility statistics starts from here, so a practice round (a copy of
        the year people try things in) never reaches any of them."""
        return self.filter(is_practice=False)

    def practice(self) -> "CycleQuerySet":
        return self.filter(is_practice=True)

    def previous(self, cycle: "Cycle") -> "Cycle | None":
        """The latest of these cycles before `cycle`'s fiscal year; called on real(), the year a
        comparison reads (never a practice round)."""
        found = self.filter(fiscal_year__lt=cycle.fiscal_year).order_by("-fiscal_year").first()
        return cast("Cycle | None", found)


class Cycle(models.Model):
    """A fiscal year's run of a framework (or a practice copy of one, is_practice)."""

    fiscal_year = models.PositiveIntegerField(_("fiscal year"))  # Buddhist era
    name = models.CharField(_("name"), max_length=300)
    framework = models.ForeignKey(Framework, on_delete=models.PROTECT, related_name="cycles")
    status = models.CharField(max_length=10, choices=CycleStatus.choices, default=CycleStatus.DRAFT)
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # A practice round: same framework and calendar shape as the real cycle it copies, its own
    # enrolments and access codes, marked ทดลองใช้ everywhere, never counted (see real()).
    is_practice = models.BooleanField(_("practice round"), default=False)
    practice_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="practice_rounds"
    )

    objects = CycleQuerySet.as_manager()

    class Meta:
        ordering = ["-fiscal_year", "is_practice", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["fiscal_year"],
                condition=models.Q(is_practice=False),
                name="one_real_cycle_per_year",
            )
        ]
        verbose_name = _("assessment cycle")
        verbose_name_plural = _("assessment cycles")

    def __str__(self) -> str:
        return self.name or str(self.fiscal_year)

    def phase(self, kind: str) -> "Phase | None":
        return next((p for p in self.phases.all() if p.kind == kind), None)

    def is_phase_open(self, kind: str, at: dt.datetime | None = None) -> bool:
        """Whether an action of phase `kind` may happen now: every view and service that acts
        in a phase asks this on the server (other apps too)."""
        phase = self.phase(kind)
        return self.status == CycleStatus.OPEN and phase is not None and phase.is_open(at)

    def open_phases(self, at: dt.datetime | None = None) -> list["Phase"]:
        if self.status != CycleStatus.OPEN:
            return []
        return [p for p in self.phases.all() if p.is_open(at)]

    @property
    def is_open(self) -> bool:
        return self.status == CycleStatus.OPEN


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

    def state(self, at: dt.datetime | None = None) -> str:
        """ "upcoming", "open" or "past" by the calendar (the cycle's status aside)."""
        today = timezone.localdate(at) if at else timezone.localdate()
        if today < self.starts_on:
            return "upcoming"
        return "open" if today <= self.ends_on else "past"


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

    def public_path(self, instrument: str) -> str:
        """The short link respondents open (and the QR code carries): /go/eit/ABC234."""
        return reverse(
            "surveys:go", kwargs={"instrument": instrument.lower(), "code": self.access_code}
        )


class RetiredAccessCode(models.Model):
    """A code an agency replaced (it leaked): kept so that old links say so politely and the
    code is never given to another agency of the cycle."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="retired_codes")
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="retired_codes")
    access_code = models.CharField(_("access code"), max_length=6)
    retired_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-retired_at"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "access_code"], name="retired_code_unique")
        ]
        verbose_name = _("retired access code")
        verbose_name_plural = _("retired access codes")

    def __str__(self) -> str:
        return self.access_code


class ReminderSent(models.Model):
    """One deadline reminder sent to one agency: the unique constraint keeps the daily job
    from sending the same reminder twice."""

    phase = models.ForeignKey(Phase, on_delete=models.CASCADE, related_name="reminders")
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="reminders")
    deadline = models.DateField()
    days_before = models.PositiveSmallIntegerField()
    sent_at = models.DateTimeField(auto_now_add=True)
    recipients = models.PositiveSmallIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["phase", "enrolment", "deadline", "days_before"],
                name="one_reminder_per_deadline",
            )
        ]
        verbose_name = _("reminder sent")
        verbose_name_plural = _("reminders sent")

    def __str__(self) -> str:
        return f"{self.phase} {self.deadline} −{self.days_before}"


# The phases whose deadline an agency must meet (reminders go out before these).
AGENCY_DEADLINE_PHASES = (
    PhaseKind.REGISTRATION,
    PhaseKind.OIT_ANSWERS,
    PhaseKind.CLARIFICATION,
    PhaseKind.SURVEY,
)
PHASE_ORDER = [k.value for k in PhaseKind]


# The year's documents and the ITA centre's contact have their own module.
from itas.cycles.models_documents import (  # noqa: E402, F401
    CentreContact,
    CycleDocument,
    DocumentKind,
    DocumentSeen,
    DocumentVersion,
)
