"""What printing can print, filled in by the other apps: document types and batch kinds.

Printing owns the renderer and knows no domain app; batch prints run as background jobs
(``jobs``). Every app that has
something to print describes it here, from a ``print_documents.py`` module that printing
imports at start-up (``PrintingConfig.ready()``, like ``admin.py`` for the admin site).

A **document type** is a plain dataclass of the app (what one printed document shows),
the template that prints it (``<app>/print/<name>.html``, extending ``print_base.html``)
and the function that turns an instance into the template's context::

    # staff/print_documents.py
    from printing.registry import register_document

    @dataclass
    class LeaveSlipDoc: ...

    def leave_slip_context(doc: LeaveSlipDoc) -> dict: ...

    register_document(
        LeaveSlipDoc, template="staff/print/leave_slip.html", context=leave_slip_context
    )

``printing.render.render_pdf(docs)`` then prints any list of registered documents. Keep the
dataclass and its context free of ORM access: views and job builders fill the dataclass
from the models, the context only arranges it for the page.

A **batch kind** is what a background print job makes: a builder that takes the job's
JSON ``params`` and a ``progress(done, total)`` callable and returns the documents to
print, in order::

    @register("cycle_sheets", label="考核评分表（批量）")
    def build_cycle_sheets(params, progress):
        ...  # read the models, call progress(done, total) now and then
        return [ScoreSheetDoc(...), ...]

It runs in the job runner, outside any request: it must re-check nothing about the user
(access was decided when the job was enqueued) and may raise ``PrintError`` with a message
in Chinese for the person who asked; that message is shown on the job's page.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

Builder = Callable[[dict, Callable[[int, int], None]], list]
ContextBuilder = Callable[[Any], dict]


class PrintError(Exception):
    """A failure to report to the user as it is: the message is Chinese and says why."""


# --- document types ---------------------------------------------------------------


@dataclass(frozen=True)
class DocumentType:
    doc_class: type
    template_name: str
    context: ContextBuilder


_documents: dict[type, DocumentType] = {}


def register_document(doc_class: type, *, template: str, context: ContextBuilder) -> type:
    """Print instances of ``doc_class`` with ``template``, filled by ``context(doc)``.

    Registering the same class again replaces the entry (module reloads, tests).
    """
    _documents[doc_class] = DocumentType(doc_class, template, context)
    return doc_class


def unregister_document(doc_class: type) -> None:
    _documents.pop(doc_class, None)


def document_type(doc) -> DocumentType:
    """The registered type of the document ``doc`` (or of the nearest base class)."""
    for cls in type(doc).__mro__:
        if cls in _documents:
            return _documents[cls]
    raise TypeError(f"不能打印的文档类型：{type(doc).__name__}")


def document_types() -> list[DocumentType]:
    return sorted(_documents.values(), key=lambda entry: entry.template_name)


# --- batch kinds --------------------------------------------------------------------


Plan = Callable[[dict, Callable[[int, int], None]], list]
Build = Callable[[dict, list], list]


@dataclass(frozen=True)
class PrintKind:
    key: str
    label: str
    builder: Builder | None = None
    plan: Plan | None = None
    build: Build | None = None

    def planned(self, params: dict, progress) -> list:
        """What to print, in order, as JSON values (ids), cheap to make."""
        if self.plan is not None:
            return list(self.plan(params, progress))
        return list(range(len(self.builder(params, progress))))

    def documents(self, params: dict, items: list) -> list:
        """The documents of ``items`` (a slice of ``planned``), in that order."""
        if self.build is not None:
            return list(self.build(params, items))
        docs = self.builder(params, lambda done, total: None)
        return [docs[index] for index in items]


_kinds: dict[str, PrintKind] = {}


def register(
    key: str,
    *,
    label: str,
    builder: Builder | None = None,
    plan: Plan | None = None,
    build: Build | None = None,
):
    """Register a batch kind for ``key``; usable directly or as a decorator (of the builder).

    A kind that may be large gives ``plan(params, progress) -> [id, ...]`` (what to print,
    in order, as JSON values; cheap: no documents) and ``build(params, ids) -> [doc, ...]``
    (the documents of a slice of those ids, in that order): each chunk of a batch print
    then builds only its own documents. A kind with only ``builder`` is split by calling
    the builder again in every chunk (fine for small kinds). ``builder`` is also what
    commands use when they print in one process. Registering the same key again replaces
    the kind (module reloads, tests).
    """

    def add(function: Builder | None) -> Builder | None:
        from jobs.registry import register as register_job
        from printing.batch_jobs import chunk_parts, runner_for

        if function is None and (plan is None or build is None):
            raise TypeError(f"print kind {key!r} needs a builder, or plan and build")
        _kinds[key] = PrintKind(key, label, function, plan, build)
        # A batch print runs as a background job of the same name.
        register_job(
            key,
            label=label,
            run=runner_for(key),
            content_type="application/pdf",
            parts=chunk_parts,
        )
        return function

    if builder is not None or (plan is not None and build is not None):
        return add(builder)
    return add


def unregister(key: str) -> None:
    from jobs.registry import unregister as unregister_job

    _kinds.pop(key, None)
    unregister_job(key)


def get_kind(key: str) -> PrintKind:
    try:
        return _kinds[key]
    except KeyError:
        raise PrintError(f"未知的打印类型「{key}」。") from None


def kinds() -> list[PrintKind]:
    return sorted(_kinds.values(), key=lambda kind: kind.key)
