from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024


def validate_attachment_size(file) -> None:
    if file.size > MAX_ATTACHMENT_BYTES:
        raise ValidationError(
            _("The file is too large (%(size)s MB); the limit is %(limit)s MB.")
            % {"size": f"{file.size / 1048576:.1f}", "limit": MAX_ATTACHMENT_BYTES // 1048576}
        )
