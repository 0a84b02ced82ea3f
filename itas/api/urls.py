from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from itas.api import views, views_improve, views_opendata
from itas.core.permissions import public

app_name = "api"


def v(view_class, **kwargs):
    """Every API view is open data: public for the URL-permission walker."""
    return public(view_class.as_view(**kwargs))


urlpatterns = [
    path("schema/", v(SpectacularAPIView), name="schema"),
    path("docs/", v(SpectacularSwaggerView, url_name="api:schema"), name="docs"),
    path("v1/", v(views.Index), name="index"),
    path("v1/provinces/", v(views.ProvinceList), name="provinces"),
    path("v1/agencies/", v(views.AgencyList), name="agencies"),
    path("v1/agencies/<str:code>/", v(views.AgencyDetail), name="agency"),
    path("v1/cycles/", v(views.CycleList), name="cycles"),
    path("v1/cycles/<int:fy>/", v(views.CycleDetail), name="cycle"),
    path("v1/cycles/<int:fy>/results/", v(views.ResultList), name="results"),
    path("v1/cycles/<int:fy>/results/<str:code>/", v(views.ResultDetail), name="result"),
    path(
        "v1/cycles/<int:fy>/results/<str:code>/path/",
        v(views_improve.PathToPass),
        name="path_to_pass",
    ),
    path("v1/cycles/<int:fy>/goal/", v(views_improve.RoadToGoal), name="goal"),
    path(
        "v1/cycles/<int:fy>/indicator-results/",
        v(views.IndicatorResultList),
        name="indicator_results",
    ),
    path(
        "v1/cycles/<int:fy>/aggregates/provinces/",
        v(views.ProvinceAggregate),
        name="aggregate_provinces",
    ),
    path("v1/cycles/<int:fy>/aggregates/kinds/", v(views.KindAggregate), name="aggregate_kinds"),
    path("v1/cycles/<int:fy>/download.csv", v(views.DownloadCSV), name="download_csv"),
    path("v1/cycles/<int:fy>/download.json", v(views.DownloadJSON), name="download_json"),
    path(
        "v1/cycles/<int:fy>/datapackage.json",
        v(views_opendata.DataPackage),
        name="datapackage",
    ),
    path("v1/cycles/<int:fy>/results.csv", v(views_opendata.ResultsCSV), name="results_csv"),
    path("v1/catalog.jsonld", v(views_opendata.Catalogue), name="catalogue"),
]
