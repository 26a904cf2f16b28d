from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from accounts.models import User
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
