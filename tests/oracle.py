"""The brute-force oracle the report tests compare against (tests/test_sweep.py,
tests/test_one_truth.py, tests/test_records_shapes.py).

It applies the time rules of docs/time.md on its own, by interval arithmetic on the stored
periods or on a record file's own values: no coverage table, no SQL logic, no derivation code.
A period covers from the first instant of its first day to the end of its last day in the
authority's zone, and is known from the first instant of the adoption (or, for a conditional
extension, the decision) day there.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import sqlalchemy as sa

from corridor.core.terms import day_start, end_of_day, parse_term, zone
from corridor.db import tables as t


def periods(conn):
    """(slug, starts_at, ends_at, known_at, end_date) of every period that ever applied."""
    p, i, r, pc, c = t.periods.c, t.instruments.c, t.reviews.c, t.period_crossings.c, t.crossings.c
    rows = conn.execute(
        sa.select(
            c.slug,
            p.start_date,
            p.end_date,
            i.known_from,
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
    for slug, start, end, known, tzname, conditional, outcome, decided in rows:
        tz = zone(tzname)
        if conditional is not None:
            if outcome != "extended":
                continue
            known = max(known, decided)
        out.append((slug, day_start(start, tz), end_of_day(end, tz), day_start(known, tz), end))
    return out


def oracle(spans, slug: str, at: datetime):
    """(authorized, last covered day, end instant) as known at `at`, by merging intervals."""
    visible = sorted((s, e, d) for x, s, e, k, d in spans if x == slug and k <= at)
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
        adopted = day_start(inst["adopted"], tz)
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
                if max(day_start(term_["known"], tz), adopted) <= at and e > eff:
                    if s >= eff:
                        continue
                    e, last = eff, term_["effective"] - timedelta(days=1)
                    known = max(known, day_start(term_["known"], tz), adopted)
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
