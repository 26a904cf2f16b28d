"""Writes to rubrics: import a rubric file, make a new version, freeze.

A frozen version (a cycle scores with it) is never changed: every write that changes a stored
rubric calls ``rubric_ensure_editable`` first."""

from django.db import transaction

from rubrics import engine
from rubrics.convert import rubric_as_dict, unsaved_objects
from rubrics.models import GradeBand, Item, Rubric
from rubrics.policy import may_change_rubric


class RubricFrozenError(Exception):
    """A change was asked of a frozen version; the message says what to do instead."""


def rubric_ensure_editable(rubric: Rubric) -> None:
    """Refuse a change to a frozen version. Reads the row afresh: the rubric may have been
    frozen since it was loaded (a cycle opened meanwhile)."""
    frozen = Rubric.objects.filter(pk=rubric.pk, frozen=True).exists() or rubric.frozen
    if frozen or not may_change_rubric(rubric):
        raise RubricFrozenError(
            f"「{rubric.title}」第 {rubric.version} 版已被考核周期使用并冻结，不能修改；"
            "请「复制为新版本」，在新版本中修改。"
        )


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


def next_version(code: str) -> int:
    """The version number a copy of a rubric of this code gets."""
    return _next_version(code)


@transaction.atomic
def rubric_new_version(*, rubric: Rubric) -> Rubric:
    """A copy of the rubric as the next version, not frozen, ready to edit: its grade bands,
    sections, items with their parameters, printed columns, quota and tie rule."""
    # The lock keeps two copies made at once from both taking the same next number.
    list(Rubric.objects.select_for_update().filter(code=rubric.code).values_list("pk"))
    data = rubric_as_dict(rubric)
    data["version"] = _next_version(rubric.code)
    parsed = engine.rubric_from_dict(data)
    return _write(parsed, None)


def rubric_freeze(*, rubric: Rubric) -> None:
    if not rubric.frozen:
        Rubric.objects.filter(pk=rubric.pk).update(frozen=True)
        rubric.frozen = True


# ------------------------------------------------- a draft from the office's document

DEFAULT_GRADES = [{"label": "合格", "min": "60", "subsidy_percent": "100"}]
_COLUMN_ROLES = {
    "section": "project",
    "number": "number",
    "requirement": "requirement",
    "points": "points",
    "rule": "rule",
}


def _draft_code() -> str:
    from django.utils import timezone

    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    code, n = f"import-{stamp}", 1
    while Rubric.objects.filter(code=code).exists():
        n += 1
        code = f"import-{stamp}-{n}"
    return code


def rubric_draft_from_document(*, title: str, table, choices: list[dict]) -> Rubric:
    """A draft (unfrozen) rubric of every section and item of a reviewed document table.

    ``choices``: per item of ``table.items`` in order, ``{"kind", "params", "points"}`` as
    the administrator accepted or changed them. Grades are a placeholder (合格 from 60
    points; the note says so) until set on the editor page; the printed columns are the
    document's, with a self-assessment column. Raises ``RubricImportError`` (Chinese
    messages) and writes nothing when any item does not parse.
    """
    columns = {"self": "自评得分", "review": "考核得分"}
    for role, label in table.header.items():
        if role in _COLUMN_ROLES:
            columns[_COLUMN_ROLES[role]] = label
    sections, index, used = [], 0, set()
    for s_number, section in enumerate(table.sections, start=1):
        items = []
        for item in section.items:
            choice = choices[index]
            index += 1
            key = item.number if item.number and item.number not in used else f"i{index}"
            used.add(key)
            items.append(
                {
                    "key": key,
                    "number": item.number,
                    "title": (item.title or item.requirement or f"第 {index} 项")[:200],
                    "requirement": item.requirement,
                    "rule_text": item.rule_text,
                    "max_points": str(choice["points"]),
                    "kind": choice["kind"],
                    "params": choice["params"],
                    "bonus": section.bonus,
                }
            )
        sections.append(
            {
                "key": f"s{s_number}",
                "title": (section.title or f"第 {s_number} 部分")[:200],
                "declared_points": None
                if section.declared_points is None
                else str(section.declared_points),
                "items": items,
            }
        )
    data = {
        "code": _draft_code(),
        "title": title[:200],
        "columns": columns,
        "grades": DEFAULT_GRADES,
        "declared_total": "100",
        "notes": "由文件导入；等次暂设为「合格 60 分以上」，请按文件修改。",
        "sections": sections,
    }
    try:
        parsed = engine.rubric_from_dict(data)
    except engine.RubricFormatError as exc:
        raise RubricImportError(list(exc.errors)) from None
    return _write(parsed, None)
