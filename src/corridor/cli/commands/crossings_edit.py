"""The commands that record crossings: `crossing add` and `crossing alias`.

Registered by corridor.cli.main.register_commands(), like the other editing commands
(corridor.cli.commands.edit): parse, call one service (corridor.services.crossings_edit)
through the unit of work (corridor.cli.writing.write), show the result.
"""

from typing import Annotated

import typer

from corridor.cli import writing
from corridor.cli.app import crossing_app
from corridor.cli.options import ByOpt, DbOpt, DryRunOpt, NoteOpt, OldNotesOpt, Out, OutOpt
from corridor.core.vocab import CrossingKind


@crossing_app.command("add")
def crossing_add(
    name: Annotated[str, typer.Argument(metavar="NAME", help="The name used in UN texts.")],
    countries: Annotated[
        str,
        typer.Option(
            "--countries",
            metavar="AA[,BB...]",
            help="ISO codes: the two sides of a border, the one country of a port or airport.",
        ),
    ],
    kind: Annotated[
        CrossingKind,
        typer.Option("--kind", help="land (a border), sea (a port or sea route), air, route."),
    ] = CrossingKind.land,
    slug: Annotated[
        str | None,
        typer.Option("--slug", metavar="SLUG", help="Key in files. Default: from the name."),
    ] = None,
    alias: Annotated[
        list[str] | None,
        typer.Option("--alias", metavar="NAME", help="Another name or spelling. Repeatable."),
    ] = None,
    lat: Annotated[float | None, typer.Option("--lat", help="Latitude.")] = None,
    lon: Annotated[float | None, typer.Option("--lon", help="Longitude.")] = None,
    note: NoteOpt = None,
    old_notes: OldNotesOpt = None,
    fmt: OutOpt = Out.table,
    by: ByOpt = None,
    dry_run: DryRunOpt = False,
    db: DbOpt = None,
) -> None:
    """Record a new crossing: a land border, a port, an airport or a route.

    \b
    Examples:
      corridor crossing add "Jaber" --countries SY,JO --alias Nassib --alias "جابر" --dry-run
      corridor crossing add "Port of Odesa" --kind sea --countries UA --dry-run

    Next: corridor add ... --crossing Jaber.
    """
    # lazy: the services import sqlalchemy; --help and completion import this module
    from corridor.services.crossings_edit import add_crossing

    codes = [c for c in countries.split(",") if c.strip()]
    aliases = [a for a in alias or [] if a.strip()]
    change = writing.change(by, "crossing add", None)
    note = note or old_notes
    result = writing.write(
        db,
        change,
        lambda conn, ch: add_crossing(
            conn, name, codes, ch, slug, aliases, lat, lon, note, kind.value
        ),
        dry_run=dry_run,
    )
    writing.report(result, fmt)


@crossing_app.command("alias")
def crossing_alias(
    crossing: Annotated[str, typer.Argument(metavar="CROSSING", help="Any name of the crossing.")],
    aliases: Annotated[list[str], typer.Argument(metavar="ALIAS...", help="Names to add.")],
    fmt: OutOpt = Out.table,
    by: ByOpt = None,
    dry_run: DryRunOpt = False,
    db: DbOpt = None,
) -> None:
    """Add other names to a crossing: the other side's name, spellings, other scripts.

    \b
    Example:
      corridor crossing alias "Bab al-Hawa" "Bab al Hawa crossing" "باب الهوى" --dry-run
    """
    # lazy: the services import sqlalchemy; --help and completion import this module
    from corridor.services.crossings_edit import add_alias

    change = writing.change(by, "crossing alias", None)
    writing.report(
        writing.write(
            db, change, lambda conn, ch: add_alias(conn, crossing, aliases, ch), dry_run=dry_run
        ),
        fmt,
    )
