from itas.core.errors import DomainError


class SurveyError(DomainError):
    """A rule of the surveys refused an action."""


class CredibilityError(DomainError):
    """The credibility engine refused an action."""
