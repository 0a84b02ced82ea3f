"""Result tables that pages read: computed by services (never typed in), frozen when published."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from itas.cycles.models import Cycle, Enrolment


class ResultStatus(models.TextChoices):
    PRELIMINARY = "preliminary", _("Preliminary")
    PUBLISHED = "published", _("Published")
    SUPERSEDED = "superseded", _("Superseded by a correction")


PUBLIC_STATUSES = (ResultStatus.PUBLISHED, ResultStatus.SUPERSEDED)
# One published row as the open-data API and the data package read it (values_list order).
PUBLIC_ROW_FIELDS = (
    "pk",
    "enrolment__agency__code",
    "enrolment__agency__kind",
    "enrolment__agency__name",
    "agency_kind",
    "province_code",
    "district_code",
    "iit",
    "eit",
    "oit",
    "total",
    "grade",
    "label",
    "passed",
)


class ResultSetQuerySet(models.QuerySet["ResultSet"]):
    """The reads every app makes of result sets, written once (reports, api, events)."""

    def public(self) -> "ResultSetQuerySet":
        """Published and superseded versions (what anyone may read), newest first."""
        return self.filter(status__in=PUBLIC_STATUSES).order_by("-version")

    def current_published(self) -> "ResultSet | None":
        return self.filter(status=ResultStatus.PUBLISHED).order_by("-version").first()

    def current_preliminary(self) -> "ResultSet | None":
        return self.filter(status=ResultStatus.PRELIMINARY).order_by("-version").first()


class ResultSet(models.Model):
    """One computation of a whole cycle. The preliminary set is recomputed in place; a
    published set is frozen with its inputs, and a correction is a new published version."""

    cycle = models.ForeignKey(Cycle, on_delete=models.PROTECT, related_name="result_sets")
    version = models.PositiveIntegerField(default=1)
    status = models.CharField(
        max_length=20, choices=ResultStatus.choices, default=ResultStatus.PRELIMINARY
    )
    computed_at = models.DateTimeField()
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField(blank=True)  # why a correction was issued
    stats = models.JSONField(default=dict, blank=True)  # timings, counts

    objects = ResultSetQuerySet.as_manager()

    class Meta:
        ordering = ["cycle", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "version"], name="one_version_number")
        ]
        verbose_name = _("result set")
        verbose_name_plural = _("result sets")

    def __str__(self) -> str:
        return f"{self.cycle} v{self.version} ({self.get_status_display()})"


class AgencyResult(models.Model):
    """An agency's scores in one result set. A missing tool leaves its score and the total
    empty (None), never zero."""

    result_set = models.ForeignKey(
        ResultSet, on_delete=models.CASCADE, related_name="agency_results"
    )
    enrolment = models.ForeignKey(Enrolment, on_delete=models.PROTECT, related_name="results")
    # Denormalised for fast dashboards and filters (copied from the agency at compute time).
    agency_id_copy = models.BigIntegerField(db_index=True)
    province_code = models.CharField(max_length=2, db_index=True)
    district_code = models.CharField(max_length=4, blank=True)
    agency_kind = models.CharField(max_length=30)
    iit = models.FloatField(null=True, blank=True)  # tool score out of 100
    eit = models.FloatField(null=True, blank=True)
    oit = models.FloatField(null=True, blank=True)
    total = models.FloatField(null=True, blank=True)  # rounded half-up to 2 decimals
    grade = models.CharField(max_length=10, blank=True)
    label = models.CharField(max_length=100, blank=True)  # e.g. ผ่านดีเยี่ยม where the scheme has one
    passed = models.BooleanField(null=True)
    iit_respondents = models.PositiveIntegerField(default=0)
    eit_respondents = models.PositiveIntegerField(default=0)
    # A fingerprint of this row and its indicator and question rows as computed: a recompute
    # rewrites only the agencies whose fingerprint changed.
    digest = models.CharField(max_length=32, blank=True, default="")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["result_set", "enrolment"], name="one_result_per_enrolment"
            )
        ]
        indexes = [models.Index(fields=["result_set", "province_code", "passed"])]
        verbose_name = _("agency result")
        verbose_name_plural = _("agency results")

    def __str__(self) -> str:
        return f"{self.enrolment_id} {self.total}"


class IndicatorResult(models.Model):
    agency_result = models.ForeignKey(
        AgencyResult, on_delete=models.CASCADE, related_name="indicators"
    )
    indicator_code = models.CharField(max_length=20)
    score = models.FloatField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["agency_result", "indicator_code"], name="one_indicator_result"
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator_code}: {self.score}"


class QuestionResult(models.Model):
    """Per question (IIT/EIT) or OIT item: the inputs a published result is frozen with."""

    agency_result = models.ForeignKey(
        AgencyResult, on_delete=models.CASCADE, related_name="questions"
    )
    code = models.CharField(max_length=20)  # I1.., E1.., O1..
    score = models.FloatField(null=True, blank=True)
    responses = models.PositiveIntegerField(default=0)
    recommendation = models.TextField(blank=True)  # the assessors' advice on a failed OIT item

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["agency_result", "code"], name="one_question_result")
        ]

    def __str__(self) -> str:
        return f"{self.code}: {self.score}"


class RunState(models.TextChoices):
    QUEUED = "queued", _("Waiting to start")
    RUNNING = "running", _("Computing")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class BackgroundRun(models.Model):
    """A job row of itas.core.jobs started for a cycle (claimed once, heartbeats, swept when
    its worker dies): its state, step and percent for the page that polls it, and its summary."""

    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    state = models.CharField(max_length=10, choices=RunState.choices, default=RunState.QUEUED)
    step = models.CharField(max_length=40, blank=True)
    percent = models.PositiveSmallIntegerField(default=0)
    stats = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    # Last progress from the worker, and how many workers have claimed it (itas.core.jobs).
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        abstract = True
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.cycle_id} {self.state} {self.percent}%"  # type: ignore[attr-defined]

    @property
    def active(self) -> bool:
        return self.state in (RunState.QUEUED, RunState.RUNNING)


class ScoringRun(BackgroundRun):
    """One computation of a cycle's preliminary results started from the UI."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="scoring_runs")
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )


