"""The one definition of text the record accepts, and of characters a terminal must never
receive raw (README "Limits", docs/format.md "Limits").

Refused on input (corridor.record.format validates every text field with `check_text`; the
CLI refuses them in arguments):
- C0 and C1 control characters (ESC, BEL, CR, NUL, U+009B CSI, ...): they can rewrite a
  terminal screen or title bar. Newline and tab are allowed only in the free-text fields.
- explicit bidirectional controls (embeddings, overrides, isolates, marks): they can reorder
  what a reader sees, e.g. disguise a date. Arabic letters are ordinary text and are accepted.
- lone surrogates: not text at all (they cannot be stored or printed).
- text longer than the field's limit.

`corridor.present.safe` escapes the same characters on output, for anything stored before
these rules existed.
"""

from __future__ import annotations

import re

# Longest single-line value (names, symbols, authorities, `--by`): the database columns hold 200.
MAX_NAME = 200
# Longest free text (notes, conditions, titles, sources).
MAX_TEXT = 10_000

_BIDI = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
# Characters a terminal must never receive raw: C0 (but tab and newline), DEL, C1, bidi
# controls, the Unicode line and paragraph separators, and lone surrogates.
UNSAFE = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{_BIDI}\u2028\u2029\ud800-\udfff]")
UNSAFE_LINE = re.compile(f"[\x00-\x1f\x7f-\x9f{_BIDI}\u2028\u2029\ud800-\udfff]")


# A name in a non-Latin script (an Arabic alias) -> the crossing's Latin name, for a terminal that
# cannot show the script (corridor.present.safe). Filled as crossings are read
# (corridor.db.lookup.crossing_names); empty until then, and harmless when stale.
LATIN_NAMES: dict[str, str] = {}


def is_latin(text: str) -> bool:
    """Whether every letter of `text` is a Latin letter (with or without marks)."""
    import unicodedata

    return all(not c.isalpha() or "LATIN" in unicodedata.name(c, "") for c in text)


def describe(char: str) -> str:
    """`U+001B (a control character)`: how an error names a refused character."""
    code = ord(char)
    if 0xD800 <= code <= 0xDFFF:
        kind = "a lone surrogate, not text"
    elif chr(code) in "\u061c\u200e\u200f" or 0x202A <= code <= 0x202E or 0x2066 <= code <= 0x2069:
        kind = "an invisible text-direction control"
    elif code in (0x2028, 0x2029):
        kind = "a Unicode line separator"
    elif code in (0x09, 0x0A):
        kind = "a tab or line break, not allowed in this field"
    else:
        kind = "a control character"
    return f"U+{code:04X} ({kind})"


def text_problem(value: str, *, multiline: bool, limit: int) -> str | None:
    """Why `value` cannot be recorded, or None if it can."""
    bad = (UNSAFE if multiline else UNSAFE_LINE).search(value)
    if bad:
        return f"contains {describe(bad.group())}"
    if len(value) > limit:
        return f"longer than {limit} characters ({len(value)})"
    return None
