"""`corridor alerts run` without Typer: its body, and the reader of a plain `alerts run`
command line.

Cron runs it every hour, and most runs have nothing to send: Typer with its click would be a
large part of such a run (benchmarks/README.md). So, as for `upcoming`, `status`
(corridor.cli.hot) and `check` (corridor.cli.hot_check), the body lives here, free of Typer;
corridor.cli.commands.alerts declares it to Typer (options, help) and calls it. When a command
line is a plain `alerts run` (options this module knows, each spelled the way `OPTIONS`
spells it), `parse` reads it and corridor.cli.main runs the body without importing Typer.
Anything else (--help, an unknown, repeated or abbreviated option) returns None and goes
through Typer. tests/test_hot_alerts.py checks that `OPTIONS` and Typer's declarations agree,
and that both paths answer alike.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

from corridor.cli import clock
from corridor.cli.alerts_config import HEARTBEAT_HINT, expand, recipients, resolver, settings
from corridor.cli.alerts_config import recipient_url as _redact
from corridor.cli.argv import FLAG, VALUE, VALUES, read_options
from corridor.cli.output import out, say
from corridor.cli.reading import knowledge_warning, open_read, open_writer, read_settings
from corridor.core.errors import (
    EXIT_INTERNAL,
    CorridorError,
    DatabaseError,
    DeliveryError,
    UsageError,
)
from corridor.present.safe import safe
from corridor.services import alerts, deliver
from corridor.services.deliver import heartbeat_problem, ping


def run(
    *,
    as_of: str | None = None,
    to: list[str] | None = None,
    stdout: bool = False,
    dry_run: bool = False,
    heartbeat: str | None = None,
    verbose: bool = False,
    tz: str | None = None,
    db: str | None = None,
) -> int:
    """`corridor alerts run`: send the alerts due now, once each; returns the exit code."""
    beat = heartbeat
    if heartbeat:
        problem = heartbeat_problem(heartbeat)
        if problem:
            raise UsageError(f"--heartbeat {problem}", HEARTBEAT_HINT)
    try:
        reader = read_settings(tz, as_of)
        cfg = reader.alerts
        beat = heartbeat or cfg.get("heartbeat")
        code = _run(reader, cfg, to or [], stdout, dry_run, db, verbose)
    except CorridorError as exc:
        _beat(beat, exc.exit_code, dry_run)
        raise
    except Exception:
        _beat(beat, EXIT_INTERNAL, dry_run)
        raise
    problem = _beat(beat, code, dry_run)
    if problem and code == 0:
        raise DeliveryError(f"the heartbeat failed: {problem}", "check the heartbeat URL")
    return code


def _beat(url: str | None, code: int, dry_run: bool) -> str | None:
    if not url or dry_run:
        return None
    try:
        base = expand(url, "the heartbeat")
    except UsageError as exc:
        say(f"Warning: {exc.message}")
        return exc.message
    problem = ping(base if code == 0 else f"{base.rstrip('/')}/{code}")
    if problem and code != 0:
        say(f"Warning: the heartbeat failed too: {problem}")
    return problem


def _run(reader, cfg, to, stdout, dry_run, db, verbose=False) -> int:
    now = clock.now_utc()
    at, today = reader.at, reader.as_of  # --as-of (a date: its first instant), else now
    problems: list[str] = []
    with open_read(db, reader.config, create=False) as conn:
        if not conn.has_table("alert_outbox"):
            raise DatabaseError("this database has no alert outbox", 'run "corridor db upgrade"')
        resolve = resolver(conn)
        found = recipients(cfg, to, stdout, reader.zone_name, resolve, problems)
        plan = settings(cfg, resolve, problems)
        work = alerts.work(conn, at=at, recipients=found, settings=plan, now=now)
        if dry_run:
            _show_dry_run(alerts.preview(work, conn, found), found, today)
            _refuse_problems(problems, None)
            return 0
        if work.empty:
            alerts.quiet_run(conn, work, now=now, as_of=today, settings=plan)
            if verbose:
                say(f"Nothing due as of {today}.")
                _say_memo(work, reader.tz)
                knowledge_warning(conn, reader, None)
            _refuse_problems(problems, None)
            return 0
    return _deliver(reader, work, found, plan, now, today, db, problems)


def _say_memo(work, tz) -> None:
    """-v: whether this run planned, and until when its answer is remembered (docs/alerts.md,
    "A quiet run is remembered")."""

    def local(instant) -> str:
        return instant.astimezone(tz).strftime("%Y-%m-%d %H:%M %Z")

    if work.recalled is not None:
        say(
            "Not planned again: the record is unchanged since the run that planned for "
            f"{local(work.recalled.checked_at)}, and nothing can fall due before "
            f"{local(work.recalled.quiet_until)}."
        )
    elif work.keep is not None:
        say(
            f"Planned in full; remembered until {local(work.keep.quiet_until)}"
            " unless the record changes."
        )


def _refuse_problems(problems: list[str], result) -> None:
    """Exit 6 naming every recipient or rule that was skipped and every failed delivery."""
    failed = [f"{name}: {err}" for name, err in result.failed] if result else []
    if not problems and not failed:
        return
    parts = []
    if problems:
        parts.append("; ".join(problems))
    if failed:
        parts.append(f"{len(failed)} delivery(ies) failed: " + "; ".join(failed))
    raise DeliveryError(
        "; ".join(parts),
        "fix the config named above (the other recipients got their alerts); failed alerts "
        "are kept and retried by the next run; see: corridor alerts status",
    )


def _deliver(reader, work, recipients, settings, now, today, db, problems) -> int:
    import uuid  # lazy: only when something is sent

    def send(rec, message) -> str | None:
        if rec.url is None:
            out(safe(f"Subject: {message.subject}\n\n{message.body}"))
            return None
        return deliver.send(rec.url, message.subject, message.body)

    engine = open_writer(db, reader.config, create=False)
    try:
        result = alerts.run(
            engine,
            work,
            recipients=recipients,
            now=now,
            as_of=today,
            token=uuid.uuid4().hex,
            send=send,
            settings=settings,
        )
    except alerts.Interrupted as stop:
        _say_interrupted(stop.outcome)
        raise KeyboardInterrupt from None
    finally:
        engine.dispose()
    if sys.stderr.isatty() and result.sent:
        say(f"Sent {result.sent} alert(s) in {result.messages} message(s).")
    if result.unrecorded:
        say(
            f"Warning: delivered to {', '.join(result.unrecorded)}, but the database stayed "
            "locked and the delivery could not be recorded: a later run may send it again "
            '(docs/alerts.md, "The crash window"; corridor alerts status shows it).'
        )
    if result.taken_over:
        say(
            f"Warning: another run took over the claim for {', '.join(result.taken_over)} "
            "while this one was sending (its lease ran out): that digest may arrive twice."
        )
    _refuse_problems(problems, result)
    return 0


def _say_interrupted(outcome) -> None:
    sent = ", ".join(outcome.delivered) or "nobody"
    say(f"Interrupted. Sent to: {sent}.")
    if outcome.in_flight:
        say(
            f"Interrupted while sending to {outcome.in_flight}: it may or may not have "
            "arrived; the next run sends it again."
        )
    if outcome.waiting:
        say(f"Not sent (the next run sends them): {', '.join(outcome.waiting)}.")


def _show_dry_run(digests: dict, recipients, today) -> None:
    if not digests:
        say(f"Nothing to send as of {today}.")
        return
    for rec in recipients:
        message = digests.get(rec.name)
        if message is None:
            continue
        # Names, subjects and bodies hold stored text: escaped (corridor.present.safe).
        out(
            safe(
                f"=== to {rec.name} ({_redact(rec.url)}): {message.count} alert(s)\n"
                f"Subject: {message.subject}\n\n{message.body}\n"
            )
        )
    say("Dry run: nothing was sent or recorded.")


# ---------------------------------------------------------------- reading argv without Typer

# alerts run's options as Typer declares them (corridor.cli.commands.alerts): the spelling,
# the parameter it fills and how. tests/test_hot_alerts.py fails when the two drift apart.
OPTIONS: dict[str, tuple[str, str]] = {
    "--as-of": ("as_of", VALUE),
    "--to": ("to", VALUES),
    "--stdout": ("stdout", FLAG),
    "--dry-run": ("dry_run", FLAG),
    "-n": ("dry_run", FLAG),
    "--heartbeat": ("heartbeat", VALUE),
    "--verbose": ("verbose", FLAG),
    "-v": ("verbose", FLAG),
    "--tz": ("tz", VALUE),
    "--db": ("db", VALUE),
}


def parse(argv: list[str]) -> tuple[Callable[..., int], dict[str, Any]] | None:
    """The body and its arguments when `argv` is a plain `alerts run` command line; None for
    anything Typer should read (it then reads the line as always)."""
    if argv[:2] != ["alerts", "run"]:
        return None
    kwargs = read_options(argv[2:], OPTIONS)
    if kwargs is None:
        return None
    return run, kwargs
