from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext, gettext_lazy
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import lockout, services
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
    verbose_name = gettext_lazy("负责单位")
    verbose_name_plural = gettext_lazy("负责单位")


class LockedFilter(admin.SimpleListFilter):
    title = gettext_lazy("登录锁定")
    parameter_name = "locked"

    def lookups(self, request, model_admin):
        return (("yes", gettext_lazy("已锁定")),)

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(username__in=list(lockout.account_locks()))
        return queryset


def _lock_text(until) -> str:
    return _("锁定至 %(until)s") % {"until": lockout.format_until(until)} if until else "—"


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "first_name", "role", "is_active", "is_demo", "last_login")
    list_filter = ("role", "is_active", "is_demo", LockedFilter)
    filter_horizontal = ("groups", "user_permissions")
    # The units follow the last fieldset, 角色与范围, as the inline below.
    fieldsets = BaseUserAdmin.fieldsets + (
        (
            gettext_lazy("登录与密码"),
            {"fields": ("is_demo", "must_change_password", "password_changed_at", "login_lock")},
        ),
        (_("双因素认证"), {"fields": ("two_factor",)}),
        (gettext_lazy("角色与范围"), {"fields": ("role", "phone")}),
    )
    add_fieldsets = BaseUserAdmin.add_fieldsets + (
        (gettext_lazy("角色与范围"), {"fields": ("first_name", "role")}),
    )
    # Whether an account is a demo one is decided by load_demo alone: marking a real account
    # as a demo would exempt it from the password rules.
    readonly_fields = ("is_demo", "password_changed_at", "login_lock", "two_factor")
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

    actions = ["unlock_accounts"]

    def get_list_display(self, request):
        locks = lockout.account_locks()  # once per page, not once per row

        @admin.display(description=gettext_lazy("登录锁定"))
        def login_lock_column(obj):
            return _lock_text(locks.get(obj.username))

        return (*super().get_list_display(request), login_lock_column)

    @admin.display(description=gettext_lazy("登录锁定"))
    def login_lock(self, obj):
        return _lock_text(lockout.account_locks().get(obj.username)) if obj.pk else "—"

    @admin.action(description=gettext_lazy("解除所选用户的登录锁定"))
    def unlock_accounts(self, request, queryset):
        locks = lockout.account_locks()
        users = list(queryset.order_by("username"))
        locked = [u for u in users if u.username in locks]
        if request.POST.get("confirm") == "yes":
            done = [
                u
                for u in locked
                if services.unlock_account(user=u, by=request.user, request=request)
            ]
            if done:
                names = "、".join(f"{u.display_name}（{u.username}）" for u in done)
                self.message_user(
                    request,
                    _("已解除 %(n)d 个账号的登录锁定：%(names)s。现在即可重新登录。")
                    % {"n": len(done), "names": names},
                    messages.SUCCESS,
                )
            else:
                self.message_user(request, _("所选账号都未被锁定，没有需要解除的。"), messages.INFO)
            return None
        if not locked:
            self.message_user(
                request, _("所选账号都未被锁定，没有需要解除的锁定。"), messages.WARNING
            )
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": _("解除登录锁定"),
            "opts": self.model._meta,
            "rows": [(u, lockout.format_until(locks[u.username])) for u in locked],
            "not_locked": [u for u in users if u.username not in locks],
            "selected": users,
            "action_checkbox_name": ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/accounts/user/unlock_confirmation.html", context)

    def save_model(self, request, obj, form, change):
        if not change:
            # A new account's password was chosen by the administrator; its owner sets
            # their own at the first login.
            obj.must_change_password = True
        super().save_model(request, obj, form, change)

    def user_change_password(self, request, id, form_url=""):
        user = self.get_object(request, unquote(id))
        before = user.password if user is not None else None
        response = super().user_change_password(request, id, form_url)
        if request.method == "POST" and user is not None:
            user.refresh_from_db()
            if user.password != before:
                services.password_reset_recorded(user=user, by=request.user, request=request)
        return response


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
