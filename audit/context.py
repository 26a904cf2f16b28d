"""The request being served, so records written far from the view (model signals) still
carry the person and the address."""

from contextvars import ContextVar

_current_request: ContextVar = ContextVar("audit_current_request", default=None)


def current_request():
    return _current_request.get()


class RequestContextMiddleware:
    """Makes the request known to ``audit.log.record`` for the length of the request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _current_request.set(request)
        try:
            return self.get_response(request)
        finally:
            _current_request.reset(token)
