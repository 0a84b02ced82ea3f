from django.contrib import admin

from itas.events.models import (
    Announcement,
    Attachment,
    Event,
    ProvinceSet,
    Registration,
    Session,
    TargetGroup,
)


@admin.register(ProvinceSet)
class ProvinceSetAdmin(admin.ModelAdmin):
    """NACC's own numbered regions (ภาค ๑–๙) are data: a named set of provinces."""

    filter_horizontal = ["provinces"]
    search_fields = ["name"]


class SessionInline(admin.TabularInline):
    model = Session
    extra = 0


class AttachmentInline(admin.TabularInline):
    model = Attachment
    extra = 0


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "starts_at", "registration_deadline", "province"]
    list_filter = ["kind"]
    search_fields = ["title"]
    inlines = [SessionInline, AttachmentInline]
    raw_id_fields = ["target_group"]


@admin.register(TargetGroup)
class TargetGroupAdmin(admin.ModelAdmin):
    list_display = ["name", "source", "created_at"]
    readonly_fields = ["criteria"]


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    list_display = ["full_name", "agency", "event", "status", "attended"]
    list_filter = ["status"]
    search_fields = ["full_name", "email", "agency__code", "agency__name"]
    raw_id_fields = ["agency", "event"]


@admin.register(Announcement)
class AnnouncementAdmin(admin.ModelAdmin):
    list_display = ["event", "created_at"]
    filter_horizontal = ["agencies"]
