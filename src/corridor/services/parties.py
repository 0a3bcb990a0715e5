"""Who made an instrument: its authority, its parties with their roles, and the one zone that
governs its dates (docs/records.md, "Parties"). Plain SQL, so any view (`crossing show`, an
instrument view) can call it without importing SQLAlchemy."""

from __future__ import annotations

from dataclasses import dataclass, field

from corridor.db.sql import ReadConn, reader


@dataclass
class Party:
    name: str
    role: str  # corridor.core.vocab.PARTY_ROLES
    note: str | None = None


@dataclass
class Parties:
    symbol: str
    authority: str
    timezone: str  # the zone that governs the instrument's dates
    signed_in: str | None = None
    parties: list[Party] = field(default_factory=list)


def parties_of(conn: ReadConn, symbols: list[str]) -> list[Parties]:
    """The authority, zone, place of signature and parties of each instrument named, in the
    order of `symbols` (unknown symbols are left out)."""
    wanted = list(dict.fromkeys(symbols))
    if not wanted:
        return []
    db = reader(conn)
    found = {
        r.symbol: (r.id, Parties(r.symbol, r.authority, r.timezone, r.signed_in))
        for r in db.rows(
            "SELECT id, symbol, authority, timezone, signed_in FROM instruments"
            " WHERE symbol IN :symbols",
            symbols=wanted,
        )
    }
    by_id = {iid: p for iid, p in found.values()}
    if by_id:
        for r in db.rows(
            "SELECT instrument_id, name, role, note FROM instrument_parties"
            " WHERE instrument_id IN :ids ORDER BY instrument_id, position",
            ids=list(by_id),
        ):
            by_id[r.instrument_id].parties.append(Party(r.name, r.role, r.note))
    return [found[s][1] for s in wanted if s in found]


def parties_line(p: Parties) -> str:
    """One line for people: "Government of Chad (host), Government of Sudan (signatory);
    signed in Geneva; dates in Africa/Ndjamena"."""
    parts = []
    if p.parties:
        parts.append(", ".join(f"{x.name} ({x.role})" for x in p.parties))
    else:
        parts.append(p.authority)
    if p.signed_in:
        parts.append(f"signed in {p.signed_in}")
    parts.append(f"dates in {p.timezone}")
    return "; ".join(parts)
