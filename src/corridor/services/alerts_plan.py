"""What fires, for whom, now (docs/alerts.md, "What fires"): thresholds, catch-up, lapses,
stale knowledge, acknowledgements. Pure reads through plain SQL, so an `alerts run` with
nothing due stays on the fast read path.

One alert is one (deadline uid, deadline date, threshold, recipient). Thresholds are days
before the deadline's last covered day in the recipient's zone; a lapse repeats as negative
thresholds (days after), so "more urgent" is always "smaller threshold".
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta, tzinfo
from functools import partial
from typing import Any

from corridor.core.links import first_url, source_links
from corridor.core.quiet import Until
from corridor.core.terms import zone
from corridor.core.vocab import DEADLINE_KINDS
from corridor.core.words import reason_text
from corridor.db.sql import ReadConn, Reader, reader
from corridor.services.alert_facts import Alert, AlertFacts
from corridor.services.alert_settings import DEFAULT_THRESHOLDS, Recipient, Rule, Settings
from corridor.services.alerts_close import closures, lapse_reason
from corridor.services.reports import Deadline, Status, status, upcoming
from corridor.services.status import lost_authority

# Importable from here, as before: the alert, and who gets alerts with which settings.
__all__ = ["DEFAULT_THRESHOLDS", "Alert", "AlertFacts", "Recipient", "Rule", "Settings"]

ALERT_KINDS = (*DEADLINE_KINDS, "lapse", "stale", "renewed", "reason")


# ---------------------------------------------------------------- the one adapter


def read_upcoming(conn: ReadConn, *, at: datetime, tz: tzinfo, within: int) -> list[Deadline]:
    """corridor.services.reports.upcoming and status, through one adapter each: they take the
    instant `at` (aware, UTC) and the reader's zone."""
    return upcoming(conn, at=at, within=within, tz=tz, working_days=False)  # no day-off flag


def read_status(
    conn: ReadConn,
    *,
    at: datetime,
    tz: tzinfo,
    crossing_ids: list[int] | None = None,
    horizons: bool = True,
) -> list[Status]:
    return status(conn, at=at, tz=tz, crossing_ids=crossing_ids, horizons=horizons)


# ---------------------------------------------------------------- thresholds


def thresholds_for(
    settings: Settings, rec: Recipient, slugs: list[str], symbol: str
) -> tuple[int, ...]:
    """The most specific list wins: an instrument rule, a crossing rule, the recipient's
    own, the global one."""
    for rule in settings.rules:
        if rule.instrument and _same_symbol(rule.instrument, symbol):
            return rule.thresholds
    for rule in settings.rules:
        if rule.slug and rule.slug in slugs:
            return rule.thresholds
    return rec.thresholds or settings.thresholds


def _same_symbol(a: str, b: str) -> bool:
    def norm(s: str) -> str:
        return " ".join(s.lower().replace("s/res/", "").split()).split(" (")[0]

    return a.strip().lower() == b.strip().lower() or norm(a) == norm(b)


def due_threshold(thresholds: tuple[int, ...], days_left: int) -> int | None:
    """Catching up: of the thresholds already reached, only the most urgent one."""
    reached = [t for t in thresholds if t >= days_left]
    return min(reached) if reached else None


# ---------------------------------------------------------------- consequences


def consequence(kind: str, conditional: bool, note: str) -> str:
    if kind == "expiry":
        text = "no authority after this instant unless renewed"
        if conditional and note:
            text += f" ({note})"
        return text
    if kind == "review":
        return note or "review point: the instrument may be extended or ended"
    return note or "report due"


# ---------------------------------------------------------------- the plan


