"""Filters of the open-data API. Unknown values are refused with 400 (the filter set is
validated before it is applied), never silently ignored."""

from __future__ import annotations

import django_filters as df
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from itas.agencies.models import Agency, AgencyKind
from itas.geo.models import AssessorGroup, District, Province, Region
from itas.scoring.models import AgencyResult, IndicatorResult


class AgencyFilter(df.FilterSet):
    province = df.ModelChoiceFilter(
        queryset=Province.objects.all(), to_field_name="code", help_text="TIS 1099 province code"
    )
    district = df.ModelChoiceFilter(
        queryset=District.objects.all(), to_field_name="code", help_text="District code"
    )
    kind = df.ChoiceFilter(choices=AgencyKind.choices)
    q = df.CharFilter(method="search", max_length=100, help_text="Name or code")

    class Meta:
        model = Agency
        fields = ["province", "district", "kind"]

    def search(self, queryset, name, value):
        return queryset.search(value)


@extend_schema_field(OpenApiTypes.STR)
class CodeFilter(df.ModelChoiceFilter):
    """A place given by its code (province 38, district 3801, region code)."""


@extend_schema_field(OpenApiTypes.INT)
class IdFilter(df.ModelChoiceFilter):
    """A row given by its numeric id."""


class _AreaFilterSet(df.FilterSet):
    """Where the agency is: on the result rows' denormalised columns (no joins)."""

    prefix = ""
    province = CodeFilter(
        queryset=Province.objects.all(),
        to_field_name="code",
        method="by_province",
        help_text="TIS 1099 province code",
    )
    district = CodeFilter(
        queryset=District.objects.all(),
        to_field_name="code",
        method="by_district",
        help_text="District code",
    )
    region = CodeFilter(queryset=Region.objects.all(), method="by_region")
    group = IdFilter(
        queryset=AssessorGroup.objects.all(), method="by_group", help_text="Assessor group id"
    )
    kind = df.ChoiceFilter(choices=AgencyKind.choices, method="by_kind")

    def by_province(self, qs, name, value):
        return qs.filter(**{f"{self.prefix}province_code": value.code})

    def by_district(self, qs, name, value):
        return qs.filter(**{f"{self.prefix}district_code": value.code})

    def by_region(self, qs, name, value):
        codes = Province.objects.filter(region=value).values("code")
        return qs.filter(**{f"{self.prefix}province_code__in": codes})

    def by_group(self, qs, name, value):
        return qs.filter(**{f"{self.prefix}province_code__in": value.provinces.values("code")})

    def by_kind(self, qs, name, value):
        return qs.filter(**{f"{self.prefix}agency_kind": value})


class ResultFilter(_AreaFilterSet):
    passed = df.ChoiceFilter(
        choices=[("true", "true"), ("false", "false"), ("1", "1"), ("0", "0")],
        method="by_passed",
        help_text="Passed (true/1) or not (false/0)",
    )
    grade = df.CharFilter(max_length=10)

    class Meta:
        model = AgencyResult
        fields = ["grade"]

    def by_passed(self, qs, name, value):
        return qs.filter(passed=value in ("true", "1"))


class IndicatorResultFilter(_AreaFilterSet):
    prefix = "agency_result__"
    indicator = df.CharFilter(field_name="indicator_code", max_length=20)

    class Meta:
        model = IndicatorResult
        fields: list[str] = []


class AggregateFilter(_AreaFilterSet):
    """Area filters for the aggregates (applied to the result rows before grouping)."""

    class Meta:
        model = AgencyResult
        fields: list[str] = []
