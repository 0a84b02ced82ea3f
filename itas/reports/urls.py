from django.urls import path

from itas.reports.views import practice, publication, results

app_name = "reports"
urlpatterns = [
    path("", results.index, name="index"),
    path("<int:fy>/", results.dashboard, name="dashboard"),
    path("<int:fy>/publish/", publication.publish, name="publish"),
    path("<int:fy>/compute/", publication.compute, name="compute"),
    path("<int:fy>/compute/status/", publication.compute_status, name="compute_status"),
    path("<int:fy>/province/", results.province_redirect, name="province_choose"),
    path(
        "<int:fy>/province/<str:code>/",
        results.dashboard,
        {"level": "province"},
        name="province",
    ),
    path(
        "<int:fy>/district/<str:code>/",
        results.dashboard,
        {"level": "district"},
        name="district",
    ),
    path("<int:fy>/group/<str:code>/", results.dashboard, {"level": "group"}, name="group"),
    path("<int:fy>/agency/<str:code>/", results.scorecard, name="scorecard"),
    path("<int:fy>/agency/<str:code>/pdf/", results.scorecard_pdf, name="scorecard_pdf"),
    path("<int:fy>/agency/<str:code>/what-if/", results.what_if, name="what_if"),
    path("<int:fy>/agencies/", results.agency_list, name="agencies"),
    path("practice/<int:cycle_pk>/", practice.practice, name="practice"),
    path(
        "practice/<int:cycle_pk>/compute/",
        practice.practice_compute,
        name="practice_compute",
    ),
    path(
        "practice/<int:cycle_pk>/compute/status/",
        practice.practice_compute_status,
        name="practice_compute_status",
    ),
    path(
        "practice/<int:cycle_pk>/agency/<str:code>/",
        practice.practice_scorecard,
        name="practice_scorecard",
    ),
    path(
        "practice/<int:cycle_pk>/agency/<str:code>/pdf/",
        practice.practice_scorecard_pdf,
        name="practice_scorecard_pdf",
    ),
    path(
        "practice/<int:cycle_pk>/agency/<str:code>/what-if/",
        practice.practice_what_if,
        name="practice_what_if",
    ),
    path(
        "<int:fy>/exports/<slug:identifier>.<slug:fmt>",
        results.export,
        name="export",
    ),
]
