"""The commands that move whole records: import, export, schema, and the audit log.

Registered with the editing commands by corridor.cli.main.register_commands(). Like the rest of
the CLI: parse, call one service (corridor.store.writer, corridor.store.snapshot,
corridor.store.audit), render.
"""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from corridor.cli.app import app
from corridor.cli.commands.edit import (
    ByOpt,
    DryRunOpt,
    ExportFormat,
    Out,
    OutOpt,
    YesOpt,
    _change,
    _date,
    _engine,
    _report,
    _write,
)
from corridor.cli.options import (
    BomOpt,
    DbOpt,
    HxlOpt,
    IncludePlansOpt,
    TzOpt,
    WideOpt,
    named,
    read_settings,
)
from corridor.cli.output import json_text, out, say, table_width, write_file
from corridor.core.errors import UsageError
from corridor.present.safe import ascii_only, safe


@app.command("import")
def import_(
    file: Annotated[
        str, typer.Argument(metavar="FILE", help="A record file, YAML or JSON; - for stdin.")
    ],
    yes: YesOpt = False,
    fmt: OutOpt = Out.table,
    by: ByOpt = None,
    dry_run: DryRunOpt = False,
    db: DbOpt = None,
) -> None:
    """Merge a record file into the database: all or nothing, by natural keys.

    Crossings match by slug, instruments by symbol, drafts by date and title: importing the
    same file twice changes nothing. Errors name the file, line and field, and leave the
    database as it was. Changing records already recorded asks first (--yes skips).

    \b
    Examples:
      corridor import team.yaml
      corridor export | ssh field-office corridor import - --yes
    """
    from corridor.record.format import read_text
    from corridor.services.edit import import_text

    text = read_text(file)
    name = "<stdin>" if file == "-" else file
    change = _change(by, "import", name)
    progress = _progress_on_terminal("Importing instruments")
    result = _write(
        db,
        change,
        lambda conn, ch: import_text(conn, text, name, ch, progress),
        yes=yes,
        dry_run=dry_run,
    )
    _report(result, fmt)
    if result is not None and fmt is Out.table:
        created = result.summary.created
        lines = [f"  created {c}" for c in created] if len(created) <= 10 else []
        for line in lines + [f"  updated {u}" for u in result.summary.updated]:
            say(line)


