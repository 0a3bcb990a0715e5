"""Whole JSON documents (README, "JSON output"), built from the services' results: a list
command's `items`, `crossing show`, `db path`, `db current`, `alerts status`. The rows inside
them are corridor.present.views'; the CLI only writes what these return."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from corridor.core.redact import redact_url
from corridor.present.views import parties_rows, status_rows

if TYPE_CHECKING:
    from corridor.services.alerts_outbox import Outbox
    from corridor.services.database import Schema
    from corridor.services.history import Entry
    from corridor.services.pages import CrossingPage


def listing(rows: list[dict]) -> dict:
    """A list command's document (`crossing list`, `instrument list`, `config`)."""
    return dict(items=rows)


def history_rows(entries: list[Entry]) -> list[dict]:
    """A crossing's history, one row per entry, its details inline."""
    return [
        dict(
            date=e.date,
            kind=e.kind,
            text=e.text,
            instrument=e.instrument,
            until=e.until,
            **e.detail,
        )
        for e in entries
    ]


def crossing_document(page: CrossingPage, *, as_of: date, at: datetime, zone_name: str) -> dict:
    """`crossing show --format json`: the crossing, its state now, its history and the
    parties of its instruments, as of `as_of` in the reader's zone."""
    h = page.history
    return dict(
        as_of=as_of,
        at=at,
        timezone=zone_name,
        crossing=h.name,
        slug=h.slug,
        countries=list(h.countries),
        kind=h.kind,
        aliases=h.aliases,
        lat=h.lat,
        lon=h.lon,
        notes=h.notes,
        now=status_rows([h.now])[0],
        history=history_rows(h.entries),
        instruments=parties_rows(page.made_by),
    )


def database_path(url: str, source: str) -> dict:
    """`db path --format json`: the database (password hidden) and which rule chose it."""
    return dict(url=url, source=source)


def schema_document(s: Schema) -> dict:
    """`db current --format json`."""
    return dict(current=s.current, head=s.head, up_to_date=s.up_to_date)


def alerts_status(outbox: Outbox, *, recipients: list[dict], heartbeat: str | None) -> dict:
    """`alerts status`: the configured recipients and heartbeat with their URLs redacted, and
    the outbox (corridor.services.alerts_outbox)."""
    waiting = []
    for w in outbox.waiting:
        row = w.row._asdict()
        row["age_seconds"] = w.age_seconds
        row["state"] = waiting_state(w.row.status, w.alive)
        waiting.append(row)
    return dict(
        recipients=[
            dict(name=r["name"], url=_shown(r["url"]), timezone=r.get("timezone"))
            for r in recipients
        ],
        heartbeat=_shown(heartbeat) if heartbeat else None,
        runs=[r._asdict() for r in outbox.runs],
        waiting=waiting,
        sent=[r._asdict() for r in outbox.sent],
        last_failure=outbox.last_failure._asdict() if outbox.last_failure else None,
        acks=[r._asdict() for r in outbox.acks],
        quiet=[r._asdict() for r in outbox.quiet],
    )


def _shown(url: str | None) -> str:
    """A URL fit to show (the one redactor, corridor.core.redact); the --stdout recipient by
    name."""
    return "stdout" if url is None else redact_url(url, channel=True)


def waiting_state(status: str, alive: bool) -> str:
    """What a waiting row means, in words (`alerts status`)."""
    if status == "sending":
        if alive:
            return "being sent by a run now"
        return (
            "claimed by a run that stopped or could not record the result: the next run "
            "sends it again (it may have arrived; docs/alerts.md, the crash window)"
        )
    if status == "given_up":
        return "given up: `corridor alerts retry UID` or `corridor alerts forget --given-up`"
    if status == "failed":
        return "failed: the next run retries it while it is due"
    return "queued: the next run sends it"
