from django.urls import path

from itas.events import views, views_groups, views_public, views_sites

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
    path("<int:pk>/sites/", views_sites.site_list, name="sites"),
    path("<int:pk>/sites/follow-up/", views_sites.site_followup, name="site_followup"),
    path("<int:pk>/sites/remind/", views_sites.site_remind, name="site_remind"),
    path("<int:pk>/sites/letter/", views_sites.site_letter, name="site_letter"),
    path("sites/<int:pk>/", views_sites.site_detail, name="site"),
    path("sites/<int:pk>/assign/", views_sites.site_assign, name="site_assign"),
    path("sites/<int:pk>/choose/", views_sites.choose, name="site_choose"),
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
    path("host/<str:code>/", views_sites.site_host, name="site_host"),
    path("r/<str:code>/checkin/<str:agency_code>/", views_sites.checkin, name="checkin"),
    path("r/<str:code>/checkin/<str:agency_code>/qr.svg", views_sites.agency_qr, name="agency_qr"),
    path("confirm/<str:token>/", views_public.confirm, name="confirm"),
    path("cancel/<str:token>/", views_public.cancel, name="cancel"),
    path("cancel/<str:token>/confirm/", views_public.cancel_confirm, name="cancel_confirm"),
]
