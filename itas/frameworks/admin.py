"""Read-only in the admin: frameworks change through the services (validation, freezing,
audit), i.e. the framework pages or `itas load_framework`."""

from django.contrib import admin

from itas.frameworks.models import Framework


@admin.register(Framework)
class FrameworkAdmin(admin.ModelAdmin):
    list_display = ["code", "fiscal_year", "name", "updated_at"]
    search_fields = ["code", "name"]
    readonly_fields = ["code", "fiscal_year", "name", "document", "created_at", "updated_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
