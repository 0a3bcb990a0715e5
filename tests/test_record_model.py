"""The record model (corridor.record.model) and the store's reading of it back
(corridor.store.instrument_rows): records are immutable; what the store reads from an
instrument's rows is the record its export parses back as; and derivation gets the same input
whether the writer hands it over or the rows are read again."""

from __future__ import annotations

import dataclasses
import json
from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from corridor.core.vocab import KINDS, PARTY_ROLES
from corridor.db import tables as t
from corridor.record import model
from corridor.record.format import (
    REFERENCE_NAME,
    Where,
    parse_document,
    parse_instrument,
    parse_text,
    reference_document,
    reference_text,
)
from corridor.record.write import to_json
from corridor.store.audit import Change
from corridor.store.instrument_rows import instrument_rec, read_instrument
from corridor.store.rederive import load, rederive
from corridor.store.snapshot import document_dict, instrument_dict, plain
from corridor.store.writer import apply

CHANGE = Change(datetime(2099, 1, 1, tzinfo=UTC), "tester", "test")
RECS = [
    obj
    for obj in vars(model).values()
    if isinstance(obj, type) and obj.__name__.endswith("Rec") and dataclasses.is_dataclass(obj)
]


def _parts(value):
    """Every record and value inside `value`, recursively (not where it came from)."""
    yield value
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        for f in dataclasses.fields(value):
            if f.name != "where":
                yield from _parts(getattr(value, f.name))
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _parts(item)


def test_every_rec_is_frozen():
    assert len(RECS) >= 13, [r.__name__ for r in RECS]
    for cls in RECS:
        assert cls.__dataclass_params__.frozen, cls.__name__  # type: ignore[attr-defined]


def test_a_parsed_record_holds_no_list_and_cannot_be_changed():
    doc = reference_document()
    records = [*doc.crossings, *doc.instruments, *doc.events, *doc.calendars]
    assert records
    for rec in records:
        for part in _parts(rec):
            assert not isinstance(part, (list, dict, set)), (rec, part)
    inst = doc.instruments[0]
    with pytest.raises(dataclasses.FrozenInstanceError):
        inst.symbol = "other"  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        inst.periods[0].until = date(2030, 1, 1)  # type: ignore[misc]
    changed = dataclasses.replace(inst, title="changed")
    assert (changed.title, inst.title) != (inst.title, inst.title)


def test_where_is_not_part_of_a_record():
    raw = {
        "symbol": "S/RES/1 (2000)",
        "kind": "resolution",
        "authority": "UN Security Council",
        "timezone": "America/New_York",
        "adopted": "2000-01-01",
        "periods": [{"crossings": ["a"], "until": "2000-06-30"}],
    }
    one = parse_instrument(raw, Where("one.yaml", line=3))
    other = parse_instrument(raw, Where("other.yaml", line=9))
    assert one == other
    assert one.where.at("kind") != other.where.at("kind")  # still named in errors


def _export_recs(conn) -> dict[str, model.InstrumentRec]:
    """Every instrument as the export file of the database parses back."""
    text = to_json(plain(document_dict(conn)))
    doc = parse_document(parse_text(text, "export.json"), "export.json")
    return {rec.symbol: rec for rec in doc.instruments}


def _stored_recs(conn) -> dict[str, model.InstrumentRec]:
    symbols = conn.execute(sa.select(t.instruments.c.symbol)).scalars()
    return {s: instrument_rec(conn, s) for s in symbols}


def _exported(rec: model.InstrumentRec) -> model.InstrumentRec:
    """The export leaves out what a database adds when moving a record (its revision)."""
    return dataclasses.replace(rec, revision=None, modified=None)


def test_instrument_rec_is_the_record_its_export_reads_back_as(reference_url, engine_for):
    with engine_for(reference_url).connect() as conn:
        stored, exported = _stored_recs(conn), _export_recs(conn)
    assert len(stored) == len(reference_document().instruments)
    assert stored.keys() == exported.keys()
    for symbol, rec in stored.items():
        assert rec == _exported(exported[symbol]), symbol


def test_instrument_rec_keeps_what_a_file_states(empty_url, engine_for):
    """Read from its rows, an instrument says what the reference file says, its periods
    resolved: the file's own `for` and `from` kept, `start` and `until` filled in."""
    with engine_for(empty_url).begin() as conn:
        apply(conn, reference_document(), change=CHANGE)
        for given_rec in reference_document().instruments:
            rec = instrument_rec(conn, given_rec.symbol)
            assert [(p.term, p.term_from, p.stated) for p in rec.periods] == [
                (p.term, p.term_from, p.stated) for p in given_rec.periods
            ]
            for p, q in zip(rec.periods, given_rec.periods, strict=True):
                assert p.start is not None and p.until is not None
                assert q.until in (None, p.until) and q.start in (None, p.start)
            assert rec.parties == given_rec.parties
            assert set(rec.reviews) == set(given_rec.reviews)


