"""core/coverage.py, the coverage rule (docs/time.md "Covered at T, as known at T"), on its own:
rows built by hand from the authority's dates, instants at the edges, zones on both sides of UTC,
and days that begin in a DST gap or happen twice."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import pytest

from corridor.core.coverage import (
    ANYWHERE_ON_EARTH,
    Hole,
    chain,
    continues,
    covers,
    days_left,
    fact_known_at,
    first_after,
    hole_before,
    known,
    lapse_start,
    last_local_day,
    pending,
    within,
)
from corridor.core.terms import day_start, end_of_day, zone

TICK = timedelta(microseconds=1)
NEW_YORK = zone("America/New_York")
DAMASCUS = zone("Asia/Damascus")
HAVANA = zone("America/Havana")  # DST changes at midnight: days that begin in a gap, or twice


@dataclass(frozen=True)
class Row:
    starts_at: datetime
    ends_at: datetime
    known_at: datetime
    void_at: datetime | None = None


def period(first: date, last: date, tz, known_on: date | None = None, void_at=None) -> Row:
    """A row as derive writes it: the authority's days, known from the start of `known_on`."""
    return Row(
        day_start(first, tz), end_of_day(last, tz), day_start(known_on or first, tz), void_at
    )


# ---------------------------------------------------------------- fact_known_at


def test_a_fact_with_no_time_is_known_from_the_end_of_its_day_in_its_authoritys_zone():
    """docs/time.md: S/RES/2533, adopted on 11 July 2020 with no meeting time on record, is
    known from the end of 11 July in New York (04:00 UTC on the 12th); S/RES/2672, adopted on
    9 January 2023, from 05:00 UTC on the 10th (winter time)."""
    assert fact_known_at(date(2020, 7, 11), NEW_YORK) == datetime(2020, 7, 12, 4, tzinfo=UTC)
    assert fact_known_at(date(2023, 1, 9), NEW_YORK) == datetime(2023, 1, 10, 5, tzinfo=UTC)
    # Syria's consent from 13 July 2023: known from the end of 13 July in Damascus (UTC+3).
    assert fact_known_at(date(2023, 7, 13), DAMASCUS) == datetime(2023, 7, 13, 21, tzinfo=UTC)


def test_a_fact_whose_record_gives_the_time_is_known_from_that_instant():
    """`adopted: 2020-07-11T15:05-04:00` (the meeting's time from the press release)."""
    given = datetime(2020, 7, 11, 15, 5, tzinfo=zone("America/New_York"))
    k = fact_known_at(date(2020, 7, 11), NEW_YORK, given)
    assert k == datetime(2020, 7, 11, 19, 5, tzinfo=UTC) and k.tzinfo == UTC


def test_a_declared_check_is_known_once_its_day_is_over_everywhere():
    """`crossing checked --on 2025-02-01`: known once 1 February is over on every shore, at
    12:00 UTC on the 2nd, so no reader anywhere sees it while the day is still theirs."""
    k = fact_known_at(date(2025, 2, 1), ANYWHERE_ON_EARTH)
    assert k == datetime(2025, 2, 2, 12, tzinfo=UTC)
    assert k >= end_of_day(date(2025, 2, 1), zone("Pacific/Pago_Pago"))  # UTC-11


# ---------------------------------------------------------------- known


def test_a_fact_is_known_from_its_instant_on():
    k = datetime(2023, 1, 9, 5, tzinfo=UTC)
    assert not known(k, k - TICK)
    assert known(k, k)
    assert known(k, k + timedelta(days=3000))


def test_a_voided_fact_is_known_until_the_void_instant_only():
    k, v = datetime(2023, 1, 9, tzinfo=UTC), datetime(2023, 3, 1, tzinfo=UTC)
    assert known(k, v - TICK, v)
    assert not known(k, v, v)
    assert not known(k, v + TICK, v)


# ---------------------------------------------------------------- covers


