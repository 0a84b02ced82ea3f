from celery import shared_task
from django.core.mail import EmailMultiAlternatives


@shared_task(bind=True, max_retries=5, default_retry_delay=60, acks_late=True)
def send_mail(self, *, subject: str, body: str, to: list[str], html: str = "", attachments=()):
    """Send one e-mail outside the request; SMTP hiccups are retried, not lost."""
    message = EmailMultiAlternatives(subject=subject, body=body, to=to)
    if html:
        message.attach_alternative(html, "text/html")
    for name, content, mimetype in attachments:
        message.attach(name, content, mimetype)
    try:
        return message.send()
    except OSError as exc:  # connection refused, timeouts: the SMTP server may come back
        raise self.retry(exc=exc) from exc


@shared_task(ignore_result=True, expires=120)
def heartbeat():
    """Sent by beat every minute: the worker that runs it proves the path scheduler → broker →
    worker → database works (itas/core/health.py)."""
    from itas.core.health import beat

    beat("queue", "queue")
