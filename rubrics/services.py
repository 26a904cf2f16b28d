"""Writes to rubrics: import a rubric file, make a new version, freeze; author one in the
editor (settings, sections, items); a draft from the office's document.

A frozen version (a cycle scores with it) is never changed: every write that changes a stored
rubric calls ``rubric_ensure_editable`` first."""

from django.db import transaction

from rubrics import engine
from rubrics.convert import rubric_as_dict, unsaved_objects
from rubrics.models import GradeBand, Item, Rubric, Section
from rubrics.policy import may_change_rubric


class RubricFrozenError(Exception):
    """A change was asked of a frozen version; the message says what to do instead."""

    @property
    def message(self) -> str:
        return str(self)


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


# ------------------------------------------------------------ authoring (the editor)

# A new rubric prints every column, the self-assessment one included: a rubric without
# it has no 自评 side, so the administrator turns it off knowingly (the editor's checkbox).
DEFAULT_COLUMNS = {
    "project": "考核项目",
    "number": "序号",
    "requirement": "考核内容",
    "points": "分值",
    "rule": "评分标准",
    "self": "自评得分",
    "review": "考核得分",
}
# The bureau's own bands until the administrator types the document's (常州's four).
DEFAULT_BANDS = (("优秀", "90", "120"), ("合格", "75", "100"), ("基本合格", "60", "0"))


def derived_code(title: str, year: int | None) -> str:
    """A free code for a new rubric: the Latin letters and digits of its title and the
    year (「2024 常州 community」 → 「community-2024」), else 「rubric-<year>」; a suffix
    (-2, -3, …) keeps it apart from codes in use."""
    from django.utils.text import slugify

    base = slugify(title)[:40].strip("-") or "rubric"
    if year and str(year) not in base:
        base = f"{base}-{year}"
    code, n = base, 1
    while Rubric.objects.filter(code=code).exists():
        n += 1
        code = f"{base}-{n}"
    return code


@transaction.atomic
def rubric_create(
    *, title: str, year: int | None, subject: str, code: str = "", issuer: str = ""
) -> Rubric:
    """A draft rubric (version 1) with the default bands and every printed column."""
    rubric = Rubric.objects.create(
        code=code or derived_code(title, year),
        version=1,
        title=title,
        year=year,
        subject=subject,
        issuer=issuer,
        columns=dict(DEFAULT_COLUMNS),
    )
    GradeBand.objects.bulk_create(
        GradeBand(rubric=rubric, order=i, label=label, min_score=low, subsidy_percent=percent)
        for i, (label, low, percent) in enumerate(DEFAULT_BANDS)
    )
    return rubric


@transaction.atomic
def rubric_settings_save(*, rubric: Rubric, values: dict, bands: list[dict]) -> Rubric:
    """The rubric's own fields (title … columns) and its grade bands, high to low."""
    rubric_ensure_editable(rubric)
    for name, value in values.items():
        setattr(rubric, name, value)
    rubric.save()
    rubric.grade_bands.all().delete()
    GradeBand.objects.bulk_create(
        GradeBand(rubric=rubric, order=i, **band) for i, band in enumerate(bands)
    )
    return rubric


def _free_key(model, rubric: Rubric, prefix: str) -> str:
    taken = set(model.objects.filter(rubric=rubric).values_list("key", flat=True))
    n = len(taken) + 1
    while f"{prefix}{n}" in taken:
        n += 1
    return f"{prefix}{n}"


@transaction.atomic
def section_add(*, rubric: Rubric, title: str, declared_points=None) -> Section:
    rubric_ensure_editable(rubric)
    last = rubric.sections.order_by("-order").first()
    return Section.objects.create(
        rubric=rubric,
        key=_free_key(Section, rubric, "s"),
        title=title,
        declared_points=declared_points,
        order=(last.order + 1) if last else 0,
    )


@transaction.atomic
def section_save(*, section: Section, title: str, declared_points=None) -> Section:
    rubric_ensure_editable(section.rubric)
    section.title = title
    section.declared_points = declared_points
    section.save(update_fields=["title", "declared_points"])
    return section


@transaction.atomic
def section_delete(*, section: Section) -> int:
    """Deletes the section and its items; returns how many items went with it."""
    rubric_ensure_editable(section.rubric)
    n = section.items.count()
    section.delete()
    return n


def _swap(rows: list, index: int, step: int) -> bool:
    other = index + step
    if not 0 <= other < len(rows):
        return False
    rows[index], rows[other] = rows[other], rows[index]
    for order, row in enumerate(rows):
        if row.order != order:
            row.order = order
            row.save(update_fields=["order"])
    return True


@transaction.atomic
def section_move(*, section: Section, step: int) -> bool:
    """Up (−1) or down (+1) among the rubric's sections; False at either end."""
    rubric_ensure_editable(section.rubric)
    rows = list(section.rubric.sections.select_for_update().order_by("order", "id"))
    return _swap(rows, [s.pk for s in rows].index(section.pk), step)


@transaction.atomic
def item_move(*, item: Item, step: int) -> bool:
    """Up (−1) or down (+1) within its section; False at either end."""
    rubric_ensure_editable(item.rubric)
    rows = list(item.section.items.select_for_update().order_by("order", "id"))
    return _swap(rows, [i.pk for i in rows].index(item.pk), step)


@transaction.atomic
def item_delete(*, item: Item) -> None:
    rubric_ensure_editable(item.rubric)
    item.delete()


EDITABLE_ITEM_FIELDS = (
    "number",
    "title",
    "requirement",
    "rule_text",
    "max_points",
    "kind",
    "params",
    "bonus",
    "penalty",
    "na_policy",
    "indicator",
)


@transaction.atomic
def item_save(
    *,
    rubric: Rubric,
    values: dict,
    item: Item | None = None,
    section: Section | None = None,
    new_section: str = "",
) -> Item:
    """A new or changed item. ``values`` were checked by the item form (the engine parsed its
    parameters); ``new_section`` makes a section of that title and puts the item in it."""
    rubric_ensure_editable(rubric)
    if new_section:
        section = section_add(rubric=rubric, title=new_section)
    if section is None or section.rubric_id != rubric.pk:
        raise ValueError("an item belongs to a section of its own rubric")
    if item is None:
        last = section.items.order_by("-order").first()
        item = Item(
            rubric=rubric,
            key=_free_key(Item, rubric, "i"),
            order=(last.order + 1) if last else 0,
        )
    elif item.section_id != section.pk:
        last = section.items.order_by("-order").first()
        item.order = (last.order + 1) if last else 0
    item.section = section
    for name in EDITABLE_ITEM_FIELDS:
        setattr(item, name, values[name])
    item.save()
    return item
