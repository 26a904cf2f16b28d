from django import forms
from django.utils.translation import gettext_lazy as _

from audit.events import Event, Outcome
from audit.selectors import LogFilter


class LogFilterForm(forms.Form):
    """The filters of the security log page; its export uses the same."""

    start = forms.DateField(
        label=_("开始日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label=_("结束日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    username = forms.CharField(label=_("用户"), required=False, max_length=150)
    event = forms.ChoiceField(
        label=_("事件"), required=False, choices=[("", _("全部事件")), *Event.choices]
    )
    outcome = forms.ChoiceField(
        label=_("结果"), required=False, choices=[("", _("全部结果")), *Outcome.choices]
    )
    address = forms.CharField(
        label=_("地址"),
        required=False,
        max_length=45,
        help_text=_("完整地址，或其开头部分（如 10.2.）。"),
    )

    def clean_address(self):
        value = self.cleaned_data["address"].strip()
        if value and not all(c in "0123456789abcdefABCDEF.:" for c in value):
            raise forms.ValidationError(_("地址只能包含数字、字母 a–f、点和冒号。"))
        return value

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", _("结束日期早于开始日期。"))
        return data

    def log_filter(self) -> LogFilter | None:
        """The filter to apply: no filter for an empty form, None for an invalid one (its
        errors are shown instead of rows)."""
        if not self.is_bound:
            return LogFilter()
        if not self.is_valid():
            return None
        d = self.cleaned_data
        return LogFilter(
            start=d.get("start"),
            end=d.get("end"),
            username=(d.get("username") or "").strip(),
            event=d.get("event") or "",
            outcome=d.get("outcome") or "",
            address=d.get("address") or "",
        )
