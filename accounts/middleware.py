from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import JsonResponse
from django.shortcuts import resolve_url
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme

from accounts import session_clock
from audit import log as audit_log


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


class SessionTimeoutMiddleware:
    """Ends a session after SESSION_IDLE_MINUTES without activity and SESSION_MAX_HOURS
    after the login (see accounts.session_clock).

    The request that finds its session over a limit logs the person out, records
    SESSION_EXPIRED in the security log and goes to the login page, which says why; a
    background or fetch request gets a 401 with the same message instead. Every other
    request of a signed-in person counts as activity, except those marked as background.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            at = session_clock.now()
            why = session_clock.ending(request.session, at)
            if why is not None:
                return self.end(request, why)
            if not session_clock.is_background(request):
                session_clock.touch(request.session, at)
        response = self.get_response(request)
        # A login made by this request starts the clocks of its new session.
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            session_clock.start(request.session, session_clock.now())
        return response

    def end(self, request, why):
        message = session_clock.ended_message(why)
        audit_log.record(
            audit_log.Event.SESSION_EXPIRED,
            request=request,
            user=request.user,
            detail=message,
        )
        logout(request)
        messages.warning(request, message)
        if session_clock.is_background(request) or request.headers.get("X-Requested-With"):
            return JsonResponse(
                {
                    "session_expired": True,
                    "errors": [message],
                    "login_url": resolve_url(settings.LOGIN_URL),
                },
                status=401,
            )
        return redirect_to_login(self.back_to(request))

    @staticmethod
    def back_to(request) -> str:
        """Where the login should lead back: the page asked for, or, when a form was sent
        (which cannot be repeated by a GET), the page the form was on."""
        if request.method in ("GET", "HEAD"):
            return request.get_full_path()
        referer = request.headers.get("Referer", "")
        if url_has_allowed_host_and_scheme(
            referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            parts = urlsplit(referer)
            return parts.path + (f"?{parts.query}" if parts.query else "")
        return resolve_url(settings.LOGIN_REDIRECT_URL)
