"""Writes to rubrics: import a rubric file, make a new version, freeze; author one in the
editor (settings, sections, items)."""

from django.db import transaction

from rubrics import engine
from rubrics.convert import rubric_as_dict, unsaved_objects
from rubrics.models import GradeBand, Item, Rubric, Section
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


class RubricFrozen(Exception):
    """A frozen rubric was to be changed."""

    message = "这一版评分标准已被考核周期使用并冻结，不能修改；请复制为新版本。"


def _writable(rubric: Rubric) -> None:
    if not may_change_rubric(rubric):
        raise RubricFrozen()


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
    _writable(rubric)
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
    _writable(rubric)
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
    _writable(section.rubric)
    section.title = title
    section.declared_points = declared_points
    section.save(update_fields=["title", "declared_points"])
    return section


@transaction.atomic
def section_delete(*, section: Section) -> int:
    """Deletes the section and its items; returns how many items went with it."""
    _writable(section.rubric)
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
    _writable(section.rubric)
    rows = list(section.rubric.sections.select_for_update().order_by("order", "id"))
    return _swap(rows, [s.pk for s in rows].index(section.pk), step)


@transaction.atomic
def item_move(*, item: Item, step: int) -> bool:
    """Up (−1) or down (+1) within its section; False at either end."""
    _writable(item.rubric)
    rows = list(item.section.items.select_for_update().order_by("order", "id"))
    return _swap(rows, [i.pk for i in rows].index(item.pk), step)


@transaction.atomic
def item_delete(*, item: Item) -> None:
    _writable(item.rubric)
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
    _writable(rubric)
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