def test_a_period_covers_from_its_first_instant_to_just_before_its_end():
    row = period(date(2023, 1, 10), date(2023, 7, 10), NEW_YORK)
    assert not covers(row, row.starts_at - TICK)
    assert covers(row, row.starts_at)
    assert covers(row, row.ends_at - TICK)
    assert not covers(row, row.ends_at)


def test_until_d_ends_at_the_end_of_d_in_the_authoritys_zone():
    """ "until 10 July" in New York still covers 03:59 UTC on 11 July (EDT is UTC-4)."""
    row = period(date(2023, 1, 10), date(2023, 7, 10), NEW_YORK)
    assert covers(row, datetime(2023, 7, 11, 3, 59, tzinfo=UTC))
    assert not covers(row, datetime(2023, 7, 11, 4, tzinfo=UTC))


def test_a_period_adopted_after_its_start_covers_only_once_known():
    row = period(date(2023, 1, 10), date(2023, 7, 10), NEW_YORK, known_on=date(2023, 1, 12))
    assert not covers(row, row.starts_at)
    assert not covers(row, row.known_at - TICK)
    assert covers(row, row.known_at)


def test_a_voided_row_no_longer_covers():
    void = day_start(date(2023, 3, 1), DAMASCUS)
    row = period(date(2023, 1, 10), date(2023, 7, 10), DAMASCUS, void_at=void)
    assert covers(row, void - TICK)
    assert not covers(row, void)


# ---------------------------------------------------------------- continues


def test_a_period_that_starts_at_the_end_instant_continues():
    first = period(date(2023, 1, 10), date(2023, 7, 10), NEW_YORK)
    second = period(date(2023, 7, 11), date(2024, 1, 10), NEW_YORK, known_on=date(2023, 7, 10))
    assert second.starts_at == first.ends_at
    assert continues(second, first.ends_at, known_at=second.known_at)


def test_continuation_needs_the_next_period_known_at_t():
    first = period(date(2023, 1, 10), date(2023, 7, 10), NEW_YORK)
    second = period(date(2023, 7, 11), date(2024, 1, 10), NEW_YORK, known_on=date(2023, 7, 10))
    assert not continues(second, first.ends_at, known_at=second.known_at - TICK)


def test_a_gap_of_one_microsecond_breaks_continuation():
    first = period(date(2023, 1, 10), date(2023, 7, 10), NEW_YORK)
    late = Row(first.ends_at + TICK, first.ends_at + timedelta(days=90), first.known_at)
    assert not continues(late, first.ends_at, known_at=first.known_at)


def test_a_period_that_ends_no_later_does_not_continue():
    first = period(date(2023, 1, 10), date(2023, 7, 10), NEW_YORK)
    inside = period(date(2023, 3, 1), date(2023, 7, 10), NEW_YORK, known_on=date(2023, 1, 10))
    assert not continues(inside, first.ends_at, known_at=first.known_at)


def test_a_later_authority_ahead_of_utc_continues_one_behind():
    """New York's "until 10 July" ends at 04:00 UTC on 11 July; Damascus's 11 July began at
    21:00 UTC on 10 July: the consent overlaps the resolution's last hours and continues it."""
    resolution = period(date(2023, 1, 10), date(2023, 7, 10), NEW_YORK)
    consent = period(date(2023, 7, 11), date(2023, 10, 13), DAMASCUS, known_on=date(2023, 7, 1))
    assert consent.starts_at < resolution.ends_at
    assert continues(consent, resolution.ends_at, known_at=consent.known_at)


def test_a_later_authority_behind_utc_leaves_hours_uncovered():
    """Damascus's "until 13 October" ends at 21:00 UTC; New York's 14 October starts at 04:00
    UTC: seven hours without authority, so the chain stops."""
    consent = period(date(2023, 7, 11), date(2023, 10, 13), DAMASCUS)
    resolution = period(date(2023, 10, 14), date(2024, 1, 13), NEW_YORK, known_on=date(2023, 8, 1))
    assert resolution.starts_at - consent.ends_at == timedelta(hours=7)
    assert not continues(resolution, consent.ends_at, known_at=resolution.known_at)
    assert chain([consent, resolution], at=consent.ends_at - TICK).ends_at == consent.ends_at


