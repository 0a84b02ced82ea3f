from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.templatetags.static import static
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_POST

from itas.core import cacheguard, health, notifications
from itas.core.mail import mail_attachments
from itas.core.mailpreview import preview_policy
from itas.core.models import (
    AuditEntry,
    Heartbeat,
    Notification,
    NotificationPreference,
    OutboxMessage,
)
from itas.core.permissions import login, permission, public
from itas.core.registry import home_panels


@public
def home(request):
    panels = home_panels(request) if request.user.is_authenticated else []
    return render(request, "core/home.html", {"panels": panels})


@public
def favicon(request):
    """Browsers ask for /favicon.ico whatever the page says; answered here, the question never
    reaches the 404 page, whose layout would set a CSRF cookie on a respondent's phone."""
    return redirect(static("itas/favicon.svg"), permanent=True)


@public
def livez(request):
    """The process answers: nothing else is asked (see itas/core/health.py)."""
    return JsonResponse({"status": "ok"})


@public
def readyz(request):
    """Can this process serve respondents: the database must answer; the cache and the
    background jobs are warnings only (itas/core/health.py)."""
    checks = {"database": health.database(), "cache": health.cache()}
    ready = checks["database"] == "ok"
    seen = health.jobs()
    if seen or not settings.CELERY_TASK_ALWAYS_EAGER:
        fresh = health.jobs_ok(seen)
        checks["jobs"] = {
            k: "ok" if v else "warning: no recent heartbeat" for k, v in fresh.items()
        }
    else:
        checks["jobs"] = "eager (no broker configured)"
    body = {
        "status": "ok" if ready else "error",
        "checks": checks,
        "cache_skipped": cacheguard.degraded(),
    }
    return JsonResponse(body, status=200 if ready else 503)


@public
def jobs_health(request):
    """For monitoring: 503 when no worker, scheduler or job through the broker was seen lately."""
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return JsonResponse({"status": "ok", "jobs": "eager (no broker configured)"})
    try:
        seen = health.jobs()
    except Exception as exc:  # noqa: BLE001 - the database is away: the jobs cannot be known
        return JsonResponse({"status": "error", "error": exc.__class__.__name__}, status=503)
    fresh = health.jobs_ok(seen)
    ok = all(fresh.values())
    return JsonResponse(
        {"status": "ok" if ok else "error", "fresh": fresh, "heartbeats": seen},
        status=200 if ok else 503,
    )


@permission("core.view_audit")
def system_status(request):
    """NACC: is the machinery behind the site alive (database, cache, workers, scheduler)."""
    seen = health.jobs()
    return render(
        request,
        "core/system_status.html",
        {
            "database": health.database(),
            "cache": health.cache(),
            "eager": settings.CELERY_TASK_ALWAYS_EAGER,
            "fresh": health.jobs_ok(seen),
            "heartbeats": Heartbeat.objects.all(),
            "ages": {name: v["age"] for name, v in seen.items()},
            "stale_after": health.STALE_SECONDS,
            "skipped": cacheguard.degraded(),
        },
    )


@permission("core.view_outbox")
def outbox(request):
    page = Paginator(OutboxMessage.objects.all(), 50).get_page(request.GET.get("page"))
    return render(request, "core/outbox.html", {"page": page})


@permission("core.view_outbox")
def outbox_message(request, message_id: int):
    message = get_object_or_404(OutboxMessage, pk=message_id)
    return render(request, "core/outbox_message.html", {"message": message})


@xframe_options_sameorigin
@permission("core.view_outbox")
def outbox_body(request, message_id: int):
    """The HTML of a stored e-mail, for the <iframe> of outbox_message, under a policy that
    allows its own inline styles and nothing else (itas.core.mailpreview)."""
    message = get_object_or_404(OutboxMessage, pk=message_id)
    if not message.body_html:
        raise Http404  # the page shows no frame for a plain-text e-mail
    head = (
        f'<!doctype html><meta charset="utf-8">'
        f'<link rel="stylesheet" href="{static("vendor/sarabun/sarabun.css")}">'
        f'<link rel="stylesheet" href="{static("core/mail-preview.css")}">'
    )
    response = HttpResponse(head + message.body_html)
    response._csp_config = preview_policy(message.body_html)  # type: ignore[attr-defined]
    return response


@permission("core.view_outbox")
def outbox_attachment(request, message_id: int, index: int):
    """One attachment of a stored e-mail, as the recipient would save it (read back from the
    message as it was sent, so what is downloaded is what went out)."""
    message = get_object_or_404(OutboxMessage, pk=message_id)
    parts = mail_attachments(bytes(message.raw or b""))
    if not 0 <= index < len(parts):
        raise Http404(_("This e-mail has no such attachment."))
    name, mimetype, content = parts[index]
    response = HttpResponse(content, content_type=mimetype)
    response["Content-Disposition"] = content_disposition_header(True, name)
    return response


@permission("core.view_audit")
def audit_log(request):
    entries = AuditEntry.objects.select_related("actor")
    action = request.GET.get("action", "").strip()
    if action:
        entries = entries.filter(action__startswith=action)
    page = Paginator(entries, 100).get_page(request.GET.get("page"))
    return render(request, "core/audit.html", {"page": page, "action": action})


@login
def inbox(request):
    rows = Notification.objects.filter(user=request.user)
    show = request.GET.get("show", "")
    if show == "unread":
        rows = rows.filter(read_at__isnull=True)
    page = Paginator(rows, 30).get_page(request.GET.get("page"))
    pref = NotificationPreference.objects.filter(user=request.user).first()
    return render(
        request,
        "core/inbox.html",
        {"page": page, "show": show, "email_on": pref.email if pref else True},
    )


@login
@require_POST
def inbox_open(request, notification_id: int):
    """Opening a message marks it read (a POST: no write on GET), then goes to its page."""
    row = get_object_or_404(Notification, pk=notification_id, user=request.user)
    notifications.mark_read(actor=request.user, notification_ids=[row.pk])
    return redirect(row.link or "core:inbox")


@login
@require_POST
def inbox_read_all(request):
    n = notifications.mark_read(actor=request.user)
    messages.success(request, _("%(n)d message(s) marked as read.") % {"n": n})
    return redirect("core:inbox")


@login
@require_POST
def inbox_preference(request):
    email = request.POST.get("email") == "1"
    notifications.set_email_preference(actor=request.user, email=email)
    messages.success(
        request,
        _("You will also receive these messages by e-mail.")
        if email
        else _("You will receive these messages only in your inbox."),
    )
    return redirect("core:inbox")
