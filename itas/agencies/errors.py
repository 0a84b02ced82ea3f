from itas.core.errors import DomainError


class AgencyError(DomainError):
    """A rule about agencies refused an action; the message is for the user (translated)."""
