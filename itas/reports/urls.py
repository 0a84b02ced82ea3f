from django.urls import path

from itas.reports import views, views_practice

app_name = "reports"
urlpatterns = [
    path("", views.index, name="index"),
    path("<int:fy>/", views.dashboard, name="dashboard"),
    path("<int:fy>/publish/", views.publish, name="publish"),
    path("<int:fy>/compute/", views.compute, name="compute"),
    path("<int:fy>/compute/status/", views.compute_status, name="compute_status"),
    path("<int:fy>/province/", views.province_redirect, name="province_choose"),
    path(
        "<int:fy>/province/<str:code>/",
        views.dashboard,
        {"level": "province"},
        name="province",
    ),
    path(
        "<int:fy>/district/<str:code>/",
        views.dashboard,
        {"level": "district"},
        name="district",
    ),
    path("<int:fy>/group/<str:code>/", views.dashboard, {"level": "group"}, name="group"),
    path("<int:fy>/agency/<str:code>/", views.scorecard, name="scorecard"),
    path("<int:fy>/agency/<str:code>/pdf/", views.scorecard_pdf, name="scorecard_pdf"),
    path("<int:fy>/agency/<str:code>/what-if/", views.what_if, name="what_if"),
    path("<int:fy>/agencies/", views.agency_list, name="agencies"),
    path("practice/<int:cycle_pk>/", views_practice.practice, name="practice"),
    path(
        "practice/<int:cycle_pk>/compute/",
        views_practice.practice_compute,
        name="practice_compute",
    ),
    path(
        "practice/<int:cycle_pk>/compute/status/",
        views_practice.practice_compute_status,
        name="practice_compute_status",
    ),
    path(
        "practice/<int:cycle_pk>/agency/<str:code>/",
        views_practice.practice_scorecard,
        name="practice_scorecard",
    ),
    path(
        "practice/<int:cycle_pk>/agency/<str:code>/pdf/",
        views_practice.practice_scorecard_pdf,
        name="practice_scorecard_pdf",
    ),
    path(
        "practice/<int:cycle_pk>/agency/<str:code>/what-if/",
        views_practice.practice_what_if,
        name="practice_what_if",
    ),
    path(
        "<int:fy>/exports/<slug:identifier>.<slug:fmt>",
        views.export,
        name="export",
    ),
]
