from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from itas.core.permissions import public

urlpatterns = [
    path("", include("itas.core.urls")),
    path("accounts/", include("itas.accounts.urls")),
    path("agencies/", include("itas.agencies.urls")),
    path("frameworks/", include("itas.frameworks.urls")),
    path("cycles/", include("itas.cycles.urls")),
    path("", include("itas.surveys.urls")),  # /go/iit/<code>, /go/eit/<code>
    path("oit/", include("itas.disclosure.urls")),
    path("results/", include("itas.reports.urls")),
    path("improve/", include("itas.improvement.urls")),
    path("api/", include("itas.api.urls")),
    path("events/", include("itas.events.urls")),
    path("followup/", include("itas.followup.urls")),
    path("i18n/setlang/", public(set_language), name="set_language"),
    path("admin/", admin.site.urls),
]

handler403 = "itas.core.views.errors.permission_denied"
handler404 = "itas.core.views.errors.page_not_found"
handler400 = "itas.core.views.errors.bad_request"
handler500 = "itas.core.views.errors.server_error"
