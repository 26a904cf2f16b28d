"""公布 (the confirmation page of the publish step), the 公示 list, its print, and 异议."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from assessments import objections, publicity, selectors
from assessments.evidence import LIMITS_TEXT, download_response
from assessments.models import Cycle
from assessments.policy import (
    get_cycle_for_user,
    get_objection_for_user,
    get_objection_target_for_user,
    get_publicity_for_user,
    objection_refused,
    publicity_open,
    publicity_towns,
)
from assessments.publicity_forms import AnswerForm, ObjectionForm, PublishForm
from assessments.responses import pdf_response
from assessments.transitions import CYCLE_TRANSITIONS
from audit.events import Event
from audit.log import record as audit_record
from org.models import Unit
from org.scope import scope_for
from printing.render import render_one

ROWS_PER_PAGE = 100
# The printed list is rendered while the person waits: a longer one is printed per town.
PRINT_ROWS = 3000


@login_required
@require_http_methods(["GET", "POST"])
def publish(request, pk):
    """The publish step: what will happen and to whom, the 公示 dates and scope, confirmed."""
    cycle, _can = get_cycle_for_user(request.user, pk, admin=True)
    today = timezone.localdate()
    if (cycle.state, "publish") not in CYCLE_TRANSITIONS and request.method == "GET":
        refused = publicity.publish_refused(cycle, start=today, end=today, today=today)[None]
        messages.error(request, refused)
        return redirect("assessments:cycle_detail", pk=cycle.pk)
    form = PublishForm(request.POST or None, cycle=cycle)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            done = publicity.cycle_publish(
                cycle=cycle,
                user=request.user,
                start=data["start"],
                end=data["end"],
                scope=data["scope"],
            )
        except publicity.PublishError as exc:
            for name, message in exc.errors.items():
                form.add_error(name, message)
        else:
            cycle = done.cycle
            messages.success(
                request,
                f"已公布「{cycle.title}」的考核结果：共 {done.units} 个单位，"
                f"公示期 {cycle.publicity_start:%Y-%m-%d} 至 {cycle.publicity_end:%Y-%m-%d}，"
                f"{cycle.get_publicity_scope_display()}；已通知 {done.told} 人。",
            )
            return redirect("assessments:publicity", pk=cycle.pk)
    context = {
        "cycle": cycle,
        "form": form,
        "preview": publicity.publish_preview(cycle),
        "scope_town": Cycle.PublicityScope.TOWN,
        "again": cycle.publicity_round > 0,
    }
    return render(request, "assessments/publicity_publish.html", context)


@login_required
@require_GET
def publicity_list(request, pk):
    """The 公示 list the user sees (their towns' or the whole cycle's), their objections."""
    today = timezone.localdate()
    cycle, can = get_publicity_for_user(request.user, pk, today)
    scope = scope_for(request.user)
    shown = cycle.state == Cycle.State.PUBLISHED
    rows = selectors.publicity_rows(request.user, cycle) if shown else cycle.results.none()
    page = Paginator(rows, ROWS_PER_PAGE).get_page(request.GET.get("page"))
    open_now = publicity_open(cycle, today)
    waiting = set(
        selectors.waiting_objections(cycle)
        .filter(result__in=[row.pk for row in page])
        .values_list("result_id", flat=True)
    )
    for row in page:
        row.objection_waiting = row.pk in waiting
        row.may_object = (
            open_now
            and not row.objection_waiting
            and objection_refused(scope, cycle, row, today) is None
        )
    context = {
        "cycle": cycle,
        "can": can,
        "page": page,
        "shown": shown,
        "open_now": open_now,
        "not_yet": shown and cycle.publicity_start > today,
        "ended": shown and cycle.publicity_end < today,
        "final": cycle.results_final_at is not None,
        "waiting": selectors.waiting_objections(cycle).count(),
        "objections": list(selectors.visible_objections(request.user, cycle)[:200]),
        "town_names": _town_names(scope, cycle),
    }
    return render(request, "assessments/publicity.html", context)


def _town_names(scope, cycle) -> str:
    towns = publicity_towns(scope, cycle)
    if towns is None:
        return "全部"
    names = list(Unit.objects.filter(pk__in=towns).order_by("sort_order", "pk")[:20])
    return "、".join(u.name for u in names) or "（无）"


@login_required
@require_GET
def publicity_pdf(request, pk):
    """The printed 公示 list of what the user sees."""
    today = timezone.localdate()
    cycle, _can = get_publicity_for_user(request.user, pk, today)
    if cycle.state != Cycle.State.PUBLISHED:
        raise Http404("结果正在复核，复核后重新公示。")
    scope = scope_for(request.user)
    rows = selectors.publicity_rows(request.user, cycle)
    town = request.GET.get("town", "")
    if town:
        rows = rows.filter(town_name=town)
    count = rows.count()
    if count > PRINT_ROWS:
        messages.error(
            request,
            f"公示名单共 {count} 个单位，超过一次打印的 {PRINT_ROWS} 个，请按镇（街道）分别打印。",
        )
        return redirect("assessments:publicity", pk=cycle.pk)
    doc = publicity.publicity_doc(cycle, rows, scope_text=town or _town_names(scope, cycle))
    return pdf_response(render_one(doc), f"{cycle.title}-结果公示.pdf")


@login_required
@require_http_methods(["GET", "POST"])
def objection_file(request, pk, result_pk):
    today = timezone.localdate()
    cycle, result = get_objection_target_for_user(request.user, pk, result_pk, today)
    form = ObjectionForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            objection = objections.objection_file(
                cycle=cycle,
                result=result,
                user=request.user,
                reason=form.cleaned_data["reason"],
                upload=form.cleaned_data["evidence"],
            )
        except objections.ObjectionError as exc:
            form.add_error(exc.field, str(exc))
        else:
            messages.success(
                request,
                f"已提交对「{objections.subject(result)}」考核结果的异议，"
                f"已通知{result.town_name or ''}考核人员和人社局管理员，答复后会通知您。",
            )
            return redirect("assessments:objection_detail", pk=objection.pk)
    context = {
        "cycle": cycle,
        "result": result,
        "subject": objections.subject(result),
        "form": form,
        "limits": LIMITS_TEXT,
    }
    return render(request, "assessments/objection_form.html", context)


def _objection_context(objection, can, form=None):
    form = form or AnswerForm()
    who = objections.subject(objection)
    explanations = {
        "uphold": (
            f"考核周期回到「审核中」，「{who}」的考核表重新打开（原因即下面的答复），"
            "其他单位已定稿的考核表也回到「已审核」；本镇（街道）考核人员修改评分后，"
            "管理员重新计算结果、定稿并重新公布。复核期间不显示公示名单。"
        ),
        "reject": "结果不变；答复通知该单位协理员，并在这里显示。",
    }
    return {
        "objection": objection,
        "cycle": objection.cycle,
        "subject": who,
        "can": can,
        "form": form,
        "decisions": [(choice, explanations[choice.data["value"]]) for choice in form["decision"]],
    }


@login_required
@require_GET
def objection_detail(request, pk):
    objection, can = get_objection_for_user(request.user, pk)
    return render(request, "assessments/objection.html", _objection_context(objection, can))


@login_required
@require_POST
def objection_answer(request, pk):
    objection, can = get_objection_for_user(request.user, pk, action="answer")
    form = AnswerForm(request.POST)
    if form.is_valid():
        decision = form.cleaned_data["decision"]
        try:
            objections.objection_answer(
                objection=objection,
                user=request.user,
                decision=decision,
                answer=form.cleaned_data["answer"],
            )
        except objections.ObjectionError as exc:
            form.add_error(exc.field, str(exc))
        else:
            who = objections.subject(objection)
            if decision == "uphold":
                text = (
                    f"已答复「{who}」的异议：异议成立。考核周期「{objection.cycle.title}」已回到"
                    "「审核中」，该单位的考核表已重新打开，请修改评分后重新计算结果、定稿并重新公布。"
                )
            else:
                text = f"已答复「{who}」的异议：异议不成立。答复已通知该单位协理员。"
            messages.success(request, text)
            return redirect("assessments:objection_detail", pk=objection.pk)
    context = _objection_context(objection, can, form)
    return render(request, "assessments/objection.html", context, status=200)


@login_required
@require_GET
def objection_evidence(request, pk):
    objection, _can = get_objection_for_user(request.user, pk)
    if not objection.evidence:
        raise Http404("该异议没有附证明材料。")
    response = download_response(
        objection.evidence, name=objection.evidence_name, content_type=objection.evidence_type
    )
    audit_record(
        Event.DOWNLOAD,
        request=request,
        obj=objection,
        detail=f"下载异议证明材料「{objection.evidence_name}」：{objections.subject(objection)}",
    )
    return response
