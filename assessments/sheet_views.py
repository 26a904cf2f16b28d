"""Sheet pages: read, fill the self-assessment, review, history, one item across a town,
evidence files."""

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from assessments import deadlines, selectors, services
from assessments.evidence import LIMITS_TEXT, EvidenceError, download_response
from assessments.forms import SheetFilterForm
from assessments.linked import linked_inputs
from assessments.models import Assessment, Cycle
from assessments.policy import (
    get_cycle_for_user,
    get_sheet_for_user,
    may_review,
    reviewable_sheets,
    side_closed_reason,
)
from assessments.sheet_page import build_rows, columns, progress, read_form
from assessments.sides import SIDES, Side
from audit.events import Event
from audit.log import record as audit_record
from org.scope import scope_for
from rubrics.input_fields import fields_for, form_values
from rubrics.models import Item
from rubrics.selectors import engine_rubric_for


def _sheet_context(
    sheet, can, *, side=None, posted=None, errors=None, conflict=None, by_item=None, unsaved=0
):
    cycle = sheet.cycle
    parsed = engine_rubric_for(cycle.rubric)
    scores = selectors.sheet_scores(sheet)
    rows = build_rows(parsed, scores, side=side, posted=posted, by_item=by_item)
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
        "columns": columns(parsed, selectors.sheet_totals(sheet), progress(parsed, scores)),
        "side": side,
        "editing": SIDES.get(side),
        "edit_links": [
            {"info": SIDES[s], "url": edit_url(s)} for s in SIDES if can.edit(s) and s != side
        ],
        "errors": errors or [],
        "field_errors": list((by_item or {}).items()),
        "unsaved": unsaved,
        "adopt_all": bool(side and SIDES[side].waits_for and can.edit(side))
        and bool(services.adoption_plan(sheet=sheet, side=side).keys),
        "conflict": conflict or [],
        "can": can,
        "returned_because": sheet.return_reason if sheet.state == Assessment.State.RETURNED else "",
        "result": result,
        "evidence": evidence,
        "evidence_limits": LIMITS_TEXT,
        "deadline": deadlines.sheet_deadline(sheet),
    }


def edit_url(side: str) -> str:
    """The URL name of the page that edits ``side`` (see urls.py)."""
    return f"assessments:sheet_{side}"


@login_required
@require_GET
def sheet_detail(request, pk):
    sheet, can = get_sheet_for_user(request.user, pk)
    return render(request, "assessments/sheet.html", _sheet_context(sheet, can))


def _stored(sheet, side) -> tuple[dict, dict]:
    """({item key: input}, {item key: note}) stored on ``side`` of the sheet."""
    rows = list(sheet.scores.filter(side=side).select_related("item"))
    return services.score_inputs(side, rows), {r.item.key: r.note for r in rows}


