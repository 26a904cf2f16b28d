"""Writes to rubrics: import a rubric file, make a new version, freeze."""

from django.db import transaction

from rubrics import engine
from rubrics.convert import rubric_as_dict, unsaved_objects
from rubrics.models import GradeBand, Item, Rubric
from rubrics.policy import may_change_rubric


class RubricImportError(Exception):
    def __init__(self, errors: list[str]):
        super().__init__("\n".join(errors))
        self.errors = errors


def rubric_import(*, data: dict) -> tuple[Rubric, bool]:
    """Parse everything first, then write in one transaction. Returns (rubric, created).

    An unfrozen rubric with the same code and version is replaced; a frozen one is refused.
    """
    try:
        parsed = engine.rubric_from_dict(data)
    except engine.RubricFormatError as exc:
        raise RubricImportError(list(exc.errors)) from None
    existing = Rubric.objects.filter(code=parsed.code, version=parsed.version).first()
    if existing is not None and not may_change_rubric(existing):
        raise RubricImportError(
            [
                f"评分标准「{parsed.code}」第 {parsed.version} 版已被考核周期使用并冻结，"
                f"不能覆盖；请把文件中的 version 改为 {_next_version(parsed.code)} 后再导入。"
            ]
        )
    return _write(parsed, existing), existing is None


@transaction.atomic
def _write(parsed: engine.Rubric, existing: Rubric | None) -> Rubric:
    rubric, bands, sections = unsaved_objects(parsed)
    if existing is not None:
        rubric.pk = existing.pk
        rubric.created_at = existing.created_at
        existing.sections.all().delete()  # cascades to items
        existing.grade_bands.all().delete()
    rubric.save()
    for band in bands:
        band.rubric = rubric
    GradeBand.objects.bulk_create(bands)
    for section, items in sections:
        section.rubric = rubric
        section.save()
        for item in items:
            item.section = section
            item.rubric = rubric
        Item.objects.bulk_create(items)
    return rubric


def _next_version(code: str) -> int:
    latest = Rubric.objects.filter(code=code).order_by("-version").first()
    return (latest.version if latest else 0) + 1


@transaction.atomic
def rubric_new_version(*, rubric: Rubric) -> Rubric:
    """A copy of the rubric as the next version, not frozen, ready to edit."""
    data = rubric_as_dict(rubric)
    data["version"] = _next_version(rubric.code)
    parsed = engine.rubric_from_dict(data)
    return _write(parsed, None)


def rubric_freeze(*, rubric: Rubric) -> None:
    if not rubric.frozen:
        Rubric.objects.filter(pk=rubric.pk).update(frozen=True)
        rubric.frozen = True
