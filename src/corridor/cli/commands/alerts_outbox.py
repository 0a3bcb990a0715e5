"""`corridor alerts retry|forget` (docs/alerts.md, "The outbox is kept tidy"): what to do with
deliveries that failed or were given up."""

from __future__ import annotations

from typing import Annotated

import typer

from corridor.cli.commands.alerts import alerts_app
from corridor.cli.options import DbOpt, open_writer, read_settings
from corridor.cli.output import say
from corridor.core.errors import UsageError
from corridor.services import alerts_outbox

UidArg = Annotated[
    str | None,
    typer.Argument(metavar="[UID]", help="The deadline's uid (in each alert and alerts status)."),
]
GivenUpOpt = Annotated[
    bool, typer.Option("--given-up", help="Every given-up delivery, whatever its uid.")
]


def _which(uid: str | None, given_up: bool) -> str | None:
    if (uid is None) == (not given_up):
        raise UsageError("give either a UID or --given-up", "see: corridor alerts status")
    return uid


def _apply(action, uid: str | None, db: str | None) -> int:
    reader = read_settings(None, None)
    engine = open_writer(db, reader.config)
    try:
        return action(engine, uid)
    finally:
        engine.dispose()


@alerts_app.command("retry")
def retry_cmd(uid: UidArg = None, given_up: GivenUpOpt = False, db: DbOpt = None) -> None:
    """Send failed or given-up deliveries again on the next run (while still due).

    \b
    Examples:
      corridor alerts retry --given-up
      corridor alerts retry expiry-ea8cdbeb07b062f528686e12@corridor

    Then run `corridor alerts run` (or wait for cron).
    """
    n = _apply(alerts_outbox.retry, _which(uid, given_up), db)
    say(f"{n} delivery(ies) will be tried again by the next run.")


@alerts_app.command("forget")
def forget_cmd(uid: UidArg = None, given_up: GivenUpOpt = False, db: DbOpt = None) -> None:
    """Never send these waiting, failed or given-up deliveries (they stay in the record).

    \b
    Examples:
      corridor alerts forget --given-up
      corridor alerts forget expiry-ea8cdbeb07b062f528686e12@corridor

    A forgotten alert is not queued again; the deadline's next threshold still fires.
    """
    n = _apply(alerts_outbox.forget, _which(uid, given_up), db)
    say(f"{n} delivery(ies) forgotten: they will not be sent.")
