class ThaiFirstMiddleware:
    """Thai unless the person chose otherwise with the language switch (a cookie).

    Django's LocaleMiddleware would follow the browser's Accept-Language, so most phones and
    office PCs set to English would get English; for a Thai-first system the browser's wish
    is not enough, the switch is. Placed before LocaleMiddleware.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)


class DomainErrorMiddleware:
    """A domain error a view lets through becomes the error page with its Thai message and
    status (400 unless the error says otherwise): one renderer for every refusal."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        from itas.core.errors import DomainError
        from itas.core.views.errors import error_page

        if isinstance(exception, DomainError):
            return error_page(request, exception.status, str(exception), exception.title)
        return None
