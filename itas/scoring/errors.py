from django.utils.translation import gettext_lazy as _

from itas.core.errors import DomainError


class ScoringError(DomainError):
    pass


PRACTICE_NOT_SCORED = _("A practice round is never scored: its answers count for nothing.")
