from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation

from accounts import policy


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


class PasswordChangeRequiredMiddleware:
    """Holds a person who must change their password (first login, a reset by an
    administrator, or an expired password; see ``accounts.policy``) on the change page.

    Only the change page itself, logging out and static files stay reachable; every other
    request, GET or POST, is redirected and changes nothing. Goes after the authentication
    middleware (and after the two-factor one, so the password is changed by a verified
    person).
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self._open = None

    def _open_paths(self):
        if self._open is None:
            self._open = (
                reverse("accounts:password_change"),
                reverse("accounts:logout"),
                reverse("admin:logout"),
            )
        return self._open

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and request.path not in self._open_paths()
            and not request.path.startswith(settings.STATIC_URL)
            and policy.password_change_reason(user)
        ):
            return redirect("accounts:password_change")
        return self.get_response(request)
