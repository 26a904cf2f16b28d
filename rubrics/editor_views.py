"""The rubric editor: the list of rubrics, a new rubric, and the editor page that looks like
the official table (sections and items in order) with the rubric's settings beside it.
Administrators only (``rubrics.policy``)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from rubrics import services
from rubrics.editor_forms import (
    BandFormSet,
    RubricCreateForm,
    RubricSettingsForm,
    SectionForm,
    band_initial,
)
from rubrics.engine.rounding import fmt
from rubrics.policy import get_rubric_for_user, require_rubric_author
from rubrics.selectors import editor_table, rubric_list


@login_required
@require_http_methods(["GET"])
def rubric_index(request):
    require_rubric_author(request.user)
    return render(request, "rubrics/editor/list.html", {"rubrics": rubric_list()})


@login_required
@require_http_methods(["GET", "POST"])
def rubric_create(request):
    require_rubric_author(request.user)
    form = RubricCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        rubric = services.rubric_create(
            title=data["title"],
            year=data["year"],
            subject=data["subject"],
            code=data["code"],
            issuer=data["issuer"],
        )
        if data["first_section"]:
            services.section_add(rubric=rubric, title=data["first_section"])
        messages.success(
            request,
            _("已新建评分标准「%(t)s」（代码 %(c)s，第 1 版，草稿）；请逐项添加评分细则。")
            % {"t": rubric.title, "c": rubric.code},
        )
        return redirect("rubrics:edit", rubric.pk)
    return render(request, "rubrics/editor/create.html", {"form": form})


def _editor_page(request, rubric, can, **forms):
    settings_form = forms.get("settings_form") or RubricSettingsForm(rubric=rubric)
    bands = forms.get("bands") or BandFormSet(prefix="band", initial=band_initial(rubric))
    table = editor_table(rubric)
    section_forms = forms.get("section_forms") or {}
    for block in table:
        pk = block.section.pk
        if pk not in section_forms:
            section_forms[pk] = SectionForm(
                prefix=f"s{pk}",
                initial={
                    "title": block.section.title,
                    "declared_points": block.section.declared_points
                    and fmt(block.section.declared_points),
                },
            )
    rows = [(block, section_forms[block.section.pk]) for block in table]
    context = {
        "rubric": rubric,
        "can": can,
        "rows": rows,
        "settings_form": settings_form,
        "bands": bands,
        "new_section": forms.get("new_section") or SectionForm(prefix="new"),
        "item_count": sum(len(block.items) for block in table),
    }
    return render(request, "rubrics/editor/edit.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def rubric_edit(request, pk):
    if request.method == "GET":
        rubric, can = get_rubric_for_user(request.user, pk)
        return _editor_page(request, rubric, can)
    rubric, can = get_rubric_for_user(request.user, pk, write=True)
    action = request.POST.get("action", "")
    handler = ACTIONS.get(action)
    if handler is None:
        messages.error(request, _("没有这个操作，页面未作修改。"))
        return redirect("rubrics:edit", rubric.pk)
    try:
        return handler(request, rubric, can)
    except services.RubricFrozenError as exc:
        messages.error(request, exc.message)
        return redirect("rubrics:edit", rubric.pk)


def _back(rubric, anchor=""):
    return redirect(reverse("rubrics:edit", args=[rubric.pk]) + (f"#{anchor}" if anchor else ""))


def _settings(request, rubric, can):
    form = RubricSettingsForm(request.POST, rubric=rubric)
    bands = BandFormSet(request.POST, prefix="band")
    if form.is_valid() and bands.is_valid():
        form.check_grades([b["label"] for b in bands.bands()])
    if not (form.is_valid() and bands.is_valid()):
        messages.error(request, _("设置未保存：请按标出的位置修改。"))
        return _editor_page(request, rubric, can, settings_form=form, bands=bands)
    services.rubric_settings_save(rubric=rubric, values=form.values(), bands=bands.bands())
    messages.success(
        request, _("已保存「%(t)s」的等次、名额、补助和打印表头。") % {"t": rubric.title}
    )
    return _back(rubric, "settings")


def _section_add(request, rubric, can):
    form = SectionForm(request.POST, prefix="new")
    if not form.is_valid():
        messages.error(request, _("未添加部分：请按标出的位置修改。"))
        return _editor_page(request, rubric, can, new_section=form)
    section = services.section_add(rubric=rubric, **form.cleaned_data)
    messages.success(request, _("已添加部分「%(t)s」。") % {"t": section.title})
    return _back(rubric, f"section-{section.pk}")


def _section_of(request, rubric):
    return get_object_or_404(rubric.sections, pk=request.POST.get("section") or 0)


def _item_of(request, rubric):
    return get_object_or_404(
        rubric.items.select_related("section"), pk=request.POST.get("item") or 0
    )


def _section_save(request, rubric, can):
    section = _section_of(request, rubric)
    form = SectionForm(request.POST, prefix=f"s{section.pk}")
    if not form.is_valid():
        messages.error(request, _("「%(t)s」未保存：请按标出的位置修改。") % {"t": section.title})
        return _editor_page(request, rubric, can, section_forms={section.pk: form})
    services.section_save(section=section, **form.cleaned_data)
    messages.success(request, _("已保存部分「%(t)s」的标题和小计。") % {"t": section.title})
    return _back(rubric, f"section-{section.pk}")


def _moved(request, rubric, moved: bool, what: str, anchor: str):
    if moved:
        messages.success(request, _("已移动「%(w)s」。") % {"w": what})
    else:
        messages.info(request, _("「%(w)s」已在最前或最后，未移动。") % {"w": what})
    return _back(rubric, anchor)


def _section_move(step):
    def handler(request, rubric, can):
        section = _section_of(request, rubric)
        moved = services.section_move(section=section, step=step)
        return _moved(request, rubric, moved, section.title, f"section-{section.pk}")

    return handler


def _item_move(step):
    def handler(request, rubric, can):
        item = _item_of(request, rubric)
        moved = services.item_move(item=item, step=step)
        return _moved(request, rubric, moved, str(item), f"item-{item.pk}")

    return handler


def _confirm(request, rubric, *, what, consequence, fields):
    return render(
        request,
        "rubrics/editor/confirm_delete.html",
        {"rubric": rubric, "what": what, "consequence": consequence, "fields": fields},
    )


def _section_delete(request, rubric, can):
    section = _section_of(request, rubric)
    if request.POST.get("confirm") != "yes":
        n = section.items.count()
        return _confirm(
            request,
            rubric,
            what=_("删除部分「%(t)s」") % {"t": section.title},
            consequence=_("这一部分和其中的 %(n)s 项评分细则将从这份评分标准中删除，不能恢复。")
            % {"n": n},
            fields={"action": "section_delete", "section": section.pk},
        )
    title = section.title
    n = services.section_delete(section=section)
    messages.success(
        request, _("已删除部分「%(t)s」及其 %(n)s 项评分细则。") % {"t": title, "n": n}
    )
    return _back(rubric)


def _item_delete(request, rubric, can):
    item = _item_of(request, rubric)
    if request.POST.get("confirm") != "yes":
        return _confirm(
            request,
            rubric,
            what=_("删除评分细则「%(t)s」") % {"t": item},
            consequence=_("这一项（%(p)s 分）将从「%(s)s」中删除，不能恢复。")
            % {"p": fmt(item.max_points), "s": item.section.title},
            fields={"action": "item_delete", "item": item.pk},
        )
    name = str(item)
    services.item_delete(item=item)
    messages.success(request, _("已删除评分细则「%(t)s」。") % {"t": name})
    return _back(rubric)


ACTIONS = {
    "settings": _settings,
    "section_add": _section_add,
    "section_save": _section_save,
    "section_up": _section_move(-1),
    "section_down": _section_move(1),
    "section_delete": _section_delete,
    "item_up": _item_move(-1),
    "item_down": _item_move(1),
    "item_delete": _item_delete,
}
