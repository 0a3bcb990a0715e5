"""`corridor alerts run|status|ack` (docs/alerts.md). Always registered and light: an
`alerts run` with nothing due reads through plain SQL and imports neither SQLAlchemy nor
Apprise; they are imported only when something is queued or sent."""

from __future__ import annotations

import os
import sys
from typing import Annotated

import typer

from corridor.cli import clock
from corridor.cli.app import app
from corridor.cli.options import DbOpt, TzOpt, open_read, read_settings
from corridor.cli.output import json_text, out, say
from corridor.core.errors import EXIT_INTERNAL, CorridorError, DatabaseError, UsageError
from corridor.present.render import Format
from corridor.present.safe import safe

EXIT_DELIVERY = 6

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


class DeliveryError(CorridorError):
    exit_code = EXIT_DELIVERY


AsOf = Annotated[
    str | None,
    typer.Option(
        "--as-of",
        metavar="DATE|INSTANT",
        help="Run as if it were DATE (YYYY-MM-DD: the start of that day in your zone) or "
        "INSTANT (2023-01-10T12:00Z). Default: now. Replaying a day sends nothing twice.",
    ),
]


# ---------------------------------------------------------------- configuration → plain values


def _settings(cfg: dict, resolve):
    from corridor.services.alerts_plan import DEFAULT_THRESHOLDS, Rule, Settings

    rules = []
    for rule in cfg.get("rules", []):
        slug = resolve(rule["crossing"]) if "crossing" in rule else None
        rules.append(Rule(tuple(rule["thresholds"]), slug, rule.get("instrument")))
    return Settings(
        thresholds=tuple(cfg.get("thresholds", DEFAULT_THRESHOLDS)),
        lapse_repeat_days=cfg.get("lapse_repeat_days", 1),
        stale_after_days=cfg.get("stale_after_days"),
        rules=tuple(rules),
    )


def _recipients(cfg: dict, to: list[str], stdout: bool, reader, resolve) -> list:
    import hashlib

    from corridor.core.terms import zone
    from corridor.services.alerts_plan import Recipient

    found = []
    default_zone = cfg.get("timezone") or reader.zone_name
    for rec in cfg.get("recipients", []):
        name = rec.get("timezone") or default_zone
        crossings = rec.get("crossings")
        found.append(
            Recipient(
                name=rec["name"],
                url=_expand(rec["url"], f'recipient "{rec["name"]}"'),
                zone_name=name,
                tz=zone(name),
                slugs=frozenset(resolve(c) for c in crossings) if crossings else None,
                kinds=frozenset(rec["kinds"]) if rec.get("kinds") else None,
                thresholds=tuple(rec["thresholds"]) if rec.get("thresholds") else None,
            )
        )
    for url in to:
        if "://" not in url:
            raise UsageError(
                f'--to "{_redact(url)}" is not an Apprise URL',
                'for example: --to "mailto://user:pass@example.org?to=team@example.org"',
            )
        key = "to:" + hashlib.sha256(url.encode()).hexdigest()[:16]
        found.append(Recipient(key, _expand(url, "--to"), default_zone, zone(default_zone)))
    if stdout:
        found.append(Recipient("stdout", None, default_zone, zone(default_zone)))
    if not found:
        from corridor.cli.config import config_path

        raise UsageError(
            "no alert recipients: nothing would ever be sent",
            f"add [[alerts.recipients]] to {config_path()} (docs/alerts.md), "
            "or use --to URL or --stdout",
        )
    return found


def _expand(url: str, who: str) -> str:
    """Apprise URLs may name secrets as ${NAME}: taken from the environment, never stored. An
    unset name is an error (cron's environment is not the shell's), naming the variable only."""
    import re

    missing = [m.group(1) for m in re.finditer(r"\$\{(\w+)\}", url) if m.group(1) not in os.environ]
    if missing:
        raise UsageError(
            f"{who} uses ${{{missing[0]}}}, which is not set in the environment",
            "set it where the run happens (cron and systemd do not read your shell's profile)",
        )
    return re.sub(r"\$\{(\w+)\}", lambda m: os.environ[m.group(1)], url)


def _resolver(conn):
    from corridor.db.lookup import find_crossing

    def resolve(name: str) -> str:
        cid = find_crossing(conn, name)
        return conn.scalar("SELECT slug FROM crossings WHERE id = :id", id=cid)

    return resolve


def _redact(url: str | None) -> str:
    from corridor.services.deliver import redact

    return "stdout" if url is None else redact(url)


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
    beat = heartbeat
    try:
        reader = read_settings(tz, as_of)
        cfg = reader.config.get("alerts", {})
        beat = heartbeat or cfg.get("heartbeat")
        code = _run(reader, cfg, to or [], stdout, dry_run, db)
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
    from corridor.services.deliver import ping

    try:
        base = _expand(url, "the heartbeat")
    except UsageError as exc:
        say(f"Warning: {exc.message}")
        return exc.message
    problem = ping(base if code == 0 else f"{base.rstrip('/')}/{code}")
    if problem and code != 0:
        say(f"Warning: the heartbeat failed too: {problem}")
    return problem


