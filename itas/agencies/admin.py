from django.contrib import admin

from itas.agencies.models import Agency


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["code", "full_name", "kind", "district", "province", "source", "is_active"]
    list_filter = ["kind", "source", "is_active", "province__region"]
    search_fields = ["code", "name"]
    list_select_related = ["province", "district"]
    readonly_fields = ["created_at", "updated_at"]
    raw_id_fields = ["district"]
