"""Deadline pages: a cycle's dates, its overdue sheets per town, one sheet's extension."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from assessments import deadline_services, deadlines, overdue
from assessments.forms import CycleDatesForm, ExtensionForm
from assessments.policy import get_cycle_for_user, get_overdue_cycle_for_user, get_sheet_for_user
from assessments.recipients import side_writers
from assessments.services import WorkflowError
from kit.formatting import day

OVERDUE_PAGE_SIZE = 100


@login_required
@require_http_methods(["GET", "POST"])
def cycle_deadlines(request, pk):
    cycle, _can = get_cycle_for_user(request.user, pk, admin=True)
    initial = {k: getattr(cycle, k) for k in deadlines.CYCLE_DATES}
    form = CycleDatesForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            lines = deadline_services.cycle_set_deadlines(
                cycle=cycle, user=request.user, dates=form.dates()
            )
        except WorkflowError as exc:
            form.add_error(None, str(exc))
        else:
            if lines:
                messages.success(
                    request, f"已修改考核周期「{cycle.title}」的日期：{'；'.join(lines)}。"
                )
            else:
                messages.info(request, f"考核周期「{cycle.title}」的日期没有变化。")
            return redirect("assessments:cycle_detail", pk=cycle.pk)
    return render(request, "assessments/cycle_deadlines.html", {"cycle": cycle, "form": form})


@login_required
@require_GET
def overdue_list(request, pk):
    cycle, can = get_overdue_cycle_for_user(request.user, pk)
    today = deadlines.today()
    every_town = overdue.overdue_sheets(request.user, cycle, on=today)
    counts = overdue.town_counts(every_town)
    town = request.GET.get("town", "")
    town = int(town) if town.isascii() and town.isdigit() and len(town) < 10 else None
    if town is not None and town not in {c["town_id"] for c in counts}:
        town = None
    sheets = every_town.filter(town_id=town) if town else every_town
    page = Paginator(sheets, OVERDUE_PAGE_SIZE).get_page(request.GET.get("page"))
    rows = overdue.rows(cycle, page.object_list, on=today)
    groups = []
    for row in rows:
        if not groups or groups[-1][0] != row.town_name:
            groups.append((row.town_name, []))
        groups[-1][1].append(row)
    context = {
        "cycle": cycle,
        "deadline": deadlines.cycle_deadline(cycle, on=today),
        "counts": counts,
        "total": sum(c["n"] for c in counts),
        "town": town,
        "groups": groups,
        "page": page,
        "page_query": f"town={town}" if town else "",
        "extend_allowed": can.administer and not cycle.locked,
        "show_phase": len(cycle.phases) > 1,
        "today": today,
    }
    return render(request, "assessments/overdue.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def deadline_extend(request, pk):
    """Extend one sheet's deadline: the form, then a confirmation that says what will
    happen and who is told, then the extension."""
    sheet, _can = get_sheet_for_user(request.user, pk, action="admin")
    sides = deadlines.extendable_sides(sheet)
    current = {s: deadlines.effective_deadline(sheet, s) for s in sides}
    form = ExtensionForm(request.POST or None, sheet=sheet, sides=sides)
    context = {
        "sheet": sheet,
        "cycle": sheet.cycle,
        "sides": sides,
        "current": list(current.values()),
        "form": form,
        "history": list(sheet.extensions.select_related("by")),
        "confirming": None,
    }
    if request.method == "POST" and sides and form.is_valid():
        data = form.cleaned_data
        side = data["side"]
        if request.POST.get("confirm") != "1":
            context["confirming"] = {
                "label": current[side].label,
                "old": current[side].date,
                "new": data["new_date"],
                "reason": data["reason"],
                "side": side,
                "told": [u.display_name for u in side_writers(sheet, side)],
            }
            return render(request, "assessments/deadline_extend.html", context)
        try:
            deadline_services.deadline_extend(
                sheet=sheet,
                side=side,
                new_date=data["new_date"],
                reason=data["reason"],
                user=request.user,
            )
        except WorkflowError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                f"已将「{sheet.subject_name}」的{current[side].label}日期由 "
                f"{day(current[side].date)} 延至 {day(data['new_date'])}，原因已记录，"
                "并已通知相关人员。",
            )
            return redirect("assessments:sheet_detail", pk=sheet.pk)
    if not sides and request.method == "POST":
        messages.error(request, f"「{sheet.subject_name}」现在没有可以延期的截止日期。")
        return redirect("assessments:sheet_detail", pk=sheet.pk)
    return render(request, "assessments/deadline_extend.html", context)
