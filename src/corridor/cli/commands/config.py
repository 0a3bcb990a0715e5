"""`corridor config`: every setting in effect, and where each one came from.
Registered by corridor.cli.main.register_commands()."""

from __future__ import annotations

import sys

from corridor.cli.app import app
from corridor.cli.config import settings
from corridor.cli.options import DbOpt, FormatOpt, TzOpt, WideOpt
from corridor.cli.output import json_text, out, table_width, use_colour
from corridor.present.documents import listing
from corridor.present.render import Format, to_csv, to_table


@app.command("config")
def config_(
    fmt: FormatOpt = Format.table,
    wide: WideOpt = False,
    tz: TzOpt = None,
    db: DbOpt = None,
) -> None:
    """The settings in effect and where each came from: a flag, an environment variable, the
    config file, or a default. Opens no database.

    \b
    Examples:
      corridor config
      corridor config --format json | jq -r '.items[] | select(.setting == "timezone").source'

    Each setting comes from the first of: its flag (--db, --tz, --by), its environment variable
    (CORRIDOR_DATABASE_URL, CORRIDOR_TZ, CORRIDOR_REFERENCE, CORRIDOR_USER), the config file
    ($CORRIDOR_CONFIG, else config.toml in your config dir), then the default.
    """
    rows = settings(db, tz)
    if fmt is Format.json:
        out(json_text(listing(rows)))
    elif fmt is Format.csv:
        out(to_csv(rows, ["setting", "value", "source"]))
    else:
        out(
            to_table(
                rows,
                [("setting", "SETTING"), ("value", "VALUE"), ("source", "FROM")],
                colour=use_colour(sys.stdout),
                width=table_width(wide),
            )
        )
