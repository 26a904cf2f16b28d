import pytest
from django.core.management import call_command

from accounts.models import User
from assessments.models import Cycle
from org.models import Unit
from rubrics.models import Rubric

pytestmark = pytest.mark.django_db


def test_demo_loads_everything_once_and_again_changes_nothing(capsys, tmp_path, settings):
    call_command("load_demo")
    first = capsys.readouterr().out
    assert "演示账号" in first
    counts = (
        Unit.objects.count(),
        Rubric.objects.count(),
        Cycle.objects.count(),
        User.objects.count(),
    )
    call_command("load_demo")
    assert (
        Unit.objects.count(),
        Rubric.objects.count(),
        Cycle.objects.count(),
        User.objects.count(),
    ) == counts
    # 1 + 1 + 44 (湖塘), 1 + 14 (如皋), 1 + 18 (新建), and 矶山（二轻公司）, which 新建 附件5
    # lists with a 退捕渔民 task although it is no town
    assert counts[0] == 81
    assert counts[1] == 7  # six seed rubrics and the 湖塘 standard's 2015 version
    assert {u.role for u in User.objects.all()} == set(User.Role.values)

    changzhou = Cycle.objects.get(title__startswith="常州市2015")
    results = list(changzhou.results.all())
    assert any(r.veto_item for r in results)
    assert sum(1 for r in results if r.total >= 90) > 0.3 * len(results)
    assert changzhou.assessments.filter(unit__name="淹城社区", state="draft").exists()

    xinjian = Cycle.objects.get(title__startswith="新建区2021")
    assert xinjian.phases == ["process", "annual"] and xinjian.state == Cycle.State.PUBLISHED
    averaged = [
        r
        for r in xinjian.results.all()
        if any("平均分" in n for p in r.detail["phases"].values() for n in p["notes"].values())
    ]
    assert averaged and all(r.unit.name not in {"南矶乡", "联圩镇"} for r in averaged)

    # 湖塘 2015: the same communities on version 2 of the 湖塘 standard, published; units
    # move both ways, in total and in grade, so the year-over-year pages have something to say
    h14 = Cycle.objects.get(title__startswith="湖塘镇2014")
    h15 = Cycle.objects.get(title__startswith="湖塘镇2015")
    assert h14.rubric.code == h15.rubric.code == "hutang-2014-community"
    assert (h14.rubric.version, h15.rubric.version) == (1, 2)
    assert h15.state == Cycle.State.PUBLISHED
    before = dict(h14.results.values_list("unit_id", "total"))
    grades_before = dict(h14.results.values_list("unit_id", "grade"))
    moved = [r.total - before[r.unit_id] for r in h15.results.all()]
    assert len(moved) == 44 and min(moved) < 0 < max(moved)
    changed = [r for r in h15.results.all() if r.grade != grades_before[r.unit_id]]
    assert {r.grade for r in changed} >= {"优秀", "合格"}
