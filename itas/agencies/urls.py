from django.urls import path

from itas.agencies import views

app_name = "agencies"
urlpatterns = [
    path("", views.agency_list, name="list"),
    path("new/", views.agency_add, name="add"),
    path("districts/", views.district_options, name="district_options"),
    path("<str:code>/", views.agency_detail, name="detail"),
    path("<str:code>/edit/", views.agency_edit, name="edit"),
]