def _run(reader, cfg, to, stdout, dry_run, db) -> int:
    from corridor.services import alerts

    now = clock.now_utc()
    at, today = reader.at, reader.as_of  # --as-of (a date: its first instant), else now
    with open_read(db, reader.config, create=False) as conn:
        if not conn.has_table("alert_outbox"):
            raise DatabaseError("this database has no alert outbox", 'run "corridor db upgrade"')
        resolve = _resolver(conn)
        recipients = _recipients(cfg, to, stdout, reader, resolve)
        settings = _settings(cfg, resolve)
        work = alerts.work(conn, at=at, recipients=recipients, settings=settings, now=now)
        if dry_run:
            _show_dry_run(alerts.preview(work, conn, recipients), recipients, today)
            return 0
        if work.empty:
            alerts.quiet_run(conn, work, now=now, as_of=today)
            return 0
    return _deliver(reader, work, recipients, now, today, db)


def _deliver(reader, work, recipients, now, today, db) -> int:
    import uuid

    from corridor.cli.options import open_writer
    from corridor.services import alerts, deliver

    def send(rec, message) -> str | None:
        if rec.url is None:
            out(f"Subject: {message.subject}\n\n{message.body}")
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
        )
    finally:
        engine.dispose()
    if sys.stderr.isatty() and result.sent:
        say(f"Sent {result.sent} alert(s) in {result.messages} message(s).")
    if result.failed:
        names = "; ".join(f"{name}: {err}" for name, err in result.failed)
        raise DeliveryError(
            f"{len(result.failed)} delivery(ies) failed: {names}",
            "the alerts are kept and retried by the next run; see: corridor alerts status",
        )
    return 0


def _show_dry_run(digests: dict, recipients, today) -> None:
    if not digests:
        say(f"Nothing to send as of {today}.")
        return
    for rec in recipients:
        message = digests.get(rec.name)
        if message is None:
            continue
        out(
            f"=== to {rec.name} ({_redact(rec.url)}): {message.count} alert(s)\n"
            f"Subject: {message.subject}\n\n{message.body}\n"
        )
    say("Dry run: nothing was sent or recorded.")


# ---------------------------------------------------------------- status


@alerts_app.command("status")
def status_cmd(
    fmt: Annotated[
        Format, typer.Option("--format", "-f", help="table for people; json for scripts.")
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
    from corridor.store.outbox import overview

    reader = read_settings(None, None)
    cfg = reader.config.get("alerts", {})
    with open_read(db, reader.config, create=False) as conn:
        if not conn.has_table("alert_outbox"):
            raise DatabaseError("this database has no alert outbox", 'run "corridor db upgrade"')
        data = overview(conn)
    configured = [
        dict(name=r["name"], url=_redact(r["url"]), timezone=r.get("timezone"))
        for r in cfg.get("recipients", [])
    ]

    def rows(items):
        return [r._asdict() for r in items]

    payload = dict(
        recipients=configured,
        heartbeat=_redact(cfg["heartbeat"]) if cfg.get("heartbeat") else None,
        runs=rows(data["runs"]),
        waiting=rows(data["waiting"]),
        sent=rows(data["sent"]),
        last_failure=data["last_failure"]._asdict() if data["last_failure"] else None,
        acks=rows(data["acks"]),
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
    lines.append("Recipients:" if configured else "Recipients: none configured")
    lines += [f"  {r['name']}: {r['url']}" for r in configured]
    if payload["heartbeat"]:
        lines.append(f"Heartbeat: {payload['heartbeat']}")
    lines.append(f"Pending or failed: {len(payload['waiting'])}")
    lines += [_line(r) for r in payload["waiting"]]
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
    import getpass

    from corridor.cli.options import open_writer
    from corridor.core.terms import parse_date
    from corridor.services.alerts import acknowledge

    reader = read_settings(tz, None)
    end = parse_date(until, what="--until") if until else None
    if recipient is not None:
        names = {r["name"] for r in reader.config.get("alerts", {}).get("recipients", [])}
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
                by=os.environ.get("CORRIDOR_USER") or getpass.getuser(),
            )
    finally:
        engine.dispose()
    who = f" for {recipient}" if recipient else ""
    say(f"Acknowledged {uid} (due {due}){who}: quiet until {end}, or until its date changes.")
    if end < reader.as_of:
        say(f"Note: {end} is already past (today is {reader.as_of}): this quiets nothing now.")
