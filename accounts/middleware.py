from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, resolve_url
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django_otp import user_has_device

from accounts import policy, session_clock
from accounts.policy import (
    REFUSED_TO_AUDITOR,
    auditor_may_open,
    is_auditor,
    verification_needed,
)
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


class ViewGate:
    """A middleware that acts in ``process_view`` only, once the URL has been resolved."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)


class AuditorGateMiddleware(ViewGate):
    """三员分立: the audit administrator reaches the security log, the home page and their
    own account pages (log-in, password, log-out, two-factor) and nothing else; every other
    page answers 403 whatever the view would have allowed. The list is in accounts.policy."""

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = getattr(request, "user", None)
        if is_auditor(user) and not auditor_may_open(request.resolver_match):
            raise PermissionDenied(REFUSED_TO_AUDITOR)
        return None


class TwoFactorMiddleware(ViewGate):
    """A session that still owes the second factor reaches only log-out, static files and
    the two-factor pages; everything else, the Django admin included, sends it to the
    enrolment page (no authenticator bound yet) or the verification page.

    Sits after django-otp's OTPMiddleware, which tells whether the session is verified.
    """

    OPEN_VIEWS = frozenset(
        {"accounts:logout", "accounts:two_factor_enrol", "accounts:two_factor_verify"}
    )

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        if request.resolver_match.view_name in self.OPEN_VIEWS:
            return None
        if settings.STATIC_URL and request.path_info.startswith(
            "/" + settings.STATIC_URL.lstrip("/")
        ):
            return None
        if not verification_needed(user):
            return None
        target = (
            "accounts:two_factor_verify" if user_has_device(user) else "accounts:two_factor_enrol"
        )
        url = reverse(target)
        if request.method == "GET":
            url += "?" + urlencode({"next": request.get_full_path()})
        return HttpResponseRedirect(url)


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
