"""Any app can print its own document through the generic renderer, by registering it."""

import importlib.util
import sys
import textwrap

import pytest
from django.test import override_settings

from printing.registry import document_type, unregister_document
from printing.render import render_one
from tests.printing.conftest import page_texts, squash

MODULE = """
from dataclasses import dataclass

from kit.formatting import day, points
from printing.registry import register_document


@dataclass
class NoticeDoc:
    name: str
    hours: object
    issued_on: object = None


def notice_context(doc):
    return {"doc": doc, "hours": points(doc.hours), "issued_on": day(doc.issued_on)}


register_document(NoticeDoc, template="throwaway/print/notice.html", context=notice_context)
"""

TEMPLATE = """{% extends "print_base.html" %}
{% block title %}培训通知 {{ doc.name }}{% endblock %}
{% block body %}
<h1>培训通知</h1>
<p>{{ doc.name }}：请于{{ issued_on }}参加培训，共 {{ hours }} 学时。</p>
{% endblock %}
"""


@pytest.fixture
def throwaway_app(tmp_path, settings):
    """A module outside the project that registers a document and its template."""
    (tmp_path / "throwaway" / "print").mkdir(parents=True)
    (tmp_path / "throwaway" / "print" / "notice.html").write_text(TEMPLATE, encoding="utf-8")
    source = tmp_path / "throwaway_print_documents.py"
    source.write_text(textwrap.dedent(MODULE), encoding="utf-8")
    spec = importlib.util.spec_from_file_location("throwaway_print_documents", source)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    templates = [dict(settings.TEMPLATES[0])]
    templates[0]["DIRS"] = [tmp_path, *templates[0]["DIRS"]]
    with override_settings(TEMPLATES=templates):
        yield module
    unregister_document(module.NoticeDoc)
    del sys.modules[spec.name]


def test_a_document_registered_by_another_module_prints_through_the_renderer(throwaway_app):
    from datetime import date
    from decimal import Decimal

    doc = throwaway_app.NoticeDoc(name="王小红", hours=Decimal("2.50"), issued_on=date(2025, 3, 1))
    assert document_type(doc).template_name == "throwaway/print/notice.html"
    texts = page_texts(render_one(doc))
    assert len(texts) == 1
    text = squash(texts[0])
    assert "培训通知" in text
    assert "王小红：请于2025年3月1日参加培训，共2.5学时。" in text
    assert "第1页共1页" in text


def test_an_unregistered_document_is_refused_with_its_name():
    class Stray:
        pass

    with pytest.raises(TypeError, match="Stray"):
        render_one(Stray())


def test_every_app_document_is_registered_at_start_up():
    from printing.registry import document_types

    templates = {entry.template_name for entry in document_types()}
    assert {
        "assessments/print/score_sheet.html",
        "assessments/print/summary.html",
        "assessments/print/registration_form.html",
        "assessments/print/town_summary.html",
        "staff/print/leave_slip.html",
        "staff/print/departure_report.html",
    } <= templates
