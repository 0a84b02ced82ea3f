from django.urls import path

from itas.cycles import views, views_documents

app_name = "cycles"
urlpatterns = [
    path("", views.cycle_list, name="list"),
    path("new/", views.cycle_new, name="new"),
    path("<int:pk>/", views.calendar, name="calendar"),
    path("<int:pk>/calendar.ics", views.calendar_ics, name="ics"),
    path("<int:pk>/phases/", views.phases_edit, name="phases"),
    path("<int:pk>/open/", views.cycle_open, name="open"),
    path("<int:pk>/close/", views.cycle_close, name="close"),
    path("<int:pk>/documents/", views_documents.document_list, name="documents"),
    path("<int:pk>/documents/add/", views_documents.document_add, name="document_add"),
    path("<int:pk>/contact/", views_documents.contact_set, name="contact_set"),
    path("documents/<int:pk>/version/", views_documents.version_add, name="version_add"),
    path("documents/download/<int:version_id>/", views_documents.download, name="download"),
    path("<int:pk>/practice/", views.practice_open, name="practice_open"),
    path("<int:pk>/practice/reset/", views.practice_reset, name="practice_reset"),
    path(
        "enrolments/<int:pk>/qr-<str:instrument>.svg",
        views.enrolment_qr,
        {"fmt": "svg"},
        name="qr_svg",
    ),
    path(
        "enrolments/<int:pk>/qr-<str:instrument>.png",
        views.enrolment_qr,
        {"fmt": "png"},
        name="qr_png",
    ),
    path("enrolments/<int:pk>/poster-<str:instrument>.pdf", views.enrolment_poster, name="poster"),
]