def plan(
    conn: ReadConn,
    *,
    at: datetime,
    recipients: list[Recipient],
    settings: Settings,
    lazy: bool = False,
    until: Until | None = None,
) -> list[Alert]:
    """Every alert due at `at` for each recipient, before de-duplication. With `lazy`, the
    deadline and lapse alerts come without their facts (`complete` builds them): a run with
    nothing new to send never builds a message. `until` is told when a rule that compares
    `at` with something other than a stored instant or a date can next answer otherwise
    (corridor.services.alerts_quiet)."""
    db = reader(conn)
    alerts: list[Alert] = []
    widest = max(
        [*settings.thresholds]
        + [t for r in recipients for t in (r.thresholds or ())]
        + [t for rule in settings.rules for t in rule.thresholds]
    )
    by_zone: dict[str, list] = {}
    status_by_zone: dict[str, list] = {}
    for rec in recipients:
        if rec.zone_name not in by_zone:
            by_zone[rec.zone_name] = read_upcoming(db, at=at, tz=rec.tz, within=widest)
    sources = (
        None if lazy else _sources(db, {d.instrument for items in by_zone.values() for d in items})
    )
    # Only the stale-knowledge alert reads a crossing's horizon (Status.horizon).
    any_stale = settings.stale_after_days is not None and any(
        r.kinds is None or "stale" in r.kinds for r in recipients
    )
    for rec in recipients:
        today = at.astimezone(rec.tz).date()
        for d in by_zone[rec.zone_name]:
            if rec.kinds is not None and d.kind not in rec.kinds:
                continue
            if rec.slugs is not None and not rec.slugs & set(d.slugs):
                continue
            t = due_threshold(thresholds_for(settings, rec, d.slugs, d.instrument), d.days_left)
            if t is None:
                continue
            alert = Alert(d.uid, d.date, t, rec.name, d.kind, _WAIT)
            make = partial(_deadline_facts, d, rec, today)
            alerts.append(_with_facts(alert, make, d.instrument, sources))
        wants_lapse = rec.kinds is None or "lapse" in rec.kinds
        wants_stale = settings.stale_after_days is not None and (
            rec.kinds is None or "stale" in rec.kinds
        )
        if wants_lapse or wants_stale:
            if rec.zone_name not in status_by_zone:
                # Lapses need only the crossings that may have lost their authority; the
                # stale-knowledge alert needs every crossing's horizon.
                ids = None if wants_stale else lost_authority(db, at=at)
                status_by_zone[rec.zone_name] = read_status(
                    db, at=at, tz=rec.tz, crossing_ids=ids, horizons=any_stale
                )
            states = [
                s for s in status_by_zone[rec.zone_name] if rec.slugs is None or s.slug in rec.slugs
            ]
            if wants_lapse:
                alerts += _lapses(db, states, rec, at, today, settings, lazy, until)
            if wants_stale:
                alerts += _stale(states, rec, today, settings.stale_after_days or 0)
    alerts += _closures(db, at, recipients, by_zone, status_by_zone)
    return alerts


# What an alert waits with until `complete` builds its facts (plan(lazy=True)).
_WAIT = AlertFacts(kind="")


def _deadline_facts(d: Deadline, rec: Recipient, today: date, sources: dict) -> AlertFacts:
    """A deadline alert's facts: what its message says (corridor.services.digest)."""
    source_url, source_link, caveat = sources.get(d.instrument, (None, None, None))
    return AlertFacts(
        kind=d.kind,
        crossings=tuple(d.crossings),
        instrument=d.instrument,
        date=d.date.isoformat(),
        due_at=d.due_at.isoformat(),
        due_local=d.due_local.astimezone(rec.tz).strftime("%Y-%m-%d %H:%M %Z"),
        zone=rec.zone_name,
        days_left=d.days_left,
        then=consequence(d.kind, d.conditional, d.note),
        note=d.note if d.kind == "expiry" and not d.conditional else "",
        source_url=source_url,
        source_link=source_link,
        caveat=caveat,
        unconfirmed=d.unconfirmed_reason if d.unconfirmed else None,
        uid=d.uid,
        as_of=today.isoformat(),
    )


def _with_facts(
    alert: Alert, make: Callable[[dict], AlertFacts], symbol: str, sources: dict | None
) -> Alert:
    """The alert with its facts, or (sources None: plan(lazy=True)) with how to build them."""
    if sources is None:
        alert.make, alert.symbol = make, symbol
    else:
        alert.facts = make(sources)
    return alert


def complete(conn: ReadConn, alerts: list[Alert]) -> list[Alert]:
    """Build the deferred facts of these alerts (plan(lazy=True)), reading their instruments'
    sources in one query."""
    todo = [a for a in alerts if a.make is not None]
    if todo:
        sources = _sources(reader(conn), {a.symbol for a in todo if a.symbol})
        for a in todo:
            make, a.make = a.make, None
            if make is not None:
                a.facts = make(sources)
    return alerts


