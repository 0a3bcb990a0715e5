"""Property tests of the input/output half (README "Guarantees"):

- the local display and the stored UTC instant round-trip across DST, through the real
  database column and through the text the tool shows;
- every record the tool accepts round-trips: import, export, import into an empty database,
  export again gives the same bytes, and the values read back are the values generated.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from corridor.core.countries import ISO_3166_ALPHA2
from corridor.core.coverage import last_local_day
from corridor.core.terms import MAX_DATE, MIN_DATE, day_start, end_of_day, zone
from corridor.core.text import text_problem
from corridor.core.vocab import EVENT_KINDS, KINDS

ZONES = [
    "America/New_York",
    "Asia/Damascus",
    "Europe/Istanbul",
    "Europe/London",
    "Australia/Lord_Howe",  # a 30-minute DST shift
    "America/Santiago",
    "Pacific/Apia",  # skipped a whole day in 2011
    "Pacific/Kiritimati",  # UTC+14
    "Pacific/Pago_Pago",  # UTC-11
    "Asia/Tehran",
    "UTC",
]
FIXTURES_OK = settings(
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    deadline=None,
)

instants = st.datetimes(
    min_value=datetime(1900, 1, 2),
    max_value=datetime(2199, 12, 30),
    timezones=st.just(UTC),
)
# Weighted towards DST changes: the hours around the transitions of recent years.
near_transitions = st.builds(
    lambda year, month, day, minutes: (
        datetime(year, month, day, tzinfo=UTC) + timedelta(minutes=minutes)
    ),
    st.integers(2010, 2030),
    st.sampled_from([3, 4, 9, 10, 11]),
    st.integers(1, 28),
    st.integers(0, 24 * 60 - 1),
)


@given(
    instant=st.one_of(instants, near_transitions),
    name=st.sampled_from(ZONES),
)
def test_local_display_and_utc_instant_round_trip(instant, name):
    """The local time the tool shows, with its offset, names exactly the stored instant, also in
    a DST fold (the same wall time twice) and next to a gap."""
    tz = zone(name)
    local = instant.astimezone(tz)
    shown = local.isoformat()
    assert datetime.fromisoformat(shown).astimezone(UTC) == instant
    # The local calendar day of an instant starts at or before it and ends after it.
    day = local.date()
    if MIN_DATE < day < MAX_DATE:
        assert day_start(day, tz) <= instant < end_of_day(day, tz)
        assert last_local_day(end_of_day(day, tz), tz) == day


@given(
    day=st.dates(min_value=MIN_DATE + timedelta(days=1), max_value=MAX_DATE - timedelta(days=1)),
    name=st.sampled_from(ZONES),
)
def test_every_day_has_one_start_and_one_end(day, name):
    tz = zone(name)
    start, end = day_start(day, tz), end_of_day(day, tz)
    assert start < end and start.astimezone(tz).date() == day
    assert (end - timedelta(microseconds=1)).astimezone(tz).date() == day


@pytest.fixture(scope="module")
def instant_table(databases):
    """A table with the tool's UTC instant column type, on the backend under test."""
    from corridor.db.connect import Location, make_engine
    from corridor.db.types import UTCDateTime

    engine = make_engine(Location(databases.clone("migrated"), "test"))
    meta = sa.MetaData()
    table = sa.Table(
        "probe_instants",
        meta,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("at", UTCDateTime(), nullable=False),
    )
    meta.create_all(engine)
    yield engine, table
    engine.dispose()


@FIXTURES_OK
@given(
    values=st.lists(st.one_of(instants, near_transitions), min_size=1, max_size=30),
    name=st.sampled_from(ZONES),
)
def test_instants_stored_in_the_database_come_back_identical(instant_table, values, name):
    """An instant given in any local zone is stored as UTC and read back as the same instant."""
    engine, table = instant_table
    tz = zone(name)
    with engine.begin() as conn:
        conn.execute(sa.delete(table))
        conn.execute(
            sa.insert(table), [{"id": i, "at": v.astimezone(tz)} for i, v in enumerate(values)]
        )
        back = dict(conn.execute(sa.select(table.c.id, table.c.at)).all())
    for i, v in enumerate(values):
        assert back[i] == v and back[i].utcoffset() == timedelta(0)


# ---------------------------------------------------------------- record round trip

_LETTERS = st.characters(
    categories=("L", "M", "N", "P", "S", "Zs"),
    exclude_characters="\u2028\u2029",
)


def _text(limit: int, *, multiline: bool = False):
    alphabet = st.one_of(_LETTERS, st.sampled_from("\n\t")) if multiline else _LETTERS
    return (
        st.text(alphabet, min_size=1, max_size=min(limit, 60))
        .map(str.strip)
        .filter(lambda s: s and text_problem(s, multiline=multiline, limit=limit) is None)
    )


