"""The read-only open-data API: agencies, cycles, published results and their aggregates,
and bulk downloads. Only published (or superseded, still published) result sets are reachable;
nothing preliminary, nothing about people."""

from __future__ import annotations

import json
from collections.abc import Iterator

from django.db.models import Prefetch
from django.http import StreamingHttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
)
from rest_framework import generics
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from itas.agencies.models import NAME_PREFIX, Agency
from itas.api import filters, serializers
from itas.core import tabular
from itas.core.batches import batched
from itas.cycles.models import Cycle
from itas.frameworks.spec import round2
from itas.geo.models import Province
from itas.reports.queries import grouped, kind_names
from itas.scoring.models import PUBLIC_ROW_FIELDS, AgencyResult, IndicatorResult, ResultSet

VERSION_PARAM = OpenApiParameter(
    "version",
    OpenApiTypes.INT,
    description="A published version number (default: the current one; superseded versions "
    "stay readable)",
)
FY_PARAM = OpenApiParameter(
    "fy",
    OpenApiTypes.INT,
    OpenApiParameter.PATH,
    description="Fiscal year in the Buddhist era",
    examples=[OpenApiExample("FY2567", value=2567)],
)
CODE_PARAM = OpenApiParameter(
    "code",
    OpenApiTypes.STR,
    OpenApiParameter.PATH,
    description="Agency code (DLA code for local administrations)",
    examples=[OpenApiExample("A subdistrict municipality", value="5380101")],
)
CHUNK = 2000


def published_set(fy: int, version_param: str | None = None) -> ResultSet:
    cycle = Cycle.objects.real().filter(fiscal_year=fy).first()
    if cycle is None:
        raise NotFound(_("There is no assessment cycle for fiscal year %(fy)s.") % {"fy": fy})
    sets = cycle.result_sets.public()
    if version_param not in (None, ""):
        if not str(version_param).isdigit() or len(str(version_param)) > 9:
            raise ValidationError({"version": _("The version must be a whole number.")})
        rs = sets.filter(version=int(version_param)).first()
        if rs is None:
            raise NotFound(
                _("There is no published version %(v)s of these results.") % {"v": version_param}
            )
        return rs
    rs = sets.current_published()
    if rs is None:
        raise NotFound(_("The results of fiscal year %(fy)s are not published yet.") % {"fy": fy})
    return rs


class ProvinceList(generics.ListAPIView):
    """Provinces (TIS 1099 codes) and their regions."""

    queryset = Province.objects.select_related("region").order_by("code")
    serializer_class = serializers.ProvinceSerializer
    filter_backends: list = []


class AgencyList(generics.ListAPIView):
    """Agencies in the registry: code, name, type, province, district, website."""

    queryset = (
        Agency.objects.filter(is_active=True)
        .select_related("province", "district")
        .order_by("code")
    )
    serializer_class = serializers.AgencySerializer
    filterset_class = filters.AgencyFilter


@extend_schema(parameters=[CODE_PARAM])
class AgencyDetail(generics.RetrieveAPIView):
    queryset = Agency.objects.filter(is_active=True).select_related("province", "district")
    serializer_class = serializers.AgencySerializer
    lookup_field = "code"
    filter_backends: list = []


class CycleList(generics.ListAPIView):
    """Assessment cycles and their published result versions."""

    queryset = (
        Cycle.objects.real()
        .select_related("framework")
        .prefetch_related("result_sets")
        .order_by("-fiscal_year")
    )
    serializer_class = serializers.CycleSerializer
    filter_backends: list = []


@extend_schema(parameters=[FY_PARAM])
class CycleDetail(generics.RetrieveAPIView):
    queryset = CycleList.queryset
    serializer_class = serializers.CycleSerializer
    lookup_field = "fiscal_year"
    lookup_url_kwarg = "fy"
    filter_backends: list = []


