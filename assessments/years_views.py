"""Year-over-year pages: a unit's (and a town's units') results across cycles, and a
cycle's results against the previous cycle; and the panel the unit page shows."""

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from assessments import years
from assessments.policy import (
    get_results_cycle_for_user,
    get_unit_years_for_user,
    may_see_results,
    may_see_unit_years,
    sees_unpublished_results,
)
from assessments.selectors import results_for
from kit import charts
from kit.page_panels import PagePanel
from org.scope import scope_for

COMPARED_PER_PAGE = 100
MOVE_LABELS = {
    "changed": gettext_lazy("等次有升降"),
    "up": gettext_lazy("升等"),
    "down": gettext_lazy("降等"),
    "same": gettext_lazy("等次不变"),
    "all": gettext_lazy("全部"),
}


def unit_chart(history: years.UnitHistory) -> charts.Chart:
    return charts.two_axis_line_chart(
        "years-unit",
        _("%(unit)s 历年总分与名次") % {"unit": history.unit.name},
        [r.label for r in history.rows],
        (_("总分"), [r.total for r in history.rows]),
        (_("名次"), [r.rank for r in history.rows]),
        right_inverse=True,
        right_max=max((r.ranked for r in history.rows), default=None) or None,
        note=_("名次轴第 1 名在上，到参加排名的单位数为止。"),
    )


def town_chart(town: years.TownHistory) -> charts.Chart:
    return charts.line_chart(
        "years-town",
        _("%(town)s下辖单位历年平均总分") % {"town": town.town.name},
        town.labels,
        [(_("平均总分"), town.means)],
    )


def _years_context(user, unit, *, sections: bool) -> dict:
    history = years.unit_history(user, unit, sections=sections)
    town = years.town_history(user, unit) if unit.is_town_level else None
    return {
        "unit": unit,
        "history": history,
        "unit_chart": unit_chart(history) if history.rows else None,
        "town": town if town is not None and town.rows else None,
        "town_chart": town_chart(town) if town is not None and town.rows else None,
        "sees_unpublished": sees_unpublished_results(scope_for(user)),
    }


@login_required
@require_GET
def unit_years(request, pk):
    """A unit's totals, grades and ranks in every cycle it was in, its sections side by
    side across versions of one rubric, what changed most; for a town, its units too."""
    unit, can = get_unit_years_for_user(request.user, pk)
    context = _years_context(request.user, unit, sections=True)
    context["can"] = can
    return render(request, "assessments/years.html", context)


def unit_panel(*, user, unit) -> PagePanel | None:
    """The year-over-year panel of the unit page (targets): the charts and tables without
    the section tables, which the full page holds. None when there is nothing to show."""
    if not may_see_unit_years(scope_for(user), unit):
        return None
    context = _years_context(user, unit, sections=False)
    if not context["history"].rows and context["town"] is None:
        return None
    return PagePanel("assessments/years_panel.html", context, charts=True)


@login_required
@require_GET
def results_compare(request, pk):
    """The cycle's results against the previous cycle's: the units that moved up or down a
    grade, their rank change, with counts; a page of rows at a time, sliced in SQL."""
    cycle, _can = get_results_cycle_for_user(request.user, pk)
    by_unit = years.scores_units(cycle)
    previous = years.previous_cycle(cycle) if by_unit else None
    context = {"cycle": cycle, "previous": previous, "moves": MOVE_LABELS}
    scope = scope_for(request.user)
    if not by_unit:
        context["refusal"] = _("本周期考核协理员；与上一周期的比较只用于考核单位的周期。")
    elif previous is None:
        context["refusal"] = _(
            "没有可比较的上一周期：没有更早年度、考核同类对象、已开始审核并考核过本周期单位的考核周期。"
        )
    elif not may_see_results(scope, previous):
        context["refusal"] = _("上一周期「%(title)s」的结果尚未公布。") % {"title": previous.title}
    elif not years.comparable(previous, cycle):
        context["refusal"] = _(
            "上一周期「%(title)s」使用的评分标准「%(old)s」与本周期的「%(new)s」不是同一标准或其版本，"
            "等次不作比较。"
        ) % {"title": previous.title, "old": previous.rubric.title, "new": cycle.rubric.title}
    else:
        move = request.GET.get("move", "changed")
        if move not in years.MOVES:
            move = "changed"
        levels = years.grade_levels(cycle.rubric)
        now = results_for(request.user, cycle)
        rows = years.compared_rows(now, previous, levels)
        page = Paginator(rows.filter(years.MOVES[move]), COMPARED_PER_PAGE).get_page(
            request.GET.get("page")
        )
        for r in page.object_list:
            r.moves = {
                "rank": years.Move(r.prev_rank - r.rank),
                "grade": years.Move(r.prev_level - r.level),
            }
        new, left = years.only_in_one(now, results_for(request.user, previous))
        counts = years.move_counts(rows)
        context.update(
            move=move,
            move_label=MOVE_LABELS[move],
            page=page,
            rows=page.object_list,
            page_query=urlencode({"move": move}),
            counts=counts,
            compared=counts["up"] + counts["down"] + counts["same"],
            new=new,
            left=left,
            same_rubric=previous.rubric_id == cycle.rubric_id,
            tabs=[
                (
                    key,
                    label,
                    reverse("assessments:results_compare", args=[cycle.pk]) + "?move=" + key,
                )
                for key, label in MOVE_LABELS.items()
            ],
        )
    return render(request, "assessments/compare.html", context)
