from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from kit import page_panels
from targets.forms import UnitForm
from targets.policy import get_unit_for_user
from targets.selectors import unit_tree_page
from targets.services import unit_update


@login_required
@require_GET
def unit_list(request):
    page, tree = unit_tree_page(request.user, request.GET.get("page"))
    return render(request, "targets/unit_list.html", {"tree": tree, "page": page, "query": ""})


@login_required
@require_GET
def unit_detail(request, pk):
    unit, can = get_unit_for_user(request.user, pk)
    children = list(unit.children.filter(active=True)) if unit.is_town_level else []
    context = {
        "unit": unit,
        "can": can,
        "children": children,
        "aliases": list(unit.aliases.all()),
        # What the apps above add to a unit's page (its results across the years).
        "panels": page_panels.panels_for("unit_detail", user=request.user, unit=unit),
    }
    context["panel_charts"] = any(p.charts for p in context["panels"])
    return render(request, "targets/unit_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def unit_edit(request, pk):
    unit, _can = get_unit_for_user(request.user, pk, write=True)
    if request.method == "POST":
        form = UnitForm(request.POST)
        if form.is_valid():
            try:
                unit_update(
                    unit=unit,
                    name=form.cleaned_data["name"],
                    active=form.cleaned_data["active"],
                    aliases=form.alias_list(),
                )
            except ValidationError as exc:
                for message in exc.messages:
                    form.add_error(None, message)
            else:
                messages.success(request, _("已保存单位「%(name)s」。") % {"name": unit.name})
                return redirect("targets:unit_detail", pk=unit.pk)
    else:
        form = UnitForm(
            initial={
                "name": unit.name,
                "active": unit.active,
                "aliases": "\n".join(a.name for a in unit.aliases.all()),
            }
        )
    return render(request, "targets/unit_edit.html", {"unit": unit, "form": form})