# ---------------------------------------------------------------- chain


def test_nothing_known_covers_no_chain():
    row = period(date(2023, 1, 10), date(2023, 7, 10), NEW_YORK, known_on=date(2023, 1, 12))
    assert chain([], at=row.starts_at) is None
    assert chain([row], at=row.starts_at) is None  # not known yet
    assert chain([row], at=row.ends_at) is None  # over


def test_the_chain_follows_renewals_given_in_any_order():
    a = period(date(2023, 1, 10), date(2023, 7, 10), NEW_YORK)
    b = period(date(2023, 7, 11), date(2024, 1, 10), NEW_YORK, known_on=date(2023, 7, 10))
    c = period(date(2024, 1, 11), date(2024, 7, 10), NEW_YORK, known_on=date(2024, 1, 9))
    at = c.known_at
    got = chain([c, a, b], at=at)
    assert got is not None
    assert (got.rows, got.ends_at, got.last) == ((b, c), c.ends_at, c)  # a is over at `at`
    early = chain([c, a, b], at=a.starts_at)
    assert early is not None and early.rows == (a,)  # b and c were not known yet


def test_the_chain_starts_from_the_covering_row_that_ends_last():
    short = period(date(2023, 1, 10), date(2023, 3, 31), NEW_YORK)
    long = period(date(2023, 2, 1), date(2023, 7, 10), NEW_YORK, known_on=date(2023, 1, 10))
    then = period(date(2023, 7, 11), date(2023, 9, 30), NEW_YORK, known_on=date(2023, 1, 10))
    got = chain([short, long, then], at=day_start(date(2023, 2, 15), NEW_YORK))
    assert got is not None
    assert set(got.rows[:2]) == {short, long}
    assert (got.ends_at, got.last) == (then.ends_at, then)


def test_the_chain_stops_at_a_voided_row():
    a = period(date(2023, 1, 10), date(2023, 7, 10), NEW_YORK)
    void = day_start(date(2023, 5, 1), NEW_YORK)
    b = period(date(2023, 7, 11), date(2024, 1, 10), NEW_YORK, date(2023, 1, 10), void_at=void)
    before = chain([a, b], at=void - TICK)
    after = chain([a, b], at=void)
    assert before is not None and before.ends_at == b.ends_at
    assert after is not None and after.ends_at == a.ends_at


def test_the_chain_continues_across_a_day_that_begins_in_a_dst_gap():
    """Damascus skipped 00:00-01:00 on 25 March 2022: "until 24 March" ends, and "from 25
    March" starts, at the first instant that exists (01:00 local, 22:00 UTC)."""
    a = period(date(2021, 9, 25), date(2022, 3, 24), DAMASCUS)
    b = period(date(2022, 3, 25), date(2022, 9, 24), DAMASCUS, known_on=date(2022, 3, 1))
    assert a.ends_at == b.starts_at == datetime(2022, 3, 24, 22, tzinfo=UTC)
    got = chain([a, b], at=a.ends_at - TICK)
    assert got is not None and got.ends_at == b.ends_at


def test_the_chain_continues_across_a_day_that_begins_twice():
    """Havana's clocks went back from 01:00 to 00:00 on 5 November 2023: the day starts at the
    first midnight (04:00 UTC), and the 25-hour day is covered whole."""
    a = period(date(2023, 5, 5), date(2023, 11, 4), HAVANA)
    b = period(date(2023, 11, 5), date(2024, 5, 4), HAVANA, known_on=date(2023, 11, 1))
    assert a.ends_at == b.starts_at == datetime(2023, 11, 5, 4, tzinfo=UTC)
    got = chain([a, b], at=datetime(2023, 11, 5, 5, 30, tzinfo=UTC))  # the second 00:30
    assert got is not None and got.rows == (b,)


# ---------------------------------------------------------------- days left


def test_days_left_is_zero_on_the_last_day():
    ends = end_of_day(date(2023, 7, 10), NEW_YORK)
    assert days_left(ends, day_start(date(2023, 7, 10), NEW_YORK), NEW_YORK) == 0
    assert days_left(ends, ends - TICK, NEW_YORK) == 0
    assert days_left(ends, day_start(date(2023, 7, 9), NEW_YORK), NEW_YORK) == 1


