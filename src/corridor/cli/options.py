"""Options shared by many commands, as Typer declares them: the reader's zone and instant (--tz,
--as-of), the database (--db), the output format, the crossings and kinds asked for, the party
that acts, and what every write takes (--by, --yes, --dry-run, --note, --source). What they
resolve to lives in corridor.cli.reading (no Typer there, for the hot read paths) and, for
writes, corridor.cli.writing."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from corridor.cli.complete import complete_crossing, complete_zone  # noqa: F401 (re-exported)
from corridor.cli.reading import (  # noqa: F401  (re-exported: commands import them from here)
    Reader,
    crossing_ids,
    deadline_kinds,
    knowledge_warning,
    locate,
    open_read,
    open_writer,
    read_settings,
    split_values,
    within_days,
)
from corridor.core.errors import UsageError
from corridor.present.render import Format

DbOpt = Annotated[
    str | None,
    typer.Option(
        "--db",
        metavar="URL",
        help="Database URL or SQLite file. Default: $CORRIDOR_DATABASE_URL, the config file, "
        "then a SQLite file in your data dir (see: corridor db path).",
    ),
]
TzOpt = Annotated[
    str | None,
    typer.Option(
        "--tz",
        metavar="ZONE",
        autocompletion=complete_zone,
        help="Your IANA timezone, for times and days left. Default: $CORRIDOR_TZ, the config "
        "file, then the system zone.",
    ),
]
AsOfOpt = Annotated[
    str | None,
    typer.Option(
        "--as-of",
        metavar="WHEN",
        help="Answer as the tool would have at WHEN: a date (2023-07-11, the start of that day "
        "in your timezone) or an instant (2023-07-11T04:30:00Z, 2023-07-11T07:30+03:00). "
        "Later instruments and decisions are invisible. Default: now.",
    ),
]
KnownAtOpt = Annotated[
    str | None,
    typer.Option(
        "--known-at",
        metavar="WHEN",
        help="Answer about --as-of as known at WHEN (a date, an instant, or now): an audit, "
        'e.g. "were the trucks that crossed at --as-of covered, as we know now?" '
        "Default: --as-of itself (what was known then).",
    ),
]
FormatOpt = Annotated[
    Format,
    typer.Option(
        "--format",
        "-f",
        case_sensitive=False,
        help="table for people; json (stable, documented) or csv for scripts.",
    ),
]


class TableFormat(StrEnum):
    """--format of the commands that have no calendar form (status, db path, db current): the
    help lists only what they accept (present.render.Format less ics)."""

    table = "table"
    json = "json"
    csv = "csv"


TableFormatOpt = Annotated[
    TableFormat,
    typer.Option(
        "--format",
        "-f",
        case_sensitive=False,
        help="table for people; json (stable, documented) or csv for scripts.",
    ),
]


def named(param: typer.CallbackParam, value):
    """An option callback: a name option given empty (`-c ''`, `-c ,`) is an error naming the
    option, never silently "every crossing"."""
    values = value if isinstance(value, list | tuple) else [value]
    for v in values:
        if v is not None and not any(part.strip() for part in str(v).split(",")):
            option = param.opts[0] if param.opts else param.name
            raise UsageError(
                f"{option} was given an empty name",
                "give a crossing's name, alias or slug, or leave the option out for every one",
            )
    return value


CrossingOpt = Annotated[
    str | None,
    typer.Option(
        "--crossing",
        "-c",
        metavar="NAME",
        autocompletion=complete_crossing,
        callback=named,
        help="Only this crossing (any name, alias, spelling or script).",
    ),
]

CrossingsOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--crossing",
        "-c",
        metavar="NAME",
        autocompletion=complete_crossing,
        callback=named,
        help="Only these crossings (any name, alias, spelling or script). Repeat the option or "
        "separate names with commas.",
    ),
]
KindsOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--kind",
        "-k",
        metavar="KIND",
        help="Only these deadline kinds: expiry, review, report. Repeat the option or separate "
        "kinds with commas. Default: all.",
    ),
]
WideOpt = Annotated[
    bool,
    typer.Option(
        "--wide",
        help="Tables: never wrap long text to the terminal's width (JSON and CSV never are).",
    ),
]
QuietOpt = Annotated[
    bool,
    typer.Option(
        "--quiet", "-q", help="No notes on stderr (for scripts and cron); errors still show."
    ),
]
IncludePlansOpt = Annotated[
    bool,
    typer.Option(
        "--include-plans",
        help="Also the planned movements and their verdicts (private: docs/plans.md).",
    ),
]
BomOpt = Annotated[
    bool,
    typer.Option(
        "--bom",
        help="With --format csv: start the file with a byte-order mark, so Excel reads it as "
        "UTF-8 (Arabic names included).",
    ),
]
HxlOpt = Annotated[
    bool,
    typer.Option(
        "--hxl",
        help="With --format csv: add the HXL hashtag row under the header (and the countries "
        "and sources columns), for HDX and HXL tools.",
    ),
]


# ---------------------------------------------------------------- writes


class Out(StrEnum):
    """--format of the commands that write the record: a summary, or the JSON envelope."""

    table = "table"
    json = "json"


OutOpt = Annotated[
    Out,
    typer.Option(
        "--format",
        "-f",
        case_sensitive=False,
        help="table: a summary for people; json: for scripts.",
    ),
]
ByOpt = Annotated[
    str | None,
    typer.Option(
        "--by",
        metavar="NAME",
        envvar="CORRIDOR_USER",
        show_envvar=False,
        help="Who makes the change, for the audit trail. Default: $CORRIDOR_USER, then your "
        "operating-system user name.",
    ),
]
YesOpt = Annotated[
    bool,
    typer.Option("--yes", "-y", help="Do not ask before overwriting or removing (for scripts)."),
]
# Every command that writes the record takes --dry-run and passes it to
# corridor.cli.writing.write (tests/test_dry_run.py checks that every write command does).
DryRunOpt = Annotated[
    bool,
    typer.Option(
        "--dry-run",
        help="Show the change and the audit entries it would write, then write nothing.",
    ),
]
# One name for free text everywhere: --note. The old --notes still works, unlisted.
NoteOpt = Annotated[str | None, typer.Option("--note", metavar="TEXT", help="Free text.")]
OldNotesOpt = Annotated[str | None, typer.Option("--notes", hidden=True)]
SourceOpt = Annotated[
    str | None,
    typer.Option("--source", metavar="TEXT", help="Citation or link: why, or from where."),
]
# The one party that acts (`object`, `terminate`); a new instrument's parties, "NAME:ROLE", are
# cli.instrument_options.PartiesOpt.
PartyOpt = Annotated[
    str,
    typer.Option("--party", metavar="PARTY", help="The party that objects or terminates."),
]
