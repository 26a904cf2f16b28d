"""The upload form of 「从文件导入评分标准」."""

from django import forms
from django.utils.translation import gettext_lazy as _

from rubrics.document.cells import MAX_BYTES, MB


class DocumentUploadForm(forms.Form):
    title = forms.CharField(
        label=_("评分标准名称"),
        max_length=200,
        required=False,
        help_text=_("不填则用文件名。"),
    )
    file = forms.FileField(
        label=_("评分表文件（.docx 或 .xlsx）"),
        required=False,
        help_text=_("Word 或 Excel 里的评分表，不超过 %(mb)s MB。") % {"mb": MAX_BYTES // MB},
    )
    text = forms.CharField(
        label=_("或粘贴表格文字"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("从 PDF 复制的评分表，每个单元格一行；须包括表头（序号、分值、评分办法等）。"),
    )

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload is None:
            return None
        name = upload.name.lower()
        if not (name.endswith(".docx") or name.endswith(".xlsx")):
            raise forms.ValidationError(
                _("文件「%(name)s」不是 .docx 或 .xlsx；旧版 .doc/.xls 请另存为新格式再上传。")
                % {"name": upload.name}
            )
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(
                _("文件「%(name)s」超过 %(mb)s MB。") % {"name": upload.name, "mb": MAX_BYTES // MB}
            )
        return upload

    def clean_text(self):
        text = self.cleaned_data.get("text", "")
        if len(text.encode("utf-8")) > MAX_BYTES:
            raise forms.ValidationError(_("粘贴的内容超过 %(mb)s MB。") % {"mb": MAX_BYTES // MB})
        return text

    def clean(self):
        data = super().clean()
        if not self.errors and not data.get("file") and not data.get("text", "").strip():
            raise forms.ValidationError(_("请选择评分表文件，或粘贴表格文字。"))
        return data
