"""`corridor alerts run|status|ack` (docs/alerts.md). Always registered and light: an
`alerts run` with nothing due reads through plain SQL and imports neither SQLAlchemy nor
Apprise; they are imported only when something is queued or sent. The body of `alerts run` is
corridor.cli.hot_alerts, which a plain `alerts run` line runs without Typer."""

from __future__ import annotations

import getpass
from datetime import timedelta
from typing import Annotated

import typer

from corridor.cli import clock, hot_alerts
from corridor.cli.app import app
from corridor.cli.options import (
    DbOpt,
    TzOpt,
    open_read,
    open_writer,
    read_settings,
)
from corridor.cli.output import json_text, out, say
from corridor.core.errors import (
    EXIT_DELIVERY,
    UsageError,
)
from corridor.core.terms import parse_date
from corridor.present.documents import alerts_status
from corridor.present.render import Format
from corridor.present.safe import safe
from corridor.services.alert_settings import name_problem
from corridor.services.alerts import acknowledge
from corridor.services.alerts_outbox import outbox_status

RUN_EXIT_HELP = (
    "Exit codes: 0 done (also when nothing was due), 2 usage or config error, 4 database "
    f"error, {EXIT_DELIVERY} a delivery or the heartbeat failed (the alert is kept and retried "
    "by the next run), 1 internal error."
)

