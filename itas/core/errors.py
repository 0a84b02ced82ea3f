class DomainError(Exception):
    """A rule of the domain refused an action; the message is for the user (translated).

    A view that does not catch it lets it through to `core.middleware.DomainErrorMiddleware`,
    which answers with the error page (`core.views.error_page`) and `status`, so a view raises
    instead of building a refusal page of its own."""

    status = 400

    def __init__(self, message: object = "", *, status: int | None = None, title: str = "") -> None:
        super().__init__(message)
        if status is not None:
            self.status = status
        self.title = title
