"""The Typer application and its command groups. Commands register themselves on these
(corridor.cli.commands); corridor.cli.main is the entry point and the one error boundary."""

from __future__ import annotations

from typing import Annotated

import typer

from corridor import __version__
from corridor.cli.output import out

EXIT_CODES_HELP = (
    "Exit codes: 0 ok (also when nothing is due), 1 internal error, 2 usage error (bad option, "
    "date, duration or timezone; a name that matches several crossings or instruments), 3 not "
    "found (no such crossing or instrument), 4 database unreachable or at the wrong schema, "
    "5 invalid data, 6 a delivery failed (alerts run only)."
)

app = typer.Typer(
    name="corridor",
    help="Track the legal authorizations that keep humanitarian cross-border corridors open: "
    "what expires next, what covers each crossing, and every crossing's history.\n\n"
    "Start with:  corridor upcoming   then   corridor status",
    epilog=EXIT_CODES_HELP,
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)
crossing_app = typer.Typer(
    help="Look up crossings and their history.", no_args_is_help=True, rich_markup_mode=None
)
db_app = typer.Typer(
    help="Where the record lives, and its schema.", no_args_is_help=True, rich_markup_mode=None
)
app.add_typer(crossing_app, name="crossing")
app.add_typer(db_app, name="db")


def _version(value: bool) -> None:
    if value:
        out(f"corridor {__version__}\n")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Print the version and exit."
        ),
    ] = False,
) -> None:
    """Track the legal authorizations that keep humanitarian cross-border corridors open."""
