"""An e-mail backend that stores messages in the outbox table instead of sending them."""

import email
from email import policy

from django.core.mail.backends.base import BaseEmailBackend


def mail_attachments(raw: bytes) -> list[tuple[str, str, bytes]]:
    """(file name, MIME type, content) of every attachment of a message as sent, in order:
    the same list the outbox stores when it keeps the message."""
    message = email.message_from_bytes(raw, policy=policy.default)
    out: list[tuple[str, str, bytes]] = []
    for part in message.walk():
        if part.is_multipart() or part.get_content_disposition() != "attachment":
            continue
        content = part.get_payload(decode=True)
        data = content if isinstance(content, bytes) else b""
        out.append((part.get_filename() or "attachment", part.get_content_type(), data))
    return out


class OutboxBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        from itas.core.models import OutboxMessage

        for message in email_messages:
            html = ""
            for content, mimetype in getattr(message, "alternatives", []) or []:
                if mimetype == "text/html":
                    html = content
            attachments = []
            for att in message.attachments:
                if isinstance(att, tuple):
                    name, content, mimetype = att
                else:  # MIMEBase
                    name, content, mimetype = (
                        att.get_filename(),
                        att.get_payload(),
                        att.get_content_type(),
                    )
                attachments.append({"name": name, "mimetype": mimetype, "size": len(content or "")})
            OutboxMessage.objects.create(
                subject=message.subject,
                from_email=message.from_email,
                to=list(message.to) + list(message.cc) + list(message.bcc),
                body_text=message.body,
                body_html=html,
                attachments=attachments,
                raw=message.message().as_bytes(),
            )
        return len(email_messages)
