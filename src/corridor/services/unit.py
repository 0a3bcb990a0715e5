"""The unit of work: every change to the record runs here, in one write transaction.

A command parses its options, builds a `Change` (who, when, through which command) and a service
`(conn, change) -> result`, and hands both to `write`. This module owns the protocol around
it, so no command does:

- the write lock is taken before the service reads anything (corridor.db.connect.make_engine),
  so nothing it read can change before it writes;
- a lock conflict runs the whole transaction again, within $CORRIDOR_BUSY_TIMEOUT
  (corridor.store.retry);
- a change that overwrites or removes recorded facts (`result.destructive`) is tried, rolled
  back, confirmed through the `confirm` callback the caller supplies, then made afresh; if the
  record changed meanwhile, nothing is written;
- `dry_run` always rolls back, and the result carries the audit entries the change would have
  written.

On any error nothing is written.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any, Protocol, TypeVar

from sqlalchemy.engine import Connection, Engine

from corridor.core.errors import UsageError
from corridor.db.connect import busy_seconds_of
from corridor.store.audit import Change, entries, last_id, os_user
from corridor.store.retry import retrying

__all__ = ["Change", "Confirm", "audit_entry", "change", "dry_run", "write"]


class Outcome(Protocol):
    """What a write service returns: the fields the unit of work reads or fills in."""

    destructive: bool
    question: str | None
    dry_run: bool
    audit: list[dict] | None


R = TypeVar("R", bound=Outcome)
Service = Callable[[Connection, Change], R]
Confirm = Callable[[str], bool]  # asked a question, says yes (True) or no


def change(at: datetime, by: str | None, via: str, source: str | None) -> Change:
    """Who is changing the record: `by` if given (--by, $CORRIDOR_USER), else the OS user."""
    return Change(at, (by or "").strip() or os_user(), via, source)


def write(
    engine: Engine,
    change: Change,
    service: Callable[[Connection, Change], R],
    *,
    confirm: Confirm,
    yes: bool = False,
    dry_run: bool = False,
) -> R | None:
    """Run `service(conn, change)` in one write transaction (see the module's docstring).
    Returns the service's result, or None when `confirm` said no."""
    if dry_run:
        return retrying(
            lambda: _rolled_back(engine, change, service), seconds=busy_seconds_of(engine)
        )

    def attempt() -> tuple[R, bool]:
        with engine.connect() as conn:
            tx = conn.begin()
            try:
                result = service(conn, change)
                if yes or not result.destructive:
                    tx.commit()
                    return result, True
            finally:
                if tx.is_active:
                    tx.rollback()
        return result, False

    result, done = retrying(attempt, seconds=busy_seconds_of(engine))
    if done:
        return result
    if not confirm(result.question or "make this change?"):
        return None

    def confirmed() -> R:
        with engine.begin() as conn:
            again = service(conn, change)
            if again.question != result.question:  # rolled back: not what was confirmed
                raise UsageError(
                    "the record changed while you were deciding: nothing was changed",
                    "run the command again to see what it would change now",
                )
            return again

    return retrying(confirmed, seconds=busy_seconds_of(engine))


def run(engine: Engine, change: Change, service: Callable[[Connection, Change], Any], *,
        dry_run: bool = False) -> Any:  # fmt: skip
    """`service(conn, change)` in one write transaction, retried after a lock conflict, never
    asking: for services that overwrite nothing (plans). Rolled back with `dry_run`."""

    def attempt() -> Any:
        with engine.connect() as conn:
            tx = conn.begin()
            try:
                result = service(conn, change)
                if not dry_run:
                    tx.commit()
                return result
            finally:
                if tx.is_active:
                    tx.rollback()

    return retrying(attempt, seconds=busy_seconds_of(engine))


def dry_run(engine: Engine, change: Change, service: Callable[[Connection, Change], R]) -> R:
    """The result of --dry-run: `service` run as `write` runs it, with the audit entries it
    wrote, then everything rolled back."""
    return retrying(lambda: _rolled_back(engine, change, service), seconds=busy_seconds_of(engine))


def _rolled_back(engine: Engine, change: Change, service: Callable[[Connection, Change], R]) -> R:
    with engine.connect() as conn:
        tx = conn.begin()
        try:
            before = last_id(conn)
            result = service(conn, change)
            result.audit = [audit_entry(e) for e in reversed(entries(conn, after_id=before))]
        finally:
            tx.rollback()
    result.dry_run = True
    return result


def audit_entry(e: Any) -> dict:
    """An audit entry as the JSON contract gives it (`--dry-run --format json`, `log`)."""
    return dict(
        at=e.at, by=e.by, via=e.via, source=e.source, action=e.action, entity=e.entity,
        key=e.key, crossings=e.crossings,
        fields=[dict(field=f, old=old, new=new) for f, old, new in e.fields],
    )  # fmt: skip
