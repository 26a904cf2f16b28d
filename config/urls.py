from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from portal import views as portal_views

# The app's pages for a refusal and a missing page (config/errors.py, DEBUG on as well).
handler403 = "config.errors.permission_denied"
handler404 = "config.errors.page_not_found"

admin.site.site_header = "基层人社服务平台考核系统 · 管理后台"
admin.site.site_title = "考核系统管理后台"


class LinkRedirect(RedirectView):
    """A redirect for links: GET and HEAD only."""

    http_method_names = ["get", "head"]


urlpatterns = [
    path("", portal_views.home, name="home"),
    path("healthz", portal_views.healthz, name="healthz"),
    path("accounts/", include("accounts.urls")),
    path("audit/", include("accounts.audit_urls")),
    path("units/", include("targets.urls")),
    path("jobs/", include("jobs.urls")),
    path("notices/", include("notices.urls")),
    path("staff/", include("staff.urls")),
    path("cycles/", include("assessments.urls")),
    path("rubrics/", include("rubrics.urls")),
    # The admin's own 修改密码 link goes to the one change page, which applies the password
    # rules, ends a forced change and writes the security log. A link: GET only.
    path(
        "admin/password_change/",
        LinkRedirect.as_view(pattern_name="accounts:password_change", permanent=False),
    ),
    path("admin/", admin.site.urls),
]
