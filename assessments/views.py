from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.scope import scope_for
from assessments import exports, printouts, selectors, services, workbook
from assessments.access import (
    get_assessment_for_user,
    get_cycle_for_user,
    is_admin,
    require_admin,
)
from assessments.evidence import LIMITS_TEXT, EvidenceError
from assessments.forms import CycleForm, ReasonForm
from assessments.linked import linked_inputs
from assessments.models import Cycle
from assessments.sheet_page import build_rows, read_form
from printing.render import render_one
from printing.services import print_job_enqueue
from rubrics.input_fields import fields_for, form_values
from rubrics.models import Item
from rubrics.selectors import engine_rubric_for
from staff.models import Coordinator
from targets import uploads
from targets.access import get_unit_for_user
from targets.models import Unit


@login_required
@require_GET
def cycle_list(request):
    cycles = list(selectors.visible_cycles(request.user))
    return render(
        request, "assessments/cycle_list.html", {"cycles": cycles, "admin": is_admin(request.user)}
    )


@login_required
@require_http_methods(["GET", "POST"])
def cycle_create(request):
    require_admin(request.user)
    form = CycleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        towns = list(data["towns"])
        units, coordinators = [], None
        if data["level"] == "town":
            units = towns
        elif data["level"] == "grassroots":
            units = list(
                Unit.objects.filter(parent__in=towns, active=True, kind__in=Unit.GRASSROOTS_KINDS)
            )
        else:
            coordinators = list(
                Coordinator.objects.filter(unit__parent__in=towns, state=Coordinator.State.ACTIVE)
            )
        try:
            cycle = services.cycle_create(
                title=data["title"],
                year=data["year"],
                rubric=data["rubric"],
                units=units,
                coordinators=coordinators,
                user=request.user,
                process_weight=data["process_weight"],
                annual_weight=data["annual_weight"],
                base_subsidy=data["base_subsidy"],
            )
        except services.WorkflowError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                f"已建立考核周期「{cycle.title}」，共 {cycle.assessments.count()} 张考核表。",
            )
            return redirect("assessments:cycle_detail", pk=cycle.pk)
    return render(request, "assessments/cycle_form.html", {"form": form})


@login_required
@require_GET
def cycle_detail(request, pk):
    cycle = get_cycle_for_user(request.user, pk)
    town = request.GET.get("town")
    sheets = selectors.visible_sheets(request.user, cycle).order_by(
        "unit__parent__sort_order", "unit__sort_order", "phase", "id"
    )
    if town and town.isdigit():
        sheets = sheets.filter(unit__parent_id=int(town))
    context = {
        "cycle": cycle,
        "progress": selectors.cycle_progress(request.user, cycle),
        "sheets": list(sheets),
        "admin": is_admin(request.user),
        "reason_form": ReasonForm(),
        "items": list(
            Item.objects.filter(rubric_id=cycle.rubric_id).order_by("section__order", "order")
        ),
    }
    return render(request, "assessments/cycle_detail.html", context)


@login_required
@require_POST
def cycle_action(request, pk):
    cycle = get_cycle_for_user(request.user, pk, admin=True)
    action = request.POST.get("action", "")
    try:
        if action == "compute":
            rows = services.cycle_compute(cycle=cycle, user=request.user)
            messages.success(request, f"已计算 {len(rows)} 个结果。")
            return redirect("assessments:results", pk=cycle.pk)
        services.cycle_step(
            cycle=cycle, action=action, user=request.user, reason=request.POST.get("reason", "")
        )
    except services.WorkflowError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "已完成操作。")
    return redirect("assessments:cycle_detail", pk=cycle.pk)


def _sheet_context(request, sheet, *, side=None, posted=None, errors=None, conflict=None):
    cycle = sheet.cycle
    parsed = engine_rubric_for(cycle.rubric)
    scores = selectors.sheet_scores(sheet)
    rows = build_rows(parsed, scores, side=side, posted=posted)
    evidence = {}
    for e in sheet.evidence.select_related("item"):
        evidence.setdefault(e.item.key, []).append(e)
    result = None
    if cycle.state == Cycle.State.PUBLISHED:
        result = cycle.results.filter(
            unit_id=sheet.unit_id, coordinator_id=sheet.coordinator_id
        ).first()
    return {
        "sheet": sheet,
        "cycle": cycle,
        "rubric": parsed,
        "rows": rows,
        "side": side,
        "has_self": parsed.columns.self is not None,
        "errors": errors or [],
        "conflict": conflict or [],
        "can_self": _can(request.user, sheet, "self"),
        "can_review": _can(request.user, sheet, "review"),
        "admin": is_admin(request.user),
        "result": result,
        "evidence": evidence,
        "evidence_limits": LIMITS_TEXT,
    }


