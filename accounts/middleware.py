from django.conf import settings
from django.utils import translation


class ChineseFirstLocaleMiddleware:
    """The interface is Chinese unless the person chose another language.

    Django's LocaleMiddleware follows the browser's Accept-Language, which would show an
    office computer set up in English a half-English admin. Here only an explicit choice
    (the language cookie) changes the language.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.available = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.available else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response
