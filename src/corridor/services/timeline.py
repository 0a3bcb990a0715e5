"""Every period of authority of every crossing, with its gaps and review points, as known on a
date: what `corridor timeline` draws and the HTML report's chart (docs/sharing.md).

Bars come from `coverage` (only periods that really authorize: a conditional extension appears
once its review decided `extended`). Gaps follow the rules of the crossing history
(services.history): days with no authority between two periods, and the part of a day between
a lapse at midnight and an instrument adopted later that day. Plain SQL (corridor.db.sql).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, tzinfo

from corridor.core.coverage import fact_known_at, hole_before, known, known_sql, local_today
from corridor.core.links import Link, source_links
from corridor.core.terms import day_start, zone
from corridor.db.lookup import crossing_shapes
from corridor.db.sql import ReadConn, reader
from corridor.services.history import adopted_time
from corridor.services.status import horizons_at


@dataclass(frozen=True)
class Bar:
    start: date  # first covered day (authority's calendar)
    end: date  # last covered day, inclusive
    ends_at: datetime  # UTC instant the authority ends
    symbol: str
    kind: str  # resolution | consent | agreement
    authority: str
    timezone: str
    source: str | None
    source_url: str | None
    links: tuple[Link, ...] = ()  # source_url, then derived links (corridor.core.links)


@dataclass(frozen=True)
class Gap:
    first: date  # first day without authority
    last: date | None  # last day without authority; None: no authority since `first`
    partial: bool  # a lapse at midnight and an instrument adopted later that same day
    text: str


@dataclass(frozen=True)
class Mark:
    day: date
    kind: str  # review | expiry
    symbol: str
    text: str


@dataclass
class Row:
    slug: str
    name: str
    countries: tuple[str, ...]
    aliases: list[str]
    horizon: date | None  # as known at K: the latest day of a fact about the crossing
    bars: list[Bar] = field(default_factory=list)
    gaps: list[Gap] = field(default_factory=list)
    marks: list[Mark] = field(default_factory=list)


@dataclass
class Timeline:
    as_of: date
    rows: list[Row]

    @property
    def first(self) -> date | None:
        starts = [b.start for r in self.rows for b in r.bars]
        return min(starts) if starts else None

    @property
    def last(self) -> date | None:
        ends = [b.end for r in self.rows for b in r.bars]
        ends += [r.horizon for r in self.rows if r.horizon]
        return max(ends) if ends else None


COVERAGE = """
SELECT cv.crossing_id, cv.start_date, cv.end_date, cv.ends_at, cv.known_from, cv.known_at,
       i.adopted, i.symbol, i.kind, i.authority, i.timezone, i.source, i.source_url
FROM coverage cv JOIN instruments i ON i.id = cv.instrument_id
WHERE {known_cv} {only}
ORDER BY cv.crossing_id, cv.start_date, cv.end_date, i.symbol
"""

REVIEWS = """
SELECT DISTINCT cv.crossing_id, r.review_date, r.condition, r.outcome, r.decided_on,
       r.decided_at, i.symbol, i.timezone
