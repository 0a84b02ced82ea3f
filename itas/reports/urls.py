from django.urls import path

from itas.reports import views

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
    path(
        "<int:fy>/exports/<slug:identifier>.<slug:fmt>",
        views.export,
        name="export",
    ),
]
