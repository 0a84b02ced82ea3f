import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template

from itas.core import thaidate


@pytest.mark.parametrize(
    ("day", "fy"),
    [
        (dt.date(2020, 9, 30), 2563),
        (dt.date(2020, 10, 1), 2564),
        (dt.date(2021, 3, 19), 2564),
        (dt.date(2021, 9, 30), 2564),
        (dt.date(2021, 10, 1), 2565),
        (dt.date(2021, 12, 31), 2565),
        (dt.date(2022, 1, 1), 2565),
    ],
)
def test_fiscal_year_starts_on_first_of_october(day, fy):
    assert thaidate.fiscal_year(day) == fy


def test_fiscal_year_bounds_round_trip():
    start, end = thaidate.fiscal_year_bounds(2565)
    assert (start, end) == (dt.date(2021, 10, 1), dt.date(2022, 9, 30))
    assert thaidate.fiscal_year(start) == thaidate.fiscal_year(end) == 2565
    assert thaidate.fiscal_year(start - dt.timedelta(days=1)) == 2564


def test_long_short_and_thai_digit_dates():
    d = dt.date(2021, 3, 19)
    assert thaidate.format_date(d) == "19 มีนาคม 2564"
    assert thaidate.format_date(d, "short") == "19 มี.ค. 64"
    assert thaidate.format_date(d, "long", "thai") == "๑๙ มีนาคม ๒๕๖๔"
    assert thaidate.format_date(d, "full") == "วันศุกร์ที่ 19 มีนาคม 2564"
    assert thaidate.format_date(dt.date(2000, 1, 5), "short") == "5 ม.ค. 43"


def test_time_is_written_as_in_letters_and_in_bangkok_time():
    utc_moment = dt.datetime(2021, 3, 19, 2, 0, tzinfo=ZoneInfo("UTC"))
    assert thaidate.format_time(utc_moment) == "09.00 น."
    # 23:30 UTC on 31 Dec is already New Year's Day in Bangkok, and a new BE year.
    late = dt.datetime(2021, 12, 31, 23, 30, tzinfo=ZoneInfo("UTC"))
    assert thaidate.format_date(late) == "1 มกราคม 2565"


def test_digits_both_ways():
    assert thaidate.thai_digits("2564") == "๒๕๖๔"
    assert thaidate.arabic_digits("๑๙ มี.ค. ๒๕๖๔") == "19 มี.ค. 2564"


def test_template_filters():
    out = Template(
        '{{ d|thaidate }}|{{ d|thaidate:"short" }}|{{ d|thaidate:"long,thai" }}|{{ d|fiscalyear }}|{{ n|score }}|{{ none|score }}'
    ).render(Context({"d": dt.date(2021, 3, 19), "n": 38.7, "none": None}))
    assert out == "19 มีนาคม 2564|19 มี.ค. 64|๑๙ มีนาคม ๒๕๖๔|2564|38.70|–"
