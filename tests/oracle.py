"""The brute-force oracle the report tests compare against (tests/test_sweep.py,
tests/test_reports_agree.py, tests/test_records_shapes.py).

It applies the time rules of docs/time.md on its own, by interval arithmetic on the stored
periods or on a record file's own values: no coverage table, no SQL logic, no derivation code.
A period covers from the first instant of its first day to the end of its last day in the
authority's zone, and is known from the END of the adoption (or, for a conditional extension,
the decision) day there (a fact dated D is known once D is over); an undated (inferred) step
from the earliest known instant of the steps that renew it.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import sqlalchemy as sa

from corridor.core.terms import day_start, end_of_day, parse_term, zone
from corridor.db import tables as t


def periods(conn):
    """(slug, starts_at, ends_at, known_at, end_date) of every period that ever applied."""
    p, i, r, pc, c = t.periods.c, t.instruments.c, t.reviews.c, t.period_crossings.c, t.crossings.c
    known = _instrument_known(conn)
    rows = conn.execute(
        sa.select(
            c.slug,
            p.start_date,
            p.end_date,
            i.id,
            i.timezone,
            p.conditional_review_id,
            r.outcome,
            r.decided_on,
        ).select_from(
            t.periods.join(t.instruments, i.id == p.instrument_id)
            .join(t.period_crossings, pc.period_id == p.id)
            .join(t.crossings, c.id == pc.crossing_id)
            .outerjoin(t.reviews, r.id == p.conditional_review_id)
        )
    ).all()
    out = []
    for slug, start, end, iid, tzname, conditional, outcome, decided in rows:
        tz = zone(tzname)
        at = known[iid]
        if conditional is not None:
            if outcome != "extended":
                continue
            at = max(at, end_of_day(decided, tz))
        out.append((slug, day_start(start, tz), end_of_day(end, tz), at, end))
    return out


def _instrument_known(conn) -> dict:
    """When each instrument became known, by the rule of docs/time.md written out again here:
    the end of its adoption day (the bundled record gives no times); an undated step from the
    earliest of the steps that renew it, else from its first day."""
    i, p = t.instruments.c, t.periods.c
    rows = conn.execute(sa.select(i.id, i.adopted, i.timezone, i.renews_id)).all()
    first = {
        iid: day
        for iid, day in conn.execute(
            sa.select(p.instrument_id, sa.func.min(p.start_date)).group_by(p.instrument_id)
        )
    }
    known = {x.id: end_of_day(x.adopted, zone(x.timezone)) for x in rows if x.adopted}
    undated = [x for x in rows if x.adopted is None]
    for x in undated:
        known[x.id] = day_start(first[x.id], zone(x.timezone))
    for _ in range(len(undated)):
        for x in undated:
            later = [known[y.id] for y in rows if y.renews_id == x.id]
            if later:
                known[x.id] = min(later)
    return known


def oracle(spans, slug: str, at: datetime, known_at: datetime | None = None):
    """(authorized, last covered day, end instant) at `at` as known at `known_at` (default
    `at`), by merging intervals."""
    k = at if known_at is None else known_at
    visible = sorted((s, e, d) for x, s, e, kn, d in spans if x == slug and kn <= k)
    merged: list[list] = []
    for s, e, d in visible:
        if merged and s <= merged[-1][1]:
            if e > merged[-1][1]:
                merged[-1][1], merged[-1][2] = e, d
        else:
            merged.append([s, e, d])
    for s, e, d in merged:
        if s <= at < e:
            return True, d, e
    return False, None, None


def shape_spans(doc: dict, at: datetime):
    """The oracle's spans for a record with automatic renewals, objections, terminations and
    disputed ends, as visible at `at`, worked out from the record file's own values (no
    coverage table, no derivation code): (slug, starts_at, ends_at, known_at, last day)."""
    out = []
    for inst in doc["instruments"]:
        tz = zone(inst["timezone"])
        adopted = end_of_day(inst["adopted"], tz)  # known from the end of its day
        spans = []  # (crossings, first day, last day, known_at)
        for p in inst["periods"]:
            end = min([p["until"], *(a["until"] for a in p.get("alternative_ends", []))])
            spans.append((p["crossings"], p["start"], end, adopted))
            auto = p.get("auto_renew")
            if auto is None:
                continue
            days = (p["until"] - p["start"]).days
            term = parse_term(auto.get("for") or p.get("for") or f"{days}d")
            notice = parse_term(auto["notice"]) if auto.get("notice") else None
            prev = end
            for _k in range(auto.get("max", 10)):
                cap = auto.get("until")
                if cap is not None and prev >= cap:
                    break
                object_by = notice.before(prev) if notice else prev
                if any(o["on"] <= object_by for o in auto.get("objections", [])):
                    break  # stopped: the objection came in time for this renewal
                new_end = term.after(prev)
                new_end = date(new_end.year, new_end.month, new_end.day)
                new_end = min(new_end, cap) if cap is not None else new_end
                first = prev + timedelta(days=1)
                spans.append((p["crossings"], first, new_end, max(adopted, day_start(first, tz))))
                prev = new_end
        term_ = inst.get("terminated")
        for crossings, first, last, known in spans:
            s, e = day_start(first, tz), end_of_day(last, tz)
            if term_ is not None:
                eff = day_start(term_["effective"], tz)
                if max(end_of_day(term_["known"], tz), adopted) <= at and e > eff:
                    if s >= eff:
                        continue
                    e, last = eff, term_["effective"] - timedelta(days=1)
                    known = max(known, end_of_day(term_["known"], tz), adopted)
            for slug in crossings:
                out.append((slug, s, e, known, last))
    return out


def unknown_at(doc: dict, slug: str, at: datetime) -> bool:
    """The crossing is inside a span its record marks unknown."""
    for c in doc["crossings"]:
        if c["slug"] == slug:
            for u in c.get("unknown", []):
                tz = zone(u.get("timezone", "UTC"))
                if day_start(u["start"], tz) <= at < end_of_day(u["until"], tz):
                    return True
    return False
