"""The one place output is made safe for a terminal (README "Limits"): every table cell, CSV
field, message on stderr and line of text that echoes stored or typed text goes through `safe`.

Control characters, bidirectional controls and lone surrogates (corridor.core.text.UNSAFE)
become visible escapes such as `\\x1b` or `\\u202e`; Arabic and every other script pass through
unchanged. JSON keeps every character but writes these as `\\uXXXX` escapes
(corridor.core.jsonable.to_json), so parsers read the stored value back exactly.
"""

from __future__ import annotations


def _escape(match) -> str:
    code = ord(match.group())
    if code == 0x0A:
        return "\\n"
    if code == 0x09:
        return "\\t"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def safe(text: str, *, newlines: bool = True) -> str:
    """`text` with every unsafe character escaped. With newlines=False, newlines and tabs are
    escaped too (one table cell stays one line)."""
    text = str(text)
    if text.isprintable():  # the common case, at C speed: no control, format or separator
        return text
    from corridor.core.text import UNSAFE, UNSAFE_LINE  # compiled only when needed

    return (UNSAFE if newlines else UNSAFE_LINE).sub(_escape, text)