def test_days_left_counts_in_the_readers_zone():
    """New York's "until 10 July" ends at 04:00 UTC on 11 July: 13:00 on 11 July in Tokyo.
    At 12:00 UTC on 10 July, a New York reader has 0 days left, a Tokyo reader 1."""
    ends = end_of_day(date(2023, 7, 10), NEW_YORK)
    at = datetime(2023, 7, 10, 12, tzinfo=UTC)
    assert days_left(ends, at, NEW_YORK) == 0
    assert days_left(ends, at, zone("Asia/Tokyo")) == 1
    assert days_left(ends, at, zone("Pacific/Pago_Pago")) == 0  # UTC-11: still 10 July


def test_days_left_counts_calendar_days_across_a_dst_change():
    """From the start of 11 March 2023 to the end of 13 March in New York is 71 hours (the
    clocks went forward on the 12th), and 2 days left."""
    at = day_start(date(2023, 3, 11), NEW_YORK)
    ends = end_of_day(date(2023, 3, 13), NEW_YORK)
    assert ends - at == timedelta(hours=71)
    assert days_left(ends, at, NEW_YORK) == 2


def test_the_25_hour_day_is_today_all_day():
    ends = end_of_day(date(2023, 11, 5), HAVANA)
    for at in (
        datetime(2023, 11, 5, 4, 30, tzinfo=UTC),  # the first 00:30
        datetime(2023, 11, 5, 5, 30, tzinfo=UTC),  # the second 00:30
        ends - TICK,
    ):
        assert days_left(ends, at, HAVANA) == 0


def test_the_last_covered_day_is_the_day_before_a_midnight_end():
    ends = end_of_day(date(2023, 7, 10), DAMASCUS)
    assert last_local_day(ends, DAMASCUS) == date(2023, 7, 10)
    assert last_local_day(ends, zone("UTC")) == date(2023, 7, 10)  # 21:00 UTC
    assert last_local_day(ends, zone("Asia/Tokyo")) == date(2023, 7, 11)  # 06:00 on the 11th


# ---------------------------------------------------------------- pending, first_after


def test_a_review_point_is_pending_until_its_decision_is_known_or_its_day_ends():
    """S/RES/2642's review on 10 January 2023, decided by S/RES/2672 adopted on the 9th with no
    time: known from 05:00 UTC on the 10th. A replay as known before that still sees it pending."""
    due = end_of_day(date(2023, 1, 10), NEW_YORK)
    decided = fact_known_at(date(2023, 1, 9), NEW_YORK)
    assert pending(due, decided, decided - TICK)
    assert not pending(due, decided, decided)
    assert pending(due, decided, decided + timedelta(hours=1), known_at=decided - TICK)
    assert pending(due, None, due - TICK) and not pending(due, None, due)


def test_the_first_row_after_a_lapse_counts_only_once_known():
    """11 July 2023: S/RES/2672 ended; Syria's consent from 13 July (Damascus) is known from
    the end of 13 July there. On the 12th, as known then, nothing follows the lapse."""
    consent = Row(
        day_start(date(2023, 7, 13), DAMASCUS),
        end_of_day(date(2024, 1, 13), DAMASCUS),
        fact_known_at(date(2023, 7, 13), DAMASCUS),
    )
    t = datetime(2023, 7, 12, 12, tzinfo=UTC)
    assert first_after([consent], t) is None
    assert first_after([consent], t, known_at=datetime(2023, 7, 14, tzinfo=UTC)) == consent
    assert first_after([consent], consent.starts_at, known_at=consent.known_at) is None


# ---------------------------------------------------------------- unknown spans: lapse_start


def test_an_instant_is_within_a_span_from_its_start_to_just_before_its_end():
    s, e = datetime(2023, 7, 1, tzinfo=UTC), datetime(2023, 8, 1, tzinfo=UTC)
    assert within(s, e, s) and within(s, e, e - TICK)
    assert not within(s, e, s - TICK) and not within(s, e, e)


