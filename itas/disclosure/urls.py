from django.urls import path

from itas.disclosure.views import board, oversight, review, submit

app_name = "disclosure"
urlpatterns = [
    path("", board.index, name="index"),
    path("board/<int:enrolment_id>/", board.board, name="board"),
    path("board/<int:enrolment_id>/assign/", board.assign, name="assign"),
    path(
        "board/<int:enrolment_id>/assign-by-function/",
        board.assign_by_function,
        name="assign_by_function",
    ),
    path("board/<int:enrolment_id>/submit/", submit.submit, name="submit"),
    path("board/<int:enrolment_id>/submit/check/", submit.submit_check, name="submit_check"),
    path("board/<int:enrolment_id>/open/", board.open_board, name="open_board"),
    path("item/<int:answer_id>/", board.item, name="item"),
    path("item/<int:answer_id>/recheck/", board.recheck, name="recheck"),
    path("item/<int:answer_id>/clarify/", board.clarify, name="clarify"),
    path("item/<int:answer_id>/answer/", board.answer_clarification, name="answer_clarification"),
    path("queue/", review.queue, name="queue"),
    path("queue/assign/", review.assign_reviewers, name="assign_reviewers"),
    path("review/<int:enrolment_id>/", review.review, name="review"),
    path("review/item/<int:answer_id>/", review.review_panel, name="review_panel"),
    path("review/item/<int:answer_id>/decide/", review.decide, name="decide"),
    path(
        "review/item/<int:answer_id>/clarification/",
        review.decide_clarification,
        name="decide_clarification",
    ),
    path("progress/", oversight.progress, name="progress"),
    path("confirm/<int:cycle_id>/", oversight.confirmation, name="confirmation"),
    path("confirm/<int:cycle_id>/run/", oversight.confirm, name="confirm"),
    path("confirm/<int:cycle_id>/announce/", oversight.announce, name="announce"),
]
