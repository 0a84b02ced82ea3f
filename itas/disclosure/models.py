"""OIT evidence, link checks, assessors' decisions, clarifications and confirmation.

History is append-only: every saved version of the evidence, every link check, every decision
(review, answer to a clarification, automatic decision at confirmation), every clarification
and every confirmation is a new row with who and when. `ItemAnswer` is the one row per
(enrolment, item) that points at the latest of each, so that boards, queues and the score query
read one row per item instead of searching the history.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from itas.cycles.models import Cycle, Enrolment

MAX_URLS_PER_ITEM = 10


class ItemStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    REVIEWED = "reviewed", _("Reviewed")
    DISPUTED = "disputed", _("Clarification requested")
    CLARIFIED = "clarified", _("Clarified")
    CONFIRMED = "confirmed", _("Confirmed")


class Decision(models.TextChoices):
    PASS = "pass", _("Present")  # มี
    FAIL = "fail", _("Absent")  # ไม่มี


SCORE_OF_DECISION = {Decision.PASS: 100, Decision.FAIL: 0}


class DecisionKind(models.TextChoices):
    REVIEW = "review", _("Review")
    UPHELD = "upheld", _("Clarification answered: decision upheld")
    CHANGED = "changed", _("Clarification answered: decision changed")
    AUTOMATIC = "automatic", _("No evidence submitted")


class ItemAnswer(models.Model):
    """One OIT item of one enrolled agency: its responsible officer and where it stands."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.PROTECT, related_name="oit_items")
    code = models.CharField(_("item"), max_length=10)  # O1..O43, as in the framework
    indicator_code = models.CharField(max_length=10, blank=True)
    subindicator_code = models.CharField(max_length=10, blank=True)
    position = models.PositiveSmallIntegerField(default=0)  # the framework's order
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("responsible officer"),
    )
    status = models.CharField(
        _("status"), max_length=15, choices=ItemStatus.choices, default=ItemStatus.NOT_STARTED
    )
    # Pointers to the latest rows of the history (set only by services).
    current_evidence = models.ForeignKey(
        "Evidence", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    submitted_evidence = models.ForeignKey(
        "Evidence", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    latest_decision = models.ForeignKey(
        "ItemDecision", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    confirmed_decision = models.ForeignKey(
        "ItemDecision", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    open_clarification = models.ForeignKey(
        "Clarification", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["enrolment", "position", "code"]
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "code"], name="one_answer_per_oit_item")
        ]
        indexes = [models.Index(fields=["enrolment", "status"])]
        verbose_name = _("OIT item answer")
        verbose_name_plural = _("OIT item answers")

    def __str__(self) -> str:
        return f"{self.code} · {self.enrolment.agency}"

    @property
    def is_locked(self) -> bool:
        """Confirmed decisions freeze the item."""
        return self.status == ItemStatus.CONFIRMED


class Evidence(models.Model):
    """One saved version of an item's evidence: its URLs and explanation. Never edited."""

    answer = models.ForeignKey(ItemAnswer, on_delete=models.PROTECT, related_name="evidences")
    version = models.PositiveIntegerField()
    urls = models.JSONField(_("URLs"), default=list)
    explanation = models.TextField(_("explanation"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["answer", "version"]
        constraints = [
            models.UniqueConstraint(fields=["answer", "version"], name="one_evidence_version")
        ]
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence versions")

    def __str__(self) -> str:
        return f"{self.answer.code} v{self.version}"


class Submission(models.Model):
    """The agency admin handing the agency's evidence in (may be repeated within the phase)."""

    enrolment = models.ForeignKey(
        Enrolment, on_delete=models.PROTECT, related_name="oit_submissions"
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(auto_now_add=True)
    evidences = models.ManyToManyField(Evidence, related_name="submissions")

    class Meta:
        ordering = ["enrolment", "-submitted_at"]
        verbose_name = _("OIT submission")
        verbose_name_plural = _("OIT submissions")

    def __str__(self) -> str:
        return f"{self.enrolment} {self.submitted_at:%Y-%m-%d %H:%M}"


class CheckState(models.TextChoices):
    NOT_CHECKED = "not_checked", _("Not checked")
    PENDING = "pending", _("Waiting to be checked")
    RUNNING = "running", _("Checking")
    DONE = "done", _("Checked")
    BLOCKED = "blocked", _("Refused (unsafe address)")


class LinkCheck(models.Model):
    """The automatic pre-check of one URL of one evidence version. A re-check is a new row."""

    evidence = models.ForeignKey(Evidence, on_delete=models.CASCADE, related_name="link_checks")
    url = models.TextField()
    position = models.PositiveSmallIntegerField(default=0)
    state = models.CharField(max_length=15, choices=CheckState.choices, default=CheckState.PENDING)
    requested_at = models.DateTimeField(auto_now_add=True)
    checked_at = models.DateTimeField(null=True, blank=True)
    reachable = models.BooleanField(null=True)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    final_url = models.TextField(blank=True)
    redirects = models.JSONField(default=list, blank=True)
    content_type = models.CharField(max_length=200, blank=True)
    size = models.PositiveBigIntegerField(null=True, blank=True)  # bytes read (capped)
    truncated = models.BooleanField(default=False)
    title = models.CharField(max_length=500, blank=True)
    on_agency_domain = models.BooleanField(null=True)
    years = models.JSONField(default=list, blank=True)  # Buddhist-era years found, sorted
    dates = models.JSONField(default=list, blank=True)  # ISO dates found (Common era)
    mentions_fiscal_year = models.BooleanField(null=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["evidence", "position", "-requested_at"]
        verbose_name = _("link check")
        verbose_name_plural = _("link checks")

    def __str__(self) -> str:
        return f"{self.url} ({self.get_state_display()})"


class Clarification(models.Model):
    """An agency disputing a failed decision, with its explanation (the URLs cannot change)."""

    answer = models.ForeignKey(ItemAnswer, on_delete=models.PROTECT, related_name="clarifications")
    disputed_decision = models.ForeignKey(
        "ItemDecision", on_delete=models.PROTECT, related_name="clarifications"
    )
    explanation = models.TextField(_("explanation"))
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    filed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["answer", "filed_at"]
        verbose_name = _("clarification")
        verbose_name_plural = _("clarifications")

    def __str__(self) -> str:
        return f"{self.answer.code} {self.filed_at:%Y-%m-%d}"


class ItemDecision(models.Model):
    """An assessor's decision on an item (มี / ไม่มี): a first review, an answer to a
    clarification (upheld or changed, with its reason), or the automatic ไม่มี NACC's
    confirmation gives an item with no evidence. The latest one counts."""

    answer = models.ForeignKey(ItemAnswer, on_delete=models.PROTECT, related_name="decisions")
    evidence = models.ForeignKey(
        Evidence, null=True, blank=True, on_delete=models.PROTECT, related_name="decisions"
    )
    kind = models.CharField(
        max_length=10, choices=DecisionKind.choices, default=DecisionKind.REVIEW
    )
    decision = models.CharField(_("decision"), max_length=4, choices=Decision.choices)
    recommendation = models.TextField(_("recommendation"), blank=True)
    reason = models.TextField(_("reason"), blank=True)  # for answers to clarifications
    clarification = models.ForeignKey(
        Clarification, null=True, blank=True, on_delete=models.PROTECT, related_name="answers"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["answer", "decided_at", "id"]
        verbose_name = _("item decision")
        verbose_name_plural = _("item decisions")

    def __str__(self) -> str:
        return f"{self.answer.code}: {self.get_decision_display()}"

    @property
    def score(self) -> int:
        return SCORE_OF_DECISION[Decision(self.decision)]


class Confirmation(models.Model):
    """NACC freezing the OIT decisions of a whole cycle or of one agency."""

    cycle = models.ForeignKey(Cycle, on_delete=models.PROTECT, related_name="oit_confirmations")
    enrolment = models.ForeignKey(
        Enrolment,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="oit_confirmations",
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    confirmed_at = models.DateTimeField(auto_now_add=True)
    agencies = models.PositiveIntegerField(default=0)
    items = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["cycle", "-confirmed_at"]
        verbose_name = _("OIT confirmation")
        verbose_name_plural = _("OIT confirmations")

    def __str__(self) -> str:
        return f"{self.cycle} {self.enrolment or ''} {self.confirmed_at:%Y-%m-%d}"


class ReviewAssignment(models.Model):
    """Which assessor of the team reviews an agency's OIT items in a cycle."""

    enrolment = models.OneToOneField(
        Enrolment, on_delete=models.CASCADE, related_name="oit_reviewer"
    )
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="oit_review_assignments"
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    assigned_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("review assignment")
        verbose_name_plural = _("review assignments")

    def __str__(self) -> str:
        return f"{self.enrolment} → {self.assessor}"
