"""Finding crossings by what a person types: slug, name, alias, any accent or script."""

from __future__ import annotations

from corridor.names import name_key, resolve
from corridor.sql import reader


def crossing_names(conn) -> dict[str, list[str]]:
    """slug -> [display name, slug, aliases...]."""
    db = reader(conn)
    names: dict[str, list[str]] = {}
    for row in db.rows("SELECT slug, name FROM crossings ORDER BY name, slug"):
        names[row.slug] = [row.name, row.slug]
    for row in db.rows(
        "SELECT c.slug, a.alias FROM crossing_aliases a JOIN crossings c ON c.id = a.crossing_id"
        " ORDER BY a.position, a.id"
    ):
        names[row.slug].append(row.alias)
    return names


def find_crossing(conn, query: str) -> int:
    """The id of the crossing `query` names, or NotFoundError with "did you mean"."""
    db = reader(conn)
    # Fast path: an exact slug or name needs no scan of every alias.
    hit = db.scalar(
        "SELECT id FROM crossings WHERE slug = :q OR name = :q ORDER BY id LIMIT 1", q=query.strip()
    )
    if hit is not None:
        return hit
    slug = resolve(query, crossing_names(db))
    return db.scalar("SELECT id FROM crossings WHERE slug = :slug", slug=slug)


def complete(conn, incomplete: str) -> list[str]:
    """Crossing names for shell completion: display names whose names start with the input."""
    key = name_key(incomplete) if incomplete.strip() else ""
    out = []
    for names in crossing_names(conn).values():
        if not key or any(name_key(n).startswith(key) for n in names):
            out.append(names[0])
    return out
