"""Plain JSON-ready values: dates as ISO text, instants as ISO 8601 with Z for UTC.

Shared by the JSON contract (corridor.present) and the native record format (corridor.record),
so a date is written the same way everywhere."""

from __future__ import annotations

import json
import re
from datetime import date, datetime


def plain(value):
    if isinstance(value, datetime):
        return value.isoformat().replace("+00:00", "Z")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    return value


# json.dumps(ensure_ascii=False) escapes C0 controls but leaves C1 controls (U+009B is a CSI to
# many terminals), bidirectional controls and line separators raw. These occur only inside
# strings, so writing them as \uXXXX keeps the JSON valid and the values exact (README "Limits").
_RAW = "[\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029\ud800-\udfff]"


def _u(match) -> str:
    return f"\\u{ord(match.group()):04x}"


def to_json(payload: dict, *, pretty: bool = False, ascii: bool = False) -> str:
    """Indented for a person at a terminal; compact when piped. `indent` switches Python to its
    pure-Python encoder, 3-4x slower on large outputs, and scripts do not need it. `ascii`
    writes every non-ASCII character as a \\uXXXX escape (for a stream that is not UTF-8)."""
    text = json.dumps(plain(payload), ensure_ascii=ascii, indent=2 if pretty else None)
    if not text.isascii() or "\x7f" in text:  # else nothing to escape: skip the scan
        text = re.sub(_RAW, _u, text)
    return text + "\n"
