from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import services
from accounts.models import User
from accounts.policy import reads_audit_log
from accounts.selectors import two_factor_state
from audit.models import SecurityEvent
from org.models import Assignment

# Authenticator secrets and recovery codes are not administered as rows: a person binds
# their own authenticator, and an administrator can only reset it from the user's page.
for _model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)


class AssignmentInline(admin.TabularInline):
    """The units a person works for, edited on the user's page (``User.units`` goes through
    ``org.Assignment``, so the admin cannot show it as a plain field)."""

    model = Assignment
    autocomplete_fields = ["unit"]
    extra = 1
    verbose_name = _("负责单位")
    verbose_name_plural = _("负责单位")


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "first_name", "role", "is_active", "last_login")
    list_filter = ("role", "is_active")
    filter_horizontal = ("groups", "user_permissions")
    # The units follow the last fieldset, 角色与范围, as the inline below.
    fieldsets = BaseUserAdmin.fieldsets + (
        (_("角色与范围"), {"fields": ("role", "phone")}),
        (_("双因素认证"), {"fields": ("two_factor", "is_demo")}),
    )
    readonly_fields = ("two_factor", "is_demo")
    add_fieldsets = BaseUserAdmin.add_fieldsets + (
        (_("角色与范围"), {"fields": ("first_name", "role")}),
    )
    inlines = [AssignmentInline]

    @admin.display(description=_("状态"))
    def two_factor(self, obj):
        if obj is None or obj.pk is None:
            return "—"
        state = two_factor_state(obj)
        if state.enrolled:
            when = state.enrolled_at.strftime("%Y-%m-%d") if state.enrolled_at else ""
            return format_html(
                '{}<br><a href="{}">{}</a>',
                gettext("已绑定身份验证器（{when}），剩余恢复码 {n} 个").format(
                    when=when, n=state.recovery_codes_left
                ),
                reverse("admin:accounts_user_two_factor_reset", args=[obj.pk]),
                gettext("解除双因素认证…"),
            )
        if state.required:
            return gettext("未绑定：下次登录时必须先绑定身份验证器")
        if state.demo_exempt:
            return gettext("未绑定：演示账号，免于强制绑定")
        return gettext("未绑定：该角色无需双因素认证")

    def get_urls(self):
        return [
            path(
                "<int:pk>/two-factor-reset/",
                self.admin_site.admin_view(self.two_factor_reset_view),
                name="accounts_user_two_factor_reset",
            ),
            *super().get_urls(),
        ]

    def two_factor_reset_view(self, request, pk):
        """Reset another person's second factor, after a confirmation naming them."""
        target = get_object_or_404(User, pk=pk)
        if not self.has_change_permission(request, target):
            raise PermissionDenied
        change_url = reverse("admin:accounts_user_change", args=[target.pk])
        if request.method == "POST":
            services.two_factor_reset(request=request, target=target)
            self.message_user(
                request,
                gettext(
                    "已解除用户「{name}」（{username}）的双因素认证：身份验证器和恢复码已删除，"
                    "该用户下次登录时需要重新绑定。"
                ).format(name=target.display_name, username=target.username),
                messages.SUCCESS,
            )
            return redirect(change_url)
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("解除双因素认证"),
            "target": target,
            "state": two_factor_state(target),
            "opts": self.opts,
            "change_url": change_url,
        }
        return TemplateResponse(request, "admin/accounts/user/two_factor_reset.html", context)

@admin.register(SecurityEvent)
class SecurityEventAdmin(admin.ModelAdmin):
    """The security log, read-only, for the audit administrator only (三员分立): nobody adds,
    changes or deletes a row here, superusers included; the bureau administrator does not
    even see it."""

    list_display = ("at", "username", "address", "event", "object_repr", "outcome")
    list_filter = ("event", "outcome", "at")
    search_fields = ("username", "address", "object_repr", "detail")
    date_hierarchy = "at"
    actions = None
    fields = (
        "at",
        "username",
        "user_id",
        "address",
        "event",
        "outcome",
        "object_type",
        "object_id",
        "object_repr",
        "detail",
        "changes_table",
    )
    readonly_fields = fields

    @admin.display(description=_("变更"))
    def changes_table(self, obj):
        rows = obj.change_rows
        if not rows:
            return "—"
        body = format_html_join(
            "",
            "<tr><th>{}</th><td>{}</td><td>{}</td></tr>",
            ((a, b or "（空）", c or "（空）") for a, b, c in rows),
        )
        return format_html(
            "<table><thead><tr><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>{}</tbody></table>",
            _("项目"),
            _("原值"),
            _("新值"),
            body,
        )

    def has_module_permission(self, request):
        return reads_audit_log(request.user)

    def has_view_permission(self, request, obj=None):
        return reads_audit_log(request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