def _ident(limit: int, prefix: str = ""):
    """A name, symbol, alias or authority: what people look things up by, so also one that
    cannot pass for another (no invisible characters, no Latin mixed with Greek or Cyrillic)."""
    return (
        st.text(_LETTERS, min_size=1, max_size=min(limit, 60))
        .map(lambda s: prefix + s.strip())
        .filter(
            lambda s: (
                s != prefix
                and text_problem(s, multiline=False, limit=limit + len(prefix), identifier=True)
                is None
            )
        )
    )


DAYS = st.dates(min_value=date(1900, 1, 1), max_value=date(2190, 12, 31))
COUNTRIES = sorted(ISO_3166_ALPHA2)


@st.composite
def records(draw):
    n = draw(st.integers(1, 3))
    crossings = []
    for i in range(n):
        crossings.append(
            {
                "slug": f"c{i}-x",
                "name": draw(_ident(190, f"{i} ")),
                "countries": draw(
                    st.lists(st.sampled_from(COUNTRIES), min_size=1, max_size=3, unique=True)
                ),
                "aliases": [draw(_ident(150, f"{i}a{j} ")) for j in range(draw(st.integers(0, 2)))],
                "notes": draw(st.none() | _text(10_000, multiline=True)),
            }
        )
    slugs = [c["slug"] for c in crossings]
    instruments = []
    for i in range(draw(st.integers(0, 3))):
        adopted = draw(DAYS)
        period = {"crossings": draw(st.lists(st.sampled_from(slugs), min_size=1, unique=True))}
        if draw(st.booleans()):
            period["until"] = adopted + timedelta(days=draw(st.integers(0, 3000)))
        else:
            period["for"] = draw(st.sampled_from(["90d", "180d", "6mo", "12mo", "1y", "2w"]))
        instruments.append(
            {
                "symbol": draw(_ident(180, f"S/{i}/")),
                "kind": draw(st.sampled_from(KINDS)),
                "authority": draw(_ident(200)),
                "timezone": draw(st.sampled_from(ZONES)),
                "adopted": adopted,
                "title": draw(st.none() | _text(10_000)),
                "notes": draw(st.none() | _text(10_000, multiline=True)),
                "periods": [period],
            }
        )
    events = [
        {
            "date": draw(DAYS),
            "kind": draw(st.sampled_from(EVENT_KINDS)),
            "title": f"{i} " + draw(_text(500)),
            "crossings": draw(st.lists(st.sampled_from(slugs), min_size=1, max_size=1)),
        }
        for i in range(draw(st.integers(0, 2)))
    ]
    doc = {"corridor": 1, "crossings": crossings, "instruments": instruments, "events": events}
    return {k: v for k, v in doc.items() if v != []}


def _strip_none(value):
    if isinstance(value, dict):
        return {k: _strip_none(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_strip_none(v) for v in value]
    return value


@settings(
    max_examples=20,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    deadline=None,
)
@given(doc=records(), as_json=st.booleans())
def test_every_accepted_record_round_trips(doc, as_json, cli, databases, tmp_path):
    from corridor.record.write import to_json, to_yaml

    data = _strip_none(doc)
    text = to_json(data) if as_json else to_yaml(data)
    src = tmp_path / ("in.json" if as_json else "in.yaml")
    src.write_text(text, encoding="utf-8")
    first, second = databases.clone("migrated"), databases.clone("migrated")
    r = cli("import", str(src), "--yes", "--db", first)
    assert r.code == 0, r.err
    one = cli("export", "--db", first).out
    (tmp_path / "one.yaml").write_text(one, encoding="utf-8")
    r = cli("import", str(tmp_path / "one.yaml"), "--yes", "--db", second)
    assert r.code == 0, r.err
    assert cli("export", "--db", second).out == one
    exported = cli("export", "--format", "json", "--db", first).out
    import json

    back = json.loads(exported)
    for made, got in zip(data["crossings"], back["crossings"], strict=True):
        assert (got["name"], got["countries"]) == (made["name"], made["countries"])
        assert got.get("notes") == made.get("notes")
    symbols = sorted(i["symbol"] for i in data.get("instruments", []))
    assert sorted(i["symbol"] for i in back.get("instruments", [])) == symbols


@given(instant=near_transitions, name=st.sampled_from(ZONES))
def test_the_table_display_names_one_instant_across_dst(instant, name):
    """The ENDS column shows `YYYY-MM-DD HH:MM ZONE` (corridor.present.render): in a DST fold the
    wall time repeats, and the zone abbreviation tells the two instants apart."""
    from corridor.present.render import _cell

    tz = zone(name)
    local = instant.astimezone(tz)
    shown = _cell(local)
    wall = datetime.strptime(shown[:16], "%Y-%m-%d %H:%M")
    abbr = shown[17:]
    matches = {
        candidate.astimezone(UTC)
        for fold in (0, 1)
        if (candidate := wall.replace(tzinfo=tz, fold=fold)).tzname() == abbr
        and candidate.astimezone(UTC).astimezone(tz).replace(tzinfo=None) == wall
    }
    assert matches == {instant.replace(second=0, microsecond=0)}
