from django.urls import path

from . import views

app_name = "followup"
urlpatterns = [
    path("", views.index, name="index"),
    path("<int:cycle_id>/", views.agencies, name="agencies"),
    path("<int:cycle_id>/remind/", views.remind, name="remind"),
]
