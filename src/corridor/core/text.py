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
import unicodedata

# Longest single-line value (names, symbols, authorities, `--by`): the database columns hold 200.
MAX_NAME = 200
# Longest free text (notes, conditions, titles, sources).
MAX_TEXT = 10_000

_BIDI = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
# Characters a terminal must never receive raw: C0 (but tab and newline), DEL, C1, bidi
# controls, the Unicode line and paragraph separators, and lone surrogates.
UNSAFE = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{_BIDI}\u2028\u2029\ud800-\udfff]")
UNSAFE_LINE = re.compile(f"[\x00-\x1f\x7f-\x9f{_BIDI}\u2028\u2029\ud800-\udfff]")


def escape(match: re.Match) -> str:
    """A matched character written visibly: \\n, \\t, \\xNN or \\uNNNN. A `re.sub` callback,
    shared by the terminal's escaper (corridor.present.safe) and the stored values'
    (corridor.record.legible)."""
    code = ord(match.group())
    if code == 0x0A:
        return "\\n"
    if code == 0x09:
        return "\\t"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


# A name in a non-Latin script (an Arabic alias) -> the crossing's Latin name, for a terminal that
# cannot show the script (corridor.present.safe). Filled as crossings are read
# (corridor.db.lookup.crossing_names); empty until then, and harmless when stale.
LATIN_NAMES: dict[str, str] = {}


def is_latin(text: str) -> bool:
    """Whether every letter of `text` is a Latin letter (with or without marks)."""
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


# Characters that show as nothing, so two names that look the same would differ (refused in
# one-line values: names, symbols, authorities): zero-width space, word joiner, BOM, the
# Mongolian vowel separator, soft hyphen, grapheme joiner, the Hangul fillers, braille blank.
# Zero-width (non-)joiners are refused next to a Latin character only (Persian uses them).
_INVISIBLE = re.compile("[\u200b\u2060\ufeff\u180e\u00ad\u034f\u115f\u1160\u3164\uffa0\u2800]")
_JOINER_BY_LATIN = re.compile("[A-Za-z][\u200c\u200d]|[\u200c\u200d][A-Za-z]")
_LATIN = re.compile("[A-Za-z\u00c0-\u024f]")
_LOOKALIKE = {"Cyrillic": re.compile("[\u0400-\u052f]"), "Greek": re.compile("[\u0370-\u03ff]")}


def lookalike_problem(value: str) -> str | None:
    """Why a one-line value could pass for another one: an invisible character in it, or
    Latin letters mixed with Cyrillic or Greek ones that look the same ("S/RЕS" with a
    Cyrillic Е). None when it is plain."""
    if value.isascii():
        return None
    bad = _INVISIBLE.search(value) or _JOINER_BY_LATIN.search(value)
    if bad:
        char = next(c for c in bad.group() if not c.isascii())
        return f"contains U+{ord(char):04X} (an invisible character)"
    if _LATIN.search(value):
        for script, letters in _LOOKALIKE.items():
            if letters.search(value):
                return (
                    f"mixes Latin and {script} letters, which can look alike "
                    f"(U+{ord(letters.search(value).group()):04X})"  # type: ignore[union-attr]
                )
    return None


def text_problem(
    value: str, *, multiline: bool, limit: int, identifier: bool = False
) -> str | None:
    """Why `value` cannot be recorded, or None if it can. An `identifier` (a name, symbol,
    alias, authority: what people look things up by) must also not pass for another one."""
    bad = (UNSAFE if multiline else UNSAFE_LINE).search(value)
    if bad:
        return f"contains {describe(bad.group())}"
    if len(value) > limit:
        return f"longer than {limit} characters ({len(value)})"
    if identifier:
        return lookalike_problem(value)
    return None
