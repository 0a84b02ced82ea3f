"""What the open-data API shows: agencies (no people, no contacts), cycles and published results."""

from __future__ import annotations

from rest_framework import serializers

from itas.agencies.models import Agency
from itas.cycles.models import Cycle
from itas.frameworks.spec import round2
from itas.geo.models import Province
from itas.scoring.models import AgencyResult, ResultSet


class ProvinceSerializer(serializers.ModelSerializer):
    region = serializers.CharField(source="region_id")

    class Meta:
        model = Province
        fields = ["code", "name_th", "name_en", "region"]


class AgencySerializer(serializers.ModelSerializer):
    full_name = serializers.CharField(read_only=True)
    province = serializers.CharField(source="province_id")
    province_name = serializers.CharField(source="province.name_th")
    district = serializers.CharField(source="district_id", allow_null=True)
    district_name = serializers.CharField(source="district.name_th", allow_null=True, default=None)

    class Meta:
        model = Agency
        # Deliberately no e-mail, telephone or address: the API carries no contact data.
        fields = [
            "code",
            "name",
            "full_name",
            "kind",
            "province",
            "province_name",
            "district",
            "district_name",
            "website",
        ]


class ResultSetSerializer(serializers.ModelSerializer):
    class Meta:
        model = ResultSet
        fields = ["version", "status", "published_at", "note"]


class CycleSerializer(serializers.ModelSerializer):
    framework = serializers.CharField(source="framework.code")
    published_version = serializers.SerializerMethodField()
    versions = serializers.SerializerMethodField()

    class Meta:
        model = Cycle
        fields = ["fiscal_year", "name", "framework", "published_version", "versions"]

    def _public(self, obj) -> list[ResultSet]:
        return [s for s in obj.result_sets.all() if s.status in ("published", "superseded")]

    def get_published_version(self, obj) -> int | None:
        current = [s.version for s in self._public(obj) if s.status == "published"]
        return max(current) if current else None

    def get_versions(self, obj) -> list[dict]:
        sets = sorted(self._public(obj), key=lambda s: -s.version)
        return ResultSetSerializer(sets, many=True).data


class Score(serializers.FloatField):
    """A score as NACC publishes it: half-up to two decimals (the unrounded value stays in the
    result tables)."""

    def to_representation(self, value):
        return None if value is None else round2(float(value))


class IndicatorScoresField(serializers.DictField):
    child = Score(allow_null=True)

    def to_representation(self, value):
        return {i.indicator_code: None if i.score is None else round2(i.score) for i in value.all()}


# An agency's published result as the API and the bulk downloads name its columns.
RESULT_COLUMNS = [
    "agency",
    "agency_name",
    "kind",
    "province",
    "district",
    "iit",
    "eit",
    "oit",
    "total",
    "grade",
    "label",
    "passed",
]


class AgencyResultSerializer(serializers.ModelSerializer):
    agency = serializers.CharField(source="enrolment.agency.code")
    agency_name = serializers.CharField(source="enrolment.agency.full_name")
    kind = serializers.CharField(source="agency_kind")
    province = serializers.CharField(source="province_code")
    district = serializers.CharField(source="district_code")
    indicators = IndicatorScoresField(read_only=True)
    iit = Score(allow_null=True, read_only=True)
    eit = Score(allow_null=True, read_only=True)
    oit = Score(allow_null=True, read_only=True)
    total = Score(allow_null=True, read_only=True)

    class Meta:
        model = AgencyResult
        fields = [*RESULT_COLUMNS, "iit_respondents", "eit_respondents", "indicators"]


class IndicatorResultSerializer(serializers.Serializer):
    agency = serializers.CharField(source="agency_result__enrolment__agency__code")
    province = serializers.CharField(source="agency_result__province_code")
    indicator = serializers.CharField(source="indicator_code")
    score = Score(allow_null=True)


class AggregateSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    assessed = serializers.IntegerField()
    passed = serializers.IntegerField()
    pass_rate = serializers.FloatField(allow_null=True)
    average = serializers.FloatField(allow_null=True)
