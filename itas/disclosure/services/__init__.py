"""The verbs of OIT disclosure, one module per stage of the year: every write goes through
here, in a transaction, audited (the contract is in docs/development.md).

- `board`: the agency's item rows, assignment to officers, evidence, link checks, submission
- `review`: the assessors' review
- `clarification`: the agency's dispute and the assessor's answer
- `confirmation`: NACC freezes the decisions and announces preliminary results

Callers import from `itas.disclosure.services`; the stage modules are the place to edit.
Phases are checked on the server for every action (cycle.is_phase_open); permissions (who) are
checked here as well as in the views, so that a service called from elsewhere stays safe.
"""

from ..errors import DisclosureError
from ..models import CheckState
from ._common import MAX_TEXT
from .board import (
    assign_by_function,
    assign_items,
    clean_urls,
    item_rows,
    officers_by_function,
    open_board,
    open_boards,
    open_due_boards,
    queue_link_checks,
    recheck_links,
    requeue_stranded_checks,
    save_evidence,
    submit,
)
from .clarification import answer_clarification, file_clarification
from .confirmation import announce_preliminary_results, confirm
from .review import assign_reviewer, review_item

__all__ = [
    "MAX_TEXT",
    "CheckState",
    "DisclosureError",
    "announce_preliminary_results",
    "answer_clarification",
    "assign_by_function",
    "assign_items",
    "assign_reviewer",
    "clean_urls",
    "confirm",
    "open_board",
    "open_boards",
    "open_due_boards",
    "file_clarification",
    "item_rows",
    "officers_by_function",
    "queue_link_checks",
    "recheck_links",
    "requeue_stranded_checks",
    "review_item",
    "save_evidence",
    "submit",
]
