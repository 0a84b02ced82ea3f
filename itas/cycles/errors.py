from itas.core.errors import DomainError


class CycleError(DomainError):
    """A rule of the cycle refused an action."""


class PhaseClosed(CycleError):
    """The action belongs to a phase that is not open now."""
