"""The one place output is made safe for a terminal (README "Limits"): every table cell, CSV
field, message on stderr and line of text that echoes stored or typed text goes through `safe`.

Control characters, bidirectional controls and lone surrogates (corridor.core.text.UNSAFE)
become visible escapes such as `\\x1b` or `\\u202e`; Arabic and every other script pass through
unchanged. JSON keeps every character but writes these as `\\uXXXX` escapes
(corridor.core.jsonable.to_json), so parsers read the stored value back exactly.
"""

from __future__ import annotations

import codecs
import unicodedata


def safe(text: str, *, newlines: bool = True) -> str:
    """`text` with every unsafe character escaped. With newlines=False, newlines and tabs are
    escaped too (one table cell stays one line)."""
    text = str(text)
    if text.isprintable():  # the common case, at C speed: no control, format or separator
        return text
    # lazy: its patterns take ~1.4 ms to compile, and text that is all printable never needs them
    from corridor.core.text import UNSAFE, UNSAFE_LINE, escape

    return (UNSAFE if newlines else UNSAFE_LINE).sub(escape, text)


# ---------------------------------------------------------------- a terminal that is not UTF-8
#
# Under an ISO-8859-1 or ASCII locale (or PYTHONIOENCODING=ascii) a character the stream cannot
# encode used to crash the command. Instead the streams are switched to the "corridor-degrade"
# error handler (`degrade_streams`, called once by corridor.cli.main): a native-script alias the
# record also names in Latin letters (corridor.core.text.LATIN_NAMES) is written as that Latin
# name; a letter with marks loses them (NFKD: ö -> o); a few letters with no decomposition use
# the table below (ı -> i, ß -> ss); anything else is `?`. One note on stderr says so (README
# "Limits"). JSON does not go through this: the CLI writes it with \uXXXX escapes instead, so it
# stays exact (corridor.cli.output.json_text).

_CLOSE = {
    "ı": "i",
    "İ": "I",
    "ß": "ss",
    "ẞ": "SS",
    "ø": "o",
    "Ø": "O",
    "đ": "d",
    "Đ": "D",
    "ł": "l",
    "Ł": "L",
    "æ": "ae",
    "Æ": "AE",
    "œ": "oe",
    "Œ": "OE",
    "ʿ": "'",
    "ʾ": "'",
    "‘": "'",
    "’": "'",
    "“": '"',
    "”": '"',
    "–": "-",
    "—": "-",
    "−": "-",
    "→": "->",
    "←": "<-",
    "≥": ">=",
    "≤": "<=",
    "•": "*",
    "·": ".",
}

_state = {"degraded": False}


def _close_form(char: str, encoding: str) -> str:
    form = _CLOSE.get(char)
    if form is None:
        form = "".join(
            c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c)
        )
    try:
        form.encode(encoding)
    except (UnicodeEncodeError, LookupError):
        return "?"
    return form or "?"


def _degrade(exc: UnicodeError) -> tuple[str, int]:
    if not isinstance(exc, UnicodeEncodeError):
        raise exc
    from corridor.core.text import LATIN_NAMES  # lazy: as in safe(); a non-UTF-8 stream only

    _state["degraded"] = True
    text, start = exc.object, exc.start
    for native in sorted(LATIN_NAMES, key=len, reverse=True):
        if text.startswith(native, start):
            return LATIN_NAMES[native], start + len(native)
    return _close_form(text[start], exc.encoding), start + 1


def _can_encode_all(stream) -> bool:
    encoding = (getattr(stream, "encoding", None) or "utf-8").lower().replace("_", "-")
    return encoding.startswith(("utf-8", "utf8", "utf-16", "utf-32"))


def degrade_streams(*streams) -> None:
    """Let each stream that cannot encode every character degrade instead of failing."""
    try:
        codecs.lookup_error("corridor-degrade")
    except LookupError:
        codecs.register_error("corridor-degrade", _degrade)
    for stream in streams:
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None and not _can_encode_all(stream):
            reconfigure(errors="corridor-degrade")


def ascii_only(stream) -> bool:
    """True when `stream` cannot take every character (JSON is then written with escapes)."""
    return not _can_encode_all(stream)


def degraded() -> bool:
    """Whether any character was transliterated or replaced in this run."""
    return _state["degraded"]
