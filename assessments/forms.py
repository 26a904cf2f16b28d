from django import forms
from django.utils.translation import gettext_lazy as _

from assessments import deadlines
from org.models import Unit
from rubrics.models import Rubric


def _date_field(label, help_text=""):
    return forms.DateField(
        label=label,
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=help_text,
        error_messages={"invalid": _("请填写日期，例如 2026-12-31。")},
    )


class CycleDatesForm(forms.Form):
    """The cycle's deadlines and 公示 period; each may be left empty."""

    self_deadline = _date_field(
        _("自评截止"), _("协理员提交自评的最后一天；截止前 3 天和 1 天、逾期时会提醒。")
    )
    review_deadline = _date_field(_("审核截止"), _("镇（街道）完成审核的最后一天。"))
    publicity_start = _date_field(_("公示开始"))
    publicity_end = _date_field(_("公示截止"))

    def clean(self):
        data = super().clean()
        problem = deadlines.dates_problem({k: data.get(k) for k in deadlines.CYCLE_DATES})
        if problem:
            self.add_error(problem[0], problem[1])
        return data

    def dates(self) -> dict:
        return {k: self.cleaned_data.get(k) for k in deadlines.CYCLE_DATES}


class CycleForm(CycleDatesForm):
    field_order = [
        "title",
        "year",
        "rubric",
        "towns",
        "level",
        "process_weight",
        "annual_weight",
        "base_subsidy",
        *deadlines.CYCLE_DATES,
    ]

    title = forms.CharField(label=_("名称"), max_length=200)
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    rubric = forms.ModelChoiceField(label=_("评分标准"), queryset=Rubric.objects.all())
    towns = forms.ModelMultipleChoiceField(
        label=_("参加考核的镇（街道）"),
        queryset=Unit.objects.filter(kind__in=Unit.TOWN_KINDS, active=True).select_related(
            "parent"
        ),
        widget=forms.CheckboxSelectMultiple,
    )
    level = forms.ChoiceField(
        label=_("考核对象"),
        choices=[
            ("grassroots", _("所选镇（街道）下的社区和村")),
            ("town", _("所选镇（街道）本身（如乡镇专窗）")),
            ("coordinators", _("所选镇（街道）的在岗协理员")),
        ],
    )
    process_weight = forms.DecimalField(
        label=_("过程考核权重（%）"), min_value=0, max_value=100, initial=0, decimal_places=2
    )
    annual_weight = forms.DecimalField(
        label=_("年度考核权重（%）"), min_value=0, max_value=100, initial=100, decimal_places=2
    )
    base_subsidy = forms.DecimalField(
        label=_("补助标准（元/单位）"),
        required=False,
        min_value=0,
        decimal_places=2,
        help_text=_("按等次比例计算补助金额；不发补助可留空。"),
    )

    def clean(self):
        data = super().clean()  # the dates' order is checked there
        p, a = data.get("process_weight"), data.get("annual_weight")
        if p is not None and a is not None and p + a != 100:
            raise forms.ValidationError(_("过程考核与年度考核的权重之和应为 100%。"))
        return data


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("原因"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        error_messages={
            "required": _("请填写原因。"),
            "max_length": _("原因最多 %(limit_value)d 个字（现为 %(show_value)d 个）。"),
        },
    )


class ExtensionForm(forms.Form):
    """A later deadline for one side of one sheet (the sides it may still have)."""

    side = forms.ChoiceField(label=_("延长哪一项"))
    new_date = forms.DateField(
        label=_("延至"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": _("请填写延至的日期。"),
            "invalid": _("请填写日期，例如 2026-12-31。"),
        },
    )
    reason = forms.CharField(
        label=_("延期原因（必填，会记录并告知相关人员）"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        error_messages={
            "required": _("请填写延期原因。"),
            "max_length": _("原因最多 %(limit_value)d 个字（现为 %(show_value)d 个）。"),
        },
    )

    def __init__(self, data=None, *, sheet, sides):
        super().__init__(data)
        self.sheet = sheet
        self.fields["side"].choices = [(s, deadlines.DEADLINE_LABELS[s]) for s in sides]
        if len(sides) == 1:
            self.fields["side"].initial = sides[0]

    def clean(self):
        data = super().clean()
        side, new = data.get("side"), data.get("new_date")
        if side and new:
            current = deadlines.effective_deadline(self.sheet, side)
            if current is not None and new <= current.date:
                self.add_error(
                    "new_date",
                    _("延至的日期应晚于现在的%(label)s日期（%(day)s）。")
                    % {"label": current.label, "day": deadlines.day(current.date)},
                )
            elif new < deadlines.today():
                self.add_error("new_date", _("这个日期已经过去。"))
        return data


class SheetFilterForm(forms.Form):
    """The filters of a list of sheets (GET): a field with a value that is not one of its
    choices is left out, so a tampered address shows the unfiltered list, never an error."""

    town = forms.TypedChoiceField(
        label=_("镇（街道）"), required=False, coerce=int, empty_value=None
    )
    state = forms.ChoiceField(label=_("状态"), required=False)
    name = forms.CharField(label=_("单位名称"), required=False, max_length=50)

    def __init__(self, data, *, towns, states=True):
        super().__init__(data)
        self.fields["town"].choices = [("", _("全部"))] + [(t["id"], t["name"]) for t in towns]
        if states:
            from assessments.models import Assessment

            self.fields["state"].choices = [("", _("全部")), *Assessment.State.choices]
        else:
            del self.fields["state"]

    def values(self) -> dict:
        """The valid filters given: {field: value}, blanks left out."""
        self.is_valid()
        cleaned = getattr(self, "cleaned_data", {})
        return {k: v for k, v in cleaned.items() if v not in (None, "")}
