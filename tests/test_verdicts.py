"""The verdict rule (corridor.core.verdicts), pure: a movement's days to one verdict."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from corridor.core.verdicts import STALE_DAYS, DayFacts, day_verdict, verdict

T = datetime(2023, 7, 1, 12, tzinfo=UTC)
END = datetime(2023, 7, 11, 4, tzinfo=UTC)  # 2023-07-10 ends in New York


def authorized(day, until=date(2023, 7, 10), depends_on=None):
    return DayFacts(day, "authorized", until=until, until_at=END, depends_on=depends_on)


def unrenewed(day, ended_at=END):
    dep = dict(uid="expiry-x@corridor", kind="expiry", date=date(2023, 7, 10), decided_by="a vote")
    return DayFacts(day, "unrenewed", ended_at=ended_at, ended_on=date(2023, 7, 10), depends_on=dep)


def test_covered_gives_the_margin_from_the_last_day():
    v = verdict([authorized(date(2023, 7, 5)), authorized(date(2023, 7, 6))], T)
    assert (v.verdict, v.until, v.margin_days) == ("covered", date(2023, 7, 10), 4)


def test_the_worst_day_wins_and_is_named_first_of_its_kind():
    days = [
        authorized(date(2023, 7, 10)),
        unrenewed(date(2023, 7, 11)),
        DayFacts(date(2023, 7, 12), "lapsed", ended_on=date(2023, 7, 10),
                 reason=dict(kind="vetoed", on=date(2023, 7, 11), instrument="draft")),
        DayFacts(date(2023, 7, 13), "lapsed", ended_on=date(2023, 7, 10)),
    ]  # fmt: skip
    v = verdict(days, T)
    assert (v.verdict, v.day) == ("blocked", date(2023, 7, 12))
    assert (
        v.text == "the authority ended 2023-07-10 and the renewal was vetoed on 2023-07-11 (draft)"
    )
    v = verdict(days[:2], T)
    assert (v.verdict, v.day, v.depends_on["kind"]) == ("at_risk", date(2023, 7, 11), "expiry")


def test_an_unrenewed_end_is_at_risk_until_it_is_stale_then_unknown():
    f = unrenewed(date(2023, 8, 1))
    assert day_verdict(f, END - timedelta(days=1)) == "at_risk"  # the end is ahead
    assert day_verdict(f, END + timedelta(days=STALE_DAYS) - timedelta(seconds=1)) == "at_risk"
    assert day_verdict(f, END + timedelta(days=STALE_DAYS)) == "unknown"


def test_an_open_renewal_is_at_risk_unknown_and_never_are_unknown():
    dep = dict(uid="notice-x@corridor", kind="notice", date=date(2023, 6, 30), decided_by="x")
    assert day_verdict(authorized(date(2023, 7, 5), depends_on=dep), T) == "at_risk"
    assert day_verdict(DayFacts(date(2023, 7, 5), "unknown", unknown={}), T) == "unknown"
    assert day_verdict(DayFacts(date(2023, 7, 5), "never"), T) == "unknown"
