from django import forms
from django.utils.translation import gettext_lazy as _


class UnitForm(forms.Form):
    name = forms.CharField(label=_("名称"), max_length=100)
    active = forms.BooleanField(label=_("在用"), required=False)
    aliases = forms.CharField(
        label=_("别名"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("每行一个。导入表格时，这些名称也会被识别为本单位。"),
    )

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError(_("名称不能为空。"))
        return name

    def alias_list(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["aliases"].splitlines() if line.strip()]
