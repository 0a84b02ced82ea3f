from django.urls import path

from . import oversight_views, review_views, submit_views, views

app_name = "disclosure"
urlpatterns = [
    path("", views.index, name="index"),
    path("board/<int:enrolment_id>/", views.board, name="board"),
    path("board/<int:enrolment_id>/assign/", views.assign, name="assign"),
    path(
        "board/<int:enrolment_id>/assign-by-function/",
        views.assign_by_function,
        name="assign_by_function",
    ),
    path("board/<int:enrolment_id>/submit/", submit_views.submit, name="submit"),
    path("board/<int:enrolment_id>/submit/check/", submit_views.submit_check, name="submit_check"),
    path("board/<int:enrolment_id>/open/", views.open_board, name="open_board"),
    path("item/<int:answer_id>/", views.item, name="item"),
    path("item/<int:answer_id>/recheck/", views.recheck, name="recheck"),
    path("item/<int:answer_id>/clarify/", views.clarify, name="clarify"),
    path("item/<int:answer_id>/answer/", views.answer_clarification, name="answer_clarification"),
    path("queue/", review_views.queue, name="queue"),
    path("queue/assign/", review_views.assign_reviewers, name="assign_reviewers"),
    path("review/<int:enrolment_id>/", review_views.review, name="review"),
    path("review/item/<int:answer_id>/", review_views.review_panel, name="review_panel"),
    path("review/item/<int:answer_id>/decide/", review_views.decide, name="decide"),
    path(
        "review/item/<int:answer_id>/clarification/",
        review_views.decide_clarification,
        name="decide_clarification",
    ),
    path("progress/", oversight_views.progress, name="progress"),
    path("confirm/<int:cycle_id>/", oversight_views.confirmation, name="confirmation"),
    path("confirm/<int:cycle_id>/run/", oversight_views.confirm, name="confirm"),
    path("confirm/<int:cycle_id>/announce/", oversight_views.announce, name="announce"),
]
