"""The time rules of docs/time.md, one test each, and property tests for the arithmetic."""

from __future__ import annotations

import calendar
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from corridor.core.coverage import last_local_day
from corridor.core.errors import UsageError
from corridor.core.terms import (
    Term,
    day_start,
    end_of_day,
    parse_date,
    parse_term,
    zone,
)

NY, DAMASCUS, ISTANBUL = zone("America/New_York"), zone("Asia/Damascus"), zone("Europe/Istanbul")
ZONES = [
    "America/New_York",
    "Asia/Damascus",
    "Europe/Istanbul",
    "Europe/London",
    "Australia/Lord_Howe",
    "America/Sao_Paulo",
    "Asia/Kolkata",
    "UTC",
    "Pacific/Apia",
]


# Rule: "until D" covers D and ends at midnight at the end of D in the authority's zone.
def test_until_ends_at_midnight_new_york_in_winter_and_summer():
    assert end_of_day(date(2023, 1, 10), NY) == datetime(2023, 1, 11, 5, 0, tzinfo=UTC)
    assert end_of_day(date(2023, 7, 10), NY) == datetime(2023, 7, 11, 4, 0, tzinfo=UTC)


def test_consent_ends_at_midnight_damascus():
    # Syria has kept UTC+3 all year since October 2022.
    assert end_of_day(date(2024, 1, 13), DAMASCUS) == datetime(2024, 1, 13, 21, 0, tzinfo=UTC)


# Rule: "for 180 days from adoption" is day arithmetic.
def test_180_days_from_adoption():
    assert parse_term("180d").after(date(2014, 7, 14)) == date(2015, 1, 10)


# Rule: "six months from 13 July" is calendar-month arithmetic.
def test_six_months_from_13_july():
    assert parse_term("6mo").after(date(2023, 7, 13)) == date(2024, 1, 13)


# Rule: month ends clamp.
@pytest.mark.parametrize(
    "start,months,end",
    [
        (date(2023, 8, 31), 6, date(2024, 2, 29)),
        (date(2022, 8, 31), 6, date(2023, 2, 28)),
        (date(2024, 2, 29), 12, date(2025, 2, 28)),
        (date(2024, 3, 31), 1, date(2024, 4, 30)),
    ],
)
def test_month_ends_clamp(start, months, end):
    assert Term(months, "months").after(start) == end


# Rule: times show in the reader's zone; a Council expiry at midnight New York is 07:00 (summer)
# or 08:00 (winter) the next morning in Gaziantep (Europe/Istanbul).
def test_council_midnight_is_next_morning_in_gaziantep():
    summer = end_of_day(date(2023, 7, 10), NY).astimezone(ISTANBUL)
    winter = end_of_day(date(2023, 1, 10), NY).astimezone(ISTANBUL)
    assert (summer.date(), summer.hour) == (date(2023, 7, 11), 7)
    assert (winter.date(), winter.hour) == (date(2023, 1, 11), 8)


# Rule: days left are calendar days in the reader's zone, to the last covered moment.
def test_days_left_counted_in_reader_zone():
    ends = end_of_day(date(2023, 1, 10), NY)
    assert last_local_day(ends, NY) == date(2023, 1, 10)
    assert last_local_day(ends, ISTANBUL) == date(2023, 1, 11)
    assert last_local_day(ends, zone("America/Los_Angeles")) == date(2023, 1, 10)


# DST edges by name: a gap and a fold at midnight.
def test_day_start_across_a_midnight_dst_gap():
    # Syria (2022-03-25): clocks jumped from 00:00 to 01:00, so the day began at 01:00 +03.
    start = day_start(date(2022, 3, 25), DAMASCUS)
    assert start == datetime(2022, 3, 24, 22, 0, tzinfo=UTC)
    assert start.astimezone(DAMASCUS).date() == date(2022, 3, 25)


def test_day_start_across_a_midnight_dst_fold():
    # Syria (2021-10-29): at 00:00 clocks went back to 23:00 on the 28th; the 29th began once.
    start = day_start(date(2021, 10, 29), DAMASCUS)
    assert start == datetime(2021, 10, 28, 22, 0, tzinfo=UTC)
    # The 28th had 25 hours.
    assert (start - day_start(date(2021, 10, 28), DAMASCUS)) == timedelta(hours=25)


def test_instants_compare_equal_in_utc_across_zones():
    ends = end_of_day(date(2022, 11, 6), NY)  # the day New York falls back
    assert ends.astimezone(ISTANBUL) == ends
    assert ends == datetime(2022, 11, 7, 5, 0, tzinfo=UTC)


@pytest.mark.parametrize("text", ["2023-02-30", "2023-13-01", "2023-00-10", "2021-02-29"])
def test_impossible_dates_are_refused(text):
    with pytest.raises(UsageError, match="not a real date"):
        parse_date(text)


@pytest.mark.parametrize("text", ["10/01/2023", "2023-1-10", "tomorrow", ""])
def test_malformed_dates_are_refused(text):
    with pytest.raises(UsageError, match="YYYY-MM-DD"):
        parse_date(text)