def test_derivation_reads_back_what_the_writer_handed_it(reference_url, engine_for):
    """The writer derives from the record it has just written; re-deriving from the rows
    (rederive.load) gives every coverage and deadline row again, identical."""

    def rows(conn):
        cov = t.coverage.c
        dl = t.deadlines.c
        coverage = conn.execute(
            sa.select(*[c for c in t.coverage.c if c.name != "id"]).order_by(
                cov.instrument_id, cov.crossing_id, cov.start_date, cov.known_at, cov.id
            )
        ).all()
        deadlines = conn.execute(
            sa.select(*[c for c in t.deadlines.c if c.name != "id"]).order_by(
                dl.uid, dl.crossing_id, dl.known_at, dl.id
            )
        ).all()
        return [tuple(r) for r in coverage], [tuple(r) for r in deadlines]

    with engine_for(reference_url).begin() as conn:
        before = rows(conn)
        assert before[0] and before[1]
        for iid in conn.execute(sa.select(t.instruments.c.id)).scalars():
            assert load(conn, iid).id == iid
            rederive(conn, iid)
        assert rows(conn) == before


# ---------------------------------------------------------------- generated instruments

SETTINGS = settings(
    max_examples=25,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    deadline=None,
)
ZONES = ["America/New_York", "Asia/Damascus", "Europe/Istanbul", "Pacific/Kiritimati", "UTC"]
TEXT = st.text(st.characters(codec="ascii", categories=["L", "N"]), min_size=1, max_size=12)
SLUGS = ["north-gate", "south-gate", "port"]


def _instant(day: date, seconds: int, tz: str) -> str:
    """A fact's instant as a file writes it, in whole seconds, on `day` in UTC."""
    at = datetime(day.year, day.month, day.day, tzinfo=UTC) + timedelta(seconds=seconds)
    return at.isoformat().replace("+00:00", "Z")


@st.composite
def instruments(draw, n: int):
    """`n` instruments, each renewing the one before it or not, with every part a record may
    hold: stated terms, review points and conditional extensions, reports, parties, automatic
    renewal with objections, disputed ends, a termination, instants."""
    out = []
    day = date(2000, 1, 1) + timedelta(days=draw(st.integers(0, 9000)))
    for i in range(n):
        tz = draw(st.sampled_from(ZONES))
        adopted = day
        length = draw(st.integers(30, 400))
        until = adopted + timedelta(days=length)
        first: dict = {"crossings": draw(st.lists(st.sampled_from(SLUGS), min_size=1, unique=True))}
        style = draw(st.sampled_from(["until", "for", "both", "from-date"]))
        if style in ("until", "both"):
            first["until"] = until.isoformat()
        if style in ("for", "both"):
            first["for"] = f"{length}d"
        if style == "from-date":
            first["for"] = f"{length}d"
            first["from"] = adopted.isoformat()
        if style == "both":
            first["from"] = "adoption"
        if draw(st.booleans()):
            first["stated"] = draw(TEXT)
        periods = [first]
        reviews = []
        if draw(st.booleans()):  # a 6+6: a conditional extension decided at a review
            outcome = draw(st.sampled_from(["pending", "extended", "not_extended"]))
            review = {"date": until.isoformat(), "outcome": outcome}
            if draw(st.booleans()):
                review["condition"] = draw(TEXT)
            if outcome != "pending":
                decided = until - timedelta(days=draw(st.integers(0, 20)))
                review["decided_on"] = (
                    _instant(decided, draw(st.integers(0, 86399)), tz)
                    if draw(st.booleans())
                    else decided.isoformat()
                )
                review["decided_by"] = draw(st.none() | TEXT)
            reviews.append(review)
            periods.append(
                {
                    "crossings": first["crossings"],
                    "start": (until + timedelta(days=1)).isoformat(),
                    "until": (until + timedelta(days=180)).isoformat(),
                    "conditional_on": until.isoformat(),
                }
            )
        elif draw(st.booleans()):
            first["auto_renew"] = {
                "for": draw(st.sampled_from(["30d", "3mo", "1y"])),
                **({"notice": "10d"} if draw(st.booleans()) else {}),
                **({"max": draw(st.integers(0, 5))} if draw(st.booleans()) else {}),
                "objections": [
                    {"on": (until - timedelta(days=k)).isoformat(), "by": draw(TEXT)}
                    for k in draw(st.lists(st.integers(0, 40), max_size=2, unique=True))
                ],
            }
        elif draw(st.booleans()):
            first["alternative_ends"] = [
                {"until": (until - timedelta(days=k)).isoformat(), "source": draw(TEXT)}
                for k in draw(st.lists(st.integers(1, 29), min_size=1, max_size=2, unique=True))
            ]
        raw: dict = {
            "symbol": f"S/RES/{i + 1} ({adopted.year})",
            "kind": draw(st.sampled_from(KINDS)),
            "authority": "UN Security Council" if i % 2 == 0 else "Some Government",
            "timezone": tz,
            "adopted": _instant(adopted, draw(st.integers(0, 86399)), tz)
            if draw(st.booleans())
            else adopted.isoformat(),
            "periods": periods,
        }
        if reviews:
            raw["reviews"] = reviews
        if draw(st.booleans()):
            raw["reports"] = [
                {"due": (adopted + timedelta(days=k)).isoformat(), "description": draw(TEXT)}
                for k in draw(st.lists(st.integers(1, 60), max_size=3))
            ]
        if draw(st.booleans()):
            raw["parties"] = [
                {"name": name, "role": draw(st.sampled_from(PARTY_ROLES))}
                for name in draw(st.lists(TEXT, max_size=2, unique=True))
            ]
        for key in ("title", "notes", "vote", "source", "signed_in", "caveat"):
            if draw(st.booleans()):
                raw[key] = "12-0-3" if key == "vote" else draw(TEXT)
        if draw(st.booleans()):
            effective = adopted + timedelta(days=draw(st.integers(1, length)))
            raw["terminated"] = {
                "effective": effective.isoformat(),
                "known": effective.isoformat(),
                "by": draw(st.none() | TEXT),
            }
        if out and draw(st.booleans()):
            raw["renews"] = out[-1]["symbol"]
            raw["relation"] = "replaces"
        out.append(raw)
        day = until + timedelta(days=draw(st.integers(1, 30)))
    return out


