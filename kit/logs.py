"""Logging helpers named in ``settings.LOGGING``."""

import logging


class RefusalWithoutTraceback(logging.Filter):
    """A refused request (403, 404) is one line in the server log, not a traceback: Django
    logs ``PermissionDenied`` with the exception attached, which is noise for an access
    rule doing its job. Errors (500) keep theirs."""

    REFUSALS = (403, 404)

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", None) in self.REFUSALS:
            record.exc_info = None
            record.exc_text = None
        return True
