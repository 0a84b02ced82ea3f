from django.urls import path

from itas.events import views, views_groups, views_public

app_name = "events"
urlpatterns = [
    path("", views.event_list, name="list"),
    path("new/", views.event_create, name="create"),
    path("<int:pk>/", views.event_detail, name="detail"),
    path("<int:pk>/edit/", views.event_edit, name="edit"),
    path("<int:pk>/poster/", views.poster, name="poster"),
    path("<int:pk>/attachments/", views.attachment_add, name="attachment_add"),
    path("<int:pk>/announce/", views.announce, name="announce"),
    path("<int:pk>/follow-up/", views.followup, name="followup"),
    path("<int:pk>/remind/", views.remind, name="remind"),
    path("<int:pk>/attendance/", views.attendance, name="attendance"),
    path("registrations/<int:pk>/release/", views.release, name="release"),
    path("notices/<int:pk>/", views.announcement_detail, name="announcement"),
    path("notices/<int:pk>/acknowledge/", views.acknowledge, name="acknowledge"),
    path("target-groups/", views_groups.group_list, name="groups"),
    path("target-groups/new/", views_groups.group_new, name="group_new"),
    path("target-groups/upload/", views_groups.group_upload, name="group_upload"),
    path("target-groups/lists/<int:pk>/", views_groups.list_draft, name="list_draft"),
    path("target-groups/<int:pk>/", views_groups.group_detail, name="target_group"),
    # Public: the link and QR code that letters carry.
    path("r/<str:code>/", views_public.register, name="register"),
    path("r/<str:code>/agencies/", views_public.agency_search, name="agency_search"),
    path("r/<str:code>/done/", views_public.registered, name="registered"),
    path("r/<str:code>/qr.svg", views_public.qr, name="qr"),
    path("r/<str:code>/files/<int:attachment_id>/", views_public.attachment, name="attachment"),
    path("confirm/<str:token>/", views_public.confirm, name="confirm"),
    path("cancel/<str:token>/", views_public.cancel, name="cancel"),
    path("cancel/<str:token>/confirm/", views_public.cancel_confirm, name="cancel_confirm"),
]
