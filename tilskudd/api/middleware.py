from django.conf import settings
from django.utils import translation


class ApiLanguageMiddleware:
    """The API answers in the language the client asks for with Accept-Language (nb, nn or en).

    The web pages keep bokmål unless the person chooses otherwise (``ui.middleware``); a program
    says what it wants in the header, and gets bokmål without one.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith("/api/") or "HTTP_ACCEPT_LANGUAGE" not in request.META:
            return self.get_response(request)
        language = translation.get_language_from_request(request) or settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers["Content-Language"] = language
        return response