alerts_app = typer.Typer(
    help="Renewal alerts by email, chat or webhook, from cron (docs/alerts.md).",
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(alerts_app, name="alerts")


AsOf = Annotated[
    str | None,
    typer.Option(
        "--as-of",
        metavar="DATE|INSTANT",
        help="Run as if it were DATE (YYYY-MM-DD: the start of that day in your zone) or "
        "INSTANT (2023-01-10T12:00Z). Default: now. Replaying a day sends nothing twice.",
    ),
]


# ---------------------------------------------------------------- run


@alerts_app.command("run", epilog=RUN_EXIT_HELP)
def run_cmd(
    as_of: AsOf = None,
    to: Annotated[
        list[str] | None,
        typer.Option(
            "--to",
            metavar="URL",
            help="Also send to this Apprise URL, this run only (repeatable).",
        ),
    ] = None,
    stdout: Annotated[
        bool,
        typer.Option("--stdout", help="Print the digest on stdout (for cron's MAILTO)."),
    ] = False,
    dry_run: Annotated[
        bool,
        typer.Option(
            "--dry-run", "-n", help="Show what would be sent and to whom; change nothing."
        ),
    ] = False,
    heartbeat: Annotated[
        str | None,
        typer.Option(
            "--heartbeat",
            metavar="URL",
            help="Ping URL at the end of every run: URL on success, URL/<exit status> on "
            "failure (healthchecks.io style). Default: heartbeat in the config file.",
        ),
    ] = None,
    verbose: Annotated[
        bool,
        typer.Option(
            "--verbose",
            "-v",
            help="Also say when nothing is due, whether the run planned or found a quiet "
            "run's memo (docs/alerts.md), and which crossings' authority ended with no "
            "renewal recorded (by default a run is silent unless something is wrong: cron "
            "mails stderr).",
        ),
    ] = False,
    tz: TzOpt = None,
    db: DbOpt = None,
) -> int:
    """Send the alerts due now, once each, one digest per recipient. Run it hourly from cron.

    \b
    Examples:
      corridor alerts run --stdout
      corridor alerts run --dry-run --as-of 2022-12-27 --to "ntfy://my-corridor-topic"
      corridor alerts run --stdout --as-of 2022-12-27 --tz America/New_York

    Nothing due: no output, exit 0. Recipients, thresholds and the heartbeat live in the
    config file's [alerts] table; see docs/alerts.md for every channel's URL.
    """
    return hot_alerts.run(
        as_of=as_of,
        to=to,
        stdout=stdout,
        dry_run=dry_run,
        heartbeat=heartbeat,
        verbose=verbose,
        tz=tz,
        db=db,
    )


# ---------------------------------------------------------------- status


@alerts_app.command("status")
def status_cmd(
    fmt: Annotated[
        Format,
        typer.Option(
            "--format", "-f", case_sensitive=False, help="table for people; json for scripts."
        ),
    ] = Format.table,
    db: DbOpt = None,
) -> None:
    """The last runs, what was sent, what is pending or failed, and the last failure.

    \b
    Examples:
      corridor alerts status
      corridor alerts status --format json

    URLs are never shown in full: recipients appear by name, URLs redacted.
    """
    reader = read_settings(None, None)
    cfg = reader.alerts
    with open_read(db, reader.config, create=False) as conn:
        outbox = outbox_status(conn, lease=timedelta(seconds=cfg.get("lease_seconds", 900)))
    payload = alerts_status(
        outbox, recipients=cfg.get("recipients", []), heartbeat=cfg.get("heartbeat")
    )
    if fmt is Format.json:
        out(json_text(payload))
        return
    lines = []
    last = payload["runs"][0] if payload["runs"] else None
    if last:
        what = (
            f"{last['queued']} queued, {last['sent']} sent, {last['failed']} failed"
            if last["queued"] or last["sent"] or last["failed"]
            else "nothing to send"
        )
        lines.append(
            f"Last run: {last['started_at']:%Y-%m-%d %H:%M}Z (as of {last['as_of']}): {what}"
        )
    else:
        lines.append("Last run: never")
    for q in payload["quiet"]:  # two lines: each fits 80 columns
        lines.append(
            f"Remembered: nothing due until {q['quiet_until']:%Y-%m-%d %H:%M}Z unless the "
            "record changes"
        )
        lines.append(f"  (a run planned for {q['checked_at']:%Y-%m-%d %H:%M}Z had nothing to send)")
    configured = payload["recipients"]
    lines.append("Recipients:" if configured else "Recipients: none configured")
    lines += [f"  {r['name']}: {r['url']}" for r in configured]
    if payload["heartbeat"]:
        lines.append(f"Heartbeat: {payload['heartbeat']}")
    lines.append(f"Pending or failed: {len(payload['waiting'])}")
    lines += [
        _line(r) + f" [{_age(r['age_seconds'])} old; {r['state']}]" for r in payload["waiting"]
    ]
    lines.append(f"Last sent ({len(payload['sent'])}):")
    lines += [_line(r) for r in payload["sent"]]
    failure = payload["last_failure"]
    if failure:
        lines.append(f"Last failure: {failure['recipient']}: {failure['last_error']}")
    if payload["acks"]:
        lines.append("Acknowledged:")
        lines += [
            f"  {a['uid']} ({a['due_date']}) until {a['until']}"
            + (f" for {a['recipient']}" if a["recipient"] else "")
            for a in payload["acks"]
        ]
    out(safe("\n".join(lines)) + "\n")  # stored text and errors, escaped (present.safe)


def _age(seconds: int) -> str:
    if seconds < 3600:
        return f"{seconds // 60}m"
    if seconds < 2 * 86400:
        return f"{seconds // 3600}h"
    return f"{seconds // 86400}d"


def _line(r: dict) -> str:
    when = (
        "day of"
        if r["threshold"] == 0
        else (f"{r['threshold']}d before" if r["threshold"] > 0 else f"{-r['threshold']}d after")
    )
    at = r["sent_at"] or r["queued_at"]
    text = (
        f"  {r['status']:<8} {at:%Y-%m-%d %H:%M}Z {r['recipient']}: {r['kind']} {r['due_date']}"
        f" ({when}) {r['uid']}"
    )
    if r.get("last_error") and r["status"] != "sent":
        text += f" - {r['last_error']}"
    return text


# ---------------------------------------------------------------- ack


@alerts_app.command("ack")
def ack_cmd(
    uid: Annotated[str, typer.Argument(metavar="UID", help="The deadline's uid (in each alert).")],
    until: Annotated[
        str | None,
        typer.Option(
            "--until",
            metavar="DATE",
            help="Quiet until DATE (YYYY-MM-DD). Default: the deadline's own date.",
        ),
    ] = None,
    recipient: Annotated[
        str | None,
        typer.Option("--recipient", metavar="NAME", help="Only for this recipient. Default: all."),
    ] = None,
    tz: TzOpt = None,
    db: DbOpt = None,
) -> None:
    """Acknowledge a deadline: its remaining thresholds stay quiet until a date.

    \b
    Examples:
      corridor alerts ack expiry-ea8cdbeb07b062f528686e12@corridor
      corridor alerts ack expiry-ea8cdbeb07b062f528686e12@corridor --until 2023-01-05

    UID is in each alert's "quiet it" line and in `corridor upcoming --format json`;
    --recipient NAME quiets it for one configured recipient only. The alerts start again
    when the deadline's date changes (a correction) or when --until has passed: an
    acknowledgement always ends.
    """

    reader = read_settings(tz, None)
    end = parse_date(until, what="--until") if until else None
    by = reader.settings.user or getpass.getuser()
    problem = name_problem(by, "CORRIDOR_USER")
    if problem:
        raise UsageError(
            f"CORRIDOR_USER is {problem}", "set CORRIDOR_USER to a short name of plain text"
        )
    if recipient is not None:
        names = {r["name"] for r in reader.alerts.get("recipients", [])}
        if recipient not in names and recipient != "stdout":
            raise UsageError(
                f'no recipient is named "{recipient}"',
                f"configured: {', '.join(sorted(names)) or 'none'} (and stdout)",
            )
    engine = open_writer(db, reader.config)
    try:
        with open_read(db, reader.config) as conn:
            due, end = acknowledge(
                engine,
                conn,
                uid=uid,
                until=end,
                recipient=recipient,
                today=reader.as_of,
                now=clock.now_utc(),
                by=by,
            )
    finally:
        engine.dispose()
    who = f" for {recipient}" if recipient else ""
    say(f"Acknowledged {uid} (due {due}){who}: quiet until {end}, or until its date changes.")
    if end < reader.as_of:
        say(f"Note: {end} is already past (today is {reader.as_of}): this quiets nothing now.")


import corridor.cli.commands.alerts_outbox  # noqa: E402, F401  (registers retry and forget)