def _progress_on_terminal(label: str, at_least: int = 200):
    """A progress callback that redraws one line on stderr, for a person watching a long
    import; nothing when stderr is not a terminal (cron logs stay clean) or the work is short."""
    if not sys.stderr.isatty():
        return None
    step = {"last": 0}

    def show(done: int, total: int) -> None:
        if total < at_least or (done - step["last"] < max(1, total // 100) and done != total):
            return
        step["last"] = done
        sys.stderr.write(f"\r{label}: {done}/{total}" + ("\n" if done == total else ""))
        sys.stderr.flush()

    return show


@app.command("export")
def export(
    fmt: Annotated[
        ExportFormat,
        typer.Option(
            "--format",
            "-f",
            case_sensitive=False,
            help="yaml or json: the whole record (docs/format.md); csv: the deadlines table; "
            "ics: every deadline as an iCalendar feed (docs/sharing.md).",
        ),
    ] = ExportFormat.yaml,
    output: Annotated[
        str | None,
        typer.Option("--output", "-o", metavar="FILE", help="Write to FILE instead of stdout."),
    ] = None,
    hxl: HxlOpt = False,
    include_plans: IncludePlansOpt = False,
    bom: BomOpt = False,
    db: DbOpt = None,
) -> None:
    """Write the whole record in the native format, the deadlines as CSV, or a calendar.

    The output is deterministic: export, import into an empty database, export again gives
    the same bytes (for ics: the same but for each event's DTSTAMP, the time of the export).

    \b
    Examples:
      corridor export -o backup.yaml
      corridor export --format json | jq '.instruments[].symbol'
      corridor export --format csv -o deadlines.csv
      corridor export --format csv --hxl -o deadlines-hxl.csv
      corridor export --format ics -o corridor.ics
    """
    from corridor.cli.sharing import check_hxl
    from corridor.present.render import to_csv
    from corridor.services.transfer import CSV_COLUMNS, deadline_rows, export_text

    check_hxl(hxl, fmt, bom)
    if include_plans and fmt.value != "ics":  # the record file stays the record
        raise UsageError(
            "--include-plans goes with --format ics: plans are not part of the record",
            "write the plans to their own private file: corridor plan export -o plans.csv",
        )
    with _engine(db, read_only=True).connect() as conn:
        if fmt.value == "ics":
            from corridor.cli.sharing import ics_text
            from corridor.services.calendar import all_deadlines

            reader = read_settings(None, None)
            plans = b""
            if include_plans:  # private: never without the flag (README "Guarantees")
                from corridor.cli.sharing import plan_verdict_rows
                from corridor.present.plans import ics_events

                plans = ics_events(plan_verdict_rows(conn, reader), reader.at)
            text = ics_text(conn, all_deadlines(conn, at=reader.at, tz=reader.tz), plans=plans)
        elif fmt.value == "csv" and hxl:
            from corridor.cli.sharing import hxl_csv

            text = hxl_csv("export", deadline_rows(conn), list(CSV_COLUMNS), conn, bom=bom)
        elif fmt.value == "csv":
            text = to_csv(deadline_rows(conn), CSV_COLUMNS, bom=bom)
        else:
            text = export_text(conn, fmt.value, ascii=output is None and ascii_only(sys.stdout))
    if output is None:
        out(text)
        return
    write_file(output, text)
    say(f"Wrote {output}.")


@app.command("schema")
def schema_(
    output: Annotated[
        str | None,
        typer.Option("--output", "-o", metavar="FILE", help="Write to FILE instead of stdout."),
    ] = None,
) -> None:
    """Print the record format as a JSON Schema, for editors and other tools.

    \b
    Example:
      corridor schema -o corridor-record.schema.json
    """
    from corridor.record.jsonschema import schema
    from corridor.record.write import to_json as indented

    text = indented(schema())
    if output is None:
        out(text)
        return
    write_file(output, text)
    say(f"Wrote {output}.")


@app.command("log")
def log(
    crossing: Annotated[
        str | None,
        typer.Option(
            "--crossing",
            "-c",
            metavar="NAME",
            callback=named,
            help="Only changes touching this crossing (any name).",
        ),
    ] = None,
    instrument: Annotated[
        str | None,
        typer.Option(
            "--instrument", "-i", metavar="SYMBOL", help="Only changes to this instrument."
        ),
    ] = None,
    since: Annotated[
        str | None,
        typer.Option("--since", metavar="DATE", help="Only changes on or after DATE (your zone)."),
    ] = None,
    limit: Annotated[
        int | None, typer.Option("--limit", "-n", min=1, max=1_000_000, help="At most N.")
    ] = None,
    fmt: OutOpt = Out.table,
    wide: WideOpt = False,
    tz: TzOpt = None,
    db: DbOpt = None,
) -> None:
    """Who changed what, when, and from which source: newest first.

    \b
    Examples:
      corridor log --crossing "bab al hawa"
      corridor log --since 2025-01-01 --format json
      corridor log --instrument "S/RES/2642 (2022)" -n 5
    """
    from corridor.core.errors import NotFoundError
    from corridor.core.terms import day_start
    from corridor.store.audit import entries, known_slugs

    reader = read_settings(tz, None)
    start = day_start(_date(since, "--since"), reader.tz) if since else None
    with _engine(db, read_only=True).connect() as conn:
        slug = key = None
        if crossing:
            slug = _crossing_slug(conn, crossing, known_slugs, NotFoundError)
        if instrument:
            from corridor.services.edit import find_instrument

            try:
                key = find_instrument(conn, instrument)[1]
            except NotFoundError:
                key = instrument.strip()  # a removed instrument lives on in the trail
        items = entries(conn, crossing=slug, since=start, key=key, limit=limit)
    if fmt is Out.json:
        out(
            json_text(
                dict(
                    timezone=reader.zone_name,
                    items=[
                        dict(
                            at=e.at,
                            by=e.by,
                            via=e.via,
                            source=e.source,
                            action=e.action,
                            entity=e.entity,
                            key=e.key,
                            crossings=e.crossings,
                            changes=[dict(field=f, old=a, new=b) for f, a, b in e.fields],
                            old=e.old,
                            new=e.new,
                        )
                        for e in items
                    ],
                )
            )
        )
        return
    if not items:
        say("No changes recorded" + (" for that filter." if crossing or since or key else "."))
        return
    lines = []
    for e in items:
        when = e.at.astimezone(reader.tz).strftime("%Y-%m-%d %H:%M")
        lines.append(f"{when} {reader.zone_name}  {e.by}  {e.via}: {e.action} {e.entity} {e.key}")
        lines += [f"    {f}: {_short(a)} -> {_short(b)}" for f, a, b in e.fields]
        if e.entity == "instrument" and e.action != "updated":
            for n, p in enumerate((e.new or e.old or {}).get("periods", [])):
                extra = (
                    f", if extended at the {p['conditional_on']} review"
                    if "conditional_on" in p
                    else ""
                )
                span = f"{', '.join(p['crossings'])} {p['start']} to {p['until']}"
                lines.append(f"    periods[{n}]: {span}{extra}")
        if e.source:
            lines.append(f"    source: {e.source}")
    from corridor.present.render import wrap_lines

    # stored text is escaped for the terminal (corridor.present.safe), then wrapped
    out(wrap_lines(safe("\n".join(lines)), table_width(wide), "  ") + "\n")


def _crossing_slug(conn, name, known_slugs, not_found) -> str:
    from corridor.db import tables as t
    from corridor.services.edit import find_crossing

    try:
        cid = find_crossing(conn, name)
    except not_found:
        if name.strip() in known_slugs(conn):  # a removed crossing lives on in the trail
            return name.strip()
        raise
    import sqlalchemy as sa

    return conn.execute(sa.select(t.crossings.c.slug).where(t.crossings.c.id == cid)).scalar_one()


def _short(value, width: int = 70) -> str:
    if value is None:
        return "(none)"
    text = ", ".join(map(str, value)) if isinstance(value, list) else str(value)
    return text if len(text) <= width else text[: width - 1] + "…"
