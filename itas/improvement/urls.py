from django.urls import path

from itas.improvement import views

app_name = "improvement"
urlpatterns = [
    path("<int:fy>/goal/", views.goal, name="goal"),
    path("<int:fy>/goal.csv", views.goal_csv, name="goal_csv"),
    path("warnings/", views.warnings, name="warnings"),
    path("warnings/refresh/", views.refresh, name="refresh"),
    path("warnings/refresh/status/", views.refresh_status, name="refresh_status"),
    path("warnings/<int:pk>/remind/", views.remind, name="remind"),
]
