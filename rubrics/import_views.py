"""「从文件导入评分标准」: upload the office's table → review every item and its suggested
rule kind → a draft rubric, then its editor page. Administrators only (rubrics.policy)."""

from decimal import Decimal, InvalidOperation
from pathlib import PurePath

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from kit.imports.uploads import drop_pending, load_pending, save_pending
from rubrics.document import DocumentError, suggest
from rubrics.document.reading import read_document
from rubrics.engine.rules.registry import KINDS
from rubrics.import_forms import DocumentUploadForm
from rubrics.policy import require_rubric_importer
from rubrics.services import RubricImportError, rubric_draft_from_document

UPLOAD_KIND = "rubric_document"


@login_required
@require_http_methods(["GET", "POST"])
def rubric_import(request):
    require_rubric_importer(request.user)
    form = DocumentUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data.get("file")
        if upload is not None:
            data, name = upload.read(), upload.name
            fmt = "docx" if name.lower().endswith(".docx") else "xlsx"
        else:
            data, name, fmt = form.cleaned_data["text"].encode("utf-8"), "粘贴的表格", "text"
        field = "file" if upload is not None else "text"
        try:
            table = read_document(data, fmt, name)
        except DocumentError as error:
            form.add_error(field, str(error))
        else:
            if not table.items:
                for problem in table.problems:
                    form.add_error(field, problem)
            else:
                title = form.cleaned_data["title"].strip() or PurePath(name).stem
                token = save_pending(
                    data=data,
                    file_name=name,
                    options={"kind": UPLOAD_KIND, "format": fmt, "title": title},
                    user=request.user,
                )
                return redirect("rubrics:import_review", token=token)
    return render(request, "rubrics/import/upload.html", {"form": form})


def _shown_params(kind_name: str, params: dict) -> list[str]:
    """The parameters in the kind's Chinese words (never its keys)."""
    kind = KINDS.get(kind_name)
    if kind is None:
        return []
    out = []
    for param in kind.params:
        value = params.get(param.name)
        if value in (None, "", []):
            continue
        if param.type == "rows":
            parts = []
            points_label = next((c.label for c in param.columns if c.name == "points"), "分值")
            for row in value:
                label = row.get("label") or row.get("key", "")
                points = row.get("points")
                parts.append(f"{label}（{points_label} {points}）" if points is not None else label)
            out.append(f"{param.label}：{'、'.join(parts)}")
        elif param.type == "bool":
            out.append(f"{param.label}：{'是' if value else '否'}")
        else:
            out.append(f"{param.label}：{value}")
    return out


def _example_params(kind_name: str) -> dict:
    """Parameters for a kind chosen instead of the suggestion: the examples of its required
    parameters (the editor page is where they are set)."""
    params = {}
    for param in KINDS[kind_name].params:
        if not param.required:
            continue
        if param.type == "rows":
            params[param.name] = [
                {c.name: c.example for c in param.columns if c.example is not None}
            ]
        elif param.example is not None:
            params[param.name] = param.example
    return params


def _rows(table):
    """One entry per item: the item, its suggestion, the rule text around its words."""
    rows = []
    for index, item in enumerate(table.items):
        found = suggest(item.rule_text, item.points)
        before = words = after = ""
        if found and found.words and found.words in item.rule_text.replace(" ", ""):
            text = item.rule_text
            at = text.find(found.words)
            if at >= 0:
                before, words, after = text[:at], found.words, text[at + len(found.words) :]
        rows.append(
            {
                "index": index,
                "item": item,
                "suggestion": found,
                "kind_label": KINDS[found.kind].label if found else "",
                "params_shown": _shown_params(found.kind, found.params) if found else [],
                "before": before if words else item.rule_text,
                "words": words,
                "after": after,
            }
        )
    return rows


@login_required
@require_http_methods(["GET", "POST"])
def rubric_import_review(request, token):
    require_rubric_importer(request.user)
    data, meta = load_pending(token, request.user)
    options = meta.get("options", {})
    if options.get("kind") != UPLOAD_KIND:
        raise Http404(_("没有找到这次评分表的上传，请重新上传。"))
    try:
        table = read_document(data, options["format"], meta["file_name"])
    except DocumentError as error:
        raise Http404(str(error)) from None
    rows = _rows(table)
    errors: dict[int, str] = {}
    general: list[str] = []
    if request.method == "POST":
        choices = []
        for row in rows:
            index, item, found = row["index"], row["item"], row["suggestion"]
            kind = request.POST.get(f"kind_{index}", "")
            label = f"第 {index + 1} 项「{(item.title or item.rule_text)[:20]}」"
            if kind not in KINDS:
                errors[index] = _("%(item)s还没有选择计分方式。") % {"item": label}
                continue
            points = item.points
            if points is None:
                try:
                    points = Decimal(request.POST.get(f"points_{index}", "").strip())
                except InvalidOperation:
                    errors[index] = _("%(item)s的分值须是数字。") % {"item": label}
                    continue
            params = found.params if found and found.kind == kind else _example_params(kind)
            choices.append({"kind": kind, "params": params, "points": points})
        if not errors:
            try:
                rubric = rubric_draft_from_document(
                    title=options.get("title") or meta["file_name"], table=table, choices=choices
                )
            except RubricImportError as error:
                general = error.errors
            else:
                drop_pending(token)
                messages.success(
                    request,
                    _(
                        "已从「%(file)s」建立评分标准草稿「%(title)s」：%(s)s 个部分、%(n)s 项；"
                        "等次暂为「合格 60 分以上」，请在本页核对参数和等次。"
                    )
                    % {
                        "file": meta["file_name"],
                        "title": rubric.title,
                        "s": len(table.sections),
                        "n": len(table.items),
                    },
                )
                return redirect("rubrics:edit", rubric.pk)
    for row in rows:
        row["error"] = errors.get(row["index"], "")
        row["chosen"] = (
            request.POST.get(f"kind_{row['index']}")
            if request.method == "POST"
            else (row["suggestion"].kind if row["suggestion"] else "")
        )
    sections, at = [], 0
    for section in table.sections:
        sections.append({"section": section, "rows": rows[at : at + len(section.items)]})
        at += len(section.items)
    matched = sum(1 for row in rows if row["suggestion"])
    context = {
        "title": options.get("title", ""),
        "file_name": meta["file_name"],
        "sections": sections,
        "header": table.header,
        "problems": table.problems,
        "general_errors": general,
        "kinds": [(name, kind.label) for name, kind in KINDS.items()],
        "item_count": len(rows),
        "matched": matched,
    }
    return render(request, "rubrics/import/review.html", context)
