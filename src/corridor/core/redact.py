"""The one redactor: every database URL and driver message the tool shows goes through here
(README "Limits"), so no password reaches the terminal, a log or a cron mail.

Handles `user:password@host` (also with an unencoded `@`, `/` or `:` in the password),
query-string credentials (`?password=...`, `sslpassword`, `token`, ...), libpq key=value
strings (`password=...`) and any URL embedded in a longer message.
"""

from __future__ import annotations

import re

_SCHEME = re.compile(r"^([A-Za-z][\w+.\-]*://)(.*)$", re.S)
_SECRET_KEYS = r"(?:ssl)?password|passwd|pwd|pass|secret|token|api_?key|access_?key|auth\w*"
_QUERY = re.compile(rf"(?i)([?&;](?:{_SECRET_KEYS})=)[^&;#]*")
_PAIR = re.compile(rf"(?i)\b((?:{_SECRET_KEYS})\s*=\s*)('(?:[^'\\]|\\.)*'|\"[^\"]*\"|[^\s&;,]+)")
_URL_IN_TEXT = re.compile(r"[A-Za-z][\w+.\-]*://[^\s\"'<>]+")
HIDDEN = "***"


def split_userinfo(url: str) -> tuple[str, str, str | None, str] | None:
    """(scheme://, user, password or None, the rest from the host on), or None when the URL
    has no `user@`. The user information ends at the last `@` before the query."""
    m = _SCHEME.match(url)
    if not m or m.group(1).lower().startswith("sqlite"):
        return None
    scheme, rest = m.groups()
    first = rest.find("@")
    if first < 0:
        return None
    query = min(
        (i for i in (rest.find("?", first), rest.find("#", first)) if i >= 0), default=len(rest)
    )
    at = rest.rfind("@", 0, query)
    userinfo = rest[:at]
    user, sep, password = userinfo.partition(":")
    return scheme, user, password if sep else None, rest[at:]


def redact_url(url: str) -> str:
    """`url` with its password and any credential in the query string hidden."""
    parts = split_userinfo(url)
    if parts is not None:
        scheme, user, password, rest = parts
        url = f"{scheme}{user}{':' + HIDDEN if password is not None else ''}{rest}"
    return _PAIR.sub(lambda m: m.group(1) + HIDDEN, _QUERY.sub(r"\1" + HIDDEN, url))


def secrets_of(url: str) -> list[str]:
    """The credentials written in `url`, to hide wherever a driver repeats them."""
    found = []
    parts = split_userinfo(url)
    if parts is not None and parts[2]:
        found.append(parts[2])
    found += [m.group(0).split("=", 1)[1] for m in _QUERY.finditer(url)]
    return [s for s in found if len(s) >= 3]


def redact_text(text: str, *urls: str) -> str:
    """A message (e.g. a driver's error) with every URL, key=value credential and every
    password from `urls` hidden."""
    for url in urls:
        for secret in secrets_of(url):
            text = text.replace(secret, HIDDEN)
    text = _URL_IN_TEXT.sub(lambda m: redact_url(m.group()), text)
    return _PAIR.sub(lambda m: m.group(1) + HIDDEN, text)
