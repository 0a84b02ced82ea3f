"""Date and date-time form fields for every date a person types.

Thai officers think in the Buddhist era (BE = CE + 543) and often type 2569 where the browser's
date box expects 2026; accepted as it stood, that became an event in the year 2569. Year 1 went
through to the database and broke there (OverflowError on SQLite, a date in 1 BC on PostgreSQL).
So every typed date is:

* understood when its year is a BE year of the supported range (2543–2643 BE → 2000–2100 CE):
  no date of this system lies in the 26th century CE, so reading it as BE is never wrong;
* refused with a Thai message when it falls outside 2000–2100 CE, before it reaches a model.
"""

from __future__ import annotations

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

MIN_YEAR, MAX_YEAR = 2000, 2100
BE_OFFSET = 543
# A four-digit year of the BE range standing on its own in the typed text (2026-… or …/2569).
_BE_YEAR = re.compile(r"(?<!\d)(25[4-9]\d|26[0-4]\d)(?!\d)")

RANGE_MESSAGE = _(
    "Enter a date between the years %(min_be)s and %(max_be)s of the Buddhist era "
    "(%(min_ce)s–%(max_ce)s CE)."
)
RANGE_PARAMS = {
    "min_be": MIN_YEAR + BE_OFFSET,
    "max_be": MAX_YEAR + BE_OFFSET,
    "min_ce": MIN_YEAR,
    "max_ce": MAX_YEAR,
}


def from_buddhist_era(text: str) -> str:
    def ce(match: re.Match) -> str:
        year = int(match.group(1)) - BE_OFFSET
        return str(year) if MIN_YEAR <= year <= MAX_YEAR else match.group(1)

    return _BE_YEAR.sub(ce, text)


class _SensibleDates:
    """Shared by both fields: BE years read as CE, then the range."""

    widget_min = f"{MIN_YEAR:04d}-01-01"
    widget_max = f"{MAX_YEAR:04d}-12-31"

    def to_python(self, value):
        if isinstance(value, str):
            value = from_buddhist_era(value.strip())
        try:
            result = super().to_python(value)
        except (OverflowError, ValueError) as exc:  # a year the calendar cannot hold
            raise ValidationError(RANGE_MESSAGE, code="date_range", params=RANGE_PARAMS) from exc
        if result is not None and not MIN_YEAR <= result.year <= MAX_YEAR:
            raise ValidationError(RANGE_MESSAGE, code="date_range", params=RANGE_PARAMS)
        return result


class SensibleDateField(_SensibleDates, forms.DateField):
    def widget_attrs(self, widget):
        return {**super().widget_attrs(widget), "min": self.widget_min, "max": self.widget_max}


class SensibleDateTimeField(_SensibleDates, forms.DateTimeField):
    widget_min = f"{MIN_YEAR:04d}-01-01T00:00"
    widget_max = f"{MAX_YEAR:04d}-12-31T23:59"

    def widget_attrs(self, widget):
        return {**super().widget_attrs(widget), "min": self.widget_min, "max": self.widget_max}
