from django.urls import path

from itas.surveys import public, views
from itas.surveys.credibility import views as credibility

app_name = "surveys"
urlpatterns = [
    # public, anonymous, cookieless
    path("go/<str:instrument>/", public.enter_code, name="enter_code"),
    path("go/<str:instrument>/<str:code>", public.questionnaire, name="go"),
    path("go/<str:instrument>/<str:code>/thanks", public.thanks, name="thanks"),
    # the agency
    path("surveys/", views.my_enrolments, name="mine"),
    path("surveys/enrolments/<int:pk>/", views.respondents, name="respondents"),
    path("surveys/enrolments/<int:pk>/population/", views.population, name="population"),
    path("surveys/enrolments/<int:pk>/rotate/", views.rotate, name="rotate"),
    path("surveys/enrolments/<int:pk>/contacts/", views.contacts_upload, name="contacts_upload"),
    # supervisors and NACC
    path("surveys/cycles/<int:cycle_pk>/progress/", views.progress, name="progress"),
    path("surveys/cycles/<int:cycle_pk>/flags/", views.flags, name="flags"),
    path("surveys/enrolments/<int:pk>/flags/", views.flags_agency, name="flags_agency"),
    path("surveys/responses/<int:pk>/exclusion/", views.exclusion, name="exclusion"),
    path("surveys/cycles/<int:cycle_pk>/credibility/", credibility.ranked, name="credibility"),
    path(
        "surveys/cycles/<int:cycle_pk>/credibility/run/",
        credibility.run,
        name="credibility_run",
    ),
    path(
        "surveys/cycles/<int:cycle_pk>/credibility/progress/",
        credibility.run_progress,
        name="credibility_progress",
    ),
    path(
        "surveys/enrolments/<int:pk>/credibility/",
        credibility.agency,
        name="credibility_agency",
    ),
    path(
        "surveys/enrolments/<int:pk>/credibility/exclude/",
        credibility.exclude_reason,
        name="credibility_exclude",
    ),
    path(
        "surveys/enrolments/<int:pk>/credibility/ask/",
        credibility.ask,
        name="credibility_ask",
    ),
    path(
        "surveys/enrolments/<int:pk>/explanations/",
        credibility.explanations,
        name="explanations",
    ),
    path(
        "surveys/enrolments/<int:pk>/explanations/<int:request_pk>/reply/",
        credibility.reply,
        name="explanation_reply",
    ),
    # telephone interviewers
    path("surveys/interviews/", views.interviews, name="interviews"),
    path("surveys/interviews/<int:pk>/", views.interview_contacts, name="interview_contacts"),
    path("surveys/interviews/<int:pk>/new/", views.interview_new, name="interview_new"),
    path("surveys/contacts/<int:pk>/status/", views.contact_status, name="contact_status"),
]
