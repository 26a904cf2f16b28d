"""Pages for targets: overview, exports, upload → preview → confirm, history, completion
and the entry of actuals."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from audit.events import Event
from audit.log import record
from jobs.responses import confirm_start, to_job
from jobs.services import job_enqueue
from kit.charts import bar_chart, cell
from kit.formatting import exact
from kit.imports import StalePlan
from kit.imports.uploads import (
    commits_in_job,
    drop_pending,
    job_params,
    load_pending,
    record_plan,
    save_pending,
)
from org.models import Unit
from org.scope import scope_for, visible_units
from targets.actuals import actuals_save
from targets.completion import STATUS_LABELS
from targets.export_jobs import KIND as EXPORT_KIND
from targets.export_jobs import export_row_count, inline_rows
from targets.exporting import CONTENT_TYPES, FORMATS, export, file_name, year_table
from targets.forms import ActualsForm, TargetUploadForm
from targets.importing import (
    ACTUALS,
    CHANGED,
    NEW,
    TARGETS,
    UNCHANGED,
    ImportRefused,
    commit_import,
    max_upload_bytes,
    pending_as_of,
    preview_pending,
)
from targets.job_kinds import TARGET_IMPORT
from targets.models import Achievement, ImportBatch, Indicator, TargetAllocation
from targets.policy import (
    get_town_for_actuals,
    may_enter_actuals,
    may_manage_targets,
    require_admin,
)
from targets.selectors import (
    COMPLETION_SORTS,
    completion_page,
    indicator_summaries,
    target_years,
    town_completion,
)
from targets.tables import ORIENTATION_LABELS, ORIENTATIONS, ROWS

PREVIEW_ROWS = 300
PAGE_SIZE = 100  # rows of the paginated pages (an import batch's changes, completion)
SORTS = COMPLETION_SORTS


def _years(qs):
    return qs.order_by().values_list("year", flat=True).distinct()


def _year(request, years) -> int:
    raw = request.GET.get("year", "")
    if raw.isdigit() and 1900 < int(raw) < 3000:
        return int(raw)
    return years[0] if years else timezone.localdate().year


@login_required
@require_GET
def target_index(request):
    years = target_years()
    year = _year(request, years)
    context = {
        "years": years,
        "year": year,
        "summaries": indicator_summaries(request.user, year),
        "formats": FORMATS,
        "orientations": ORIENTATION_LABELS,
        "is_admin": may_manage_targets(scope_for(request.user)),
    }
    return render(request, "targets/target_index.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def target_export(request, year, fmt):
    if fmt not in FORMATS:
        raise Http404("没有这种导出格式。")
    orientation = request.GET.get("orientation", ROWS)
    if orientation not in ORIENTATIONS:
        orientation = ROWS
    units = visible_units(request.user)
    rows = export_row_count(year, units)
    if not rows:
        raise Http404(_("没有 %(year)s 年度可导出的目标任务。") % {"year": year})
    if rows > inline_rows():
        # a large selection is written to a file by a background job, streamed
        if request.method != "POST":
            return confirm_start(
                request,
                title=_("导出目标任务"),
                what=_("将导出 %(year)s 年度 %(rows)s 个单位的目标任务（%(fmt)s）。")
                % {"year": year, "rows": rows, "fmt": fmt},
            )
        job = job_enqueue(
            kind=EXPORT_KIND,
            params={"year": year, "format": fmt, "orientation": orientation},
            user=request.user,
            title=f"{year} 年度目标任务（{fmt}，{rows} 个单位）",
        )
        record(Event.EXPORT, request=request, detail=f"导出 {year} 年度目标任务（{fmt}，后台任务）")
        messages.success(
            request,
            _("正在导出 %(year)s 年度 %(rows)s 个单位的目标任务（%(fmt)s），完成后可在本页下载。")
            % {"year": year, "rows": rows, "fmt": fmt},
        )
        return to_job(request, job)
    table = year_table(year, units=units)
    body = export(table, fmt, orientation)
    record(Event.EXPORT, request=request, detail=f"导出 {year} 年度目标任务（{fmt}）")
    response = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{file_name(year, fmt, orientation)}"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def target_import(request):
    require_admin(request.user)
    limit = max_upload_bytes()
    if request.method == "POST":
        form = TargetUploadForm(request.POST, request.FILES, max_bytes=limit)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            data = upload.read()
            options = {
                "year": form.cleaned_data["year"],
                "mode": form.cleaned_data["mode"],
                "create_units": form.cleaned_data["create_units"],
                "orientation": form.cleaned_data["orientation"] or None,
                "sheet": form.cleaned_data["sheet"].strip() or None,
                "as_of": form.cleaned_data["as_of"].isoformat()
                if form.cleaned_data["as_of"]
                else None,
            }
            token = save_pending(
                data=data, file_name=upload.name, options=options, user=request.user
            )
            return redirect("targets:target_import_preview", token=token)
    else:
        form = TargetUploadForm(
            max_bytes=limit, initial={"year": request.GET.get("year") or timezone.localdate().year}
        )
    context = {"form": form, "limit_mb": limit / 1024 / 1024}
    return render(request, "targets/target_import.html", context)


def _commit_in_job(request, token: str, meta: dict):
    job = job_enqueue(
        kind=TARGET_IMPORT,
        params=job_params(token, meta),
        user=request.user,
        title=f"导入目标任务「{meta['file_name'][:100]}」",
    )
    return to_job(request, job)


@login_required
@require_http_methods(["GET", "POST"])
def target_import_preview(request, token):
    require_admin(request.user)
    data, meta = load_pending(token, request.user)
    if meta["options"].get("mode") not in (TARGETS, ACTUALS):
        # The token of another kind of upload (a roster, a score workbook) of the same person.
        raise Http404(_("没有找到这次目标任务表的上传，请重新上传。"))
    # Confirming parses the stored file again: nothing from the browser but the token is
    # used, and what is written must be the plan last shown (its fingerprint is stored).
    # A big plan is committed by a job, which re-reads and re-checks the file the same way.
    if request.method == "POST" and commits_in_job(meta):
        return _commit_in_job(request, token, meta)
    preview = preview_pending(data, meta)
    stale = False
    if request.method == "POST" and preview.ok:
        try:
            batch = commit_import(
                preview=preview,
                user=request.user,
                as_of=pending_as_of(meta),
                expected=meta.get("fingerprint"),
            )
        except ImportRefused as exc:
            for error in exc.errors:
                preview.error(error)
        except StalePlan as exc:
            stale = True
            messages.warning(request, exc.message)
        else:
            drop_pending(token)
            messages.success(
                request,
                _("已导入「%(name)s」：新增 %(new)s，修改 %(changed)s，未变 %(same)s。")
                % {
                    "name": batch.source,
                    "new": batch.new_count,
                    "changed": batch.changed_count,
                    "same": batch.unchanged_count,
                },
            )
            return redirect("targets:import_batch", pk=batch.pk)
    if preview.ok:
        record_plan(token, meta, preview.fingerprint(), rows=len(preview.rows))
    shown = [r for r in preview.rows if r.action != UNCHANGED][:PREVIEW_ROWS]
    per_indicator = {}
    for row in preview.rows:
        counts = per_indicator.setdefault(row.indicator, {NEW: 0, CHANGED: 0, UNCHANGED: 0})
        counts[row.action] += 1
    context = {
        "token": token,
        "meta": meta,
        "preview": preview,
        "counts": preview.counts,
        "shown": shown,
        "hidden": preview.count(NEW) + preview.count(CHANGED) - len(shown),
        "per_indicator": [(preview.indicators[k], c) for k, c in per_indicator.items()],
        "orientations": ORIENTATION_LABELS,
        "is_actuals": meta["options"]["mode"] == ACTUALS,
        "stale": stale,
    }
    return render(request, "targets/target_import_preview.html", context)


@login_required
@require_GET
def import_history(request):
    require_admin(request.user)
    batches = ImportBatch.objects.select_related("created_by")[:200]
    return render(request, "targets/import_history.html", {"batches": batches})


@login_required
@require_GET
def import_batch(request, pk):
    require_admin(request.user)
    batch = get_object_or_404(ImportBatch.objects.select_related("created_by"), pk=pk)
    changes = batch.changes.select_related("unit", "indicator").order_by("id")
    page = Paginator(changes, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"batch": batch, "changes": page, "page": page, "query": ""}
    return render(request, "targets/import_batch.html", context)


@login_required
@require_GET
def completion(request, pk):
    indicator = get_object_or_404(Indicator, pk=pk)
    years = sorted(
        set(_years(TargetAllocation.objects.filter(indicator=indicator)))
        | set(_years(Achievement.objects.filter(indicator=indicator))),
        reverse=True,
    )
    year = _year(request, years)
    town_id = request.GET.get("town", "")
    sort = request.GET.get("sort", "name")
    if sort.lstrip("-") not in SORTS:
        sort = "name"
    page, towns, town = completion_page(
        request.user,
        indicator,
        year,
        town_id=int(town_id) if town_id.isdigit() else None,
        sort=sort,
        number=request.GET.get("page"),
        per_page=PAGE_SIZE,
    )
    rows = page.object_list
    for row in rows:
        row["status"] = STATUS_LABELS[row["completion"].status]
    scope = scope_for(request.user)
    writable = [t for t in towns if may_enter_actuals(scope, t)]
    query = {"year": year, "sort": sort}
    if town is not None:
        query["town"] = town.pk
    by_town = town_completion(request.user, indicator, year)
    context = {
        "indicator": indicator,
        "year": year,
        "years": years,
        "town_chart": completion_chart(indicator, year, by_town) if by_town else None,
        "rows": rows,
        "page": page,
        "query": urlencode(query),
        "towns": towns,
        "town": town,
        "sort": sort,
        "writable": writable,
    }
    return render(request, "targets/completion.html", context)


def completion_chart(indicator, year, by_town):
    """Completion per town as bars, with the 100% line; the table adds target and actual."""
    chart = bar_chart(
        "town-completion",
        f"{year}年各镇{indicator.name}完成率",
        [r["town"] for r in by_town],
        [("完成率", [r["completion"].rate for r in by_town])],
        horizontal=True,
        percent=True,
        mark_line=("100%", 100),
        note=_(
            "镇有自己的目标时按镇的目标和完成数；否则按其社区（村）合计。未填报完成数的单位按 0 计，无任务（目标为 0）的单位不计。"
        ),
    )
    chart.option["yAxis"]["inverse"] = True  # the first town on top, as in the table
    chart.headers = ["", "目标", "完成", "完成率（%）"]
    chart.rows = [
        [r["town"], cell(r["target"]), cell(r["actual"]), cell(r["completion"].rate)]
        for r in by_town
    ]
    return chart


@login_required
@require_http_methods(["GET", "POST"])
def actual_entry(request, pk, town_pk):
    town = get_town_for_actuals(request.user, town_pk)
    indicator = get_object_or_404(Indicator, pk=pk)
    years = target_years()
    year = _year(request, years)
    units = [town, *Unit.objects.filter(parent=town, active=True).order_by("sort_order", "pk")]
    targets = {
        a.unit_id: a
        for a in TargetAllocation.objects.filter(year=year, indicator=indicator, unit__in=units)
    }
    stored = {
        a.unit_id: a
        for a in Achievement.objects.filter(year=year, indicator=indicator, unit__in=units)
    }
    if targets:
        # Only the units that have a target for this indicator (the town itself, or its
        # communities and villages, as the table distributed it).
        units = [u for u in units if u.pk in targets or u.pk in stored]
    with_sub = bool(indicator.sub_label) or any(a.sub_target is not None for a in targets.values())
    if request.method == "POST":
        form = ActualsForm(request.POST, units=units, with_sub=with_sub)
        if form.is_valid():
            batch = actuals_save(
                year=year,
                indicator=indicator,
                entries=form.entries(),
                as_of=form.cleaned_data["as_of"],
                user=request.user,
            )
            if batch is None:
                messages.info(request, _("没有改动。"))
            else:
                messages.success(
                    request,
                    _("已保存 %(town)s 的完成数：新增 %(new)s，修改 %(changed)s。")
                    % {"town": town.name, "new": batch.new_count, "changed": batch.changed_count},
                )
            url = f"{_reverse_completion(indicator)}?year={year}&town={town.pk}"
            return redirect(url)
    else:
        initial = {"as_of": timezone.localdate()}
        for unit_pk, a in stored.items():
            initial[f"actual_{unit_pk}"] = exact(a.actual)
            if a.sub_actual is not None:
                initial[f"sub_{unit_pk}"] = exact(a.sub_actual)
        form = ActualsForm(initial=initial, units=units, with_sub=with_sub)
    rows = [
        (unit, field, sub_field, targets.get(unit.pk)) for unit, field, sub_field in form.rows()
    ]
    context = {
        "town": town,
        "indicator": indicator,
        "year": year,
        "years": years,
        "form": form,
        "rows": rows,
        "with_sub": with_sub,
    }
    return render(request, "targets/actual_entry.html", context)


def _reverse_completion(indicator) -> str:
    return reverse("targets:completion", args=[indicator.pk])
