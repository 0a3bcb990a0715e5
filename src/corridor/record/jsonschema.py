"""The native record format (docs/format.md) as a JSON Schema (draft 2020-12), for editors and
other tools. `corridor schema` prints it. corridor itself validates with corridor.record.format,
which also checks what a schema cannot say (dates that exist, `for` and `until` agreeing, slugs
that are defined, renewals that are consistent); tests keep the two in step on the bundled
dataset.
"""

from __future__ import annotations

from corridor.core.countries import ISO_3166_ALPHA2
from corridor.core.text import MAX_TEXT
from corridor.core.vocab import (
    CROSSING_KINDS,
    EVENT_KINDS,
    KINDS,
    OUTCOMES,
    PARTY_ROLES,
    RELATIONS,
    WEEKDAYS,
)
from corridor.record.format import MAX_LEN

SCHEMA_ID = "https://corridor.invalid/schema/record-1.json"

# Dates in the supported range, 1900-01-01 to 2199-12-31 (docs/format.md "Limits").
_DATE = {"type": "string", "pattern": r"^(19|20|21)[0-9]{2}-[0-9]{2}-[0-9]{2}$", "format": "date"}
# A fact's date, or the instant it became known (docs/time.md, "When a fact is known").
_FACT_TIME = {
    "type": "string",
    "pattern": (
        r"^(19|20|21)[0-9]{2}-[0-9]{2}-[0-9]{2}"
        r"([T ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?)?(Z|z|[+-][0-9]{2}:?[0-9]{2}))?$"
    ),
    "description": "a date, or an instant with Z or an offset: when the fact became known",
}
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
_VOTE = {
    "type": "string",
    "pattern": r"^ *[0-9]{1,4}-[0-9]{1,4}-[0-9]{1,4} *$",
    "description": "in favour-against-abstaining, e.g. 12-0-3 (unanimous: 15-0-0)",
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
                "minItems": 1,
                "uniqueItems": True,
                "description": "ISO 3166-1 alpha-2 codes: the two sides of a land border, "
                "the one country of a port or airport, every country of a route",
            },
            "kind": {
                "enum": list(CROSSING_KINDS),
                "default": "land",
                "description": "land border, sea port or maritime corridor, airport, route",
            },
            "aliases": {"type": "array", "items": _text(MAX_LEN["alias"])},
            "lat": _nullable({"type": "number", "minimum": -90, "maximum": 90}),
            "lon": _nullable({"type": "number", "minimum": -180, "maximum": 180}),
            "notes": _nullable(_TEXT),
            "known_until": _nullable(_FACT_TIME),
            "checked_before": {"type": "array", "items": _FACT_TIME},
            "known_until_note": _nullable(_TEXT),
            "unknown": {
                "type": "array",
                "description": "spans no source covers: reports say `unknown`, not `lapsed`",
                "items": _object(
                    {
                        "start": _DATE,
                        "until": _DATE,
                        "known": _FACT_TIME,
                        "timezone": _nullable(_text(MAX_LEN["timezone"], "zone of the dates")),
                        "note": _nullable(_TEXT),
                        "source": _nullable(_TEXT),
                    },
                    ["start", "until"],
                ),
            },
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
            "auto_renew": _nullable(
                _object(
                    {
                        "for": _nullable(dict(_TERM, description="renewal term (default: own)")),
                        "notice": _nullable(dict(_TERM, description="objection notice")),
                        "max": _nullable({"type": "integer", "minimum": 0, "maximum": 100}),
                        "until": _nullable(dict(_DATE, description="no renewal past this day")),
                        "objections": {
                            "type": "array",
                            "items": _object(
                                {
                                    "on": _FACT_TIME,
                                    "by": _TEXT,
                                    "source": _nullable(_TEXT),
                                    "note": _nullable(_TEXT),
                                },
                                ["on", "by"],
                            ),
                        },
                    },
                    [],
                    "renews automatically unless a party objects (docs/records.md)",
                )
            ),
            "alternative_ends": {
                "type": "array",
                "description": "a disputed end: other last days, each with its source",
                "items": _object(
                    {"until": _DATE, "source": _TEXT, "note": _nullable(_TEXT)},
                    ["until", "source"],
                ),
            },
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
            "decided_on": _nullable(_FACT_TIME),
            "decided_by": _nullable(_TEXT),
            "note": _nullable(_TEXT),
        },
        ["date"],
    )
    report = _object(
        {"due": _DATE, "description": _TEXT, "note": _nullable(_TEXT)}, ["due", "description"]
    )
    party = _object(
        {
            "name": _text(MAX_LEN["name"], "who: a government, a council, an agency"),
            "role": {"enum": list(PARTY_ROLES)},
            "note": _nullable(_TEXT),
        },
        ["name", "role"],
    )
    instrument = _object(
        {
            "symbol": _text(MAX_LEN["symbol"], "natural key: the symbol, or a short title"),
            "title": _nullable(_TEXT),
            "kind": {"enum": list(KINDS)},
            "authority": _text(MAX_LEN["authority"]),
            "timezone": _text(
                MAX_LEN["timezone"],
                "IANA zone that governs its dates: the authority's, or the place of signature's "
                "when the text names no authority",
            ),
            "signed_in": _nullable(_text(MAX_LEN["signed_in"], "the place of signature")),
            "parties": {"type": "array", "items": party},
            "adopted": _nullable(_FACT_TIME),
            "vote": _nullable(_VOTE),
            "source": _nullable(_TEXT),
            "source_url": _nullable(_TEXT),
            "unconfirmed": _nullable(_TEXT),
            "caveat": _nullable(
                _text(description="a sourced reservation, shown beside authorized")
            ),
            "renews": _nullable(_text(MAX_LEN["symbol"])),
            "relation": _nullable({"enum": list(RELATIONS)}),
            "notes": _nullable(_TEXT),
            "periods": {"type": "array", "items": period, "minItems": 1},
            "reviews": {"type": "array", "items": review},
            "reports": {"type": "array", "items": report},
            "revision": _nullable(
                {
                    "type": "integer",
                    "minimum": 0,
                    "maximum": 1000000,
                    "description": "written by export: the changes recorded after the first (the "
                    "calendar's SEQUENCE), carried to the database it is imported into",
                }
            ),
            "modified": _nullable(
                {
                    "type": "string",
                    "format": "date-time",
                    "description": "written by export: the last recorded change, an instant with "
                    "its offset (the calendar's LAST-MODIFIED)",
                }
            ),
            "terminated": _nullable(
                _object(
                    {
                        "effective": dict(_DATE, description="the first day no longer covered"),
                        "known": dict(_FACT_TIME, description="when it became known"),
                        "by": _nullable(_TEXT),
                        "source": _nullable(_TEXT),
                        "note": _nullable(_TEXT),
                    },
                    ["effective", "known"],
                    "ended early by a party, with effect from a date",
                )
            ),
        },
        ["symbol", "kind", "authority", "timezone", "periods"],
    )
    calendar = _object(
        {
            "for": _text(MAX_LEN["authority"], "an authority, as recorded, or a country's code"),
            "weekend": {
                "type": "array",
                "items": {"enum": list(WEEKDAYS)},
                "uniqueItems": True,
                "description": "its days off each week; default: the shipped calendar's",
            },
            "holidays": {
                "type": "array",
                "items": _object({"date": _DATE, "name": _TEXT}, ["date", "name"]),
            },
            "source": _nullable(_TEXT),
            "note": _nullable(_TEXT),
        },
        ["for"],
    )
    event = _object(
        {
            "date": _FACT_TIME,
            "kind": {"enum": list(EVENT_KINDS)},
            "title": _TEXT,
            "vote": _nullable(_VOTE),
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
                "calendars": _nullable({"type": "array", "items": {"$ref": "#/$defs/calendar"}}),
            },
            ["corridor"],
        ),
        "$defs": {
            "crossing": crossing,
            "instrument": instrument,
            "event": event,
            "calendar": calendar,
        },
    }
