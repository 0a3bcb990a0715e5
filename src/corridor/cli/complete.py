"""Shell completion: crossing names, instrument symbols and timezones (README, "Shell
completion"). Runs on every TAB press, so it stays on the light path: plain SQL
(corridor.db.sql), no SQLAlchemy; tests/test_read_paths.py guards this.

Candidates extend what was typed, because Typer and the shell keep only those. For bash, whose
completion script inserts each candidate as it is, a candidate is escaped for the shell
(`Bab\\ al-Hawa`, `S/RES/2642\\ \\(2022\\)`) unless the word being completed is already inside
an open quote (escape_for_bash); zsh and fish quote candidates themselves.
"""

from __future__ import annotations

import os
import re
import shlex

import typer

from corridor.cli.reading import locate

# Characters bash would otherwise split on or interpret.
_SPECIAL = re.compile(r"""([\s'"\\$`!&|;<>()\[\]{}*?~#])""")


def _in_open_quote() -> bool:
    words = os.environ.get("COMP_WORDS", "")
    try:
        shlex.split(words)
    except ValueError:  # "No closing quotation": the user opened a quote
        return True
    return False


def escape_for_bash() -> None:
    """Make Typer's bash completion escape each candidate (called by corridor.cli.main only
    while completing). Typer keeps only candidates that start with the typed text, so the
    callbacks below return plain text and the escaping happens here, as it is sent to bash."""
    try:
        # lazy and guarded: a private module of Typer's, which another version may lack
        from typer._completion_classes import BashComplete
    except ImportError:  # another Typer: candidates go unescaped, as before
        return
    plain = BashComplete.format_completion

    def format_completion(self, item) -> str:
        text = plain(self, item)
        return text if _in_open_quote() else _SPECIAL.sub(r"\\\1", text)

    BashComplete.format_completion = format_completion  # type: ignore[method-assign]


def _reader(ctx: typer.Context):
    """A plain-SQL reader on the database the command line names, or None: completion never
    creates a database, migrates one, or says anything."""
    # lazy: `--help` and check load this module for its callbacks, and never complete
    from corridor.cli.config import load_settings
    from corridor.db.connect import SCHEMA_HEAD, connect_reader

    location = locate(ctx.params.get("db"), load_settings())
    rd = connect_reader(location, create=False)
    if not rd.has_table("alembic_version") or (
        rd.scalar("SELECT version_num FROM alembic_version") != SCHEMA_HEAD
    ):
        rd.close()
        return None
    return rd


def complete_crossing(ctx: typer.Context, incomplete: str) -> list[str]:
    try:
        from corridor.db.lookup import complete  # lazy: as in _reader

        rd = _reader(ctx)
        if rd is None:
            return []
        with rd:
            return complete(rd, incomplete)
    except Exception:  # completion must never print a traceback into the user's prompt
        return []


def _extend(names: list[str], incomplete: str) -> list[str]:
    """Names that start with what was typed, in any case, as the typed text extended (corridor
    finds symbols and crossings whatever their case)."""
    typed = incomplete.casefold()
    out = [incomplete + n[len(incomplete) :] for n in names if n.casefold().startswith(typed)]
    return list(dict.fromkeys(out))


def complete_symbol(ctx: typer.Context, incomplete: str) -> list[str]:
    try:
        rd = _reader(ctx)
        if rd is None:
            return []
        with rd:
            symbols = [r.symbol for r in rd.rows("SELECT symbol FROM instruments ORDER BY symbol")]
        return _extend(symbols, incomplete) or _extend_part(symbols, incomplete)
    except Exception:
        return []


def _extend_part(symbols: list[str], incomplete: str) -> list[str]:
    """When no symbol starts with what was typed ("26"): the typed text extended along each
    symbol that holds it ("2642 (2022)", "2672 (2023)"), a unique part that every command
    resolves (corridor.core.names.resolve_symbol). Typer keeps only candidates that start
    with the typed text, so the whole symbol cannot be offered."""
    typed = incomplete.casefold()
    if not typed:
        return []
    out = []
    for symbol in symbols:
        at = symbol.casefold().find(typed)
        if at >= 0:
            out.append(incomplete + symbol[at + len(incomplete) :])
    return list(dict.fromkeys(out))


def complete_zone(ctx: typer.Context, incomplete: str) -> list[str]:
    try:
        import zoneinfo  # lazy: --tz completion only; other TAB presses never load it

        zones = sorted(zoneinfo.available_timezones())
        return [z for z in zones if z.startswith(incomplete)]
    except Exception:
        return []
