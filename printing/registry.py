"""What kinds of batch PDF exist, and who builds their documents.

Other apps register a builder per kind, typically from their ``AppConfig.ready()``::

    from printing.registry import register

    @register("cycle_sheets", label="考核评分表（批量）")
    def build_cycle_sheets(params, progress):
        ...  # read the models, call progress(done, total) now and then
        return [ScoreSheetDoc(...), ...]

A builder takes the job's JSON ``params`` and a ``progress(done, total)`` callable and
returns the list of documents (``printing.documents``) to print, in order. It runs in
the job runner, outside any request: it must re-check nothing about the user (access was
decided when the job was enqueued) and may raise ``PrintError`` with a message in
Chinese for the person who asked; that message is shown on the job's page.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

Builder = Callable[[dict, Callable[[int, int], None]], list]


class PrintError(Exception):
    """A failure to report to the user as it is: the message is Chinese and says why."""


@dataclass(frozen=True)
class PrintKind:
    key: str
    label: str
    builder: Builder


_kinds: dict[str, PrintKind] = {}


def register(key: str, *, label: str, builder: Builder | None = None):
    """Register ``builder`` for ``key``; usable directly or as a decorator.

    Registering the same key again replaces the builder (module reloads, tests).
    """

    def add(function: Builder) -> Builder:
        _kinds[key] = PrintKind(key, label, function)
        return function

    if builder is not None:
        return add(builder)
    return add


def unregister(key: str) -> None:
    _kinds.pop(key, None)


def get_kind(key: str) -> PrintKind:
    try:
        return _kinds[key]
    except KeyError:
        raise PrintError(f"未知的打印类型「{key}」。") from None


def kinds() -> list[PrintKind]:
    return sorted(_kinds.values(), key=lambda kind: kind.key)