def _sheet_edit(request, pk, side):
    sheet, can = get_sheet_for_user(request.user, pk, action=side)
    wants_json = request.headers.get("x-requested-with") == "fetch"
    if request.method == "POST":
        parsed = engine_rubric_for(sheet.cycle.rubric)
        stored, stored_notes = _stored(sheet, side)
        inputs, notes = read_form(parsed, request.POST, side, stored=stored)
        unsaved = len(
            set(inputs) | {k for k, v in notes.items() if v.strip() != stored_notes.get(k, "")}
        )
        version = _int(request.POST.get("version"))
        adopt = request.POST.get("adopt", "")[:100]
        adopted = []
        try:
            if adopt:
                plan = services.sheet_adopt(
                    sheet=sheet,
                    user=request.user,
                    side=side,
                    keys=[adopt],
                    inputs=inputs,
                    notes=notes,
                    expected_version=version,
                    linked=linked_inputs(sheet),
                )
                outcome, adopted = plan.outcome, plan.keys
            else:
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
                    "by_item": outcome.by_item,
                    "conflict": outcome.conflict,
                    "changed": outcome.changed,
                    "version": sheet.version,
                    "total": str(
                        (
                            outcome.total
                            if outcome.saved
                            else selectors.sheet_totals(sheet).get(side)
                        )
                        or ""
                    ),
                },
                status=200 if outcome.saved else 409 if outcome.conflict else 422,
            )
        if outcome.saved:
            after = request.POST.get("then")
            if after == "submit":
                # 提交 asks first, on a page of its own that says what will happen
                return redirect("assessments:sheet_submit", pk=sheet.pk)
            if after == "reviewed":
                try:
                    services.assessment_mark_reviewed(sheet=sheet, user=request.user)
                    messages.success(request, f"已将「{sheet.subject_name}」标记为审核完成。")
                    return redirect("assessments:sheet_detail", pk=sheet.pk)
                except services.WorkflowError as exc:
                    messages.error(request, str(exc))
            elif adopt:
                item = next((i for i in parsed.items if i.key == adopt), None)
                if adopted and item is not None:
                    messages.success(
                        request,
                        f"已采纳第 {item.number} 项「{item.title}」的{SIDES[SIDES[side].waits_for].label}，"
                        "可以再修改。",
                    )
                else:
                    messages.info(request, "该项已经评分或没有可采纳的自评，未作改动。")
                return redirect(f"{request.path}#item-{item.key}" if item else request.path)
            elif outcome.changed:
                messages.success(request, f"已保存（修改 {outcome.changed} 项）。")
            else:
                messages.info(request, "没有修改，无需保存。")
            return redirect(request.path)
        context = _sheet_context(
            sheet,
            can,
            side=side,
            posted=request.POST,
            errors=outcome.errors,
            conflict=outcome.conflict,
            by_item=outcome.by_item,
            unsaved=unsaved,
        )
        return render(
            request, "assessments/sheet.html", context, status=409 if outcome.conflict else 422
        )
    closed = side_closed_reason(sheet, side)
    if closed:
        messages.error(request, closed)
        return redirect("assessments:sheet_detail", pk=sheet.pk)
    return render(request, "assessments/sheet.html", _sheet_context(sheet, can, side=side))


@login_required
@require_http_methods(["GET", "POST"])
def sheet_edit(request, pk, side):
    """Fill in one side of a sheet (urls.py routes each side in SIDES here)."""
    if side not in SIDES:
        raise Http404("未知的评分方。")
    return _sheet_edit(request, pk, side)


@login_required
@require_POST
def sheet_action(request, pk):
    action = request.POST.get("action", "")
    needed = {"submit": "self", "return": "review", "reviewed": "review", "reopen": "admin"}.get(
        action
    )
    if needed is None:
        raise Http404("未知的操作。")
    sheet, _can = get_sheet_for_user(request.user, pk, action=needed)
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
        done = {
            "submit": "已提交「{name}」的自评，交由{town}审核。",
            "return": "已将「{name}」的考核表退回，协理员会看到原因。",
            "reviewed": "已将「{name}」的考核表标记为审核完成。",
            "reopen": "已重新打开「{name}」的考核表及考核周期「{cycle}」，原因已记录。",
        }[action]
        town = selectors.reviewing_town(sheet)
        messages.success(
            request,
            done.format(
                name=sheet.subject_name,
                cycle=sheet.cycle.title,
                town=town.name if town else "人社局",
            ),
        )
    return redirect("assessments:sheet_detail", pk=sheet.pk)


@login_required
@require_GET
def sheet_history(request, pk):
    sheet, _can = get_sheet_for_user(request.user, pk)
    changes = selectors.sheet_history(sheet)
    return render(
        request,
        "assessments/history.html",
        {"sheet": sheet, "changes": changes, "what": services.WHAT},
    )


# Rows of the item grid per page.
GRID_PAGE_SIZE = 100
POSTED_SHEET = re.compile(r"^g(\d{1,18})-")


