"""A composite item's parts on the item form: each part's own kind's parameter fields under
its row, read back exactly, with errors at the part's field and the part's sentence."""

from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from rubrics.engine.rules import KINDS
from rubrics.selectors import engine_rubric_for
from tests.conftest import import_seed_rubric

COMPOSITES = [
    ("rugao-2018-town", 3),
    ("xinjian-2021-window", 1),
    ("xinyi-coordinator", 1),
]


class _Form(HTMLParser):
    """The fields a browser sends for the item form as drawn (no button pressed)."""

    def __init__(self):
        super().__init__()
        self.data: dict[str, str] = {}
        self._select: str | None = None
        self._first: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        name = a.get("name")
        if tag == "input" and name:
            if a.get("type") == "checkbox":
                if "checked" in a:
                    self.data[name] = a.get("value") or "on"
            elif a.get("type") not in ("submit", "button"):
                self.data[name] = a.get("value") or ""
        elif tag == "select" and name:
            self._select, self._first = name, None
        elif tag == "option" and self._select:
            value = a.get("value", "")
            if self._first is None:
                self._first = value
                self.data.setdefault(self._select, value)
            if "selected" in a:
                self.data[self._select] = value
        elif tag == "textarea" and name:
            self._textarea = name
            self.data[name] = ""

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea] += data


def form_of(page) -> dict:
    parser = _Form()
    parser.feed(page.content.decode())
    return parser.data


def composites(rubric):
    return list(rubric.items.filter(kind="composite").order_by("pk"))


PART = "p-composite-components-{}-{}"
OWN = "p-composite-components-{}-pp-{}-{}"


@pytest.fixture
def rugao(db):
    return import_seed_rubric("rugao-2018-town")


def edit_url(item):
    return reverse("rubrics:item_edit", args=[item.rubric_id, item.pk])


@pytest.mark.django_db
class TestSeedCompositesRoundTrip:
    @pytest.mark.parametrize(("code", "count"), COMPOSITES)
    def test_the_seed_composites_come_back_unchanged_through_the_form(
        self, client_for, code, count
    ):
        rubric = import_seed_rubric(code)
        items = composites(rubric)
        assert len(items) == count
        client = client_for("admin")
        for item in items:
            before = item.params
            page = client.get(edit_url(item))
            answer = client.post(edit_url(item), form_of(page))
            assert answer.status_code == 302, answer.content.decode()[:3000]
            item.refresh_from_db()
            assert item.params == before
        engine_rubric_for(rubric)  # the engine still loads the whole rubric

    def test_each_part_shows_its_own_fields_and_sentence(self, client_for, rugao):
        item = composites(rugao)[0]
        text = client_for("admin").get(edit_url(item)).content.decode()
        # The parts' own fields, by name, for their chosen kind (proportional).
        assert f'name="{OWN.format(0, "proportional", "source")}"' in text
        assert f'name="{OWN.format(1, "proportional", "source")}"' in text
        # The part's sentence, and the composite's own listing its parts.
        whole = KINDS["composite"].describe(item.params, item.max_points)
        assert "培训 3 分（" in whole and "鉴定取证 3 分（" in whole
        assert whole in text
        part = item.params["components"][0]
        assert KINDS["proportional"].describe(part["params"], Decimal("3")) in text


