from itas.core.errors import DomainError


class ImprovementError(DomainError):
    """A request the improvement pages refuse; `status` is the HTTP status to answer with."""

    def __init__(self, message: str, *, status: int = 400):
        super().__init__(message)
        self.status = status
