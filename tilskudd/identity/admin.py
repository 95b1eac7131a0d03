from django.contrib import admin

from tilskudd.identity.models import Identity


@admin.register(Identity)
class IdentityAdmin(admin.ModelAdmin):
    """Read only: a link is made by a login and recorded in the case log; never typed in here."""

    list_display = ("user", "provider", "created_at", "last_login_at")
    list_filter = ("provider",)
    search_fields = ("user__username", "user__first_name", "user__last_name")
    readonly_fields = ("user", "issuer", "subject", "provider", "created_at", "last_login_at")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