@pytest.mark.django_db
class TestChangingAPart:
    def test_a_part_changed_to_another_kind_saves_what_was_typed(self, client_for, rugao):
        item = composites(rugao)[0]
        client = client_for("admin")
        data = form_of(client.get(edit_url(item)))
        data[PART.format(1, "kind")] = "deduct_per_occurrence"
        data[OWN.format(1, "deduct_per_occurrence", "per")] = "0.5"
        data[OWN.format(1, "deduct_per_occurrence", "label")] = "未取证"
        data[OWN.format(1, "deduct_per_occurrence", "unit")] = "人"
        data[OWN.format(0, "proportional", "zero_target")] = "zero"
        answer = client.post(edit_url(item), data)
        assert answer.status_code == 302
        item.refresh_from_db()
        first, second = item.params["components"]
        assert first["kind"] == "proportional"
        assert first["params"] == {"source": "main", "zero_target": "zero", "unit": ""}
        assert second == {
            "key": "certification",
            "label": "鉴定取证",
            "max_points": "3",
            "kind": "deduct_per_occurrence",
            "params": {"per": "0.5", "label": "未取证", "unit": "人"},
        }
        loaded = engine_rubric_for(rugao)
        part = next(i for i in loaded.items if i.key == item.key).spec.components[1]
        assert part.item.kind == "deduct_per_occurrence"

    def test_a_new_part_takes_its_kinds_example(self, client_for, rugao):
        item = composites(rugao)[0]
        client = client_for("admin")
        data = form_of(client.get(edit_url(item)))
        # The blank row under the two parts becomes a third, discretionary part; its
        # fields were drawn with the kind's example (step 0.5).
        assert data[OWN.format(2, "discretionary", "step")] == "0.5"
        data[PART.format(2, "label")] = "宣传"
        data[PART.format(2, "max_points")] = "2"
        data[PART.format(2, "kind")] = "discretionary"
        data["max_points"] = "8"
        assert client.post(edit_url(item), data).status_code == 302
        item.refresh_from_db()
        third = item.params["components"][2]
        assert third["kind"] == "discretionary" and third["params"] == {"step": "0.5"}
        assert third["key"] not in ("training", "certification")

    def test_without_script_updating_the_parts_redraws_the_new_kinds_fields(
        self, client_for, rugao
    ):
        item = composites(rugao)[0]
        client = client_for("admin")
        data = form_of(client.get(edit_url(item)))
        data[PART.format(1, "kind")] = "deduct_per_occurrence"
        data["title"] = "技能提升培训（改）"
        page = client.post(edit_url(item), {**data, "refresh": "parts"})
        assert page.status_code == 200
        text = page.content.decode()
        shown = 'data-part="p-composite-components-1-pp" data-kind="deduct_per_occurrence">'
        assert shown in text  # drawn without ``hidden``
        assert "技能提升培训（改）" in text  # what was typed is kept
        item.refresh_from_db()
        assert item.params["components"][1]["kind"] == "proportional"  # nothing saved
        # The redrawn page, sent as it is, saves the new kind with its example.
        assert client.post(edit_url(item), form_of(page)).status_code == 302
        item.refresh_from_db()
        assert item.params["components"][1]["params"] == {"per": "1", "label": "", "unit": "次"}
        assert item.title == "技能提升培训（改）"


@pytest.mark.django_db
class TestPartErrors:
    def test_a_part_missing_a_parameter_is_told_at_its_field(self, client_for, rugao):
        item = composites(rugao)[0]
        before = item.params
        client = client_for("admin")
        data = form_of(client.get(edit_url(item)))
        data[PART.format(1, "label")] = "宣传"
        data[PART.format(1, "kind")] = "deduct_per_occurrence"
        data[OWN.format(1, "deduct_per_occurrence", "per")] = ""
        page = client.post(edit_url(item), data)
        assert page.status_code == 200
        text = page.content.decode()
        assert "第 2 部分「宣传」：请填写「每次扣分」" in text
        item.refresh_from_db()
        assert item.params == before

    def test_a_part_parameter_that_is_not_a_number_names_the_part(self, client_for, rugao):
        item = composites(rugao)[0]
        client = client_for("admin")
        data = form_of(client.get(edit_url(item)))
        data[PART.format(0, "kind")] = "discretionary"
        data[OWN.format(0, "discretionary", "step")] = "半分"
        text = client.post(edit_url(item), data).content.decode()
        assert "第 1 部分「培训」：「步长」应为数字，如 0.5" in text

    def test_a_part_of_a_kind_no_part_may_be_is_refused_at_the_form(self, client_for, rugao):
        item = composites(rugao)[0]
        before = item.params
        client = client_for("admin")
        data = form_of(client.get(edit_url(item)))
        data[PART.format(1, "kind")] = "veto"  # not offered; sent by hand
        page = client.post(edit_url(item), data)
        assert page.status_code == 200
        assert "第 2 行「评分方式」请从列表中选择" in page.content.decode()
        item.refresh_from_db()
        assert item.params == before
