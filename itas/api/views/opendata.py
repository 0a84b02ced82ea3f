"""Open-data views: the yearly Data Package (descriptor and CSV) and the DCAT catalogue."""

from __future__ import annotations

from django.http import JsonResponse, StreamingHttpResponse
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.views import APIView

from itas.api import dcat, opendata
from itas.api.views.resources import FY_PARAM, VERSION_PARAM, published_set


@extend_schema(
    parameters=[FY_PARAM, VERSION_PARAM],
    responses={
        (200, "application/json"): OpenApiResponse(
            OpenApiTypes.OBJECT,
            description="Frictionless Data Package descriptor (datapackage.json): licence, "
            "Thai and English titles and descriptions of every field, types, the rounding "
            "rule; its resource `results.csv` sits beside it.",
        )
    },
)
class DataPackage(APIView):
    """A published year as a Frictionless Data Package, ready for any open-data portal."""

    filter_backends: list = []

    def get(self, request, fy: int):
        version = request.query_params.get("version")
        rs = published_set(fy, version)
        # Relative to the descriptor, as the Data Package standard reads paths; a named
        # version needs its query string, so it gets an absolute URL.
        path = "results.csv"
        if version:
            path = request.build_absolute_uri(f"results.csv?version={rs.version}")
        doc = opendata.datapackage(
            rs,
            resource_path=path,
            homepage=request.build_absolute_uri(reverse("reports:dashboard", kwargs={"fy": fy})),
        )
        response = JsonResponse(doc, json_dumps_params={"ensure_ascii": False, "indent": 1})
        response["Content-Disposition"] = 'inline; filename="datapackage.json"'
        return response


@extend_schema(
    parameters=[FY_PARAM, VERSION_PARAM],
    responses={
        (200, "text/csv"): OpenApiResponse(
            OpenApiTypes.STR,
            description="UTF-8 CSV described by datapackage.json: names of provinces, "
            "districts and types, every score rounded half-up to two decimals",
        )
    },
)
class ResultsCSV(APIView):
    """The Data Package's table: one row per agency, rounded as NACC publishes."""

    filter_backends: list = []

    def get(self, request, fy: int):
        rs = published_set(fy, request.query_params.get("version"))
        response = StreamingHttpResponse(
            opendata.csv_lines(rs), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = f'inline; filename="ita-{fy}-v{rs.version}-results.csv"'
        return response


@extend_schema(
    responses={
        (200, "application/ld+json"): OpenApiResponse(
            OpenApiTypes.OBJECT,
            description="DCAT catalogue (JSON-LD, DCAT-AP terms) of every published year, "
            "for harvesting by a CKAN portal (ckanext-dcat)",
        )
    },
)
class Catalogue(APIView):
    """Every published year as a DCAT dataset with its distributions."""

    filter_backends: list = []

    def get(self, request):
        doc = dcat.catalogue(request.build_absolute_uri("/"))
        return JsonResponse(
            doc,
            content_type="application/ld+json",
            json_dumps_params={"ensure_ascii": False, "indent": 1},
        )
