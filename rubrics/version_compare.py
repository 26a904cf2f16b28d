"""What changed between two versions of a rubric, in words: the rubric's own settings, grade
bands, quota, sections (added, removed, renamed) and item by item (text, points, rule).

Sections and items are paired with ``rubrics.version_match``; a rule is put in words with its
kind's label and its parameters' labels (or the kind's own ``describe`` where it has one).
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kit.formatting import plain
from rubrics.engine import KINDS
from rubrics.models import NA_LABELS, SCOPE_LABELS, Item, Rubric, Section
from rubrics.version_match import match_items, match_sections

ADDED, REMOVED, CHANGED, RENAMED, SAME = "added", "removed", "changed", "renamed", "same"
STATUS_LABELS = {
    ADDED: gettext_lazy("新增"),
    REMOVED: gettext_lazy("删除"),
    CHANGED: gettext_lazy("有修改"),
    RENAMED: gettext_lazy("改名"),
    SAME: gettext_lazy("未变"),
}


@dataclass(frozen=True)
class Change:
    what: str  # 分值, 评分标准, 计分方式 …
    before: str
    after: str


@dataclass
class ItemRow:
    status: str
    number: str
    title: str
    changes: list[Change] = field(default_factory=list)

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]


@dataclass
class SectionRow:
    status: str
    title: str  # the later version's title, or the earlier one's when removed
    before_title: str = ""
    changes: list[Change] = field(default_factory=list)
    items: list[ItemRow] = field(default_factory=list)
    unchanged_items: int = 0

    @property
    def changed(self) -> bool:
        return self.status != SAME

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]


@dataclass
class Comparison:
    before: Rubric
    after: Rubric
    settings: list[Change]
    bands: list[Change]
    sections: list[SectionRow]

    @property
    def changed_items(self) -> int:
        return sum(len(s.items) for s in self.sections)

    @property
    def unchanged_items(self) -> int:
        return sum(s.unchanged_items for s in self.sections)

    @property
    def is_same(self) -> bool:
        return not (self.settings or self.bands or self.changed_items) and all(
            s.status == SAME for s in self.sections
        )


def _value(value) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if isinstance(value, (Decimal, int, float)):
        return plain(value)
    if isinstance(value, list):
        return "；".join(_value(v) for v in value) or "—"
    if isinstance(value, dict):
        return "，".join(f"{k} {_value(v)}" for k, v in value.items())
    return str(value)


def _choice_labels(param) -> dict[str, str]:
    """A choice parameter's values in words, from its help (「floor：不扣；ceil：按一档扣」)."""
    labels = {}
    for part in param.help.rstrip("。").split("；"):
        value, sep, label = part.partition("：")
        if sep and value.strip() in param.choices:
            labels[value.strip()] = label.strip()
    return labels


def _row_text(param, row) -> str:
    if not isinstance(row, dict):
        return _value(row)
    columns = {c.name: c for c in param.columns}
    words = []
    for name, value in row.items():
        if name == "key":  # an input code, not the document's words
            continue
        if name == "kind":
            words.append(f"{columns[name].label} {getattr(KINDS.get(value), 'label', value)}")
        elif name == "params" and isinstance(value, dict):
            words.append(_params_text(KINDS.get(row.get("kind")), value) or "—")
        else:
            label = columns[name].label if name in columns else name
            words.append(f"{label} {_param_value(columns.get(name), value)}")
    return "，".join(words)


def _param_value(param, value) -> str:
    if param is None:
        return _value(value)
    if param.type == "rows" and isinstance(value, list):
        return "；".join(_row_text(param, row) for row in value) or "—"
    if param.type == "choice":
        return _choice_labels(param).get(value, _value(value))
    return _value(value)


def _params_text(kind, params: dict) -> str:
    if kind is None:
        return ""
    return "，".join(
        f"{p.label} {_param_value(p, params[p.name])}" for p in kind.params if p.name in params
    )


