"""Properties of derived dates, checked with hypothesis over generated terms and renewals
(README "Guarantees"): the pure rules every writer goes through (corridor.store.renewals for
the period a text states, corridor.core.derive.plan for the rows derived from it)."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from corridor.core.derive import Instrument, Period, plan
from corridor.core.errors import InvalidDataError
from corridor.core.terms import Term, day_start, zone
from corridor.record.format import InstrumentRec, PeriodRec
from corridor.store.renewals import Facts, check_renewal, resolve_period

ZONES = ["UTC", "America/New_York", "Asia/Damascus", "Europe/Istanbul", "Pacific/Kiritimati"]
days = st.dates(min_value=date(1990, 1, 1), max_value=date(2090, 12, 31))
terms = st.builds(
    Term, amount=st.integers(min_value=0, max_value=400), unit=st.sampled_from(["days", "months"])
)
bases = st.one_of(st.sampled_from(["start", "adoption", "previous"]), days.map(str))
SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(
    start=st.one_of(st.none(), days),
    adopted=st.one_of(st.none(), days),
    previous_end=st.one_of(st.none(), days),
    term=st.one_of(st.none(), terms),
    basis=st.one_of(st.none(), bases),
    until=st.one_of(st.none(), days),
    tz=st.sampled_from(ZONES),
)
def test_a_derived_expiry_never_precedes_its_start(
    start, adopted, previous_end, term, basis, until, tz
):
    """Whatever the text states (a start or none, `for` counted from anything, an `until`),
    the period is refused, or its last day is on or after its first, and every row derived
    from it (coverage, expiry deadline) ends on or after the instant it starts."""
    if term is None and until is None:
        until = start or adopted  # a period states an end one way or the other
        if until is None:
            return
    p = PeriodRec(("gate",), start, until, term, basis, None, None)
    try:
        first, last = resolve_period(p, adopted, previous_end)
    except InvalidDataError:
        return
    assert first <= last
    inst = Instrument(1, "S/RES/1 (2000)", tz, adopted or first,
                      (Period(1, first, last, ((1, "gate"),)),))  # fmt: skip
    out = plan(inst)
    begins = day_start(first, zone(tz))
    for row in out.coverage:
        assert row["start_date"] <= row["end_date"] and row["ends_at"] > begins
    expiries = [d for d in out.deadlines if d["kind"] == "expiry"]
    assert expiries, out.deadlines
    for d in expiries:
        assert d["due_date"] >= first and d["due_at"] > begins


@SETTINGS
@given(
    prev_end=days,
    adopted_gap=st.integers(min_value=-400, max_value=400),
    starts=st.lists(st.integers(min_value=-400, max_value=400), min_size=1, max_size=3),
    lengths=st.lists(st.integers(min_value=0, max_value=800), min_size=3, max_size=3),
    shared=st.lists(st.booleans(), min_size=3, max_size=3),
    relation=st.sampled_from([None, "renews", "confirms"]),
)
def test_a_renewal_never_shortens_coverage_by_accident(
    prev_end, adopted_gap, starts, lengths, shared, relation
):
    """A renewal (or confirmation) of an instrument that covers until `prev_end` is accepted
    only if it ends later, and none of its periods restarts a crossing that the renewed
    instrument still covers: so, once accepted, every crossing is covered at least until
    `prev_end`, and the last covered day only moves later. Shortening takes `replaces`, said
    on purpose."""
    prev = Facts("S/RES/1 (2000)", prev_end - timedelta(days=180), prev_end, ["a", "b"])
    periods = []
    for i, offset in enumerate(starts):
        first = prev_end + timedelta(days=offset)
        last = first + timedelta(days=lengths[i])
        gates = ("a", "b") if shared[i] else ("c",)
        periods.append(PeriodRec(gates, first, last, None, None, None, None))  # resolved
    rec = InstrumentRec(
        "S/RES/2 (2000)", "resolution", "UN Security Council", "UTC",
        prev.adopted + timedelta(days=180 + adopted_gap), tuple(periods),
        renews=prev.symbol, relation=relation,
    )  # fmt: skip
    try:
        check_renewal(None, rec, 1, prev_end, periods, prev)
    except InvalidDataError:
        return
    assert max(p.until for p in periods) > prev_end  # the last covered day moves later
    for p in periods:
        if set(p.crossings) & set(prev.scope):
            assert p.start > prev_end  # no renewed crossing is cut short or restarted
    assert rec.adopted >= prev.adopted