def _closures(
    db: Reader, at: datetime, recipients: list[Recipient], by_zone: dict, status_by_zone: dict
) -> list[Alert]:
    def live(rec: Recipient) -> set[str]:
        return {d.uid for d in by_zone[rec.zone_name]}

    named: dict[tuple, list] = {}

    def states(rec: Recipient, crossings: set[str]) -> list:
        """The crossings the recipient was alerted about, in its zone (one query per zone).
        Those the plan already asked `status` about in this zone are not asked again."""
        key = (rec.zone_name, frozenset(crossings))
        if key not in named:
            have = {s.crossing: s for s in status_by_zone.get(rec.zone_name, [])}
            rest = sorted(c for c in crossings if c not in have)
            ids = (
                [r.id for r in db.rows("SELECT id FROM crossings WHERE name IN :names", names=rest)]
                if rest
                else []
            )
            named[key] = [have[c] for c in sorted(crossings) if c in have]
            named[key] += read_status(db, at=at, tz=rec.tz, crossing_ids=ids) if ids else []
        return named[key]

    return closures(db, recipients=recipients, live_uids=live, states_for=states, at=at)


def _sources(db: Reader, symbols: set[str]) -> dict[str, tuple[str | None, str | None, str | None]]:
    """symbol -> (the source as recorded: its URL or its text; the one link to give: the
    record's source_url, else one derived from the symbol or source, corridor.core.links;
    the instrument's sourced caveat, if any)."""
    if not symbols:
        return {}
    rows = db.rows(
        "SELECT symbol, source_url, source, adopted, caveat FROM instruments"
        " WHERE symbol IN :symbols",
        symbols=sorted(symbols),
    )
    return {
        r.symbol: (
            r.source_url or r.source,
            first_url(source_links(r.symbol, r.source, r.source_url, r.adopted)),
            r.caveat,
        )
        for r in rows
    }


# The deadline that ended and the facts that answer a lapse: a successor instrument recorded
# as renewing the one that ended (it left the crossing out), or a vetoed or failed draft for
# the crossing after the end (docs/alerts.md, "A lapse with no renewal recorded").
LAPSED = """
SELECT d.crossing_id, d.uid, d.due_date, d.due_at, d.id, i.id AS instrument_id, i.symbol,
       i.timezone, COALESCE(i.source_url, i.source) AS source_url
FROM deadlines d
JOIN instruments i ON i.id = d.instrument_id
WHERE d.due_date IN :days AND d.kind = 'expiry'
  AND i.symbol IN :symbols
ORDER BY d.id
"""


def _expiries_ended(db: Reader, states: list[Status]) -> dict[tuple, Any]:
    """(crossing id, instrument symbol, day) -> the expiry deadline that ended each authority,
    for all the ended crossings at once (index seeks on due_date)."""
    if not states:
        return {}
    days = sorted({st.lapsed_since - timedelta(days=1) for st in states if st.lapsed_since})
    ids = {st.crossing_id for st in states}
    found: dict[tuple, Any] = {}
    symbols = sorted({st.last_instrument for st in states if st.last_instrument})
    for row in db.rows(LAPSED, days=days, symbols=symbols):  # the due_date index
        if row.crossing_id in ids:
            found.setdefault((row.crossing_id, row.symbol, row.due_date), row)
    return found


# A lapse whose reason is known is announced once, if the first run to see it comes within
# this many days of the end (the window `check` calls a recent lapse).
NEWS_DAYS = 30
KEEPER_LAPSE = (
    "record the renewal with `corridor renew …`, or the reason with `corridor draft …`, or "
    "confirm the lapse with `corridor crossing checked …`"
)


