"""Versions of a rubric: 复制为新版本 (with its confirmation), the comparison of two versions,
and the export of a version as the office's table (.xlsx, .docx)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from rubrics.export_files import CONTENT_TYPES, FORMATS, export_rubric, file_name
from rubrics.models import Rubric
from rubrics.policy import get_rubric_version_for_user, may_manage_rubric_versions
from rubrics.services import next_version, rubric_new_version
from rubrics.version_compare import compare_rubrics, default_pair, latest_rubrics, versions_of


@login_required
@require_http_methods(["GET", "POST"])
def rubric_copy(request, pk):
    rubric = get_rubric_version_for_user(request.user, pk)
    if request.method == "POST":
        new = rubric_new_version(rubric=rubric)
        messages.success(
            request,
            _("已将「%(t)s」第 %(a)d 版复制为第 %(b)d 版草稿，可以修改。")
            % {"t": rubric.title, "a": rubric.version, "b": new.version},
        )
        return redirect("rubrics:edit", new.pk)
    context = {
        "rubric": rubric,
        "new_version": next_version(rubric.code),
        "sections": rubric.sections.count(),
        "items": rubric.items.count(),
    }
    return render(request, "rubrics/versions/copy_confirm.html", context)


def _pick(request, name: str, code: str | None) -> Rubric | None:
    value = request.GET.get(name, "")
    if not value.isdigit():
        return None
    rubric = get_rubric_version_for_user(request.user, int(value))
    return rubric if code is None or rubric.code == code else None


@login_required
@require_GET
def rubric_compare(request):
    """Two versions of one rubric: ``a`` and ``b`` as picked, else the latest two of ``code``
    (or of the rubric changed last)."""
    if not may_manage_rubric_versions(request.user):
        raise PermissionDenied(_("评分标准的版本和导出只限人社局管理员。"))
    after = _pick(request, "b", None)
    before = _pick(request, "a", after.code) if after is not None else None
    problem = ""
    if after is not None and before is None and request.GET.get("a"):
        problem = _("所选的两个版本不是同一评分标准，已改为比较它的上一版。")
    if after is None:
        latest = latest_rubrics()
        code = request.GET.get("code")
        after = next((r for r in latest if r.code == code), latest[0] if latest else None)
        if after is None:
            raise Http404(_("还没有评分标准。"))
    pair = (before, after) if before is not None else default_pair(after)
    context = {
        "rubric": after,
        "codes": latest_rubrics(),
        "versions": versions_of(after.code),
        "comparison": compare_rubrics(pair[0].pk, pair[1].pk) if pair else None,
        "problem": problem,
    }
    return render(request, "rubrics/versions/compare.html", context)


@login_required
@require_GET
def rubric_export(request, pk, fmt):
    rubric = get_rubric_version_for_user(request.user, pk)
    if fmt not in FORMATS:
        raise Http404(_("只能导出为 .xlsx 或 .docx。"))
    response = HttpResponse(export_rubric(rubric, fmt), content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = content_disposition_header(True, file_name(rubric, fmt))
    return response
