"""Demo rubrics: every seed rubric in fixtures/rubrics/, imported if not already there."""

from pathlib import Path

from django.conf import settings

from rubrics.files import read_structured
from rubrics.models import Rubric
from rubrics.services import rubric_import

SEED_RUBRICS = Path(settings.BASE_DIR) / "fixtures" / "rubrics"


def load_demo_rubrics() -> str:
    created = 0
    for path in sorted(SEED_RUBRICS.glob("*.yaml")):
        data = read_structured(path)
        if Rubric.objects.filter(code=data.get("code"), version=data.get("version", 1)).exists():
            continue
        rubric_import(data=data)
        created += 1
    return f"评分标准：新建 {created} 套。"
