"""Finding crossings by what a person types: slug, name, alias, any accent or script."""

from __future__ import annotations

import unicodedata

from corridor.core.names import resolve
from corridor.core.text import LATIN_NAMES, UNSAFE_LINE, is_latin
from corridor.db.sql import ReadConn, reader


def crossing_names(conn: ReadConn) -> dict[str, list[str]]:
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
        if not is_latin(row.alias) and is_latin(names[row.slug][0]):
            LATIN_NAMES[row.alias] = names[row.slug][0]
    return names


def crossing_list(conn: ReadConn) -> list[dict]:
    """Every crossing, by name: slug, name, kind, its countries and its aliases."""
    db = reader(conn)
    shapes = crossing_shapes(db)
    return [
        dict(
            crossing=names[0],
            slug=slug,
            countries=shapes[slug][1],
            kind=shapes[slug][0],
            aliases=names[2:],
        )
        for slug, names in crossing_names(db).items()
    ]


def find_crossing(conn: ReadConn, query: str) -> int:
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


def _fold(text: str) -> str:
    """Lowercase without accents, one character for each character of `text`, so a prefix
    of the folded form is a prefix of the original."""
    return "".join((unicodedata.normalize("NFKD", ch)[:1] or ch).lower()[:1] for ch in text)


def complete(conn: ReadConn, incomplete: str) -> list[str]:
    """Shell completions for a crossing name.

    The shell keeps only candidates that start with what was typed, so each candidate is the
    typed text extended along a matching name or alias: "cilve" -> "cilvegözü",
    "bab el" -> "bab el-Hawa". Every candidate resolves through `find_crossing`.
    """
    # A name holding control or direction characters (stored before README "Limits") is never
    # offered: the shell would type it raw into the user's prompt.
    every = [
        [n for n in names if not UNSAFE_LINE.search(n)] for names in crossing_names(conn).values()
    ]
    if not incomplete:
        return [names[0] for names in every if names]
    typed = _fold(incomplete)
    out: list[str] = []
    for names in every:
        for name in names:
            if _fold(name).startswith(typed):
                out.append(incomplete + name[len(incomplete) :])
                break
    return list(dict.fromkeys(out))


def crossing_countries(conn: ReadConn, crossing_id: int) -> tuple[str, ...]:
    """The crossing's countries (ISO codes), in the order recorded: one for a port, two for a
    land border, more for a route."""
    return tuple(
        r.code
        for r in reader(conn).rows(
            "SELECT code FROM crossing_countries WHERE crossing_id = :id ORDER BY position",
            id=crossing_id,
        )
    )


def crossing_shapes(conn: ReadConn) -> dict[str, tuple[str, list[str]]]:
    """slug -> (kind, countries in order), for every crossing."""
    db = reader(conn)
    out: dict[str, tuple[str, list[str]]] = {
        r.slug: (r.kind, []) for r in db.rows("SELECT slug, kind FROM crossings")
    }
    for r in db.rows(
        "SELECT c.slug, x.code FROM crossing_countries x JOIN crossings c ON c.id = x.crossing_id"
        " ORDER BY x.crossing_id, x.position"
    ):
        out[r.slug][1].append(r.code)
    return out