def rule_in_words(kind_name: str, params: dict) -> str:
    """「每次扣分 1，最多扣分 3」: a rule as the comparison shows it, never raw keys."""
    kind = KINDS.get(kind_name)
    if kind is None:
        return kind_name
    describe = getattr(kind, "describe", None)
    if callable(describe):
        try:
            return f"{kind.label}：{describe(params or {})}"
        except Exception:  # noqa: BLE001 - a description must never break the page
            pass
    text = _params_text(kind, params or {})
    return f"{kind.label}：{text}" if text else kind.label


def _rubric(pk: int) -> Rubric:
    items = Item.objects.order_by("order", "id")
    sections = Section.objects.order_by("order", "id").prefetch_related(
        Prefetch("items", queryset=items)
    )
    return Rubric.objects.prefetch_related(
        Prefetch("sections", queryset=sections), "grade_bands"
    ).get(pk=pk)


def _diff(pairs) -> list[Change]:
    return [Change(what, _value(a), _value(b)) for what, a, b in pairs if _value(a) != _value(b)]


def _quota_text(r: Rubric) -> str:
    if not r.quota_grade:
        return _("无限额")
    rule = _("强制") if r.quota_enforced else _("一般不超过")
    scope = SCOPE_LABELS.get(r.quota_scope, r.quota_scope)
    return f"{r.quota_grade} {plain(r.quota_percent or 0)}%（{scope}，{rule}）"


def _tie_text(r: Rubric) -> str:
    titles = {s.key: s.title for s in r.sections.all()}
    words = []
    for entry in r.quota_tie_break or []:
        if entry == "base_total":
            words.append(_("基础分"))
        elif entry.startswith("section:"):
            words.append(_("「%(t)s」得分") % {"t": titles.get(entry[8:], entry[8:])})
    return "、".join(words) or "—"


def _settings(a: Rubric, b: Rubric) -> list[Change]:
    return _diff(
        [
            (_("标题"), a.title, b.title),
            (_("发文单位"), a.issuer, b.issuer),
            (_("年度"), a.year, b.year),
            (_("标注总分"), a.declared_total, b.declared_total),
            (_("一票否决时的等次"), a.veto_grade, b.veto_grade),
            (_("最低等次"), a.fallback_grade, b.fallback_grade),
            (_("最低等次补助比例（%）"), a.fallback_subsidy_percent, b.fallback_subsidy_percent),
            (_("加分总上限"), a.bonus_cap, b.bonus_cap),
            (_("得分保留小数位"), a.rounding, b.rounding),
            (_("限额"), _quota_text(a), _quota_text(b)),
            (_("名额边界同分时的排序"), _tie_text(a), _tie_text(b)),
        ]
    )


def _bands(a: Rubric, b: Rubric) -> list[Change]:
    def text(band):
        return _("%(min)s 分以上，补助 %(pct)s%%") % {
            "min": plain(band.min_score),
            "pct": plain(band.subsidy_percent),
        }

    before = {band.label: text(band) for band in a.grade_bands.all()}
    after = {band.label: text(band) for band in b.grade_bands.all()}
    labels = list(before) + [label for label in after if label not in before]
    return _diff(
        [
            (_("等次「%(l)s」") % {"l": label}, before.get(label), after.get(label))
            for label in labels
        ]
    )


def _item_changes(a: Item, b: Item, moved_from: str | None) -> list[Change]:
    changes = _diff(
        [
            (_("序号"), a.number, b.number),
            (_("子项目"), a.title, b.title),
            (_("考核内容"), a.requirement, b.requirement),
            (_("分值"), a.max_points, b.max_points),
            (_("评分标准"), a.rule_text, b.rule_text),
            (_("计分方式"), rule_in_words(a.kind, a.params), rule_in_words(b.kind, b.params)),
            (_("加分项"), a.bonus, b.bonus),
            (_("100分以外扣分项"), a.penalty, b.penalty),
            (_("无此任务时"), NA_LABELS.get(a.na_policy), NA_LABELS.get(b.na_policy)),
            (_("关联目标指标"), a.indicator, b.indicator),
        ]
    )
    if moved_from is not None:
        changes.insert(0, Change(_("所属部分"), moved_from, _("（本部分）")))
    return changes