def _can(user, sheet, action) -> bool:
    try:
        get_assessment_for_user(user, sheet.pk, action=action)
        services._editable(sheet, action)
    except (Http404, PermissionDenied, services.WorkflowError):
        return False
    return True


@login_required
@require_GET
def sheet_detail(request, pk):
    sheet = get_assessment_for_user(request.user, pk)
    return render(request, "assessments/sheet.html", _sheet_context(request, sheet))


def _sheet_edit(request, pk, side):
    sheet = get_assessment_for_user(request.user, pk, action=side)
    wants_json = request.headers.get("x-requested-with") == "fetch"
    if request.method == "POST":
        parsed = engine_rubric_for(sheet.cycle.rubric)
        inputs, notes = read_form(parsed, request.POST, side)
        try:
            version = int(request.POST.get("version", ""))
        except ValueError:
            version = -1
        try:
            outcome = services.sheet_save(
                sheet=sheet,
                user=request.user,
                side=side,
                inputs=inputs,
                notes=notes,
                expected_version=version,
                linked=linked_inputs(sheet),
            )
        except services.WorkflowError as exc:
            outcome = services.SaveOutcome(False, errors=[str(exc)])
        if wants_json:
            return JsonResponse(
                {
                    "saved": outcome.saved,
                    "errors": outcome.errors,
                    "conflict": outcome.conflict,
                    "version": sheet.version,
                    "total": str(getattr(sheet, f"{side}_total") or ""),
                },
                status=200 if outcome.saved else 409 if outcome.conflict else 422,
            )
        if outcome.saved:
            after = request.POST.get("then")
            if after in ("submit", "reviewed"):
                try:
                    if after == "submit":
                        services.assessment_submit(sheet=sheet, user=request.user)
                        messages.success(request, "自评已提交。")
                    else:
                        services.assessment_mark_reviewed(sheet=sheet, user=request.user)
                        messages.success(request, "已标记为审核完成。")
                    return redirect("assessments:sheet_detail", pk=sheet.pk)
                except services.WorkflowError as exc:
                    messages.error(request, str(exc))
            else:
                messages.success(request, f"已保存（修改 {outcome.changed} 项）。")
            return redirect(request.path)
        context = _sheet_context(
            request,
            sheet,
            side=side,
            posted=request.POST,
            errors=outcome.errors,
            conflict=outcome.conflict,
        )
        return render(
            request, "assessments/sheet.html", context, status=409 if outcome.conflict else 422
        )
    try:
        services._editable(sheet, side)
    except services.WorkflowError as exc:
        messages.error(request, str(exc))
        return redirect("assessments:sheet_detail", pk=sheet.pk)
    return render(request, "assessments/sheet.html", _sheet_context(request, sheet, side=side))


@login_required
@require_http_methods(["GET", "POST"])
def sheet_self(request, pk):
    return _sheet_edit(request, pk, "self")


@login_required
@require_http_methods(["GET", "POST"])
def sheet_review(request, pk):
    return _sheet_edit(request, pk, "review")


@login_required
@require_POST
def sheet_action(request, pk):
    action = request.POST.get("action", "")
    needed = {"submit": "self", "return": "review", "reviewed": "review", "reopen": "admin"}.get(
        action
    )
    if needed is None:
        raise Http404("未知的操作。")
    sheet = get_assessment_for_user(request.user, pk, action=needed)
    reason = request.POST.get("reason", "")
    try:
        if action == "submit":
            services.assessment_submit(sheet=sheet, user=request.user)
        elif action == "return":
            services.assessment_return(sheet=sheet, user=request.user, reason=reason)
        elif action == "reviewed":
            services.assessment_mark_reviewed(sheet=sheet, user=request.user)
        else:
            services.assessment_reopen(sheet=sheet, user=request.user, reason=reason)
    except services.WorkflowError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "已完成操作。")
    return redirect("assessments:sheet_detail", pk=sheet.pk)


