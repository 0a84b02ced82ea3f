from itas.core.errors import DomainError


class AccountError(DomainError):
    """A rule about people and roles refused an action; the message is for the user."""