def compare_rubrics(before_pk: int, after_pk: int) -> Comparison:
    """The changes from one version (``before``) to another (``after``)."""
    a, b = _rubric(before_pk), _rubric(after_pk)
    a_sections, b_sections = list(a.sections.all()), list(b.sections.all())
    section_match = match_sections([s.title for s in a_sections], [s.title for s in b_sections])
    a_items = {i.key: (i, s) for s in a_sections for i in s.items.all()}
    b_items = [(i, s) for s in b_sections for i in s.items.all()]
    item_match = match_items(
        [(i.key, i.title) for i, _s in a_items.values()], [(i.key, i.title) for i, _s in b_items]
    )
    matched_a_section = {j: a_sections[i] for j, i in section_match.items()}

    rows: list[SectionRow] = []
    row_of_a_section: dict[int, SectionRow] = {}
    for j, section in enumerate(b_sections):
        before = matched_a_section.get(j)
        if before is None:
            row = SectionRow(ADDED, section.title)
        else:
            changes = _diff([(_("标注小计"), before.declared_points, section.declared_points)])
            status = RENAMED if before.title != section.title else (CHANGED if changes else SAME)
            row = SectionRow(status, section.title, before.title, changes)
            row_of_a_section[before.pk] = row
        rows.append(row)
        for item in section.items.all():
            old_key = item_match.get(item.key)
            if old_key is None:
                row.items.append(
                    ItemRow(
                        ADDED,
                        item.number,
                        item.title,
                        [Change(_("分值"), "—", _value(item.max_points))],
                    )
                )
                continue
            old, old_section = a_items[old_key]
            moved = (
                None if before is not None and old_section.pk == before.pk else old_section.title
            )
            changes = _item_changes(old, item, moved)
            if changes:
                row.items.append(ItemRow(CHANGED, item.number, item.title, changes))
            else:
                row.unchanged_items += 1
        if row.status == SAME and row.items:
            row.status = CHANGED

    kept = set(item_match.values())
    for section in a_sections:
        row = row_of_a_section.get(section.pk)
        if row is None:
            row = SectionRow(REMOVED, section.title, section.title)
            rows.append(row)
        for item in section.items.all():
            if item.key not in kept:
                row.items.append(
                    ItemRow(
                        REMOVED,
                        item.number,
                        item.title,
                        [Change(_("分值"), _value(item.max_points), "—")],
                    )
                )
                if row.status == SAME:
                    row.status = CHANGED
    return Comparison(a, b, _settings(a, b), _bands(a, b), rows)


def versions_of(code: str) -> list[Rubric]:
    """Every version of a rubric code, latest first."""
    return list(Rubric.objects.filter(code=code).order_by("-version"))


def default_pair(rubric: Rubric) -> tuple[Rubric, Rubric] | None:
    """The version before ``rubric`` and ``rubric`` itself, or the latest two of its code."""
    versions = versions_of(rubric.code)
    earlier = [r for r in versions if r.version < rubric.version]
    if earlier:
        return earlier[0], rubric
    if len(versions) >= 2:
        return versions[1], versions[0]
    return None


def latest_rubrics() -> list[Rubric]:
    """The latest version of every rubric code, the one created last first."""
    latest: dict[str, Rubric] = {}
    for rubric in Rubric.objects.order_by("code", "-version").only(
        "code", "version", "title", "created_at"
    ):
        latest.setdefault(rubric.code, rubric)
    return sorted(latest.values(), key=lambda r: (r.created_at, r.pk), reverse=True)
