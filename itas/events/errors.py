from itas.core.errors import DomainError


class EventError(DomainError):
    """A rule of events refused an action; the message (translated) is for the person."""


class RegistrationLimited(EventError):
    """Too many registrations from one place in a short time; `retry_after` seconds."""

    def __init__(self, message: str, retry_after: int):
        super().__init__(message, status=429)
        self.retry_after = retry_after
