from itas.core.errors import DomainError


class DisclosureError(DomainError):
    """An OIT rule refused the action; the message (translated) is shown to the user."""
