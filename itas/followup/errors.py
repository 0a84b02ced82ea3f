from itas.core.errors import DomainError


class FollowupError(DomainError):
    """A rule of the follow-up refused an action."""