ENDED = end_of_day(date(2023, 7, 10), NEW_YORK)  # S/RES/2672: 04:00 UTC on 11 July 2023


def _span(first: date, last: date) -> tuple[datetime, datetime]:
    return day_start(first, DAMASCUS), end_of_day(last, DAMASCUS)


def test_a_lapse_starts_when_authority_ends_when_no_span_is_unknown():
    assert lapse_start(ENDED, []) == ENDED
    assert lapse_start(ENDED, [_span(date(2023, 1, 1), date(2023, 1, 31))]) == ENDED


def test_a_lapse_never_starts_inside_an_unknown_span_but_where_it_ends():
    span = _span(date(2023, 7, 1), date(2023, 7, 20))
    assert lapse_start(ENDED, [span]) == span[1]


def test_a_span_starting_at_the_end_instant_moves_the_lapse_one_ending_there_does_not():
    assert lapse_start(ENDED, [(ENDED, ENDED + timedelta(days=2))]) == ENDED + timedelta(days=2)
    assert lapse_start(ENDED, [(ENDED - timedelta(days=2), ENDED)]) == ENDED


def test_a_lapse_follows_spans_that_touch_given_in_any_order():
    first = _span(date(2023, 7, 1), date(2023, 7, 20))
    second = (first[1], end_of_day(date(2023, 8, 31), DAMASCUS))
    apart = _span(date(2023, 10, 1), date(2023, 10, 31))  # after a day known: not reached
    assert lapse_start(ENDED, [apart, second, first]) == second[1]


# ---------------------------------------------------------------- hole_before


def _known(day: date, hour: int = 24) -> datetime:
    """An instant on `day` in New York: 24 is the end of the day (a fact with no time)."""
    return day_start(day, NEW_YORK) + timedelta(hours=hour)


@pytest.mark.parametrize(
    ("covered_until", "start", "known", "adopted", "hole"),
    [
        # the next day, known before it began: no gap
        (date(2023, 7, 10), date(2023, 7, 11), _known(date(2023, 7, 9)), date(2023, 7, 9), None),
        # known exactly when the coverage before it ends: no gap
        (date(2023, 7, 10), date(2023, 7, 11), _known(date(2023, 7, 10)), date(2023, 7, 10), None),
        # an overlap is no gap either
        (date(2023, 7, 10), date(2023, 7, 1), _known(date(2023, 6, 1)), date(2023, 6, 1), None),
        # days between: a plain gap
        (
            date(2023, 7, 10),
            date(2023, 7, 14),
            _known(date(2023, 7, 12)),
            date(2023, 7, 12),
            Hole(date(2023, 7, 11), date(2023, 7, 13), False, False),
        ),
        # on paper from the next day, adopted three days later (known at the end of that day):
        # nothing known covered the 11th to the 14th
        (
            date(2023, 7, 10),
            date(2023, 7, 11),
            _known(date(2023, 7, 14)),
            date(2023, 7, 14),
            Hole(date(2023, 7, 11), date(2023, 7, 14), True, False),
        ),
        # adopted on the first uncovered day, with no time: that whole day
        (
            date(2023, 7, 10),
            date(2023, 7, 11),
            _known(date(2023, 7, 11)),
            date(2023, 7, 11),
            Hole(date(2023, 7, 11), date(2023, 7, 11), True, False),
        ),
        # adopted at 15:00 on the first uncovered day: part of that day only
        (
            date(2023, 7, 10),
            date(2023, 7, 11),
            _known(date(2023, 7, 11), 15),
            date(2023, 7, 11),
            Hole(date(2023, 7, 11), date(2023, 7, 11), True, True),
        ),
        # no adoption date on record: the known instant is a stand-in, no gap is claimed
        (date(2023, 7, 10), date(2023, 7, 11), _known(date(2023, 7, 14)), None, None),
    ],
)
def test_hole_before(covered_until, start, known, adopted, hole):
    assert hole_before(covered_until, start, known.astimezone(NEW_YORK), adopted) == hole
