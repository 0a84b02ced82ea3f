from itas.core.errors import DomainError


class ImprovementError(DomainError):
    """A request the improvement pages refuse; `status` is the HTTP status to answer with."""
