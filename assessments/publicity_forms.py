"""The forms of 公布, 异议 and their answers."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assessments.models import Cycle
from assessments.objections import REASON_LONGEST


def _date_field(label, **kwargs):
    return forms.DateField(
        label=label,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": _("请填写%(label)s。") % {"label": label},
            "invalid": _("请填写有效的日期，例如 2026-03-01。"),
        },
        **kwargs,
    )


class PublishForm(forms.Form):
    start = _date_field(
        _("公示开始日期"), help_text=_("默认今天；可以定在以后，到那天才开始公示。")
    )
    end = _date_field(
        _("公示截止日期"), help_text=_("这一天结束后，公示期满，没有待答复的异议时结果终结。")
    )
    scope = forms.ChoiceField(
        label=_("公示范围"),
        choices=Cycle.PublicityScope.choices,
        widget=forms.RadioSelect,
        initial=Cycle.PublicityScope.TOWN,
        error_messages={"required": _("请选择公示范围。"), "invalid_choice": _("请选择公示范围。")},
    )

    def __init__(self, *args, cycle: Cycle, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "start": timezone.localdate(),
                "end": cycle.publicity_end,
                "scope": cycle.publicity_scope,
            },
        )
        super().__init__(*args, **kwargs)


class ObjectionForm(forms.Form):
    reason = forms.CharField(
        label=_("异议理由"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=REASON_LONGEST,
        help_text=_("写明对哪一项、哪一个分数有异议，为什么。"),
        error_messages={
            "required": _("请写明异议理由：对哪一项、哪一个分数有异议，为什么。"),
            "max_length": _("异议理由最多 %(limit_value)d 个字（现为 %(show_value)d 个）。"),
        },
    )
    evidence = forms.FileField(label=_("证明材料（可选）"), required=False)


class AnswerForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("答复结论"),
        choices=[("uphold", _("异议成立")), ("reject", _("异议不成立"))],
        widget=forms.RadioSelect,
        error_messages={
            "required": _("请选择「异议成立」或「异议不成立」。"),
            "invalid_choice": _("请选择「异议成立」或「异议不成立」。"),
        },
    )
    answer = forms.CharField(
        label=_("答复"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=REASON_LONGEST,
        help_text=_("协理员会看到这段答复。"),
        error_messages={
            "required": _("请填写答复：协理员会看到它。"),
            "max_length": _("答复最多 %(limit_value)d 个字（现为 %(show_value)d 个）。"),
        },
    )