@login_required
@require_GET
def sheet_history(request, pk):
    sheet = get_assessment_for_user(request.user, pk)
    changes = list(selectors.changes_for(sheet)[:500])
    return render(
        request,
        "assessments/history.html",
        {"sheet": sheet, "changes": changes, "what": services.WHAT},
    )


@login_required
@require_http_methods(["GET", "POST"])
def item_grid(request, pk, item_pk):
    """One item across all the units of a town: score it town-wide (review side)."""
    cycle = get_cycle_for_user(request.user, pk)
    item = get_object_or_404(Item, pk=item_pk, rubric_id=cycle.rubric_id)
    scope = scope_for(request.user)
    sheets = [
        s
        for s in selectors.visible_sheets(request.user, cycle).order_by(
            "unit__parent__sort_order", "unit__sort_order"
        )
        if is_admin(request.user) or s.unit.town_id in scope.town_ids
    ]
    if not sheets:
        raise Http404("没有可评分的考核表。")
    parsed = engine_rubric_for(cycle.rubric)
    engine_item = parsed.item(item.key)
    results = []
    if request.method == "POST":
        for sheet in sheets:
            prefix = f"g{sheet.pk}"
            inputs, notes = read_form(
                parsed, request.POST, "review", only=[engine_item], prefix=prefix
            )
            if not any(k.startswith(f"{prefix}-") for k in request.POST):
                continue
            try:
                outcome = services.sheet_save(
                    sheet=sheet,
                    user=request.user,
                    side="review",
                    inputs=inputs,
                    notes=notes,
                    expected_version=int(request.POST.get(f"{prefix}-version", "-1")),
                    linked=linked_inputs(sheet),
                )
            except services.WorkflowError as exc:
                outcome = services.SaveOutcome(False, errors=[str(exc)])
            if not outcome.saved:
                results.append((sheet, outcome.errors or outcome.conflict))
        if not results:
            messages.success(request, "已保存。")
            return redirect(request.get_full_path())
    scores = selectors.grid_scores(sheets, item)
    rows = []
    for sheet in sheets:
        score = scores.get(sheet.pk)
        values = form_values(
            [engine_item],
            {item.key: score.review_input} if score and score.review_input else {},
            f"g{sheet.pk}",
        )
        rows.append(
            {
                "sheet": sheet,
                "fields": fields_for(engine_item, f"g{sheet.pk}"),
                "values": request.POST if request.method == "POST" else values,
                "score": score,
            }
        )
    context = {"cycle": cycle, "item": engine_item, "rows": rows, "failures": results}
    return render(request, "assessments/item_grid.html", context)


@login_required
@require_GET
def results(request, pk):
    cycle = get_cycle_for_user(request.user, pk)
    admin = is_admin(request.user)
    if cycle.state != Cycle.State.PUBLISHED and not admin:
        scope = scope_for(request.user)
        if not scope.town_ids:
            raise Http404("结果尚未公布。")
    rows = list(selectors.results_for(request.user, cycle))
    town = request.GET.get("town", "")
    grade = request.GET.get("grade", "")
    towns = sorted({r.town_name for r in rows if r.town_name})
    grades = [g for g, _n in selectors.grade_distribution(rows)]
    if town:
        rows = [r for r in rows if r.town_name == town]
    if grade:
        rows = [r for r in rows if r.grade == grade]
    order = request.GET.get("sort", "rank")
    keys = {
        "rank": lambda r: (r.rank, r.unit.name),
        "total": lambda r: (-r.total, r.unit.name),
        "name": lambda r: r.unit.name,
        "town": lambda r: (r.town_name, r.rank),
    }
    rows.sort(key=keys.get(order, keys["rank"]))
    context = {
        "cycle": cycle,
        "rows": rows,
        "towns": towns,
        "grades": grades,
        "town": town,
        "grade": grade,
        "sort": order,
        "distribution": selectors.grade_distribution(rows),
        "gaps": selectors.self_review_gaps(rows),
        "section_averages": selectors.section_averages(rows),
        "admin": admin,
    }
    return render(request, "assessments/results.html", context)


