from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from tilskudd.accounts.models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "get_full_name", "role", "organisation", "office", "is_active")
    list_filter = ("role", "office", "is_active")
    list_select_related = ("organisation", "office")
    search_fields = ("username", "first_name", "last_name", "email")
    autocomplete_fields = ("organisation",)
    # Set by the system, never typed by staff (and Django's split date/time inputs have no labels).
    readonly_fields = ("last_login", "date_joined")
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        ("Rolle", {"fields": ("role", "title", "phone", "organisation", "office")}),
    )
