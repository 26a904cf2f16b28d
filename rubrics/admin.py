import json

from django import forms
from django.contrib import admin, messages
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from rubrics import engine
from rubrics.convert import engine_rubric
from rubrics.engine.loader import ITEM_FIELDS, plain
from rubrics.models import GradeBand, Item, Rubric, Section
from rubrics.policy import may_change_rubric
from rubrics.services import rubric_new_version
from rubrics.trial import rubric_trial


def item_errors(item_data: dict) -> list[str]:
    """Check one item's kind and parameters with the engine's own loader."""
    probe = {
        "code": "probe",
        "version": 1,
        "title": "probe",
        "subject": "unit",
        "grades": [{"label": "合格", "min": "0", "subsidy_percent": "0"}],
        "fallback_grade": {"label": "不合格", "subsidy_percent": "0"},
        "veto_grade": "不合格",
        "sections": [{"key": "s", "title": "s", "declared_points": None, "items": [item_data]}],
    }
    try:
        engine.rubric_from_dict(probe)
    except engine.RubricFormatError as exc:
        return list(exc.errors)
    return []


TYPE_WORDS = {
    "number": "数字",
    "int": "整数",
    "bool": "true/false",
    "text": "文字",
    "choice": "选项",
    "rows": "列表",
}


def _param_line(param) -> str:
    word = TYPE_WORDS[param.type]
    if param.choices:
        word += "：" + "/".join(param.choices)
    if param.columns:
        word += "，每条含 " + "、".join(c.name for c in param.columns)
    if param.required:
        word += "，必填"
    elif param.default is not None:
        word += f"，默认 {plain(param.default)}"
    return f"{param.name}（{param.label}，{word}）：{param.help}"


def params_help(kind_name: str) -> str:
    """The parameters of a rule kind as the rubric form explains them, from its schema."""
    kind = engine.KINDS.get(kind_name)
    if kind is None:
        return _("先选择计分方式，保存后这里列出它的参数。")
    if not kind.params:
        return _("「%(k)s」没有参数。") % {"k": kind.label}
    lines = [_param_line(p) for p in kind.params]
    example = {p.name: p.example for p in kind.params if p.example is not None}
    if example:
        lines.append("示例：" + json.dumps(plain(example), ensure_ascii=False))
    return f"「{kind.label}」的参数：" + "；".join(lines)


class ItemForm(forms.ModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        kind = self.initial.get("kind") or getattr(self.instance, "kind", "")
        self.fields["params"].help_text = params_help(kind)

    class Meta:
        model = Item
        fields = ["section", "order", *ITEM_FIELDS]
        widgets = {
            "requirement": forms.Textarea(attrs={"rows": 2, "cols": 40}),
            "rule_text": forms.Textarea(attrs={"rows": 2, "cols": 40}),
            "params": forms.Textarea(attrs={"rows": 2, "cols": 40}),
        }

    def clean(self):
        data = super().clean()
        if not data.get("kind") or data.get("max_points") is None:
            return data
        # The engine's loader checks the item exactly as a rubric file would be checked.
        item = {name: data.get(name) for name in ITEM_FIELDS}
        item.update(
            key=item["key"] or "?",
            title=item["title"] or "?",
            max_points=str(data["max_points"]),
            params=item["params"] or {},
            number=item["number"] or "",
            indicator=item["indicator"] or None,
        )
        errors = item_errors(item)
        for error in errors:
            self.add_error("params", error.split("：", 1)[-1])
        return data


class GradeBandInline(admin.TabularInline):
    model = GradeBand
    extra = 0


class SectionInline(admin.TabularInline):
    model = Section
    extra = 0


class ItemInline(admin.StackedInline):
    model = Item
    form = ItemForm
    extra = 0
    fk_name = "rubric"
    fields = (
        ("section", "order", "key", "number"),
        ("title", "max_points", "kind", "na_policy"),
        ("bonus", "penalty", "indicator"),
        "requirement",
        "rule_text",
        "params",
    )

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "section":
            rubric_id = request.resolver_match.kwargs.get("object_id")
            kwargs["queryset"] = Section.objects.filter(rubric_id=rubric_id)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class RubricForm(forms.ModelForm):
    """The rubric's own fields; the admin gives it the model and every field."""

    def clean_quota_tie_break(self):
        """The tie rule as the file format reads it: base_total or section:<key>."""
        value = self.cleaned_data.get("quota_tie_break") or []
        if not isinstance(value, list) or not all(isinstance(x, str) for x in value):
            raise forms.ValidationError(_('请填写列表，如 ["section:s3", "base_total"]。'))
        keys = (
            set(self.instance.sections.values_list("key", flat=True)) if self.instance.pk else set()
        )
        for entry in value:
            if entry == "base_total" or (entry.startswith("section:") and entry[8:] in keys):
                continue
            raise forms.ValidationError(
                _("「%(entry)s」不可识别：应为 base_total 或 section:<本表的部分代码>。")
                % {"entry": entry}
            )
        return value


@admin.register(Rubric)
class RubricAdmin(admin.ModelAdmin):
    form = RubricForm
    list_display = ("title", "code", "version", "subject", "frozen", "item_count")
    list_filter = ("subject", "frozen")
    search_fields = ("title", "code")
    inlines = [GradeBandInline, SectionInline, ItemInline]
    actions = ["make_new_version"]
    readonly_fields = ("frozen",)

    @admin.display(description=_("细则数"))
    def item_count(self, obj):
        return obj.items.count()

    def has_change_permission(self, request, obj=None):
        # A frozen version is read-only; the action below makes the next, editable one.
        if obj is not None and not may_change_rubric(obj):
            return False
        return super().has_change_permission(request, obj)

    @admin.action(description=_("基于所选评分标准创建新版本"))
    def make_new_version(self, request, queryset):
        for rubric in queryset:
            new = rubric_new_version(rubric=rubric)
            self.message_user(
                request, _("已创建「%(t)s」第 %(v)d 版。") % {"t": new.title, "v": new.version}
            )

    def get_urls(self):
        return [
            path(
                "<int:pk>/trial/",
                self.admin_site.admin_view(self.trial_view),
                name="rubrics_rubric_trial",
            ),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = extra_context or {}
        rubric = self.get_object(request, object_id)
        if rubric is not None:
            extra_context["findings"] = _findings(rubric)
            extra_context["trial_url"] = reverse("admin:rubrics_rubric_trial", args=[rubric.pk])
        return super().change_view(request, object_id, form_url, extra_context)

    def trial_view(self, request, pk):
        """试算: enter sample inputs, see the explained result. Nothing is stored."""
        rubric = get_object_or_404(Rubric, pk=pk)
        if not self.has_view_permission(request, rubric):
            return redirect("admin:index")
        # Blank on first opening here (the admin's trial is entered by hand).
        trial = rubric_trial(rubric, request.POST if request.method == "POST" else {})
        if trial.format_errors:
            for error in trial.format_errors:
                messages.error(request, error)
            return redirect("admin:rubrics_rubric_change", rubric.pk)
        result = trial.result if request.method == "POST" else None
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "rubric": rubric,
            "rows": trial.rows,
            "result": result,
            "results_by_key": trial.results_by_key if result else {},
            "errors": trial.errors if request.method == "POST" else [],
            "posted": request.POST,
            "title": _("试算：%(t)s") % {"t": rubric.title},
        }
        return TemplateResponse(request, "admin/rubrics/rubric/trial.html", context)


def _findings(rubric):
    try:
        return engine.validate(engine_rubric(rubric))
    except engine.RubricFormatError as exc:
        return [engine.Finding("error", "评分标准", e) for e in exc.errors]