@login_required
@require_http_methods(["GET", "POST"])
def item_grid(request, pk, item_pk):
    """One item across all the units of a town: score it town-wide (review side), beside the
    other sides' scores; filtered and paged in SQL, a page of 100 units at a time."""
    cycle, _can = get_cycle_for_user(request.user, pk)
    item = get_object_or_404(Item, pk=item_pk, rubric_id=cycle.rubric_id)
    scope = scope_for(request.user)
    reviewable = reviewable_sheets(scope, selectors.visible_sheets(request.user, cycle))
    if not reviewable.exists():
        raise Http404("没有可评分的考核表。")
    parsed = engine_rubric_for(cycle.rubric)
    engine_item = parsed.item(item.key)
    results = []
    if request.method == "POST":
        # the sheets whose fields were posted (those of the page the form was on)
        posted = {int(m.group(1)) for k in request.POST if (m := POSTED_SHEET.match(k))}
        for sheet in selectors.filter_sheets(reviewable.filter(pk__in=posted)):
            if not may_review(scope, sheet):
                continue
            prefix = f"g{sheet.pk}"
            stored, _notes = _stored(sheet, Side.REVIEW)
            inputs, notes = read_form(
                parsed,
                request.POST,
                Side.REVIEW,
                only=[engine_item],
                prefix=prefix,
                stored={item.key: stored.get(item.key)},
            )
            try:
                outcome = services.sheet_save(
                    sheet=sheet,
                    user=request.user,
                    side=Side.REVIEW,
                    inputs=inputs,
                    notes=notes,
                    expected_version=_int(request.POST.get(f"{prefix}-version")),
                    linked=linked_inputs(sheet),
                )
            except services.WorkflowError as exc:
                outcome = services.SaveOutcome(False, errors=[str(exc)])
            if not outcome.saved:
                results.append((sheet, outcome.errors or outcome.conflict))
        if not results:
            messages.success(request, "已保存。")
            return redirect(request.get_full_path())
    towns = selectors.progress_towns(selectors.cycle_progress(request.user, cycle))
    filters = SheetFilterForm(request.GET, towns=towns)
    sheets = selectors.filter_sheets(reviewable, **filters.values())
    page = Paginator(sheets, GRID_PAGE_SIZE).get_page(request.GET.get("page"))
    shown = [s for s in page if may_review(scope, s)]
    scores = selectors.grid_scores(shown, item)
    rows = []
    for sheet in shown:
        by_side = scores.get(sheet.pk, {})
        score = by_side.get(Side.REVIEW)
        values = form_values(
            [engine_item],
            {item.key: score.input} if score and score.input else {},
            f"g{sheet.pk}",
        )
        rows.append(
            {
                "sheet": sheet,
                "fields": fields_for(engine_item, f"g{sheet.pk}"),
                "values": request.POST if request.method == "POST" else values,
                "score": score,
                "others": [by_side.get(s) for s in SIDES if s != Side.REVIEW],
            }
        )
    context = {
        "cycle": cycle,
        "item": engine_item,
        "rows": rows,
        "page": page,
        "filters": filters,
        "failures": results,
        "others": [SIDES[s] for s in SIDES if s != Side.REVIEW],
    }
    return render(request, "assessments/item_grid.html", context)


def _int(text) -> int:
    try:
        return int(text or "")
    except (TypeError, ValueError):
        return -1


@login_required
@require_POST
def evidence_upload(request, pk):
    side = request.POST.get("side")
    if side not in SIDES:
        side = Side.REVIEW
    sheet, _can = get_sheet_for_user(request.user, pk, action=side)
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
    return _back_to_item(sheet, side, item.key)


def _back_to_item(sheet, side, key):
    return redirect(f"{reverse(edit_url(side), args=[sheet.pk])}#item-{key}")


def _posted_side(request) -> str:
    side = request.POST.get("side")
    return side if side in SIDES else Side.REVIEW


@login_required
@require_POST
def evidence_remove(request, pk, evidence_pk):
    side = _posted_side(request)
    sheet, _can = get_sheet_for_user(request.user, pk, action=side)
    evidence = get_object_or_404(
        sheet.evidence.select_related("item", "uploaded_by"), pk=evidence_pk
    )
    item = evidence.item
    try:
        services.evidence_remove(sheet=sheet, evidence=evidence, user=request.user, side=side)
    except services.WorkflowError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            f"已删除第 {item.number} 项「{item.title}」的附件「{evidence.original_name}」。",
        )
    return _back_to_item(sheet, side, item.key)