def _results_queryset(rs: ResultSet):
    return (
        AgencyResult.objects.filter(result_set=rs)
        .select_related("enrolment__agency")
        .prefetch_related(Prefetch("indicators", queryset=IndicatorResult.objects.order_by("pk")))
        .order_by("enrolment__agency__code")
    )


@extend_schema(parameters=[FY_PARAM, VERSION_PARAM])
class ResultList(generics.ListAPIView):
    """Published results of a cycle, one row per agency, with its indicator scores."""

    serializer_class = serializers.AgencyResultSerializer
    filterset_class = filters.ResultFilter

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return AgencyResult.objects.none()
        rs = published_set(self.kwargs["fy"], self.request.query_params.get("version"))
        return _results_queryset(rs)


@extend_schema(parameters=[FY_PARAM, CODE_PARAM, VERSION_PARAM])
class ResultDetail(generics.RetrieveAPIView):
    """One agency's published result in a cycle."""

    serializer_class = serializers.AgencyResultSerializer
    filter_backends: list = []

    def get_object(self):
        rs = published_set(self.kwargs["fy"], self.request.query_params.get("version"))
        obj = _results_queryset(rs).filter(enrolment__agency__code=self.kwargs["code"]).first()
        if obj is None:
            raise NotFound(_("This agency has no published result in this cycle."))
        return obj


@extend_schema(parameters=[FY_PARAM, VERSION_PARAM])
class IndicatorResultList(generics.ListAPIView):
    """Published indicator scores, one row per agency and indicator."""

    serializer_class = serializers.IndicatorResultSerializer
    filterset_class = filters.IndicatorResultFilter

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return IndicatorResult.objects.none()
        rs = published_set(self.kwargs["fy"], self.request.query_params.get("version"))
        return (
            IndicatorResult.objects.filter(agency_result__result_set=rs)
            .order_by("agency_result__enrolment__agency__code", "indicator_code")
            .values(
                "agency_result__enrolment__agency__code",
                "agency_result__province_code",
                "indicator_code",
                "score",
            )
        )


class _Aggregate(generics.ListAPIView):
    """Subclasses set group_field and give the Thai name of each group's code."""

    serializer_class = serializers.AggregateSerializer
    filterset_class = filters.AggregateFilter
    group_field = ""

    def names(self) -> dict[str, str]:
        return {}  # without names the codes are shown as they are

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return AgencyResult.objects.none()
        rs = published_set(self.kwargs["fy"], self.request.query_params.get("version"))
        return AgencyResult.objects.filter(result_set=rs)

    def list(self, request, *args, **kwargs):
        qs = self.filter_queryset(self.get_queryset())
        names = self.names()
        rows = [
            {
                "code": r[self.group_field],
                "name": names.get(r[self.group_field], r[self.group_field]),
                "assessed": r["assessed"],
                "passed": r["passed"],
                "pass_rate": r["pass_rate"],
                "average": None if r["average"] is None else round(r["average"], 2),
            }
            for r in grouped(qs, self.group_field)
        ]
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


@extend_schema(parameters=[FY_PARAM, VERSION_PARAM])
class ProvinceAggregate(_Aggregate):
    """Published results summed up per province: assessed, passed, pass rate, average."""

    group_field = "province_code"

    def names(self):
        return dict(Province.objects.values_list("code", "name_th"))


@extend_schema(parameters=[FY_PARAM, VERSION_PARAM])
class KindAggregate(_Aggregate):
    """Published results summed up per type of agency."""

    group_field = "agency_kind"

    def names(self):
        return kind_names()


# ---------------------------------------------------------------- bulk downloads

COLUMNS = serializers.RESULT_COLUMNS


def _rows(rs: ResultSet) -> Iterator[dict]:
    """Every published row with its indicators, in chunks: memory stays flat."""
    qs = AgencyResult.objects.filter(result_set=rs).order_by("pk").values_list(*PUBLIC_ROW_FIELDS)
    for chunk in batched(qs.iterator(chunk_size=CHUNK), CHUNK):
        yield from _with_indicators(chunk)


