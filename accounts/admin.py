from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts import lockout, services
from accounts.models import User
from org.models import Assignment


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
        (gettext_lazy("角色与范围"), {"fields": ("role", "phone")}),
    )
    add_fieldsets = BaseUserAdmin.add_fieldsets + (
        (gettext_lazy("角色与范围"), {"fields": ("first_name", "role")}),
    )
    # Whether an account is a demo one is decided by load_demo alone: marking a real account
    # as a demo would exempt it from the password rules.
    readonly_fields = ("is_demo", "password_changed_at", "login_lock")
    inlines = [AssignmentInline]
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
