"""What every command that writes the record shares: the writer's engine, who is making the
change, the confirm prompt, running the service through the unit of work
(corridor.services.unit), showing its result (corridor.present.changes and .views), and
reading the dates, terms and names its options give.

A write command parses its options with these, builds its service `(conn, change) -> Result`,
and hands both to `write`; then `report` shows the result. The command modules import this
one when `corridor --help` or completion runs, so the services (sqlalchemy) are imported
inside the functions that use them.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, TypeVar, overload

import typer

from corridor.cli import clock
from corridor.cli.config import load_settings
from corridor.cli.options import Out, open_writer, split_values
from corridor.cli.output import json_text, out, say, table_width, use_colour
from corridor.core.errors import UsageError
from corridor.core.terms import Term, parse_date, parse_fact_time, parse_term
from corridor.present.changes import Shown, plan_note, write_shown
from corridor.present.safe import safe
from corridor.present.views import write_view

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection, Engine

    from corridor.services.unit import Outcome
    from corridor.store.audit import Change

R = TypeVar("R", bound="Outcome")


def engine(db: str | None, *, read_only: bool = False) -> Engine:
    """The database's engine for a write (or, `read_only`, for a consistent read of it)."""
    return open_writer(db, load_settings(), read_only=read_only)


def change(by: str | None, via: str, source: str | None) -> Change:
    """Who is changing the record (--by, $CORRIDOR_USER, else the OS user), now, through which
    command, from which source."""
    # lazy: the unit of work imports sqlalchemy; this module is imported by --help and completion
    from corridor.services.unit import change as make

    return make(clock.now_utc(), by, via, source)


def confirm(question: str) -> bool:
    """Ask at the terminal before overwriting or removing recorded facts; refused (nothing
    changed) when the input is not a terminal."""
    if not sys.stdin.isatty():
        raise UsageError(
            f"not confirmed: {question}",
            "nothing was changed; rerun with --yes to confirm (the input is not a terminal)",
        )
    return typer.confirm(safe(question), default=False, err=True)


def write(
    db: str | None,
    change: Change,
    service: Callable[[Connection, Change], R],
    *,
    yes: bool = False,
    dry_run: bool = False,
) -> R | None:
    """`service(conn, change)` through the unit of work (corridor.services.unit.write): one
    write transaction, retried after a lock conflict, confirmed at the terminal when it
    overwrites or removes recorded facts, rolled back with --dry-run. None when the user said
    no."""
    # lazy: the unit of work imports sqlalchemy; this module is imported by --help and completion
    from corridor.services.unit import write as unit_write

    result = unit_write(
        engine(db),
        change,
        service,
        confirm=confirm,
        yes=yes,
        dry_run=dry_run,
    )
    if result is None:
        say("Nothing changed.")
    return result


def run(
    db: str | None, change: Change, service: Callable[[Connection, Change], Any], *, dry_run: bool
) -> Any:
    """`service(conn, change)` through the unit of work (corridor.services.unit.run), for a
    change that never asks (planned movements): one write transaction, retried after a lock
    conflict; rolled back with --dry-run. Says what changed."""
    # lazy: the unit of work imports sqlalchemy; this module is imported by --help and completion
    from corridor.services.unit import run as unit_run

    result = unit_run(engine(db), change, service, dry_run=dry_run)
    say(plan_note(result, dry_run=dry_run))
    return result


def report(result: Any, fmt: Out) -> None:
    """Show a write's result: the JSON envelope (corridor.present.views.write_view), or the
    summary for people (corridor.present.changes.write_shown). Nothing when it was refused."""
    if result is None:
        return
    if fmt is Out.json:
        out(json_text(write_view(result)))
        return
    show(write_shown(result, colour=use_colour(sys.stdout), width=table_width()))


def show(shown: Shown) -> None:
    """Write what present returned: its notes to stderr, its text to stdout."""
    for line in shown.notes:
        say(line)
    if shown.text:
        out(shown.text)


# ---------------------------------------------------------------- reading options


@overload
def date_of(text: str, option: str) -> date: ...
@overload
def date_of(text: str | None, option: str) -> date | None: ...
def date_of(text: str | None, option: str) -> date | None:
    """A date option (YYYY-MM-DD), or None when not given; errors name the option."""
    return None if text is None else parse_date(text, what=option)


@overload
def fact_of(text: str, option: str) -> tuple[date, datetime | None]: ...
@overload
def fact_of(text: str | None, option: str) -> tuple[date | None, datetime | None]: ...
def fact_of(text: str | None, option: str) -> tuple[date | None, datetime | None]:
    """A fact's date, and its instant when given with a time (2020-07-11T15:05-04:00)."""
    return (None, None) if text is None else parse_fact_time(text, what=option)


def term_of(text: str | None, option: str) -> Term | None:
    """A term option (6mo, 180d), or None when not given."""
    return None if text is None else parse_term(text, what=option)


def names_of(values: list[str] | None) -> list[str]:
    """Names given by a repeatable option, commas also separating (one rule, with its `\\,`
    escape: corridor.cli.reading.split_values)."""
    return split_values(values)
