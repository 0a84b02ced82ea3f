"""The one notification service: any app tells people what concerns them with
`notify(recipients=[...], message=..., link=...)`.

Each recipient gets a row in their inbox; those who want e-mail (their preference, yes by
default) also get it through the outbox (`itas.core.tasks.send_mail`), one e-mail to all of
them as before. Apps do not write each other's messages: the app whose event it is calls this.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme

from itas.core import links
from itas.core.models import Notification, NotificationPreference

MAX_MESSAGE = 2000


def _safe_link(link: str) -> str:
    """Only paths on this site: an inbox must never become a redirect to elsewhere."""
    link = (link or "").strip()
    if link and link.startswith("/") and url_has_allowed_host_and_scheme(link, allowed_hosts=None):
        return link[:500]
    return ""


def wants_email(users) -> set[int]:
    """Ids of the users (of those given) who receive notifications by e-mail."""
    ids = {u.pk for u in users}
    refused = set(
        NotificationPreference.objects.filter(user_id__in=ids, email=False).values_list(
            "user_id", flat=True
        )
    )
    return ids - refused


def notify(
    *,
    recipients: Iterable,
    message: str,
    link: str = "",
    kind: str = "",
    subject: str = "",
    body: str = "",
    html: str = "",
    attachments=(),
) -> list[Notification]:
    """Put `message` (linked to `link`, a path on this site) in each recipient's inbox, and
    e-mail it to those who want e-mail. `subject`/`body`/`html` are the e-mail when the caller
    has a fuller one; otherwise the message is the e-mail. Inactive users get nothing."""
    from itas.core.tasks import send_mail

    people = {u.pk: u for u in recipients if u is not None and getattr(u, "is_active", True)}
    if not people:
        return []
    text = " ".join((message or "").split())[:MAX_MESSAGE]
    link = _safe_link(link)
    with transaction.atomic():
        rows = Notification.objects.bulk_create(
            [Notification(user_id=pk, kind=kind[:60], message=text, link=link) for pk in people]
        )
        to = sorted({people[pk].email for pk in wants_email(people.values()) if people[pk].email})
        if to:
            mail_body = body or (text + ("\n\n" + links.public_base() + link if link else ""))
            mail_subject = " ".join((subject or text).split())[:200]
            transaction.on_commit(
                lambda: send_mail.delay(
                    subject=mail_subject,
                    body=mail_body,
                    to=to,
                    html=html,
                    attachments=list(attachments),
                )
            )
    return rows


def unread_count(user) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def mark_read(actor, *, notification_ids: Iterable[int] | None = None) -> int:
    """Mark the actor's own notifications read (all unread ones when no ids are given). The
    row's read_at is the record; an inbox's reading is not audited."""
    rows = Notification.objects.filter(user=actor, read_at__isnull=True)
    if notification_ids is not None:
        rows = rows.filter(pk__in=list(notification_ids))
    return rows.update(read_at=timezone.now())


def set_email_preference(actor, *, email: bool) -> NotificationPreference:
    from itas.core import audit

    with transaction.atomic():
        pref, _created = NotificationPreference.objects.get_or_create(user=actor)
        before = pref.email
        if before != email:
            pref.email = email
            pref.save(update_fields=["email"])
            audit.record(
                actor, "core.notifications.preference", pref, changes={"email": [before, email]}
            )
    return pref
