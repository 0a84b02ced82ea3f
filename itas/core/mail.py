"""An e-mail backend that stores messages in the outbox table instead of sending them."""

from django.core.mail.backends.base import BaseEmailBackend


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
