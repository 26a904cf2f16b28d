"""One item of a rubric on its own form: its place, texts and points, and its rule: a kind
from the Chinese list and that kind's parameter fields (``editor_params``), with a sentence
saying what the rule will do."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from rubrics import services
from rubrics.editor_forms import ItemForm, item_initial
from rubrics.editor_params import KindParams, every_kind
from rubrics.engine.rounding import NumberError, to_decimal
from rubrics.engine.rules import KINDS
from rubrics.policy import get_rubric_for_user


@login_required
@require_http_methods(["GET", "POST"])
def item_add(request, pk, section_pk):
    rubric, can = get_rubric_for_user(request.user, pk, write=request.method == "POST")
    section = get_object_or_404(rubric.sections, pk=section_pk)
    return _item_page(request, rubric, can, item=None, initial={"section": str(section.pk)})


@login_required
@require_http_methods(["GET", "POST"])
def item_edit(request, pk, item_pk):
    rubric, can = get_rubric_for_user(request.user, pk, write=request.method == "POST")
    item = get_object_or_404(rubric.items.select_related("section"), pk=item_pk)
    return _item_page(request, rubric, can, item=item, initial=item_initial(item))


def _item_page(request, rubric, can, *, item, initial):
    stored = item.params if item is not None else None
    if request.method == "POST" and request.POST.get("refresh"):
        # 「更新分项」 (the page without script): redraw with the parts' chosen kinds' fields,
        # keeping what was typed; nothing is checked or saved.
        form = ItemForm(initial=request.POST.dict(), rubric=rubric)
        chosen = request.POST.get("kind", "")
        blocks = every_kind(data=request.POST, kind=chosen, params=stored)
        try:
            points = to_decimal(request.POST.get("max_points") or "", what="分值")
        except NumberError:
            points = None
        return _render(request, rubric, can, item, form, blocks, chosen, points)
    if request.method == "POST":
        form = ItemForm(request.POST, rubric=rubric)
        chosen = request.POST.get("kind", "")
        blocks = every_kind(data=request.POST, kind=chosen, params=stored)
        valid = form.is_valid()
        block = next((b for b in blocks if b.kind.name == chosen), None)
        points = form.cleaned_data.get("max_points") if valid else None
        if block is not None and not block.clean(points):
            valid = False
        if valid:
            data = form.cleaned_data
            section = rubric.sections.filter(pk=data["section"] or 0).first()
            values = {
                name: data[name] for name in services.EDITABLE_ITEM_FIELDS if name != "params"
            }
            values["params"] = block.cleaned
            try:
                saved = services.item_save(
                    rubric=rubric,
                    item=item,
                    section=None if data["new_section"] else section,
                    new_section=data["new_section"],
                    values=values,
                )
            except services.RubricFrozenError as exc:
                messages.error(request, exc.message)
                return redirect("rubrics:edit", rubric.pk)
            messages.success(
                request,
                _("已保存评分细则「%(t)s」（%(k)s）：%(d)s。")
                % {
                    "t": saved,
                    "k": KINDS[saved.kind].label,
                    "d": KINDS[saved.kind].describe(saved.params, saved.max_points),
                },
            )
            if request.POST.get("then") == "another":
                return redirect("rubrics:item_add", rubric.pk, saved.section_id)
            return redirect(reverse("rubrics:edit", args=[rubric.pk]) + f"#item-{saved.pk}")
    else:
        form = ItemForm(initial=initial, rubric=rubric)
        chosen = initial.get("kind", "")
        blocks = every_kind(kind=chosen, params=stored)
    points = item.max_points if item is not None else None
    if request.method == "POST" and form.is_valid():
        points = form.cleaned_data.get("max_points")
    return _render(request, rubric, can, item, form, blocks, chosen, points)


def _render(request, rubric, can, item, form, blocks, chosen, points):
    sentences = [(b, b.sentence(points)) for b in blocks]
    context = {
        "rubric": rubric,
        "can": can,
        "item": item,
        "form": form,
        "blocks": sentences,
        "chosen": chosen,
    }
    return render(request, "rubrics/editor/item.html", context)


@login_required
@require_http_methods(["GET"])
def item_describe(request, pk):
    """What the rule on the item form will do, for the form's live sentence: the form's
    fields as query parameters → {"sentence": "…"} (unchecked, as typed), and for a composite
    ``"parts": [{"part": <the part's field prefix>, "kind": …, "sentence": …}]``."""
    get_rubric_for_user(request.user, pk)
    kind = KINDS.get(request.GET.get("kind", ""))
    if kind is None:
        return JsonResponse({"sentence": ""})
    try:
        points = to_decimal(request.GET.get("max_points") or "", what="分值")
    except NumberError:
        points = None
    block = KindParams(kind, data=request.GET)
    answer = {"sentence": block.sentence(points)}
    if parts := block.part_sentences():
        answer["parts"] = parts
    return JsonResponse(answer)
