"""The security log pages of the audit administrator: the filtered log and its export."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from accounts.audit_export import log_csv, log_xlsx
from accounts.audit_forms import LogFilterForm
from accounts.policy import require_audit_reader
from audit.events import Event
from audit.log import record
from audit.selectors import events_matching

PAGE_SIZE = 50
EXPORT_LIMIT = 100_000
FORMATS = {
    "xlsx": (log_xlsx, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "csv": (log_csv, "text/csv; charset=utf-8"),
}


def _query_without_page(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def _described(form) -> str:
    """The filters in words, for the export's own log line."""
    if not form.is_bound or not form.is_valid():
        return "全部记录"
    parts = []
    for name, field in form.fields.items():
        value = form.cleaned_data.get(name)
        if value in (None, ""):
            continue
        if hasattr(field, "choices"):
            value = dict(field.choices).get(value, value)
        parts.append(f"{field.label}：{value}")
    return "，".join(parts) or "全部记录"


@login_required
@require_GET
def log_list(request):
    require_audit_reader(request.user)
    form = LogFilterForm(request.GET or None)
    chosen = form.log_filter()
    page = None
    if chosen is not None:
        page = Paginator(events_matching(chosen), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "audit/log.html",
        {"form": form, "page": page, "query": _query_without_page(request)},
    )


@login_required
@require_GET
def log_export(request, fmt):
    require_audit_reader(request.user)
    if fmt not in FORMATS:
        raise Http404("没有这种导出格式（可导出 xlsx 或 csv）。")
    form = LogFilterForm(request.GET or None)
    chosen = form.log_filter()
    back = redirect(f"{reverse('audit:log')}?{_query_without_page(request)}")
    if chosen is None:
        messages.error(request, "筛选条件有误，未导出：请按提示修改后再导出。")
        return back
    events = events_matching(chosen)
    count = events.count()
    if count > EXPORT_LIMIT:
        messages.error(
            request,
            f"符合条件的记录有 {count} 条，超过一次导出的上限 {EXPORT_LIMIT} 条：请缩小时间范围后分批导出。",
        )
        return back
    write, content_type = FORMATS[fmt]
    body = write(events)
    record(
        Event.AUDIT_EXPORT,
        request=request,
        detail=f"导出安全审计日志（{fmt}）{count} 条；筛选：{_described(form)}。",
    )
    name = f"安全审计日志-{timezone.localdate():%Y%m%d}.{fmt}"
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, name)
    return response
