"""The app's own 403 and 404 pages, in every mode.

``handler403``/``handler404`` (config/urls.py) answer with them when DEBUG is off. With
DEBUG on (the demo) Django answers a 404 with its technical page (English, the URL
patterns listed) before any handler is asked; ``ErrorPagesMiddleware`` replaces that page
with the app's. A 403 goes through ``handler403`` in both modes.
"""

from django.conf import settings
from django.shortcuts import render

APP_PAGE = "_app_error_page"  # marks a response that is already the app's page


def _page(request, template: str, status: int, exception=None):
    message = ""
    if exception is not None and exception.args and isinstance(exception.args[0], str):
        message = exception.args[0]
    response = render(request, template, {"exception": message}, status=status)
    setattr(response, APP_PAGE, True)
    return response


def page_not_found(request, exception=None):
    return _page(request, "404.html", 404)


def permission_denied(request, exception=None):
    return _page(request, "403.html", 403, exception)


class ErrorPagesMiddleware:
    """With DEBUG on, a 404 page that is not the app's becomes the app's."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            settings.DEBUG
            and response.status_code == 404
            and not getattr(response, APP_PAGE, False)
            and response.get("Content-Type", "").startswith("text/html")
        ):
            return page_not_found(request)
        return response