@login_required
@require_POST
def evidence_replace(request, pk, evidence_pk):
    side = _posted_side(request)
    sheet, _can = get_sheet_for_user(request.user, pk, action=side)
    evidence = get_object_or_404(
        sheet.evidence.select_related("item", "uploaded_by"), pk=evidence_pk
    )
    item = evidence.item
    try:
        record = services.evidence_replace(
            sheet=sheet,
            evidence=evidence,
            upload=request.FILES.get("file"),
            user=request.user,
            side=side,
        )
    except (services.WorkflowError, EvidenceError) as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            f"已将第 {item.number} 项的附件「{evidence.original_name}」替换为「{record.original_name}」。",
        )
    return _back_to_item(sheet, side, item.key)


@login_required
@require_GET
def sheet_submit(request, pk):
    """The question before a self-assessment is submitted: what will happen, and to whom."""
    sheet, can = get_sheet_for_user(request.user, pk, action=Side.SELF)
    closed = side_closed_reason(sheet, Side.SELF)
    if closed:
        messages.error(request, closed)
        return redirect("assessments:sheet_detail", pk=sheet.pk)
    parsed = engine_rubric_for(sheet.cycle.rubric)
    scores = selectors.sheet_scores(sheet)
    context = {
        "sheet": sheet,
        "cycle": sheet.cycle,
        "missing": services.missing_items(sheet, Side.SELF),
        "progress": progress(parsed, scores)[Side.SELF],
        "total": selectors.sheet_totals(sheet).get(Side.SELF),
        "town": selectors.reviewing_town(sheet),
        "reviewers": selectors.town_reviewers(sheet),
        "files": sheet.evidence.count(),
    }
    return render(request, "assessments/sheet_submit.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def sheet_adopt(request, pk, side):
    """采纳自评 for the whole sheet: GET asks (how many items, which stay), POST copies."""
    if side not in SIDES or SIDES[side].waits_for is None:
        raise Http404("该评分方没有可采纳的评分。")
    sheet, can = get_sheet_for_user(request.user, pk, action=side)
    closed = side_closed_reason(sheet, side)
    if closed:
        messages.error(request, closed)
        return redirect("assessments:sheet_detail", pk=sheet.pk)
    source = SIDES[SIDES[side].waits_for]
    if request.method == "POST":
        try:
            plan = services.sheet_adopt(
                sheet=sheet,
                user=request.user,
                side=side,
                expected_version=_int(request.POST.get("version")),
                linked=linked_inputs(sheet),
            )
        except services.WorkflowError as exc:
            messages.error(request, str(exc))
            return redirect(edit_url(side), pk=sheet.pk)
        outcome = plan.outcome
        if outcome.saved:
            messages.success(
                request,
                f"已把 {len(plan.keys)} 项的{source.label}填入{SIDES[side].label}评分"
                f"（已评分的 {plan.kept} 项未改动），请逐项核对并修改不同之处。",
            )
        else:
            messages.error(request, "未采纳：" + "；".join(outcome.conflict or outcome.errors))
        return redirect(edit_url(side), pk=sheet.pk)
    plan = services.adoption_plan(sheet=sheet, side=side)
    context = {
        "sheet": sheet,
        "cycle": sheet.cycle,
        "plan": plan,
        "side": SIDES[side],
        "source": source,
        "edit_url": edit_url(side),
    }
    return render(request, "assessments/sheet_adopt.html", context)


@login_required
@require_GET
def evidence_download(request, pk, evidence_pk):
    sheet, _can = get_sheet_for_user(request.user, pk)
    evidence = get_object_or_404(sheet.evidence, pk=evidence_pk)
    response = download_response(
        evidence.file, name=evidence.original_name, content_type=evidence.content_type
    )
    audit_record(
        Event.DOWNLOAD,
        request=request,
        obj=evidence,
        detail=f"下载佐证材料「{evidence.original_name}」：{sheet.subject_name}",
    )
    return response
