"""The rubric editor's forms: a new rubric, its settings (grades, quota, subsidy, printed
columns), a section, an item (its rule's parameter fields are ``editor_params``)."""

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.forms import formset_factory
from django.utils.translation import gettext_lazy as _

from rubrics.engine.loader import _CODE
from rubrics.engine.rounding import fmt
from rubrics.engine.rules import KINDS
from rubrics.models import NA_LABELS, SCOPE_LABELS, SUBJECT_LABELS, Item, Rubric
from rubrics.services import DEFAULT_COLUMNS

CODE_HELP = _(
    "代码是系统内部用来认出这份评分标准的简短名称，只能用小写字母、数字和“-”，如 "
    "changzhou-community。同一份标准以后各年的新版本沿用同一个代码，版本号依次加 1。"
    "不填则按标题和年度自动生成。"
)


def _decimal(label, *, required=False, max_digits=7, help_text=""):
    return forms.DecimalField(
        label=label,
        required=required,
        max_digits=max_digits,
        decimal_places=2,
        min_value=Decimal(0),
        help_text=help_text,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "size": 6}),
    )


class RubricCreateForm(forms.Form):
    title = forms.CharField(label=_("标题"), max_length=200)
    year = forms.IntegerField(label=_("年度"), min_value=1900, max_value=2999, required=False)
    subject = forms.ChoiceField(label=_("考核对象"), choices=list(SUBJECT_LABELS.items()))
    issuer = forms.CharField(label=_("发文单位"), max_length=200, required=False)
    code = forms.CharField(label=_("代码"), max_length=60, required=False, help_text=CODE_HELP)
    first_section = forms.CharField(
        label=_("第一部分的标题"),
        max_length=200,
        required=False,
        help_text=_("可先填一个，如「一、组织机构」；其余在编辑页添加。"),
    )

    def clean_code(self):
        code = self.cleaned_data["code"].strip()
        if code and not _CODE.fullmatch(code):
            raise ValidationError(_("代码只能包含小写字母、数字和“-”，如 hutang-2014。"))
        if code and Rubric.objects.filter(code=code).exists():
            raise ValidationError(
                _(
                    "代码「%(code)s」已有评分标准在用；要做它的新版本，请在它的页面上「复制为新版本」。"
                ),
                params={"code": code},
            )
        return code


COLUMN_WORDS = {
    "project": _("考核项目"),
    "number": _("序号"),
    "requirement": _("考核内容"),
    "points": _("分值"),
    "rule": _("评分标准"),
    "self": _("自评得分"),
    "review": _("考核得分"),
}
# Columns every printed sheet has; the others may be left out.
FIXED_COLUMNS = ("points", "review")
TIE_NONE = ""
TIE_BASE = "base_total"


