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


class TargetUploadForm(forms.Form):
    MODE_CHOICES = [("targets", _("目标任务")), ("actuals", _("完成数"))]
    ORIENTATION_CHOICES = [
        ("", _("自动识别")),
        ("rows", _("单位为行（每行一个单位）")),
        ("columns", _("单位为列（每列一个单位）")),
    ]

    file = forms.FileField(
        label=_("表格文件"), help_text=_("支持 .xlsx、.xls、.ods 和 .csv（UTF-8 或 GBK 编码）。")
    )
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    mode = forms.ChoiceField(label=_("导入内容"), choices=MODE_CHOICES, initial="targets")
    create_units = forms.BooleanField(
        label=_("表中不认识的单位新建"),
        required=False,
        help_text=_("不勾选时，不认识的单位名称会报错，并列出最接近的已有单位。"),
    )
    orientation = forms.ChoiceField(
        label=_("表格方向"), choices=ORIENTATION_CHOICES, required=False
    )
    sheet = forms.CharField(
        label=_("工作表"),
        required=False,
        max_length=100,
        help_text=_("留空导入所有有数值的工作表。"),
    )
    as_of = forms.DateField(
        label=_("完成数截至日期"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("只用于导入完成数；留空为今天。"),
    )

    def __init__(self, *args, max_bytes: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.max_bytes = max_bytes

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > self.max_bytes:
            raise forms.ValidationError(
                _("文件「%(name)s」大小为 %(size).1f MB，超过导入上限 %(limit).1f MB。")
                % {
                    "name": upload.name,
                    "size": upload.size / 1024 / 1024,
                    "limit": self.max_bytes / 1024 / 1024,
                }
            )
        return upload


class ActualsForm(forms.Form):
    """One actual (and its 其中 part when the indicator has one) per unit of a town."""

    as_of = forms.DateField(
        label=_("截至日期"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    def __init__(self, *args, units, with_sub: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.units = units
        self.with_sub = with_sub
        for unit in units:
            self.fields[f"actual_{unit.pk}"] = self._number(unit.name)
            if with_sub:
                self.fields[f"sub_{unit.pk}"] = self._number(unit.name)

    @staticmethod
    def _number(name):
        return forms.DecimalField(
            label=name,
            required=False,
            min_value=0,
            max_digits=14,
            decimal_places=4,
            localize=False,
            widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
            error_messages={
                "invalid": _("「%(name)s」：请输入数字。") % {"name": name},
                "min_value": _("「%(name)s」：不能为负数。") % {"name": name},
            },
        )

    def clean(self):
        cleaned = super().clean()
        if self.with_sub:
            for unit in self.units:
                if (
                    cleaned.get(f"sub_{unit.pk}") is not None
                    and cleaned.get(f"actual_{unit.pk}") is None
                ):
                    self.add_error(
                        f"sub_{unit.pk}",
                        _("「%(name)s」：填了其中数，也要填完成数。") % {"name": unit.name},
                    )
        return cleaned

    def entries(self) -> dict:
        out = {}
        for unit in self.units:
            actual = self.cleaned_data.get(f"actual_{unit.pk}")
            if actual is not None:
                sub = self.cleaned_data.get(f"sub_{unit.pk}") if self.with_sub else None
                out[unit] = (actual, sub)
        return out

    def rows(self):
        for unit in self.units:
            yield (
                unit,
                self[f"actual_{unit.pk}"],
                (self[f"sub_{unit.pk}"] if self.with_sub else None),
            )
