from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEntry(models.Model):
    """Who did what to which object, when, with the fields before and after."""

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=100, db_index=True)  # dotted code: agencies.agency.updated
    target_type = models.CharField(max_length=100, blank=True)
    target_id = models.CharField(max_length=64, blank=True)
    target_label = models.CharField(max_length=300, blank=True)
    changes = models.JSONField(default=dict, blank=True)  # {"field": [before, after]}
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["target_type", "target_id"])]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.target_label}"


class OutboxMessage(models.Model):
    """Every e-mail the system sends in demo mode, kept so NACC admins can read it."""

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    subject = models.CharField(max_length=500)
    from_email = models.CharField(max_length=300)
    to = models.JSONField(default=list)
    body_text = models.TextField(blank=True)
    body_html = models.TextField(blank=True)
    attachments = models.JSONField(default=list, blank=True)  # [{"name", "mimetype", "size"}]
    raw = models.BinaryField(blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("sent e-mail")
        verbose_name_plural = _("sent e-mails")

    def __str__(self) -> str:
        return self.subject


class Notification(models.Model):
    """A message in one person's inbox: what concerns them, linked to the page where they act.

    Written only by `itas.core.notifications.notify`; the text is stored as rendered (in the
    site's language) so the inbox shows what the e-mail said."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    at = models.DateTimeField(auto_now_add=True)
    kind = models.CharField(max_length=60, blank=True)  # dotted, like audit codes
    message = models.TextField()
    link = models.CharField(max_length=500, blank=True)  # a path on this site
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["user", "read_at"])]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")

    def __str__(self) -> str:
        return self.message[:80]


class NotificationPreference(models.Model):
    """Whether a person also receives their notifications by e-mail (yes unless they say no)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference"
    )
    email = models.BooleanField(default=True)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self) -> str:
        return f"{self.user_id}: {self.email}"


class Heartbeat(models.Model):
    """The last sign of life of a background process (a Celery worker, the beat scheduler) or of
    the whole job path (a task sent by beat through the broker and run by a worker). Kept in the
    database so that the readiness endpoint and NACC's status page see a dead worker even when
    Redis is the thing that failed."""

    class Kind(models.TextChoices):
        WORKER = "worker", _("worker")
        BEAT = "beat", _("scheduler")
        QUEUE = "queue", _("job path (scheduler → broker → worker)")

    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    seen_at = models.DateTimeField()

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("heartbeat")
        verbose_name_plural = _("heartbeats")

    def __str__(self) -> str:
        return self.name


class FaqEntry(models.Model):
    """A question people ask the ITA centre, with its answer: written and kept by NACC."""

    question = models.CharField(_("question"), max_length=300)
    answer = models.TextField(_("answer"))
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("question and answer")
        verbose_name_plural = _("questions and answers")

    def __str__(self) -> str:
        return self.question