class RubricSettingsForm(forms.Form):
    title = forms.CharField(label=_("标题"), max_length=200)
    issuer = forms.CharField(label=_("发文单位"), max_length=200, required=False)
    year = forms.IntegerField(label=_("年度"), min_value=1900, max_value=2999, required=False)
    declared_total = _decimal(_("标注总分"), help_text=_("文件上写的合计分，如 100。"))
    bonus_cap = _decimal(_("加分总上限"), help_text=_("所有加分项合计最多加几分；不填则不设。"))
    veto_grade = forms.CharField(
        label=_("一票否决时的等次"),
        max_length=20,
        help_text=_("一票否决项不符合时，不论得分直接定为这个等次。"),
    )
    fallback_grade = forms.CharField(
        label=_("最低等次"), max_length=20, help_text=_("低于各档分数线时的等次。")
    )
    fallback_subsidy_percent = _decimal(_("最低等次补助比例（%）"), required=True, max_digits=6)
    quota_grade = forms.CharField(
        label=_("限额等次"),
        max_length=20,
        required=False,
        help_text=_("如「优秀」；不填则不限名额。"),
    )
    quota_percent = _decimal(_("限额比例（%）"), max_digits=5)
    quota_scope = forms.ChoiceField(
        label=_("限额范围"), choices=list(SCOPE_LABELS.items()), widget=forms.RadioSelect
    )
    quota_enforced = forms.TypedChoiceField(
        label=_("限额如何执行"),
        choices=[
            ("0", _("一般不超过：超出只提示，由管理员决定")),
            ("1", _("强制执行：超出部分自动降一等")),
        ],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    tie_first = forms.ChoiceField(label=_("名额边界同分时先比"), required=False)
    tie_second = forms.ChoiceField(label=_("再比"), required=False)

    def __init__(self, *args, rubric: Rubric, **kwargs):
        super().__init__(*args, **kwargs)
        self.rubric = rubric
        ties = [(TIE_NONE, _("不比，由管理员逐一决定")), (TIE_BASE, _("基础分（不含加分）"))]
        ties += [(f"section:{s.key}", f"「{s.title}」得分") for s in rubric.sections.all()]
        self.fields["tie_first"].choices = ties
        self.fields["tie_second"].choices = ties
        columns = rubric.columns or {}
        for name, words in COLUMN_WORDS.items():
            if name not in FIXED_COLUMNS:
                self.fields[f"col_{name}_on"] = forms.BooleanField(
                    label=_("打印「%(c)s」列") % {"c": words}, required=False
                )
                self.initial.setdefault(f"col_{name}_on", columns.get(name) is not None)
            self.fields[f"col_{name}"] = forms.CharField(
                label=_("「%(c)s」列的表头") % {"c": words}, max_length=40, required=False
            )
            self.initial.setdefault(f"col_{name}", columns.get(name) or DEFAULT_COLUMNS[name])
        self.fields["col_self_on"].help_text = _(
            "不打印自评列的评分标准没有自评：协理员不能填报自评得分。"
        )
        tie = list(rubric.quota_tie_break or []) + [TIE_NONE, TIE_NONE]
        for name in ("title", "issuer", "year", "veto_grade", "fallback_grade", "quota_grade"):
            self.initial.setdefault(name, getattr(rubric, name))
        for name in ("declared_total", "bonus_cap", "fallback_subsidy_percent", "quota_percent"):
            self.initial.setdefault(name, _shown(getattr(rubric, name)))
        self.initial.setdefault("quota_scope", rubric.quota_scope)
        self.initial.setdefault("quota_enforced", "1" if rubric.quota_enforced else "0")
        self.initial.setdefault("tie_first", tie[0])
        self.initial.setdefault("tie_second", tie[1])

    def column_rows(self):
        """(checkbox or None, label field) per printed column, for the template."""
        return [
            (None if name in FIXED_COLUMNS else self[f"col_{name}_on"], self[f"col_{name}"])
            for name in COLUMN_WORDS
        ]

    def check_grades(self, band_labels: list[str]) -> None:
        """The veto and quota grades are grades of this rubric."""
        data = self.cleaned_data
        labels = [*band_labels, data.get("fallback_grade") or ""]
        if data.get("fallback_grade") in band_labels:
            self.add_error("fallback_grade", _("最低等次不能与上面某一档同名。"))
        if data.get("veto_grade") and data["veto_grade"] not in labels:
            self.add_error(
                "veto_grade",
                _("「%(g)s」不是本表的等次；应为 %(all)s 之一。")
                % {"g": data["veto_grade"], "all": "、".join(labels)},
            )
        grade = data.get("quota_grade")
        if grade and grade not in band_labels:
            self.add_error(
                "quota_grade",
                _("「%(g)s」不是上面的等次；应为 %(all)s 之一。")
                % {"g": grade, "all": "、".join(band_labels)},
            )
        if grade and data.get("quota_percent") is None:
            self.add_error("quota_percent", _("限额等次「%(g)s」须填比例。") % {"g": grade})
        if data.get("quota_percent") is not None and data["quota_percent"] > 100:
            self.add_error("quota_percent", _("比例不能超过 100。"))

    def values(self) -> dict:
        """The rubric's fields as the service writes them."""
        data = self.cleaned_data
        columns = {}
        for name in COLUMN_WORDS:
            on = name in FIXED_COLUMNS or data.get(f"col_{name}_on")
            columns[name] = (data.get(f"col_{name}") or DEFAULT_COLUMNS[name]) if on else None
        tie = [t for t in (data.get("tie_first"), data.get("tie_second")) if t]
        return {
            "title": data["title"],
            "issuer": data["issuer"],
            "year": data["year"],
            "declared_total": data["declared_total"],
            "bonus_cap": data["bonus_cap"],
            "veto_grade": data["veto_grade"],
            "fallback_grade": data["fallback_grade"],
            "fallback_subsidy_percent": data["fallback_subsidy_percent"],
            "quota_grade": data["quota_grade"],
            "quota_percent": data["quota_percent"] if data["quota_grade"] else None,
            "quota_scope": data["quota_scope"],
            "quota_enforced": data["quota_enforced"],
            "quota_tie_break": list(dict.fromkeys(tie)),
            "columns": columns,
        }


class BandForm(forms.Form):
    label = forms.CharField(label=_("等次"), max_length=20, required=False)
    min_score = _decimal(_("最低分（含）"))
    subsidy_percent = _decimal(_("补助比例（%）"), max_digits=6)

    def clean(self):
        data = super().clean()
        filled = [data.get("label"), data.get("min_score"), data.get("subsidy_percent")]
        if any(v not in (None, "") for v in filled):
            if not data.get("label"):
                self.add_error("label", _("请填写等次名称，如「优秀」。"))
            if data.get("min_score") is None:
                self.add_error("min_score", _("请填写这一等次的最低分，如 90。"))
            if data.get("subsidy_percent") is None:
                self.add_error("subsidy_percent", _("请填写补助比例，不补助填 0。"))
        return data


class BaseBandFormSet(forms.BaseFormSet):
    def clean(self):
        if any(self.errors):
            return
        rows = self.bands()
        if not rows:
            raise ValidationError(_("至少要有一个等次（如 合格 60 分以上）。"))
        labels = [r["label"] for r in rows]
        for label in labels:
            if labels.count(label) > 1:
                raise ValidationError(_("等次「%(g)s」重复。") % {"g": label})
        lows = [r["min_score"] for r in rows]
        if lows != sorted(lows, reverse=True) or len(set(lows)) != len(lows):
            raise ValidationError(_("等次应从高到低排列，各档最低分依次降低。"))

    def bands(self) -> list[dict]:
        return [
            {k: f.cleaned_data[k] for k in ("label", "min_score", "subsidy_percent")}
            for f in self.forms
            if f.cleaned_data.get("label")
        ]


BandFormSet = formset_factory(BandForm, formset=BaseBandFormSet, extra=1, max_num=12)


def _shown(value):
    """A stored decimal as typed: 90.00 → 「90」."""
    return None if value is None else fmt(value)


def band_initial(rubric: Rubric) -> list[dict]:
    return [
        {
            "label": b.label,
            "min_score": _shown(b.min_score),
            "subsidy_percent": _shown(b.subsidy_percent),
        }
        for b in rubric.grade_bands.all()
    ]


class SectionForm(forms.Form):
    title = forms.CharField(label=_("标题"), max_length=200)
    declared_points = _decimal(_("标注小计"), help_text=_("文件上这一部分写的分数；不写则不填。"))


def kind_choices():
    return [("", _("请选择评分方式"))] + [(k.name, k.label) for k in KINDS.values()]


class ItemForm(forms.Form):
    section = forms.ChoiceField(label=_("所属部分"), required=False)
    new_section = forms.CharField(
        label=_("或新建一个部分"),
        max_length=200,
        required=False,
        help_text=_("填了标题就新建这一部分，并把本项放进去。"),
    )
    number = forms.CharField(label=_("序号"), max_length=20, required=False)
    title = forms.CharField(label=_("子项目 / 考核内容"), max_length=200)
    requirement = forms.CharField(
        label=_("目标要求"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    rule_text = forms.CharField(
        label=_("评分标准（文件原文）"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("照文件抄录，打印在「评分标准」列。"),
    )
    max_points = _decimal(
        _("分值"), help_text=_("本项满分；加分项填最多加几分；100 分以外的扣分项填 0。")
    )
    bonus = forms.BooleanField(label=_("加分项（不计入 100 分）"), required=False)
    penalty = forms.BooleanField(label=_("100 分以外的扣分项"), required=False)
    na_policy = forms.ChoiceField(label=_("单位没有这项任务时"), choices=list(NA_LABELS.items()))
    indicator = forms.CharField(
        label=_("关联目标指标"),
        max_length=100,
        required=False,
        help_text=_(
            "目标任务表上的指标名称，如「社保扩面人数」；填了它，目标数和完成数由目标任务表带入，"
            "不填则由考核人在评分表上填写。"
        ),
    )
    kind = forms.ChoiceField(label=_("评分方式"), choices=kind_choices)

    def __init__(self, *args, rubric: Rubric, **kwargs):
        super().__init__(*args, **kwargs)
        self.rubric = rubric
        self.fields["section"].choices = [("", _("请选择"))] + [
            (str(s.pk), s.title) for s in rubric.sections.all()
        ]

    def clean(self):
        data = super().clean()
        section = data.get("section")
        if not section and not data.get("new_section"):
            self.add_error("section", _("请选择本项所属的部分，或在下面新建一个部分。"))
        elif section and not self.rubric.sections.filter(pk=section).exists():
            self.add_error("section", _("所选的部分不在这份评分标准中。"))
        kind = KINDS.get(data.get("kind") or "")
        if kind is not None:
            if kind.penalty:
                # The kind says it: no need to tick the box as well.
                data["penalty"] = True
            if data.get("penalty") and not kind.penalty:
                self.add_error(
                    "kind",
                    _("100 分以外的扣分项，评分方式应为「%(k)s」。")
                    % {"k": KINDS["penalty"].label},
                )
        if data.get("bonus") and data.get("penalty"):
            self.add_error("bonus", _("一项不能既是加分项又是 100 分以外的扣分项。"))
        points = data.get("max_points")
        if data.get("penalty"):
            if points:
                self.add_error("max_points", _("100 分以外的扣分项分值填 0。"))
            data["max_points"] = Decimal(0)
        elif points is None and "max_points" not in self.errors:
            self.add_error("max_points", _("请填写本项分值，如 3。"))
        return data


def item_initial(item: Item) -> dict:
    return {
        "section": str(item.section_id),
        "number": item.number,
        "title": item.title,
        "requirement": item.requirement,
        "rule_text": item.rule_text,
        "max_points": _shown(item.max_points),
        "bonus": item.bonus,
        "penalty": item.penalty,
        "na_policy": item.na_policy,
        "indicator": item.indicator,
        "kind": item.kind,
    }