def _with_indicators(chunk: list[tuple]) -> Iterator[dict]:
    scores: dict[int, dict[str, float | None]] = {}
    for ar_id, code, score in IndicatorResult.objects.filter(
        agency_result_id__in=[r[0] for r in chunk]
    ).values_list("agency_result_id", "indicator_code", "score"):
        scores.setdefault(ar_id, {})[code] = score
    for (
        pk,
        code,
        kind,
        name,
        agency_kind,
        prov,
        dist,
        iit,
        eit,
        oit,
        total,
        grade,
        label,
        passed,
    ) in chunk:
        yield {  # rounded as NACC publishes (half-up, two decimals)
            "agency": code,
            "agency_name": f"{NAME_PREFIX.get(kind, '')}{name}",
            "kind": agency_kind,
            "province": prov,
            "district": dist,
            "iit": _r2(iit),
            "eit": _r2(eit),
            "oit": _r2(oit),
            "total": _r2(total),
            "grade": grade,
            "label": label,
            "passed": passed,
            "indicators": {c: _r2(v) for c, v in scores.get(pk, {}).items()},
        }


def _r2(value):
    return None if value is None else round2(value)


def _indicator_codes(rs: ResultSet) -> list[str]:
    codes = (
        IndicatorResult.objects.filter(agency_result__result_set=rs)
        .values_list("indicator_code", flat=True)
        .distinct()
    )
    return sorted(set(codes), key=lambda c: (len(c), c))


@extend_schema(
    parameters=[FY_PARAM, VERSION_PARAM],
    responses={
        (200, "text/csv"): OpenApiResponse(OpenApiTypes.STR, description="UTF-8 CSV with BOM")
    },
)
class DownloadCSV(APIView):
    """Every published result of a cycle as one CSV file (UTF-8 with BOM, opens in Excel)."""

    filter_backends: list = []

    def get(self, request, fy: int):
        rs = published_set(fy, request.query_params.get("version"))
        indicators = _indicator_codes(rs)

        rows = (
            [row[c] for c in COLUMNS] + [row["indicators"].get(c) for c in indicators]
            for row in _rows(rs)
        )
        return tabular.csv_response(
            f"ita-{fy}-v{rs.version}.csv", COLUMNS + [f"indicator_{c}" for c in indicators], rows
        )


@extend_schema(
    parameters=[FY_PARAM, VERSION_PARAM],
    responses={(200, "application/json"): OpenApiResponse(OpenApiTypes.OBJECT)},
)
class DownloadJSON(APIView):
    """Every published result of a cycle as one JSON document, streamed."""

    filter_backends: list = []

    def get(self, request, fy: int):
        rs = published_set(fy, request.query_params.get("version"))
        head = {
            "fiscal_year": fy,
            "version": rs.version,
            "published_at": rs.published_at.isoformat() if rs.published_at else None,
        }

        def chunks():
            yield json.dumps(head, ensure_ascii=False)[:-1] + ', "results": ['
            first = True
            for row in _rows(rs):
                yield ("" if first else ",\n") + json.dumps(row, ensure_ascii=False)
                first = False
            yield "]}"

        response = StreamingHttpResponse(chunks(), content_type="application/json; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="ita-{fy}-v{rs.version}.json"'
        return response


class Index(APIView):
    """Where everything is."""

    filter_backends: list = []

    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    def get(self, request):
        base = request.build_absolute_uri("/api/v1/")
        return Response(
            {
                "provinces": base + "provinces/",
                "agencies": base + "agencies/",
                "cycles": base + "cycles/",
                "schema": request.build_absolute_uri("/api/schema/"),
                "docs": request.build_absolute_uri("/api/docs/"),
                "catalogue": base + "catalog.jsonld",
            }
        )
