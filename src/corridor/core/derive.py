"""Deriving coverage and deadlines from one instrument.

`plan()` is pure: plain values in (corridor.core.derive_input, built from a record by
corridor.store.instrument_rows.derive_input), rows out. `corridor.store.rederive` replaces one
instrument's derived rows in the caller's transaction and touches no other instrument's rows:
whether a later instrument supersedes an expiry is decided at query time from `coverage`
(corridor.services.reports), so recording a renewal never rewrites its predecessor.

Which periods count, and from when, is decided here and only here (docs/time.md):
- an ordinary period counts from the instrument's `known_at`: the instant its adoption (or
  announcement) became known (corridor.core.coverage.fact_known_at: the instant the record
  gives, else the end of the day in the authority's zone);
- a conditional extension counts only once its review is decided `extended`, from the instant
  the decision became known; pending or refused, it has no coverage row.
Every row carries instants: `starts_at`, `ends_at`, `known_at`, and for deadlines `void_at` (a
review is void once decided; a conditional expiry once its extension is refused). The
meaning of those instants at a given moment is corridor.core.coverage.

The shapes beyond a plain period (docs/records.md) are derived here too:
- **automatic renewal**: a period that renews unless a party objects gets successive renewal
  terms, at most `renew_max` (default DEFAULT_RENEWALS) and never past `renew_until`. Each term
  counts from its own first instant (before it, the crossing is covered until the current end,
  and that expiry says "renews automatically to D unless a party objects (by N)"; once N has
  passed without an objection, "renews automatically to D (no objection by N)"). An objection
  notified on O stops the first renewal whose objection deadline (the notice day, else the end
  of the current term) is on or after O: that renewal and the later ones get no rows, the
  expiry's note changes from the instant O became known, and that renewal's `notice` deadline is
  void from then;
- **termination** with effect from D, known at K: every row reaching past the first instant
  of D is void from K, and a row cut short at that instant is known from K
  (rows known only after K are dropped: they were never visible). Nothing is rewritten: as of
  an instant before K the old end stands;
- **disputed ends**: the period ends at the earliest of its own end and its alternative ends.

A deadline's `uid` is its identity (docs/architecture.md): the instrument (by its symbol key,
so a respelling does not change it), the kind, and which one of that kind it is. It does not
depend on the date (a corrected date moves the calendar event), the crossings, or a filter.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta

from corridor.core.coverage import fact_known_at
from corridor.core.derive_input import (  # noqa: F401 (re-exported: derive's input)
    AltEnd,
    AutoRenew,
    CrossingRef,
    Instrument,
    Objection,
    Period,
    Report,
    Review,
    Termination,
)
from corridor.core.detail import DeadlineDetail
from corridor.core.terms import day_start, end_of_day, parse_term, zone

# How many automatic renewals of one period are derived when the text sets no number: an
# agreement that renews indefinitely is shown renewing for this many terms, and the end of the
# last one says so (docs/records.md, "Automatic renewal").
DEFAULT_RENEWALS = 10
MAX_RENEWALS = 100


@dataclass
class Plan:
    coverage: list[dict] = field(default_factory=list)
    deadlines: list[dict] = field(default_factory=list)


def symbol_key(symbol: str) -> str:
    """Symbols that differ only in spacing or case name the same instrument."""
    return re.sub(r"\s+", "", symbol).casefold()


def uid(kind: str, symbol: str, ordinal: int, variant: str = "") -> str:
    """The stable identity of the `ordinal`-th deadline of `kind` of the instrument `symbol`;
    `variant` names a derived one (the 2nd automatic renewal of that period, a termination)."""
    text = f"{kind}|{symbol_key(symbol)}|{ordinal}" + (f"|{variant}" if variant else "")
    digest = hashlib.sha1(text.encode()).hexdigest()[:24]
    return f"{kind}-{digest}@corridor"


def _scope(inst: Instrument) -> list[tuple[int, str]]:
    seen: dict[int, str] = {}
    for p in inst.periods:
        for cid, slug in p.crossings:
            seen.setdefault(cid, slug)
    return sorted(seen.items(), key=lambda kv: kv[1])


@dataclass(frozen=True)
class RenewalTerm:
    """The k-th automatic renewal of a period: its days, and the last day to object to it."""

    k: int
    start: date
    end: date
    object_by: date  # the notice day, or (no notice stated) the last day of the current term


def renewal_terms(p: Period) -> list[RenewalTerm]:
    """A period's automatic renewal terms, bounded (module docstring). Each runs from the day
    after the previous end for the renewal term, counted like `for: ... from: previous`."""
    auto = p.auto
    if auto is None:
        return []
    term = parse_term(auto.term or p.term or f"{(p.end - p.start).days}d")
    notice = parse_term(auto.notice) if auto.notice else None
    out: list[RenewalTerm] = []
    prev = p.end
    for k in range(
        1, min(auto.max if auto.max is not None else DEFAULT_RENEWALS, MAX_RENEWALS) + 1
    ):
        if auto.until is not None and prev >= auto.until:
            break
        end = term.after(prev)
        end = min(end, auto.until) if auto.until is not None else end
        if end <= prev:
            break
        by = notice.before(prev) if notice is not None else prev
        out.append(RenewalTerm(k, prev + timedelta(days=1), date(end.year, end.month, end.day), by))
        prev = out[-1].end
    return out


def stopped_at(terms: list[RenewalTerm], objections) -> tuple[int, Objection] | None:
    """(k, objection): the first renewal an objection stops: the first whose objection
    deadline is on or after the day it was notified."""
    best = None
    for o in objections:
        k = next((t.k for t in terms if t.object_by >= o.on), None)
        if k is not None and (best is None or (k, o.on) < (best[0], best[1].on)):
            best = (k, o)
    return best


def _ends(inst: Instrument, p: Period) -> tuple[date, list[dict] | None]:
    """The period's end used by the reports (the earliest), and its ends with their sources
    when it is disputed."""
    if not p.alt_ends:
        return p.end, None
    own = p.stated or inst.source or "the instrument as recorded"
    ends = sorted([(p.end, own)] + [(a.end, a.source) for a in p.alt_ends])
    return ends[0][0], [{"until": e.isoformat(), "source": src} for e, src in ends]


def detail_json(detail: dict | None) -> str | None:
    """A deadline's `detail` as stored: the one place derivation turns it into JSON text
    (corridor.services.reports.detail_at reads it back)."""
    return DeadlineDetail.from_dict(detail).to_json() if detail else None  # core/detail.py


def plan(inst: Instrument) -> Plan:
    tz = zone(inst.timezone)
    out = Plan()
    known_at = fact_known_at(inst.known_from, tz, inst.known_at)
    reviews = {r.id: r for r in inst.reviews}
    extension_after = {  # review id -> the conditional period it decides
        p.conditional_review_id: p for p in inst.periods if p.conditional_review_id
    }

    def decided_at(review: Review | None) -> datetime | None:
        if review is None or review.decided_on is None or review.outcome == "pending":
            return None
        return max(fact_known_at(review.decided_on, tz, review.decided_at), known_at)

    def cover(p: Period, start: date, end: date, counts_from: datetime, origin=None) -> None:
        for cid, _slug in p.crossings:
            out.coverage.append(
                dict(
                    instrument_id=inst.id,
                    period_id=p.id,
                    crossing_id=cid,
                    start_date=start,
                    continues_after=start - timedelta(days=1),
                    end_date=end,
                    starts_at=day_start(start, tz),
                    ends_at=end_of_day(end, tz),
                    known_from=counts_from.astimezone(tz).date(),
                    known_at=counts_from,
                    void_at=None,
                    origin=origin,
                )
            )

    for ordinal, p in enumerate(inst.periods):
        end, disputed = _ends(inst, p)
        ends_at = end_of_day(end, tz)
        review = reviews.get(p.conditional_review_id) if p.conditional_review_id else None
        counts_from: datetime | None = known_at
        void_at = None
        if review is not None:
            counts_from = decided_at(review) if review.outcome == "extended" else None
            if review.outcome == "not_extended":
                void_at = decided_at(review)
        if counts_from is not None:
            cover(p, p.start, end, counts_from)
        note = _expiry_note(p, review, inst.reviews)
        detail: dict = {}
        if disputed:
            detail["disputed_ends"] = disputed
            note = (
                "end disputed: "
                + " or ".join(f"{d['until']} ({d['source']})" for d in disputed)
                + "; the earliest is used"
            )
        terms = renewal_terms(replace(p, end=end)) if counts_from is not None else []
        stop = stopped_at(terms, p.auto.objections) if p.auto else None
        live = [t for t in terms if stop is None or t.k < stop[0]]
        # Expiry j ends the period (j = 0) or its j-th renewal; renewal j + 1 may follow it.
        ends_of: list[tuple[int, date, date, datetime, datetime, datetime | None]] = [
            (0, p.start, end, ends_at, known_at, counts_from)
        ]
        for t in live:
            assert counts_from is not None  # `terms` is empty when the period never counts
            t_start = day_start(t.start, tz)
            renewal_known = max(counts_from, t_start)
            cover(p, t.start, t.end, renewal_known, "renewal")
            ends_of.append(
                (t.k, t.start, t.end, end_of_day(t.end, tz), renewal_known, renewal_known)
            )
        for j, _s, e, e_at, e_known, t_known in ends_of:
            d = dict(detail) if j == 0 else {}
            n = note if j == 0 else f"end of automatic renewal {j} of {p.end}"
            nxt = next((t for t in terms if t.k == j + 1), None)
            if p.auto is not None and counts_from is not None:
                if nxt is not None:
                    n = renew_note(nxt)
                    d.update(renews_to=nxt.end.isoformat(), objection_by=nxt.object_by.isoformat())
                    if stop is not None and stop[0] == nxt.k:
                        o = stop[1]
                        _change(
                            d,
                            max(fact_known_at(o.on, tz, o.at), known_at),
                            renews_to=None,
                            objection_by=None,
                            note=f"ends: {o.by} objected on {o.on}; no automatic renewal",
                            objection={"on": o.on.isoformat(), "by": o.by},
                        )
                    else:  # once the last day to object has passed, the renewal is certain
                        _change(
                            d,
                            end_of_day(nxt.object_by, tz),
                            note=f"renews automatically to {nxt.end} (no objection by "
                            f"{nxt.object_by})",
                        )
                elif terms or p.auto.max == 0:
                    n = (
                        f"no automatic renewal past {p.auto.until}"
                        if p.auto.until is not None and e >= p.auto.until
                        else f"last automatic renewal derived (at most {len(terms)}): "
                        "record what follows"
                    )
                    d["auto_renewal"] = "last derived"
            variant = "" if j == 0 else f"renewal {j}"
            for cid, _slug in p.crossings:
                out.deadlines.append(
                    _deadline(
                        inst,
                        uid("expiry", inst.symbol, ordinal, variant),
                        cid,
                        "expiry",
                        e,
                        e_at,
                        e_known if j else known_at,
                        void_at if j == 0 else None,
                        tz,
                        conditional=review is not None and j == 0,
                        review_id=review.id if review and j == 0 else None,
                        note=n,
                        detail=d,
                    )
                )
            # The last day to object is a deadline whether or not the text states a notice
            # period: without one, it is the end of the current term (docs/records.md).
            if nxt is not None and p.auto is not None and (stop is None or nxt.k <= stop[0]):
                objected = stop is not None and stop[0] == nxt.k
                for cid, _slug in p.crossings:
                    out.deadlines.append(
                        _deadline(
                            inst,
                            uid("notice", inst.symbol, ordinal, f"renewal {nxt.k}"),
                            cid,
                            "notice",
                            nxt.object_by,
                            end_of_day(nxt.object_by, tz),
                            t_known or known_at,
                            max(fact_known_at(stop[1].on, tz, stop[1].at), known_at)
                            if stop is not None and objected
                            else None,
                            tz,
                            note=f"last day to object to the automatic renewal to {nxt.end}",
                            detail={"renews_to": nxt.end.isoformat()},
                        )
                    )

    scope = _scope(inst)
    for ordinal, r in enumerate(inst.reviews):
        extension = extension_after.get(r.id)
        if extension is not None:
            note = f"review: extension to {extension.end} subject to {r.condition or 'a decision'}"
        else:
            note = f"review: {r.condition}" if r.condition else "review point"
        for cid, _slug in scope:
            out.deadlines.append(
                _deadline(
                    inst,
                    uid("review", inst.symbol, ordinal),
                    cid,
                    "review",
                    r.date,
                    end_of_day(r.date, tz),
                    known_at,
                    decided_at(r),
                    tz,
                    review_id=r.id,
                    note=note,
                )
            )
    for ordinal, rep in enumerate(inst.reports):
        for cid, _slug in scope:
            out.deadlines.append(
                _deadline(
                    inst,
                    uid("report", inst.symbol, ordinal),
                    cid,
                    "report",
                    rep.due,
                    end_of_day(rep.due, tz),
                    known_at,
                    None,
                    tz,
                    note=f"report due: {rep.description}",
                )
            )
    if inst.termination is not None:
        _terminate(inst, out, tz, known_at)
    return out


def _change(detail: dict, at: datetime, **values) -> None:
    """From the instant `at` on, `values` replace the detail's (and the note): what an
    objection, a passed notice day or a termination changes, as known from then. Kept in order
    of their instants; corridor.services.reports.detail_at applies those known at T."""
    changes = detail.setdefault("changes", [])
    changes.append(dict(values, at=_iso(at)))
    changes.sort(key=lambda c: c["at"])


def renew_note(nxt: RenewalTerm) -> str:
    return f"renews automatically to {nxt.end} unless a party objects (by {nxt.object_by})"


def _iso(at: datetime) -> str:
    return at.astimezone(zone("UTC")).isoformat().replace("+00:00", "Z")


def _terminate(inst: Instrument, out: Plan, tz, known_at: datetime) -> None:
    """Void what reaches past the effective instant from the day the termination is known,
    and add the rows cut short at that instant, known from then (module docstring)."""
    term = inst.termination
    if term is None:
        return
    eff_at = day_start(term.effective, tz)
    k_at = max(fact_known_at(term.known, tz, term.known_at), known_at)
    by = f" by {term.by}" if term.by else ""
    note = f"terminated{by} with effect from {term.effective} (known {term.known})"
    cut: dict[int, dict] = {}  # crossing -> the row cut short
    coverage = []
    for row in out.coverage:
        if row["ends_at"] <= eff_at:
            coverage.append(row)
            continue
        if row["starts_at"] < eff_at:
            short = dict(
                row,
                end_date=term.effective - timedelta(days=1),
                ends_at=eff_at,
                known_at=max(row["known_at"], k_at),
                origin="renewal-cut" if row["origin"] == "renewal" else "terminated",
            )
            short["known_from"] = short["known_at"].astimezone(tz).date()
            coverage.append(short)
            cut[row["crossing_id"]] = short
        if row["known_at"] < k_at:
            coverage.append(dict(row, void_at=k_at))
    out.coverage = coverage
    detail = {
        "terminated": {
            "effective": term.effective.isoformat(),
            "known": term.known.isoformat(),
            "by": term.by,
            "source": term.source,
        }
    }
    deadlines = []
    for d in out.deadlines:
        if d["kind"] == "expiry" and d["due_at"] == eff_at and d["known_at"] < k_at:
            # It ends where the termination takes effect: from K it no longer renews.
            changed = json.loads(d["detail"]) if d["detail"] else {}
            _change(changed, k_at, **detail, note=note, renews_to=None, objection_by=None)
            d = dict(d, detail=detail_json(changed))
        if d["kind"] in ("expiry", "notice") and d["due_at"] > eff_at:
            if d["known_at"] >= k_at:
                continue
            if d["void_at"] is None or d["void_at"] > k_at:
                d = dict(d, void_at=k_at, void_from=k_at.astimezone(tz).date())
        deadlines.append(d)
    for cid, short in sorted(cut.items()):
        deadlines.append(
            _deadline(
                inst,
                uid("expiry", inst.symbol, 0, "terminated"),
                cid,
                "expiry",
                short["end_date"],
                eff_at,
                short["known_at"],
                None,
                tz,
                note=note,
                detail=detail,
            )
        )
    out.deadlines = deadlines


def _deadline(
    inst: Instrument,
    key: str,
    crossing_id: int,
    kind: str,
    due: date,
    due_at: datetime,
    known_at: datetime,
    void_at: datetime | None,
    tz,
    *,
    conditional: bool = False,
    review_id: int | None = None,
    note: str,
    detail: dict | None = None,
) -> dict:
    return dict(
        uid=key,
        instrument_id=inst.id,
        crossing_id=crossing_id,
        kind=kind,
        due_date=due,
        due_at=due_at,
        known_from=known_at.astimezone(tz).date(),
        known_at=known_at,
        void_from=void_at.astimezone(tz).date() if void_at else None,
        void_at=void_at,
        conditional=conditional,
        review_id=review_id,
        note=note,
        detail=detail_json(detail),
    )


def _expiry_note(p: Period, review: Review | None, reviews: tuple[Review, ...]) -> str:
    if review is not None:
        return f"end of the extension granted at the {review.date} review, if granted"
    ending_review = next((r for r in reviews if r.date == p.end), None)
    if ending_review is not None:
        return f"expires unless continued at the {p.end} review: {ending_review.condition}"
    return f"authorization ends ({p.stated})" if p.stated else "authorization ends"
