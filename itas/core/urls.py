from django.urls import path

from itas.core import views, views_help

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("livez", views.livez, name="livez"),
    path("readyz", views.readyz, name="readyz"),
    path("healthz", views.readyz, name="healthz"),  # the older name, kept for proxies
    path("healthz/jobs", views.jobs_health, name="jobs_health"),
    path("system/", views.system_status, name="system_status"),
    path("outbox/", views.outbox, name="outbox"),
    path("outbox/<int:message_id>/", views.outbox_message, name="outbox_message"),
    path("audit/", views.audit_log, name="audit"),
    path("help/", views_help.index, name="help"),
    path("help/faq/new/", views_help.faq_edit, name="faq_new"),
    path("help/faq/<int:pk>/", views_help.faq_edit, name="faq_edit"),
    path("help/faq/<int:pk>/delete/", views_help.faq_delete, name="faq_delete"),
    path("help/screens/<str:name>.png", views_help.screenshot, name="help_screenshot"),
    path("help/<slug:slug>/", views_help.guide, name="help_guide"),
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/<int:notification_id>/open", views.inbox_open, name="inbox_open"),
    path("inbox/read-all", views.inbox_read_all, name="inbox_read_all"),
    path("inbox/preference", views.inbox_preference, name="inbox_preference"),
]