@pytest.mark.parametrize(
    "text,term",
    [
        ("180d", Term(180, "days")),
        ("180 days", Term(180, "days")),
        ("6mo", Term(6, "months")),
        ("6 months", Term(6, "months")),
        ("2w", Term(14, "days")),
        ("1y", Term(12, "months")),
    ],
)
def test_parse_term(text, term):
    assert parse_term(text) == term


@pytest.mark.parametrize("text", ["6", "six months", "6x", "-3d"])
def test_bad_terms_are_refused(text):
    with pytest.raises(UsageError, match="not a length of time"):
        parse_term(text)


def test_unknown_zone_is_a_usage_error():
    with pytest.raises(UsageError, match="unknown timezone"):
        zone("Mars/Olympus")


# ---------------------------------------------------------------- properties

dates = st.dates(min_value=date(1990, 1, 1), max_value=date(2090, 12, 31))


@given(dates, st.integers(min_value=0, max_value=3650))
def test_day_terms_add_exactly_n_days(start, n):
    assert (Term(n, "days").after(start) - start).days == n


@given(dates, st.integers(min_value=0, max_value=240))
def test_month_terms_land_on_the_same_day_or_the_month_end(start, n):
    end = Term(n, "months").after(start)
    months = (end.year - start.year) * 12 + end.month - start.month
    assert months == n
    last = calendar.monthrange(end.year, end.month)[1]
    assert end.day == min(start.day, last)


@given(dates, st.integers(min_value=1, max_value=120), st.integers(min_value=1, max_value=120))
def test_month_terms_are_monotonic(start, a, b):
    assert Term(min(a, b), "months").after(start) <= Term(max(a, b), "months").after(start)


@given(dates, st.sampled_from(ZONES))
def test_a_day_ends_when_the_next_begins_and_lasts_about_a_day(day, name):
    tz = zone(name)
    start, end = day_start(day, tz), end_of_day(day, tz)
    assert end == day_start(day + timedelta(days=1), tz)
    # DST shifts are at most 1 h, except Lord Howe's 30 min and Apia's 2011 dateline jump.
    hours = (end - start).total_seconds() / 3600
    assert hours == 24 or 22.5 <= hours <= 25.5 or (name == "Pacific/Apia" and hours == 0)


@given(dates, st.sampled_from(ZONES))
def test_the_last_covered_day_in_the_authority_zone_is_the_day_itself(day, name):
    tz = zone(name)
    if (end_of_day(day, tz) - day_start(day, tz)).total_seconds() == 0:
        return  # a day that did not exist (Samoa skipped 2011-12-30)
    assert last_local_day(end_of_day(day, tz), tz) == day
    assert day_start(day, tz).astimezone(tz).date() == day


# The supported range (README "Limits"): refused as usage errors, never an OverflowError.
@pytest.mark.parametrize("text", ["0001-01-01", "1899-12-31", "2200-01-01", "9999-12-31"])
def test_dates_outside_the_supported_range_are_usage_errors(text):
    with pytest.raises(UsageError, match="supported range"):
        parse_date(text, what="--as-of")


@pytest.mark.parametrize(
    "text", ["2199-12-31T23:00-05:00", "2199-12-31T23:59:59-14:00", "1900-01-01T00:00+14:00"]
)
def test_an_instant_whose_utc_date_is_outside_the_range_is_refused(text):
    """It was taken and reported "as of 2200-01-01 04:00": in range only as typed."""
    from corridor.core.terms import parse_instant

    with pytest.raises(UsageError, match="supported range"):
        parse_instant(text, UTC)


def test_an_instant_at_the_edge_of_the_range_is_taken():
    from corridor.core.terms import parse_instant

    assert parse_instant("2199-12-31T23:00+00:00", UTC).year == 2199
    assert parse_instant("1900-01-01T05:00+05:00", UTC) == datetime(1900, 1, 1, tzinfo=UTC)


def test_an_as_of_outside_the_range_is_a_usage_error(cli, reference_url):
    r = cli("status", "--as-of", "2199-12-31T23:00-05:00", "--db", reference_url)
    assert r.code == 2
    assert r.err.startswith('Error: --as-of "2199-12-31T23:00-05:00" is outside the supported')


def test_terms_and_windows_stay_inside_the_supported_range():
    from corridor.core.terms import MAX_DATE, check_instant, parse_day_count

    with pytest.raises(UsageError):
        parse_term("99999mo")
    with pytest.raises(UsageError):
        Term(6, "months").after(date(2199, 12, 1))
    with pytest.raises(UsageError):
        parse_day_count("3000000", start=date(2023, 1, 1))
    assert parse_day_count("90", start=date(2199, 12, 1)) == 30  # cut at MAX_DATE
    assert parse_day_count("6mo", start=date(2199, 12, 1)) == 30
    assert parse_day_count("6mo", start=date(2023, 1, 1)) == 181
    assert date(2199, 12, 1) + timedelta(days=30) == MAX_DATE
    with pytest.raises(UsageError):
        check_instant(datetime(2200, 1, 1, tzinfo=UTC))
    assert check_instant(datetime(2023, 7, 11, 4, 30, tzinfo=UTC)).year == 2023