def _lapses(
    db: Reader,
    states: list[Status],
    rec: Recipient,
    at: datetime,
    today: date,
    settings: Settings,
    lazy: bool = False,
    until: Until | None = None,
) -> list[Alert]:
    """Every end of authority, announced from its end instant with what is known then. Only an
    end with no renewal and no reason recorded (unrenewed) repeats, every lapse_repeat_days;
    its reason, when it becomes known later, is one more message (services.alerts_close)."""
    found = []
    ended_ones = [
        st
        for st in states
        if st.state in ("lapsed", "unrenewed")
        and st.lapsed_since is not None
        and st.last_instrument
    ]
    expiries = _expiries_ended(db, ended_ones)
    links = (
        None
        if lazy
        else _sources(db, {st.last_instrument for st in ended_ones if st.last_instrument})
    )
    for st in ended_ones:
        if st.lapsed_since is None:  # (filtered above: for the type checker)
            continue
        ended = st.lapsed_since - timedelta(days=1)
        row = expiries.get((st.crossing_id, st.last_instrument, ended))
        if row is None or at < row.due_at:
            continue
        reason = lapse_reason(db, st, row.instrument_id, ended, today, at)
        k = (at - row.due_at) // timedelta(days=1)  # whole days since the end instant
        if until is not None:  # k, and so the repeat and the news window, change then
            until.at_most(row.due_at + (k + 1) * timedelta(days=1))
        if reason is not None and k >= NEWS_DAYS:
            continue  # an old lapse whose reason is known is history, not news
        repeat = settings.lapse_repeat_days
        point = 1 if repeat == 0 or reason else 1 + (k // repeat) * repeat
        alert = Alert(row.uid, row.due_date, -point, rec.name, "lapse", _WAIT)
        make = partial(_lapse_facts, st, row, rec, ended, k, reason, today)
        found.append(_with_facts(alert, make, row.symbol, links))
    return found


def _lapse_facts(
    st: Status,
    row: Any,
    rec: Recipient,
    ended: date,
    k: int,
    reason: dict | None,
    today: date,
    links: dict,
) -> AlertFacts:
    """A lapse alert's facts: the exact end instant, and why, if the record says."""
    said = reason_text(reason) if reason else "no renewal is recorded"
    ended_text = end_instant(ended, row.due_at, row.timezone, rec.tz, rec.zone_name)
    return AlertFacts(
        kind="lapse",
        crossings=(st.crossing,),
        instrument=row.symbol,
        instrument_id=row.instrument_id,
        date=ended.isoformat(),
        due_at=row.due_at.isoformat(),
        due_local=row.due_at.astimezone(rec.tz).strftime("%Y-%m-%d %H:%M %Z"),
        zone=rec.zone_name,
        days_left=-(k + 1),
        ended=ended_text,
        then=f"{st.crossing}: authority ended {ended_text}; {said}",
        reason=reason,
        keeper=None if reason else KEEPER_LAPSE,
        source_url=row.source_url,
        source_link=links.get(row.symbol, (None, None, None))[1],
        uid=row.uid,
        as_of=today.isoformat(),
    )


def _city(zone_name: str) -> str:
    return zone_name.rsplit("/", 1)[-1].replace("_", " ")


def end_instant(
    ended: date, due_at: datetime, authority_zone: str, tz: tzinfo, zone_name: str
) -> str:
    """ "2023-07-10 24:00 New York (2023-07-11 07:00 Istanbul)": the exact end instant, in the
    authority's zone (its date, ending at 24:00) and in the reader's."""
    there = due_at.astimezone(zone(authority_zone))
    if there.time().hour == 0 and there.time().minute == 0 and there.date() == ended + timedelta(1):
        auth = f"{ended.isoformat()} 24:00 {_city(authority_zone)}"
    else:
        auth = f"{there:%Y-%m-%d %H:%M} {_city(authority_zone)}"
    if zone_name == authority_zone:
        return auth
    return f"{auth} ({due_at.astimezone(tz):%Y-%m-%d %H:%M} {_city(zone_name)})"


def _stale(states: list[Status], rec: Recipient, today: date, after: int) -> list[Alert]:
    found = []
    for st in states:
        if st.horizon is None or (today - st.horizon).days <= after:
            continue
        uid = f"stale-{st.slug}@corridor"
        facts = AlertFacts(
            kind="stale",
            crossings=(st.crossing,),
            instrument="",
            date=st.horizon.isoformat(),
            zone=rec.zone_name,
            days_left=-(today - st.horizon).days,
            then=(
                f"the record's knowledge of {st.crossing} ends {st.horizon}, more than "
                f"{after} days ago: it cannot see an end of authority coming"
            ),
            keeper="record newer instruments, or confirm nothing changed with "
            "`corridor crossing checked …`",
            source_url=None,
            uid=uid,
            as_of=today.isoformat(),
        )
        found.append(Alert(uid, st.horizon, -after, rec.name, "stale", facts))
    return found
