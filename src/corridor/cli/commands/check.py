"""`corridor check`: a Nagios/Icinga/Zabbix plugin (docs/alerts.md, "Monitoring"). A hot read
command: plain SQL, nothing heavy. Every error, usage errors included, becomes
`CORRIDOR UNKNOWN - …` and exit 3 in the one error boundary (corridor.cli.main)."""

from __future__ import annotations

from typing import Annotated

import typer

from corridor.cli.app import app
from corridor.cli.options import CrossingOpt, DbOpt, TzOpt, open_read, read_settings
from corridor.cli.output import out
from corridor.core.errors import UsageError

# The longest warning window: ten years, as for alert thresholds (docs/alerts.md).
MAX_DAYS = 3660

CHECK_EXIT_HELP = (
    "Exit codes (Nagios plugin convention): 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN (any error, "
    "a usage error included)."
)


@app.command(epilog=CHECK_EXIT_HELP)
def check(
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of",
            metavar="DATE|INSTANT",
            help="Check as of DATE (YYYY-MM-DD: the start of that day in your zone) or INSTANT "
            "(2023-01-10T12:00Z). Default: now.",
        ),
    ] = None,
    warn: Annotated[
        int,
        typer.Option(
            "--warn",
            "-w",
            metavar="DAYS",
            help="WARNING within DAYS (0 to 3660).",
            min=0,
            max=MAX_DAYS,
        ),
    ] = 30,
    crit: Annotated[
        int,
        typer.Option(
            "--crit", metavar="DAYS", help="CRITICAL within DAYS (0 to 3660).", min=0, max=MAX_DAYS
        ),
    ] = 7,
    kind: Annotated[
        str,
        typer.Option(
            "--kind", "-k", metavar="KINDS", help="Comma-separated: expiry, review, report."
        ),
    ] = "expiry,review",
    crossing: CrossingOpt = None,
    tz: TzOpt = None,
    db: DbOpt = None,
) -> int:
    """One line for monitoring: CORRIDOR OK|WARNING|CRITICAL|UNKNOWN - … | perfdata.

    \b
    Examples:
      corridor check --as-of 2022-10-01
      corridor check --warn 60 --crit 14 --crossing "Bab al-Hawa" --as-of 2022-10-01
      corridor check --as-of 2022-10-01 && echo "nothing due within 30 days"

    Without --as-of it checks now. A lapse with no renewal recorded is CRITICAL. Use it in
    Icinga/Nagios as a plugin, in Zabbix as an external check, or with && in a shell script.
    """
    from corridor.core.vocab import DEADLINE_KINDS
    from corridor.db.lookup import find_crossing
    from corridor.services.monitor import check as run

    kinds = tuple(k.strip() for k in kind.split(",") if k.strip())
    bad = [k for k in kinds if k not in DEADLINE_KINDS]
    if bad or not kinds:
        raise UsageError(
            f'unknown kind "{",".join(bad)}"', "use one or more of: expiry,review,report"
        )
    if crit > warn:
        raise UsageError(
            f"--crit {crit} is more than --warn {warn}", "for example: --warn 30 --crit 7"
        )
    reader = read_settings(tz, as_of)
    at = reader.at
    with open_read(db, reader.config) as conn:
        slugs = None
        if crossing:
            cid = find_crossing(conn, crossing)
            slugs = {conn.scalar("SELECT slug FROM crossings WHERE id = :id", id=cid)}
        verdict = run(conn, at=at, tz=reader.tz, warn=warn, crit=crit, kinds=kinds, slugs=slugs)
    out(verdict.line + "\n")
    return verdict.code