# --- running tallies (PostgreSQL): what compute_scores reads instead of every answer ----------


class AnswerTally(models.Model):
    """The counted answers to one question in one enrolment, folded in the order the database
    stores them: their running sum and number (mean = total / answers, exactly what AVG gives
    over the same rows). Kept by itas.scoring.tallies; never edited by hand."""

    enrolment = models.ForeignKey(
        Enrolment, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    question_code = models.CharField(max_length=20)
    total = models.FloatField()
    answers = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "question_code"], name="one_answer_tally")
        ]

    def __str__(self) -> str:
        return f"{self.enrolment_id} {self.question_code}: {self.answers}"


class RespondentTally(models.Model):
    """Counted (not excluded) respondents per enrolment and instrument."""

    enrolment = models.ForeignKey(
        Enrolment, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    instrument = models.CharField(max_length=3)
    respondents = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "instrument"], name="one_respondent_tally")
        ]

    def __str__(self) -> str:
        return f"{self.enrolment_id} {self.instrument}: {self.respondents}"


class TallyMark(models.Model):
    """How far a cycle's tallies are folded: every answer and response with an id up to these
    marks is in them (or waits as a dirty enrolment)."""

    cycle = models.OneToOneField(Cycle, on_delete=models.CASCADE, related_name="+")
    answer_id = models.BigIntegerField(default=0)
    response_id = models.BigIntegerField(default=0)
    folded_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.cycle_id}: answers ≤ {self.answer_id}, responses ≤ {self.response_id}"


class TallyVersion(models.Model):
    """Which fold last changed an enrolment's tallies (a random number per fold): part of the
    agency's fingerprint, so that a recomputation reads only the tallies that changed."""

    enrolment = models.OneToOneField(
        Enrolment, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    version = models.BigIntegerField()

    def __str__(self) -> str:
        return f"{self.enrolment_id}: {self.version}"


class OitVersion(models.Model):
    """A random number that changes whenever an enrolment's OIT items or their decisions change
    (written by database triggers, migration 0004): part of the agency's fingerprint, so that a
    recomputation reads only the OIT items of agencies whose items changed. No foreign key: the
    triggers also fire while an enrolment is being deleted."""

    enrolment_id = models.BigIntegerField(primary_key=True)
    version = models.BigIntegerField()

    def __str__(self) -> str:
        return f"{self.enrolment_id}: {self.version}"


class TallyDirty(models.Model):
    """An enrolment whose folded tallies no longer hold: answers or responses deleted or
    changed, a response excluded or restored. Written by database triggers (migration 0004),
    so that no path that changes those rows, raw SQL included, can forget it; the next fold
    recomputes the enrolment's tallies from its rows."""

    enrolment_id = models.BigIntegerField(primary_key=True)

    def __str__(self) -> str:
        return str(self.enrolment_id)
