"""Finding crossings by what a person types: slug, name, alias, any accent or script."""

from __future__ import annotations

import sqlalchemy as sa

from corridor import schema as t
from corridor.names import name_key, resolve


def crossing_names(conn) -> dict[str, list[str]]:
    """slug -> [display name, slug, aliases...]."""
    c, a = t.crossings.c, t.crossing_aliases.c
    names: dict[str, list[str]] = {}
    for slug, name in conn.execute(sa.select(c.slug, c.name).order_by(c.name)):
        names[slug] = [name, slug]
    for slug, alias in conn.execute(
        sa.select(c.slug, a.alias)
        .join(t.crossing_aliases, a.crossing_id == c.id)
        .order_by(a.position)
    ):
        names[slug].append(alias)
    return names


def find_crossing(conn, query: str) -> int:
    """The id of the crossing `query` names, or NotFoundError with "did you mean"."""
    c = t.crossings.c
    # Fast path: an exact slug or name needs no scan of every alias.
    hit = conn.execute(
        sa.select(c.id).where(sa.or_(c.slug == query.strip(), c.name == query.strip()))
    ).scalar()
    if hit is not None:
        return hit
    slug = resolve(query, crossing_names(conn))
    return conn.execute(sa.select(c.id).where(c.slug == slug)).scalar_one()


def complete(conn, incomplete: str) -> list[str]:
    """Crossing names for shell completion: display names whose names start with the input."""
    key = name_key(incomplete) if incomplete.strip() else ""
    out = []
    for names in crossing_names(conn).values():
        if not key or any(name_key(n).startswith(key) for n in names):
            out.append(names[0])
    return out
