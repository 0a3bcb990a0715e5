"""The native record format (docs/format.md) as a JSON Schema (draft 2020-12), for editors and
other tools. `corridor schema` prints it. corridor itself validates with corridor.record.format,
which also checks what a schema cannot say (dates that exist, `for` and `until` agreeing, slugs
that are defined, renewals that are consistent); tests keep the two in step on the bundled
dataset.
"""

from __future__ import annotations

from corridor.core.countries import ISO_3166_ALPHA2
from corridor.core.text import MAX_TEXT
from corridor.core.vocab import EVENT_KINDS, KINDS, OUTCOMES, RELATIONS
from corridor.record.format import MAX_LEN

SCHEMA_ID = "https://corridor.invalid/schema/record-1.json"

# Dates in the supported range, 1900-01-01 to 2199-12-31 (docs/format.md "Limits").
_DATE = {"type": "string", "pattern": r"^(19|20|21)[0-9]{2}-[0-9]{2}-[0-9]{2}$", "format": "date"}
# No control characters (but newline and tab) and no text-direction controls (docs/format.md).
_SAFE = (
    "^[^\\u0000-\\u0008\\u000b-\\u001f\\u007f-\\u009f\\u061c\\u200e\\u200f"
    "\\u202a-\\u202e\\u2066-\\u2069\\u2028\\u2029]*$"
)
_TEXT = {"type": "string", "minLength": 1, "maxLength": MAX_TEXT, "pattern": _SAFE}
_TERM = {
    "type": "string",
    "pattern": r"^ *[0-9]{1,5} *(d|days?|w|wk|weeks?|mo|mon|months?|y|yr|years?) *$",
    "description": "Nd (days) or Nmo (calendar months), e.g. 180d, 6mo; also 2w, 1y",
}
_SLUG = {"type": "string", "pattern": r"^[a-z0-9]+(-[a-z0-9]+)*$", "maxLength": MAX_LEN["slug"]}


def _text(limit: int | None = None, description: str | None = None) -> dict:
    out = dict(_TEXT)
    if limit:
        out["maxLength"] = limit
    if description:
        out["description"] = description
    return out


def _object(properties: dict, required: list[str], description: str | None = None) -> dict:
    out = {
        "type": "object",
        "additionalProperties": False,
        "required": required,
        "properties": properties,
    }
    if description:
        out["description"] = description
    return out


def _nullable(schema: dict) -> dict:
    return {"anyOf": [schema, {"type": "null"}]}


def schema() -> dict:
    crossing = _object(
        {
            "slug": dict(_SLUG, description="natural key"),
            "name": _text(MAX_LEN["name"], "the name used in UN texts"),
            "countries": {
                "type": "array",
                "items": {"enum": sorted(ISO_3166_ALPHA2)},
                "minItems": 2,
                "maxItems": 2,
                "description": "ISO 3166-1 alpha-2 codes of the two sides",
            },
            "aliases": {"type": "array", "items": _text(MAX_LEN["alias"])},
            "lat": _nullable({"type": "number", "minimum": -90, "maximum": 90}),
            "lon": _nullable({"type": "number", "minimum": -180, "maximum": 180}),
            "notes": _nullable(_TEXT),
            "known_until": _nullable(_DATE),
            "known_until_note": _nullable(_TEXT),
        },
        ["slug", "name", "countries"],
    )
    period = _object(
        {
            "crossings": {"type": "array", "items": _SLUG, "minItems": 1},
            "start": _nullable(dict(_DATE, description="first covered day")),
            "until": _nullable(dict(_DATE, description="last covered day, inclusive")),
            "for": _nullable(_TERM),
            "from": _nullable(
                {
                    "anyOf": [{"enum": ["start", "adoption", "previous"]}, _DATE],
                    "description": "what `for` counts from",
                }
            ),
            "stated": _nullable(_TEXT),
            "conditional_on": _nullable(
                dict(_DATE, description="the date of one of this instrument's reviews")
            ),
        },
        ["crossings"],
    )
    period["anyOf"] = [
        {"required": ["until"], "properties": {"until": _DATE}},
        {"required": ["for"], "properties": {"for": _TERM}},
    ]
    review = _object(
        {
            "date": _DATE,
            "condition": _nullable(_TEXT),
            "outcome": {"enum": list(OUTCOMES)},
            "decided_on": _nullable(_DATE),
            "decided_by": _nullable(_TEXT),
            "note": _nullable(_TEXT),
        },
        ["date"],
    )
    report = _object(
        {"due": _DATE, "description": _TEXT, "note": _nullable(_TEXT)}, ["due", "description"]
    )
    instrument = _object(
        {
            "symbol": _text(MAX_LEN["symbol"], "natural key: the symbol, or a short title"),
            "title": _nullable(_TEXT),
            "kind": {"enum": list(KINDS)},
            "authority": _text(MAX_LEN["authority"]),
            "timezone": _text(MAX_LEN["timezone"], "IANA zone of the authority"),
            "adopted": _nullable(_DATE),
            "vote": _nullable(_text(MAX_LEN["vote"])),
            "source": _nullable(_TEXT),
            "source_url": _nullable(_TEXT),
            "unconfirmed": _nullable(_TEXT),
            "renews": _nullable(_text(MAX_LEN["symbol"])),
            "relation": _nullable({"enum": list(RELATIONS)}),
            "notes": _nullable(_TEXT),
            "periods": {"type": "array", "items": period, "minItems": 1},
            "reviews": {"type": "array", "items": review},
            "reports": {"type": "array", "items": report},
        },
        ["symbol", "kind", "authority", "timezone", "periods"],
    )
    event = _object(
        {
            "date": _DATE,
            "kind": {"enum": list(EVENT_KINDS)},
            "title": _TEXT,
            "vote": _nullable(_text(MAX_LEN["vote"])),
            "crossings": {"type": "array", "items": _SLUG},
            "source": _nullable(_TEXT),
            "note": _nullable(_TEXT),
        },
        ["date", "kind", "title"],
    )
    dataset = _object(
        {
            "name": _nullable(_TEXT),
            "knowledge_ends": _nullable(_DATE),
            "note": _nullable(_TEXT),
        },
        [],
    )
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "corridor record, format version 1",
        "description": "Crossings, the instruments that authorize them, and failed or vetoed "
        "drafts. See docs/format.md.",
        **_object(
            {
                "corridor": {"const": 1},
                "dataset": _nullable(dataset),
                "crossings": _nullable({"type": "array", "items": {"$ref": "#/$defs/crossing"}}),
                "instruments": _nullable(
                    {"type": "array", "items": {"$ref": "#/$defs/instrument"}}
                ),
                "events": _nullable({"type": "array", "items": {"$ref": "#/$defs/event"}}),
            },
            ["corridor"],
        ),
        "$defs": {"crossing": crossing, "instrument": instrument, "event": event},
    }