FROM reviews r
JOIN instruments i ON i.id = r.instrument_id
JOIN coverage cv ON cv.instrument_id = r.instrument_id
WHERE {known_i} AND {known_cv} {only}
ORDER BY cv.crossing_id, r.review_date, i.symbol
"""


def timeline(
    conn: ReadConn,
    *,
    at: datetime,
    tz: tzinfo,
    crossing_ids: list[int] | None = None,
    known_at: datetime | None = None,
) -> Timeline:
    """Every crossing's coverage as known at K (default `at`; docs/time.md), drawn up to the
    reader's date at `at`."""
    k = at if known_at is None else known_at
    db = reader(conn)
    only = crossing_ids is not None
    ids = list(crossing_ids or [])
    as_of = local_today(at, tz)
    crossings = db.rows(
        "SELECT id, slug, name FROM crossings"
        + (" WHERE id IN :ids" if only else "")
        + " ORDER BY name, slug",
        ids=ids,
    )
    shapes = crossing_shapes(db)
    aliases: dict[int, list[str]] = {}
    for a in db.rows(
        "SELECT crossing_id, alias FROM crossing_aliases"
        + (" WHERE crossing_id IN :ids" if only else "")
        + " ORDER BY crossing_id, position, id",
        ids=ids,
    ):
        aliases.setdefault(a.crossing_id, []).append(a.alias)
    horizons = horizons_at(db, k, ids if only else None)
    coverage: dict[int, list] = {}
    for c in db.rows(
        COVERAGE.format(
            only="AND cv.crossing_id IN :ids" if only else "", known_cv=known_sql("cv")
        ),
        known=k,
        ids=ids,
    ):
        coverage.setdefault(c.crossing_id, []).append(c)
    reviews: dict[int, list] = {}
    for r in db.rows(
        REVIEWS.format(
            only="AND cv.crossing_id IN :ids" if only else "",
            known_i=known_sql("i", voids=False),
            known_cv=known_sql("cv"),
        ),
        known=k,
        ids=ids,
    ):
        reviews.setdefault(r.crossing_id, []).append(r)
    rows = []
    for x in crossings:
        row = Row(
            x.slug,
            x.name,
            tuple(shapes[x.slug][1]),
            aliases.get(x.id, []),
            horizons.get(x.id),
        )
        row.bars = [
            Bar(
                c.start_date,
                c.end_date,
                c.ends_at,
                c.symbol,
                c.kind,
                c.authority,
                c.timezone,
                c.source,
                c.source_url,
                tuple(source_links(c.symbol, c.source, c.source_url, c.adopted)),
            )
            for c in coverage.get(x.id, [])
        ]
        row.gaps = _gaps(coverage.get(x.id, []), as_of)
        row.marks = [
            Mark(b.end, "expiry", b.symbol, f"{b.symbol}: authority ends at the end of {b.end}")
            for b in row.bars
        ]
        for r in reviews.get(x.id, []):
            decided = r.decided_on is not None and known(
                fact_known_at(r.decided_on, zone(r.timezone), r.decided_at), k
            )
            outcome = r.outcome.replace("_", " ") if decided else "pending"
            what = r.condition or "review point"
            row.marks.append(
                Mark(r.review_date, "review", r.symbol, f"{r.symbol} review: {what} - {outcome}")
            )
        row.marks.sort(key=lambda m: (m.day, m.kind, m.symbol))
        rows.append(row)
    return Timeline(as_of, rows)


def _gaps(cover: list, as_of: date) -> list[Gap]:
    """Gaps between periods (services.history's rules), then the lapse after the last one."""
    out: list[Gap] = []
    until: date | None = None
    for c in cover:
        known_local = c.known_at.astimezone(zone(c.timezone))
        hole = hole_before(until, c.start_date, known_local, c.adopted) if until else None
        if hole is not None and not hole.until_adopted:
            first, last = hole.first, hole.last
            days = (last - first).days + 1
            span = f"on {first}" if days == 1 else f"from {first} to {last}"
            out.append(Gap(first, last, False, f"no authority {span} ({_days(days)})"))
            # A period known only after its start leaves a hole in what was known after it.
            hole = hole_before(
                c.start_date - timedelta(days=1), c.start_date, known_local, c.adopted
            )
        if hole is not None:
            out.append(Gap(hole.first, hole.last, hole.partial, _adoption_text(hole, c)))
        if until is None or c.end_date > until:
            until = c.end_date
    if until is not None and until < as_of:  # the end of authority is known: a lapse, drawn
        first = until + timedelta(days=1)  # whether the record says why or not (docs/time.md)
        out.append(Gap(first, None, False, f"no authority since {first}"))
    return out


def _adoption_text(hole, c) -> str:
    at = adopted_time(c.known_at, c.timezone, c.adopted)
    if at is not None:  # the record gives the time of adoption
        start = day_start(hole.first, zone(c.timezone)).astimezone(zone(c.timezone))
        to = f"{at:%H:%M %Z}" if at.date() == hole.first else f"{at:%Y-%m-%d %H:%M %Z}"
        return f"no authority from {start:%Y-%m-%d %H:%M} to {to}, when {c.symbol} was adopted"
    told = "later that day" if c.adopted == hole.first else f"on {c.adopted}"
    return (
        f"no authority known from {hole.first} until {c.symbol}, adopted {told}, was known "
        f"(the end of {hole.last})"
    )


def _days(n: int) -> str:
    return f"{n} day" + ("s" if n != 1 else "")
