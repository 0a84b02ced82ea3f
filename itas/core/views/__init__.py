"""core's pages, a module per concern: site (home, health, outbox, audit log, inbox), help
(guides and FAQ) and errors (the one error page and Django's handlers)."""

from itas.core.views.errors import error_page

__all__ = ["error_page"]
