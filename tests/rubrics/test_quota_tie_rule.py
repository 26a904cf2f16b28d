"""The quota's tie rule as stored: read from the rubric file, kept in the database, given
to the engine, and checked when an administrator edits it."""

import pytest
from django.forms import modelform_factory

from rubrics.admin import RubricForm
from rubrics.convert import rubric_as_dict
from rubrics.models import Rubric
from rubrics.selectors import engine_rubric_for
from tests.conftest import import_seed_rubric

pytestmark = pytest.mark.django_db


def edit_form(rubric, value):
    form_class = modelform_factory(Rubric, form=RubricForm, fields=["quota_tie_break"])
    return form_class(data={"quota_tie_break": value}, instance=rubric)


class TestStoredTieRule:
    def test_the_demo_rubric_states_its_tie_rule_and_the_engine_reads_it(self):
        rubric = import_seed_rubric("changzhou-community")
        assert rubric.quota_tie_break == ["section:s3", "base_total"]
        assert engine_rubric_for(rubric).quota.tie_break == ("section:s3", "base_total")
        assert rubric_as_dict(rubric)["quota"]["tie_break"] == ["section:s3", "base_total"]

    def test_the_admin_refuses_a_section_the_rubric_does_not_have(self):
        rubric = import_seed_rubric("changzhou-community")
        form = edit_form(rubric, '["section:s9"]')
        assert not form.is_valid()
        assert "「section:s9」不可识别" in form.errors["quota_tie_break"][0]
        assert edit_form(rubric, '["section:s2", "base_total"]').is_valid()