@SETTINGS
@given(data=st.data())
def test_a_generated_instrument_reads_back_as_its_export_parses(data, databases, engine_for):
    raws = data.draw(instruments(data.draw(st.integers(1, 3))))
    text = json.dumps(
        {
            "corridor": 1,
            "crossings": [
                {"slug": s, "name": s.replace("-", " ").title(), "countries": ["SY", "TR"]}
                for s in SLUGS
            ],
            "instruments": raws,
        }
    )
    doc = parse_document(parse_text(text, "generated.json"), "generated.json")
    url = databases.clone("migrated")
    with engine_for(url).begin() as conn:
        apply(conn, doc, change=CHANGE)
        stored, exported = _stored_recs(conn), _export_recs(conn)
        assert stored.keys() == {r["symbol"] for r in raws}
        for given_rec in doc.instruments:
            rec = stored[given_rec.symbol]
            assert rec == _as_recorded(given_rec, rec), given_rec.symbol
        for symbol, rec in stored.items():
            assert rec == _exported(exported[symbol]), symbol
            # and the export form is a function of the record alone
            iid = read_instrument(conn, _id(conn, symbol)).id
            assert instrument_dict(conn, iid)["symbol"] == symbol


def _as_recorded(given: model.InstrumentRec, stored: model.InstrumentRec) -> model.InstrumentRec:
    """The record `given` to the writer as it is recorded: its periods resolved (the days
    taken from `stored`, once checked to agree with what the text states) and its parts in the
    order the record keeps them (reviews by date, reports by due date and text, objections and
    alternative ends by day, a period's crossings by slug)."""
    periods = []
    for p, q in zip(given.periods, stored.periods, strict=True):
        assert p.start in (None, q.start) and p.until in (None, q.until)
        assert q.start is not None and q.until is not None and q.start <= q.until
        auto = p.auto_renew
        if auto is not None:
            auto = dataclasses.replace(
                auto, objections=tuple(sorted(auto.objections, key=lambda o: (o.on, o.by)))
            )
        periods.append(
            dataclasses.replace(
                p,
                crossings=tuple(sorted(set(p.crossings))),
                start=q.start,
                until=q.until,
                auto_renew=auto,
                alternative_ends=tuple(sorted(p.alternative_ends, key=lambda a: a.until)),
            )
        )
    return dataclasses.replace(
        given,
        periods=tuple(periods),
        reviews=tuple(sorted(given.reviews, key=lambda r: r.date)),
        reports=tuple(sorted(given.reports, key=lambda r: (r.due, r.description, r.note or ""))),
    )


def _id(conn, symbol: str) -> int:
    return conn.execute(
        sa.select(t.instruments.c.id).where(t.instruments.c.symbol == symbol)
    ).scalar_one()


def test_the_reference_text_is_what_reference_document_reads():
    doc = parse_document(parse_text(reference_text(), REFERENCE_NAME), REFERENCE_NAME)
    assert doc.instruments == reference_document().instruments
