from django.conf import settings
from django.utils import translation


class LanguageCookieMiddleware:
    """Bokmål unless the person has chosen otherwise with the language switch.

    Django's LocaleMiddleware would follow the browser's Accept-Language, which would
    show English to most people whose browser is set up in English. A Norwegian public
    service opens in bokmål and offers nynorsk and English as a choice, remembered in
    a cookie.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _ in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        translation.deactivate()
        return response
