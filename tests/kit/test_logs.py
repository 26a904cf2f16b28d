"""A refused request is one line in the server log; an error keeps its traceback."""

import logging
import sys

from kit.logs import RefusalWithoutTraceback


def _record(status_code):
    try:
        raise PermissionError("refused")
    except PermissionError:
        info = sys.exc_info()
    record = logging.LogRecord("django.request", logging.WARNING, __file__, 1, "x", (), info)
    record.status_code = status_code
    return record


def _formatted(record):
    RefusalWithoutTraceback().filter(record)
    return logging.Formatter().format(record)


def test_a_refused_request_is_logged_without_its_traceback():
    assert "Traceback" not in _formatted(_record(403))
    assert "Traceback" not in _formatted(_record(404))


def test_an_error_keeps_its_traceback():
    assert "Traceback" in _formatted(_record(500))


def test_the_console_handler_uses_the_filter(settings):
    assert settings.LOGGING["handlers"]["console"]["filters"] == ["refusals"]
