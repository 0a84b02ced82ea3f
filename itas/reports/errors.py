from itas.core.errors import DomainError


class ReportsError(DomainError):
    """A publication rule or a request for results was refused; `status` for the page."""
