"""Deriving deadlines: the pure plan, and re-derivation that touches one instrument's rows."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

import sqlalchemy as sa

from corridor.core.derive import Instrument, Period, Report, Review, plan
from corridor.db import tables as t
from corridor.store.rederive import rederive

HAWA, SALAM = (1, "bab-al-hawa"), (2, "bab-al-salam")


def six_plus_six(outcome="pending", decided_on=None) -> Instrument:
    review = Review(7, date(2022, 1, 10), "the SG's substantive report", outcome, decided_on)
    return Instrument(
        id=3,
        symbol="S/RES/2585 (2021)",
        timezone="America/New_York",
        known_from=date(2021, 7, 9),
        periods=(
            Period(10, date(2021, 7, 11), date(2022, 1, 10), (HAWA,)),
            Period(11, date(2022, 1, 11), date(2022, 7, 10), (HAWA,), conditional_review_id=7),
        ),
        reviews=(review,),
        reports=(Report(date(2021, 12, 10), "special report"),),
    )


def test_pending_extension_is_not_coverage_but_its_expiry_is_a_conditional_deadline():
    p = plan(six_plus_six())
    assert [(c["start_date"], c["end_date"]) for c in p.coverage] == [
        (date(2021, 7, 11), date(2022, 1, 10))
    ]
    kinds = sorted((d["kind"], d["due_date"], d["conditional"]) for d in p.deadlines)
    assert kinds == [
        ("expiry", date(2022, 1, 10), False),
        ("expiry", date(2022, 7, 10), True),
        ("report", date(2021, 12, 10), False),
        ("review", date(2022, 1, 10), False),
    ]
    review = next(d for d in p.deadlines if d["kind"] == "review")
    assert review["void_from"] is None
    assert review["note"] == (
        "review: extension to 2022-07-10 subject to the SG's substantive report"
    )


def test_extended_review_makes_coverage_known_from_the_end_of_the_decision_day():
    # A decision dated D with no time is known from the end of D in the authority's zone
    # (docs/time.md, "When a fact is known"): midnight after 2022-01-10 in New York.
    p = plan(six_plus_six("extended", date(2022, 1, 10)))
    extension = [c for c in p.coverage if c["period_id"] == 11]
    assert extension[0]["known_at"] == datetime(2022, 1, 11, 5, tzinfo=UTC)
    assert extension[0]["known_from"] == date(2022, 1, 11)
    assert extension[0]["continues_after"] == date(2022, 1, 10)
    review = next(d for d in p.deadlines if d["kind"] == "review")
    assert review["void_at"] == datetime(2022, 1, 11, 5, tzinfo=UTC)


def test_a_decision_with_a_time_is_known_from_that_instant():
    base = six_plus_six("extended", date(2022, 1, 10))
    at = datetime(2022, 1, 10, 15, 5, tzinfo=UTC)
    inst = replace(base, reviews=tuple(replace(r, decided_at=at) for r in base.reviews))
    extension = [c for c in plan(inst).coverage if c["period_id"] == 11]
    assert extension[0]["known_at"] == at


def test_not_extended_voids_the_conditional_expiry():
    p = plan(six_plus_six("not_extended", date(2022, 1, 10)))
    assert [c["period_id"] for c in p.coverage] == [10]
    conditional = next(d for d in p.deadlines if d["conditional"])
    assert conditional["void_from"] == date(2022, 1, 11)  # known from the end of the 10th


def test_expiry_instant_is_midnight_in_the_authority_zone():
    p = plan(six_plus_six())
    expiry = next(d for d in p.deadlines if d["kind"] == "expiry" and not d["conditional"])
    assert expiry["due_at"] == datetime(2022, 1, 11, 5, 0, tzinfo=UTC)


def test_one_deadline_row_per_crossing_sharing_one_stable_uid():
    inst = Instrument(
        5,
        "Consent",
        "Asia/Damascus",
        date(2023, 2, 13),
        (Period(1, date(2023, 2, 13), date(2023, 5, 13), (HAWA, SALAM)),),
    )
    first, again = plan(inst), plan(inst)
    assert [d["crossing_id"] for d in first.deadlines] == [1, 2]
    assert [d["uid"] for d in first.deadlines] == [d["uid"] for d in again.deadlines]
    assert len({d["uid"] for d in first.deadlines}) == 1  # one deadline, two crossings


def test_uid_depends_on_the_instrument_and_which_deadline_not_date_or_spelling():
    def expiry_uid(symbol: str, end: date, crossings) -> str:
        inst = Instrument(
            7, symbol, "America/New_York", date(2022, 7, 12),
            (Period(1, date(2022, 7, 12), end, crossings),),
        )  # fmt: skip
        return plan(inst).deadlines[0]["uid"]

    base = expiry_uid("S/RES/2642 (2022)", date(2023, 1, 10), (HAWA,))
    assert expiry_uid("S/RES/2642(2022)", date(2023, 1, 10), (HAWA,)) == base  # respelled
    assert expiry_uid("S/RES/2642 (2022)", date(2023, 1, 11), (HAWA,)) == base  # date corrected
    assert expiry_uid("S/RES/2642 (2022)", date(2023, 1, 10), (SALAM, HAWA)) == base  # scope
    assert expiry_uid("S/RES/2672 (2023)", date(2023, 1, 10), (HAWA,)) != base


def test_rederive_touches_only_that_instruments_rows(reference_url, engine_for):
    d = t.deadlines.c
    with engine_for(reference_url).begin() as conn:
        target = conn.execute(
            sa.select(t.instruments.c.id).where(t.instruments.c.symbol == "S/RES/2642 (2022)")
        ).scalar_one()
        before = {r.id: tuple(r) for r in conn.execute(sa.select(t.deadlines))}
        rederive(conn, target)
        after = {r.id: tuple(r) for r in conn.execute(sa.select(t.deadlines))}
        mine = set(conn.execute(sa.select(d.id).where(d.instrument_id == target)).scalars())
    others_before = {k: v for k, v in before.items() if v[2] != target}
    others_after = {k: v for k, v in after.items() if k not in mine}
    assert others_before == others_after  # same ids, same values
    assert mine and not (mine & set(others_before))  # its own rows were replaced


def test_deriving_from_the_written_values_equals_deriving_from_a_re_read(reference_url, engine_for):
    """store.apply derives each instrument from the values it just wrote; re-reading it from the
    database (derive.load) must give exactly the same rows."""
    cols = [c for c in t.deadlines.c if c.name != "id"]
    cov = [c for c in t.coverage.c if c.name != "id"]
    with engine_for(reference_url).begin() as conn:

        def snapshot():
            return (
                sorted(map(tuple, conn.execute(sa.select(*cols)))),
                sorted(map(tuple, conn.execute(sa.select(*cov)))),
            )

        written = snapshot()
        for iid in conn.execute(sa.select(t.instruments.c.id)).scalars().all():
            rederive(conn, iid)
        assert snapshot() == written
