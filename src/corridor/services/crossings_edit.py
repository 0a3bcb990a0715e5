"""Recording crossings: `corridor crossing add` (a new crossing, its slug made from its name)
and `corridor crossing alias` (other names for one). Like every editing service
(corridor.services.edit), each takes an open connection and a `Change`, writes through
corridor.store.writer.apply, and returns a `Result`; a name or alias names one crossing only.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa

from corridor.core.errors import InvalidDataError, UsageError
from corridor.core.names import name_key
from corridor.db import tables as t
from corridor.db.lookup import crossing_names
from corridor.record.format import Document, Where, parse_crossing
from corridor.services.edit import Result, find_crossing
from corridor.store.audit import Change
from corridor.store.snapshot import crossing_dict
from corridor.store.writer import apply


def slugify(name: str) -> str:
    text = unicodedata.normalize("NFKD", name.replace("ı", "i")).encode("ascii", "ignore")
    return re.sub(r"[^a-z0-9]+", "-", text.decode().lower()).strip("-")[:80].strip("-")


def _name_owner(conn, name: str) -> tuple[str, str] | None:
    """(slug, display name) of the crossing that already has this name or alias."""
    key = name_key(name)
    for slug, names in crossing_names(conn).items():
        if key and any(name_key(n) == key for n in names):
            return slug, names[0]
    return None


def add_crossing(
    conn,
    name: str,
    countries: list[str],
    change: Change,
    slug: str | None = None,
    aliases: Sequence[str] = (),
    lat: float | None = None,
    lon: float | None = None,
    notes: str | None = None,
    kind: str = "land",
) -> Result:
    """Record a new crossing. Its slug (the key in files) is made from the name unless given."""
    slug = slug or slugify(name)
    if not slug:
        raise UsageError(
            f'cannot make a slug from "{name}"', "give one with --slug, e.g. --slug nusaybin"
        )
    raw: dict[str, Any] = {
        "slug": slug,
        "name": name,
        "countries": [c.strip().upper() for c in countries],
    }
    if kind != "land":
        raw["kind"] = kind
    raw.update({k: v for k, v in (("lat", lat), ("lon", lon), ("notes", notes)) if v is not None})
    if aliases:
        raw["aliases"] = list(aliases)
    rec = parse_crossing(raw, Where(f"crossing {slug}"))
    if conn.execute(sa.select(t.crossings.c.id).where(t.crossings.c.slug == slug)).first():
        raise InvalidDataError(f"a crossing with the slug {slug} is already recorded")
    for text in [name, *rec.aliases]:
        owner = _name_owner(conn, text)
        if owner is not None:
            raise InvalidDataError(
                f'"{text}" already names the crossing {owner[1]}',
                f'to add a spelling to it: corridor crossing alias "{owner[1]}" NAME',
            )
    summary = apply(conn, Document(crossings=[rec], source=change.source), change=change)
    shape = "-".join(rec.countries) + ("" if rec.kind == "land" else f", {rec.kind}")
    return Result(f"Recorded the crossing {name} ({slug}, {shape}).", summary)


def add_alias(conn, crossing: str, aliases: list[str], change: Change) -> Result:
    """Add other names (other side, spellings, scripts) to a crossing."""
    cid = find_crossing(conn, crossing)
    stored = crossing_dict(conn, cid)
    rec = parse_crossing(stored, Where(f"crossing {stored['slug']}"))
    added: list[str] = []
    names = list(rec.aliases)
    for alias in (a.strip() for a in aliases):
        if not alias:
            raise UsageError("an alias cannot be empty")
        owner = _name_owner(conn, alias)
        if owner is not None and owner[0] != rec.slug:
            raise InvalidDataError(
                f'"{alias}" already names the crossing {owner[1]}',
                "an alias must point to one crossing only",
            )
        known = {n.casefold() for n in (rec.name, *names)}
        if alias.casefold() not in known:
            names.append(alias)
            added.append(alias)
    raw = dict(stored, aliases=names)
    rec = parse_crossing(raw, Where(f"crossing {rec.slug}"))  # lengths and types
    summary = apply(conn, Document(crossings=[rec], source=change.source), change=change)
    if not added:
        return Result(f"{rec.name} already has those names: nothing changed.", summary)
    return Result(f"Added to {rec.name}: {', '.join(added)}.", summary)
