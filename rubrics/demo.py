"""Demo rubrics: every seed rubric in fixtures/rubrics/, imported if not already there, and
the next year's version of the 湖塘 standard, so a unit's year-over-year view has something
to compare."""

import copy
from pathlib import Path

from django.conf import settings

from rubrics.files import read_structured
from rubrics.models import Rubric
from rubrics.services import rubric_import

SEED_RUBRICS = Path(settings.BASE_DIR) / "fixtures" / "rubrics"
HUTANG = "hutang-2014-community"


def load_demo_rubrics() -> str:
    created = 0
    for path in sorted(SEED_RUBRICS.glob("*.yaml")):
        data = read_structured(path)
        versions = [data, hutang_next_year(data)] if data.get("code") == HUTANG else [data]
        for one in versions:
            if Rubric.objects.filter(code=one.get("code"), version=one.get("version", 1)).exists():
                continue
            rubric_import(data=one)
            created += 1
    return f"评分标准：新建 {created} 套。"


def hutang_next_year(data: dict) -> dict:
    """The 湖塘 standard as the bureau's own 2015 revision: version 2 of the same code (as
    ``rubric_new_version`` makes it), the same sections and items with three changes:
    社保扩面 weighs one point more and 大病保险工作 one less (the section stays at 15), 人员到位
    asks for yearly training, and the stray full-width bracket of section 五's title is
    corrected (the year-over-year view matches that section by its position)."""
    out = copy.deepcopy(data)
    out.update(
        version=2,
        year=2015,
        title="2015年湖塘镇社区人社工作考核标准",
        notes=(
            "演示用：在2014年标准基础上修订的2015年版本（第 2 版），原文件无此版本。"
            "改动：第21项社保扩面 4→5 分，第24项大病保险工作 2→1 分；第2项人员到位增加"
            "“每年参加业务培训不少于1次”；第五部分标题括号更正。等次沿用2014年版。"
        ),
    )
    changes = {
        "21": {"max_points": "5"},
        "24": {"max_points": "1"},
        "2": {
            "requirement": "配备专职社区协理员，参加统一培训并持证上岗，每年参加业务培训不少于1次。"
        },
    }
    for section in out["sections"]:
        if section["key"] == "s5":
            section["title"] = "指导劳动关系协理监察(20分)"
        for item in section["items"]:
            item.update(changes.get(item["key"], {}))
    return out
