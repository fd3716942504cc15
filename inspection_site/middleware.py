class ChineseUnlessChosenMiddleware:
    """The UI is Simplified Chinese unless the user picks English (the language cookie set by the footer's
    switch): a school computer with an English browser still gets the school's language. Placed before
    LocaleMiddleware, it hides the browser's Accept-Language header from it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)
