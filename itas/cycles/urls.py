from django.urls import path

from itas.cycles.views import cycle, documents

app_name = "cycles"
urlpatterns = [
    path("", cycle.cycle_list, name="list"),
    path("new/", cycle.cycle_new, name="new"),
    path("<int:pk>/", cycle.calendar, name="calendar"),
    path("<int:pk>/calendar.ics", cycle.calendar_ics, name="ics"),
    path("<int:pk>/phases/", cycle.phases_edit, name="phases"),
    path("<int:pk>/open/", cycle.cycle_open, name="open"),
    path("<int:pk>/close/", cycle.cycle_close, name="close"),
    path("<int:pk>/documents/", documents.document_list, name="documents"),
    path("<int:pk>/documents/add/", documents.document_add, name="document_add"),
    path("<int:pk>/contact/", documents.contact_set, name="contact_set"),
    path("documents/<int:pk>/version/", documents.version_add, name="version_add"),
    path("documents/download/<int:version_id>/", documents.download, name="download"),
    path("<int:pk>/practice/", cycle.practice_open, name="practice_open"),
    path("<int:pk>/practice/reset/", cycle.practice_reset, name="practice_reset"),
    path(
        "enrolments/<int:pk>/qr-<str:instrument>.svg",
        cycle.enrolment_qr,
        {"fmt": "svg"},
        name="qr_svg",
    ),
    path(
        "enrolments/<int:pk>/qr-<str:instrument>.png",
        cycle.enrolment_qr,
        {"fmt": "png"},
        name="qr_png",
    ),
    path("enrolments/<int:pk>/poster-<str:instrument>.pdf", cycle.enrolment_poster, name="poster"),
]
