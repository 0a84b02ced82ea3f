from django.utils.translation import gettext as _

from itas.core.errors import DomainError


class FrameworkError(DomainError):
    """A framework action was refused (frozen framework, unknown code, …)."""


class FrameworkInvalid(FrameworkError):
    """A framework file has problems; `problems` lists every one of them."""

    def __init__(self, filename: str, problems: list) -> None:
        self.filename = filename
        self.problems = problems
        super().__init__(
            _("%(file)s has %(n)d problem(s); nothing was saved.")
            % {"file": filename, "n": len(problems)}
        )

    def lines(self) -> list[str]:
        return [p.format(self.filename) for p in self.problems]
