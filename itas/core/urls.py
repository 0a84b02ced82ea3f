from django.urls import path

from itas.core.views import guides, site

app_name = "core"
urlpatterns = [
    path("", site.home, name="home"),
    path("favicon.ico", site.favicon, name="favicon"),
    path("livez", site.livez, name="livez"),
    path("readyz", site.readyz, name="readyz"),
    path("healthz", site.readyz, name="healthz"),  # the older name, kept for proxies
    path("healthz/jobs", site.jobs_health, name="jobs_health"),
    path("system/", site.system_status, name="system_status"),
    path("outbox/", site.outbox, name="outbox"),
    path("outbox/<int:message_id>/", site.outbox_message, name="outbox_message"),
    path("outbox/<int:message_id>/body/", site.outbox_body, name="outbox_body"),
    path(
        "outbox/<int:message_id>/attachments/<int:index>/",
        site.outbox_attachment,
        name="outbox_attachment",
    ),
    path("audit/", site.audit_log, name="audit"),
    path("help/", guides.index, name="help"),
    path("help/faq/new/", guides.faq_edit, name="faq_new"),
    path("help/faq/<int:pk>/", guides.faq_edit, name="faq_edit"),
    path("help/faq/<int:pk>/delete/", guides.faq_delete, name="faq_delete"),
    path("help/screens/<str:name>.png", guides.screenshot, name="help_screenshot"),
    path("help/<slug:slug>/", guides.guide, name="help_guide"),
    path("inbox/", site.inbox, name="inbox"),
    path("inbox/<int:notification_id>/open", site.inbox_open, name="inbox_open"),
    path("inbox/read-all", site.inbox_read_all, name="inbox_read_all"),
    path("inbox/preference", site.inbox_preference, name="inbox_preference"),
]
