from django.contrib import admin

from itas.geo.models import AssessorGroup, District, Province, Region


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name_th", "name_en"]


@admin.register(Province)
class ProvinceAdmin(admin.ModelAdmin):
    list_display = ["code", "name_th", "name_en", "region"]
    list_filter = ["region"]
    search_fields = ["name_th", "name_en", "code"]


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):
    list_display = ["code", "name_th", "province"]
    list_filter = ["province__region"]
    search_fields = ["name_th", "name_en", "code"]


@admin.register(AssessorGroup)
class AssessorGroupAdmin(admin.ModelAdmin):
    list_display = ["name", "team_name"]
    filter_horizontal = ["provinces"]
