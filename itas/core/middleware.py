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
