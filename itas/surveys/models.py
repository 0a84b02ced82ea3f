"""Anonymous IIT/EIT answers. A response carries no account, IP address, cookie or session id,
and no time finer than the hour (see ARCHITECTURE.md, honesty rules)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from itas.cycles.models import Enrolment


class Instrument(models.TextChoices):
    IIT = "iit", _("Internal stakeholders (IIT)")
    EIT = "eit", _("External stakeholders (EIT)")


class Channel(models.TextChoices):
    ONLINE = "online", _("Online")
    INTERVIEW = "interview", _("Telephone interview")


class Response(models.Model):
    # Indexed by Meta.indexes (enrolment, instrument), which serves the foreign key too.
    enrolment = models.ForeignKey(
        Enrolment, on_delete=models.PROTECT, related_name="responses", db_index=False
    )
    instrument = models.CharField(max_length=3, choices=Instrument.choices)
    channel = models.CharField(max_length=10, choices=Channel.choices, default=Channel.ONLINE)
    # Made by the respondent's browser: a retried submit carries the same id and is stored once.
    submission_id = models.UUIDField(unique=True)
    submitted_hour = models.DateTimeField(db_index=True)  # truncated to the hour
    choices = models.JSONField(default=dict)  # {"I1": {"1": "most", ...}} as chosen
    duration_seconds = models.PositiveIntegerField(null=True, blank=True)
    # Salted hash of (IP, user agent, code) for abuse control only; erased when the cycle closes.
    # Read per agency (credibility) and never looked up by value: no index of their own.
    abuse_hash = models.CharField(max_length=64, blank=True)
    # The same for (IP, code) alone, and for the start token's nonce; erased at close too. A
    # token hash is looked up by value (was it carried before?): Meta.indexes.
    network_hash = models.CharField(max_length=64, blank=True)
    token_hash = models.CharField(max_length=64, blank=True)
    # What the start token said (anon.TokenStatus): "ok", "missing", "invalid", "stale",
    # "reused"; blank for interviews and for rows older than the token.
    token_status = models.CharField(max_length=10, blank=True, default="")
    # Derived from the choices when stored, for set-based credibility queries: the chosen
    # column of every sub-item in questionnaire order ("0".."9"), the mean of the question
    # scores (the response's weight in the agency's score), and whether every sub-item got its
    # highest score (reversed items included).
    sheet = models.CharField(max_length=255, blank=True, default="")
    mean_score = models.FloatField(null=True, blank=True)
    all_best = models.BooleanField(default=False)
    flags = models.JSONField(default=list, blank=True)  # ["too_fast", "straight_line", "burst"]
    flagged = models.BooleanField(default=False)  # flags != [] (for fast filters; Meta.indexes)
    interviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    excluded = models.BooleanField(default=False)  # NACC's decision; never deleted

    class Meta:
        # Every index is written by every submission, the busiest write of the system: only
        # those a query uses, and no varchar_pattern_ops twin (db_index=True adds one on
        # PostgreSQL for LIKE, which nothing runs on a hash). Flagged responses are few, so
        # their index holds them alone.
        indexes = [
            models.Index(fields=["enrolment", "instrument"]),
            # Only carried tokens: the INSERT asks "was this one carried before?" (store.py)
            # with ``token_hash <> ''`` so that this index serves it under a generic plan.
            # Indexing every row, a table of empty hashes (interviews, older rows) made
            # PostgreSQL's generic plan a scan of every response.
            models.Index(
                fields=["token_hash"],
                condition=~models.Q(token_hash=""),
                name="surveys_response_token_carried",
            ),
            models.Index(
                fields=["enrolment"],
                condition=models.Q(flagged=True),
                name="surveys_response_flagged",
            ),
        ]
        verbose_name = _("response")
        verbose_name_plural = _("responses")

    def __str__(self) -> str:
        return f"{self.get_instrument_display()} {self.submission_id}"


class ArrivalBucket(models.Model):
    """How many submissions one device (kind "device": address + browser) or one network
    address ("network") made in one 10-minute slot. Stored, not cached, so repetition over 10
    minutes, an hour, a day and the cycle survives a restart; linked to no response; erased
    when the cycle closes."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=8)
    hash = models.CharField(max_length=64)
    slot = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "hash", "slot"], name="arrival_bucket_once")
        ]
        indexes = [models.Index(fields=["enrolment", "kind"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.hash[:8]} {self.slot}: {self.count}"


class Flag(models.TextChoices):
    TOO_FAST = "too_fast", _("Completed implausibly fast")
    STRAIGHT_LINE = "straight_line", _("The same choice on every item")
    BURST = "burst", _("One of many answers from one device within minutes")


class Answer(models.Model):
    """One question's score (mean of its sub-items) in one response: the rows the database
    averages in one GROUP BY pass. `enrolment` is copied from the response so that pass needs
    no join."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    # No constraint in the database for the copy: the response's own foreign key already holds
    # it, and store.insert writes it from the same row in the same statement. The check cost
    # PostgreSQL a trigger call and a row lock per answer row, 45 per submission (about
    # 0.3 ms of its CPU). Deleting an enrolment with answers is still refused (PROTECT is
    # Django's collector, not the database).
    enrolment = models.ForeignKey(
        Enrolment, on_delete=models.PROTECT, related_name="+", db_index=False, db_constraint=False
    )
    question_code = models.CharField(max_length=20)
    score = models.FloatField()

    class Meta:
        indexes = [models.Index(fields=["enrolment", "question_code"])]
        verbose_name = _("answer")
        verbose_name_plural = _("answers")

    def __str__(self) -> str:
        return f"{self.question_code}: {self.score}"


class ContactStatus(models.TextChoices):
    PENDING = "pending", _("Not called yet")
    INTERVIEWED = "interviewed", _("Interviewed")
    NO_ANSWER = "no_answer", _("No answer")
    REFUSED = "refused", _("Declined")
    WRONG_NUMBER = "wrong_number", _("Wrong number")


class ContactList(models.Model):
    """Service users an agency gives the telephone interviewers (personal data: seen only by the
    interviewers of the assessor group covering the agency, erased when the cycle closes)."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="contact_lists")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    filename = models.CharField(max_length=200, blank=True)
    rows = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-uploaded_at"]
        verbose_name = _("contact list")
        verbose_name_plural = _("contact lists")

    def __str__(self) -> str:
        return f"{self.filename} ({self.rows})"


class Contact(models.Model):
    contact_list = models.ForeignKey(ContactList, on_delete=models.CASCADE, related_name="contacts")
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(_("name"), max_length=200)
    phone = models.CharField(_("telephone"), max_length=30)
    status = models.CharField(
        max_length=20, choices=ContactStatus.choices, default=ContactStatus.PENDING
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["status", "pk"]
        indexes = [models.Index(fields=["enrolment", "status"])]
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")

    def __str__(self) -> str:
        return self.name


from itas.surveys.credibility.models import (  # noqa: E402, F401 - registered with this app
    AgencyRisk,
    CredibilityRun,
    ExplanationRequest,
)
