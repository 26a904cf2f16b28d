"""The import pages: upload the office's Word table → review → a draft rubric."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from rubrics.document import docx_rows, read_rows, suggest
from rubrics.models import Rubric
from rubrics.services import rubric_draft_from_document
from tests.rubrics.document_fixtures import DOCUMENTS, docx_bytes


def test_an_uploaded_word_table_becomes_a_draft_rubric_after_review(client_for):
    client = client_for("admin")
    upload = SimpleUploadedFile("新沂.docx", docx_bytes("xinyi-coordinator"))
    response = client.post(reverse("rubrics:import"), {"file": upload, "title": "新沂协理员"})
    assert response.status_code == 302
    review = client.get(response["Location"])
    page = review.content.decode()
    assert "<mark>一票否决</mark>" in page
    rows = [row for block in review.context["sections"] for row in block["rows"]]
    body = {f"kind_{r['index']}": (r["chosen"] or "discretionary") for r in rows}
    before = Rubric.objects.count()
    done = client.post(response["Location"], body)
    assert done.status_code == 302
    rubric = Rubric.objects.get(title="新沂协理员")
    assert Rubric.objects.count() == before + 1 and not rubric.frozen
    assert rubric.items.count() == 24


def test_a_file_that_is_not_a_word_table_is_refused_at_the_file_field(client_for):
    client = client_for("admin")
    upload = SimpleUploadedFile("表.docx", b"not a zip")
    response = client.post(reverse("rubrics:import"), {"file": upload})
    assert response.status_code == 200
    assert "不是 Word 文档" in response.context["form"].errors["file"][0]


def test_an_item_left_without_a_kind_is_named_and_nothing_is_written(client_for):
    client = client_for("admin")
    upload = SimpleUploadedFile("新沂.docx", docx_bytes("xinyi-coordinator"))
    location = client.post(reverse("rubrics:import"), {"file": upload})["Location"]
    before = Rubric.objects.count()
    response = client.post(location, {})
    assert response.status_code == 200
    assert "还没有选择计分方式" in response.content.decode()
    assert Rubric.objects.count() == before


@pytest.mark.parametrize("code", sorted(DOCUMENTS.values()))
def test_every_seed_table_becomes_a_draft_with_its_suggestions_accepted(code, db):
    table = read_rows(docx_rows(docx_bytes(code), f"{code}.docx"))
    choices = []
    for item in table.items:
        found = suggest(item.rule_text, item.points)
        kind, params = (found.kind, found.params) if found else ("discretionary", {})
        choices.append({"kind": kind, "params": params, "points": item.points})
    rubric = rubric_draft_from_document(title=code, table=table, choices=choices)
    assert rubric.items.count() == len(table.items)
    assert rubric.sections.count() == len(table.sections)
    assert rubric.columns["self"] == "自评得分"