@login_required
@require_POST
def result_confirm(request, pk, result_pk):
    cycle = get_cycle_for_user(request.user, pk, admin=True)
    result = get_object_or_404(cycle.results, pk=result_pk)
    try:
        services.result_confirm(result=result, user=request.user)
    except services.WorkflowError as exc:
        messages.error(request, str(exc))
    return redirect(reverse("assessments:results", args=[cycle.pk]))


@login_required
@require_GET
def results_export(request, pk):
    cycle = get_cycle_for_user(request.user, pk, admin=True)
    if not cycle.computed_at:
        messages.error(request, "该考核周期还没有计算结果。")
        return redirect("assessments:cycle_detail", pk=cycle.pk)
    if request.GET.get("format") == "json":
        response = JsonResponse(
            exports.results_json(cycle), safe=False, json_dumps_params={"ensure_ascii": False}
        )
        response["Content-Disposition"] = f'attachment; filename="results-{cycle.pk}.json"'
        return response
    return _xlsx(exports.results_xlsx(cycle), f"results-{cycle.pk}.xlsx")


def _xlsx(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _scoring_sheets(user, cycle):
    """The sheets a person may score offline: a reviewer's towns, or all for an admin."""
    sheets = selectors.visible_sheets(user, cycle).select_related("cycle__rubric")
    if not is_admin(user):
        scope = scope_for(user)
        if scope.read_only or not scope.town_ids:
            raise PermissionDenied("只有镇（街道）考核人员和管理员可以离线评分。")
        sheets = sheets.filter(
            Q(unit__parent_id__in=scope.town_ids) | Q(unit_id__in=scope.town_ids)
        )
    return list(sheets.order_by("unit__parent__sort_order", "unit__sort_order", "phase", "id"))


@login_required
@require_GET
def score_workbook(request, pk):
    cycle = get_cycle_for_user(request.user, pk)
    sheets = _scoring_sheets(request.user, cycle)
    parsed = engine_rubric_for(cycle.rubric)
    return _xlsx(workbook.blank_workbook(parsed, cycle.title, sheets), f"scores-{cycle.pk}.xlsx")


@login_required
@require_http_methods(["GET", "POST"])
def score_import(request, pk):
    """Upload → preview → confirm. The file stays on the server between the two steps."""
    cycle = get_cycle_for_user(request.user, pk)
    sheets = _scoring_sheets(request.user, cycle)
    side = request.POST.get("side", "review")
    if side not in services.SIDES:
        side = "review"
    report = None
    token = ""
    if request.method == "POST":
        token = request.POST.get("token", "")
        upload = request.FILES.get("file")
        if upload is not None:
            if upload.size > workbook.MAX_WORKBOOK_BYTES:
                messages.error(request, "文件超过 5 MB，无法导入。")
                return redirect(request.path)
            token = uploads.save_pending(
                data=upload.read(), file_name=upload.name, options={"side": side}, user=request.user
            )
        try:
            content, _meta = uploads.load_pending(token, request.user)
        except Http404:
            messages.error(request, "请选择要导入的评分表文件（上传超过一天需重新上传）。")
            return redirect(request.path)
        confirm = request.POST.get("confirm") == "1"
        report = services.scores_import(
            cycle=cycle,
            content=content,
            side=side,
            user=request.user,
            sheets=sheets,
            commit=confirm,
        )
        if report.saved:
            uploads.drop_pending(token)
            messages.success(request, f"已导入 {len(report.changes)} 项评分。")
            return redirect("assessments:cycle_detail", pk=cycle.pk)
    context = {"cycle": cycle, "report": report, "token": token, "side": side}
    return render(request, "assessments/score_import.html", context)


@login_required
@require_POST
def evidence_upload(request, pk):
    side = "self" if request.POST.get("side") == "self" else "review"
    sheet = get_assessment_for_user(request.user, pk, action=side)
    item = get_object_or_404(
        Item, rubric_id=sheet.cycle.rubric_id, key=request.POST.get("item", "")
    )
    try:
        services.evidence_add(
            sheet=sheet, item=item, upload=request.FILES.get("file"), user=request.user, side=side
        )
    except (services.WorkflowError, EvidenceError) as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"已上传到第 {item.number} 项「{item.title}」。")
    return redirect(
        "assessments:sheet_self" if side == "self" else "assessments:sheet_review", pk=sheet.pk
    )


