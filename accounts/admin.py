from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.policy import reads_audit_log
from audit.models import SecurityEvent
from org.models import Assignment


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
    fieldsets = BaseUserAdmin.fieldsets + ((_("角色与范围"), {"fields": ("role", "phone")}),)
    add_fieldsets = BaseUserAdmin.add_fieldsets + (
        (_("角色与范围"), {"fields": ("first_name", "role")}),
    )
    inlines = [AssignmentInline]


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
