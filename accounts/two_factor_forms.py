from django import forms
from django.utils.translation import gettext_lazy as _


class CodeForm(forms.Form):
    """One code: the 6 digits an authenticator shows, or (when verifying) a recovery code."""

    code = forms.CharField(
        label=_("验证码"),
        max_length=32,
        strip=True,
        error_messages={"required": _("请输入验证码。")},
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "text",
                "autofocus": True,
                "spellcheck": "false",
                "autocapitalize": "off",
            }
        ),
    )


class EnrolForm(CodeForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].label = _("身份验证器上显示的 6 位数字")
        self.fields["code"].widget.attrs["inputmode"] = "numeric"
        self.fields["code"].error_messages["required"] = _("请输入身份验证器上显示的 6 位数字。")


class VerifyForm(CodeForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].label = _("6 位验证码或恢复码")
