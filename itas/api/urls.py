from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from itas.api.views import improve, opendata, resources
from itas.core.permissions import public

app_name = "api"


def v(view_class, **kwargs):
    """Every API view is open data: public for the URL-permission walker."""
    return public(view_class.as_view(**kwargs))


urlpatterns = [
    path("schema/", v(SpectacularAPIView), name="schema"),
    # The split view serves the script that starts Swagger UI from docs/?script= instead of
    # inline, which the Content-Security-Policy refuses (api/swagger_ui.html).
    path(
        "docs/",
        v(
            SpectacularSwaggerSplitView,
            url_name="api:schema",
            template_name="api/swagger_ui.html",
        ),
        name="docs",
    ),
    path("v1/", v(resources.Index), name="index"),
    path("v1/provinces/", v(resources.ProvinceList), name="provinces"),
    path("v1/agencies/", v(resources.AgencyList), name="agencies"),
    path("v1/agencies/<str:code>/", v(resources.AgencyDetail), name="agency"),
    path("v1/cycles/", v(resources.CycleList), name="cycles"),
    path("v1/cycles/<int:fy>/", v(resources.CycleDetail), name="cycle"),
    path("v1/cycles/<int:fy>/results/", v(resources.ResultList), name="results"),
    path("v1/cycles/<int:fy>/results/<str:code>/", v(resources.ResultDetail), name="result"),
    path(
        "v1/cycles/<int:fy>/results/<str:code>/path/",
        v(improve.PathToPass),
        name="path_to_pass",
    ),
    path("v1/cycles/<int:fy>/goal/", v(improve.RoadToGoal), name="goal"),
    path(
        "v1/cycles/<int:fy>/indicator-results/",
        v(resources.IndicatorResultList),
        name="indicator_results",
    ),
    path(
        "v1/cycles/<int:fy>/aggregates/provinces/",
        v(resources.ProvinceAggregate),
        name="aggregate_provinces",
    ),
    path(
        "v1/cycles/<int:fy>/aggregates/kinds/", v(resources.KindAggregate), name="aggregate_kinds"
    ),
    path("v1/cycles/<int:fy>/download.csv", v(resources.DownloadCSV), name="download_csv"),
    path("v1/cycles/<int:fy>/download.json", v(resources.DownloadJSON), name="download_json"),
    path(
        "v1/cycles/<int:fy>/datapackage.json",
        v(opendata.DataPackage),
        name="datapackage",
    ),
    path("v1/cycles/<int:fy>/results.csv", v(opendata.ResultsCSV), name="results_csv"),
    path("v1/catalog.jsonld", v(opendata.Catalogue), name="catalogue"),
]