@login_required
@require_GET
def evidence_download(request, pk, evidence_pk):
    sheet = get_assessment_for_user(request.user, pk)
    record = get_object_or_404(sheet.evidence, pk=evidence_pk)
    return FileResponse(
        record.file.open("rb"), content_type=record.content_type, filename=record.original_name
    )


def _pdf(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(False, filename)
    return response


@login_required
@require_GET
def sheet_pdf(request, pk):
    sheet = get_assessment_for_user(request.user, pk)
    blank = request.GET.get("blank") == "1"
    result = sheet.cycle.results.filter(
        unit_id=sheet.unit_id, coordinator_id=sheet.coordinator_id
    ).first()
    doc = printouts.sheet_doc(sheet, blank=blank, result=result)
    suffix = "空白" if blank else "评分表"
    return _pdf(render_one(doc), f"{sheet.subject_name}-{suffix}.pdf")


def _print_towns(user, cycle):
    """Town ids a person may print for: every town for an admin, else their own."""
    if is_admin(user):
        return None
    scope = scope_for(user)
    if scope.read_only or not scope.town_ids:
        raise PermissionDenied("只有镇（街道）考核人员和管理员可以批量打印。")
    return scope.town_ids


@login_required
@require_POST
def cycle_print(request, pk):
    cycle = get_cycle_for_user(request.user, pk)
    allowed = _print_towns(request.user, cycle)
    town = request.POST.get("town", "")
    town_id = int(town) if town.isdigit() else None
    if allowed is not None and town_id not in allowed:
        raise PermissionDenied("只能打印本镇（街道）的考核表。")
    blank = request.POST.get("blank") == "1"
    town_name = (
        Unit.objects.filter(pk=town_id).values_list("name", flat=True).first()
        if town_id
        else "全部"
    )
    job = print_job_enqueue(
        kind="cycle_sheets",
        params={"cycle": cycle.pk, "town": town_id, "blank": blank},
        user=request.user,
        title=f"{cycle.title} · {town_name} · {'空白表' if blank else '评分表'}",
    )
    return redirect("printing:job_status", pk=job.pk)


@login_required
@require_GET
def summary_pdf(request, pk):
    cycle = get_cycle_for_user(request.user, pk)
    town = request.GET.get("town", "")
    if not is_admin(request.user):
        scope = scope_for(request.user)
        published = cycle.state == Cycle.State.PUBLISHED
        if not (published and scope.all_units):
            towns = set(Unit.objects.filter(pk__in=scope.town_ids).values_list("name", flat=True))
            if not towns:
                raise Http404("结果尚未公布。")
            if town not in towns:
                raise PermissionDenied("只能打印本镇（街道）的汇总表。")
    if not cycle.computed_at:
        messages.error(request, "该考核周期还没有计算结果。")
        return redirect("assessments:cycle_detail", pk=cycle.pk)
    doc = printouts.summary_doc(cycle, town_name=town or None)
    return _pdf(render_one(doc), f"{cycle.title}-汇总表.pdf")


@login_required
@require_GET
def registration_pdf(request, pk, result_pk):
    cycle = get_cycle_for_user(request.user, pk)
    result = get_object_or_404(
        cycle.results.select_related("coordinator__unit", "unit", "cycle"), pk=result_pk
    )
    if result.coordinator_id is None:
        raise Http404("登记表只用于协理员考核。")
    if not scope_for(request.user).can_see(result.unit):
        raise Http404("没有找到该协理员。")
    return _pdf(
        render_one(printouts.registration_doc(result)),
        f"{result.coordinator.name}-年度考核登记表.pdf",
    )


@login_required
@require_GET
def town_summary_pdf(request, pk, town_pk):
    cycle = get_cycle_for_user(request.user, pk)
    town = get_unit_for_user(request.user, town_pk)
    return _pdf(
        render_one(printouts.town_summary_doc(cycle, town)), f"{town.name}-协理员年度考核汇总表.pdf"
    )
