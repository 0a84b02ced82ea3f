from django.urls import path

from itas.frameworks import views

app_name = "frameworks"
urlpatterns = [
    path("", views.framework_list, name="list"),
    path("load/", views.framework_load, name="load"),
    path("<slug:code>/", views.framework_detail, name="detail"),
    path("<slug:code>/edit/", views.framework_edit, name="edit"),
    path("<slug:code>/clone/", views.framework_clone, name="clone"),
    path("<slug:code>/export.yaml", views.framework_export, name="export"),
]
