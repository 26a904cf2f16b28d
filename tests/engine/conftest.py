"""Builders for small hand-written rubrics, shared by the engine tests (plain pytest, no
Django). ``build`` is session-scoped so hypothesis tests may use it too."""

from types import SimpleNamespace

import pytest

from rubrics.engine import evaluate, rubric_from_dict

GRADES = [
    {"label": "优秀", "min": "90", "subsidy_percent": "120"},
    {"label": "合格", "min": "75", "subsidy_percent": "100"},
    {"label": "基本合格", "min": "60", "subsidy_percent": "0"},
]


def item(key, kind, max_points, params=None, **fields):
    """One item dict; number = key, title 「第 key 项」 unless given."""
    data = {
        "key": str(key),
        "number": str(key),
        "title": fields.pop("title", f"测试项{key}"),
        "max_points": str(max_points),
        "kind": kind,
    }
    if params is not None:
        data["params"] = params
    data.update(fields)
    return data


def rubric_dict(*items, **top):
    data = {
        "code": "test",
        "title": "测试评分表",
        "grades": GRADES,
        "sections": [{"key": "s1", "title": "一、测试", "items": list(items)}],
    }
    data.update(top)
    return data


def make(*items, **top):
    return rubric_from_dict(rubric_dict(*items, **top))


def one(kind, max_points, params=None, **fields):
    """A rubric holding one item, key 「x」, number 「1」, title 「测试项」."""
    fields.setdefault("title", "测试项")
    data = item("x", kind, max_points, params, **fields)
    data["number"] = "1"
    return make(data)


def score(rubric, value, key="x", **sheet):
    """The ItemResult of ``key`` for the input ``value``."""
    return evaluate(rubric, {"subject": "甲", "items": {key: value}, **sheet}).item(key)


@pytest.fixture(scope="session")
def build():
    return SimpleNamespace(
        item=item, rubric_dict=rubric_dict, make=make, one=one, score=score, grades=GRADES
    )
