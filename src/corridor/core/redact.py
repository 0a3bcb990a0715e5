"""The one redactor: every URL, driver message and stored error the tool shows or keeps goes
through here (README "Guarantees", "secrets are never shown"), so no password, token or ntfy
topic reaches the terminal, a log, a cron mail or the database.

The API (stable; other modules call only these):

- `redact(text, secrets=(), urls=())`: any text (a message, a driver's error, an error to
  store) with every URL in it made safe, every `password=...`-style pair hidden, and every
  secret in `secrets`, or written in one of `urls`, hidden wherever it appears, also in pieces
  (a password `S3c@retTail` that a driver cut at its `@` and repeats as `retTail@host`).
- `redact_url(url, channel=False)`: one URL made safe to show. A database location that is
  not a URL (a path, a libpq string) is shown with its `password=` hidden; a channel's or
  heartbeat's (`channel=True`) that is not a URL at all (a mistyped one) may be a secret, so
  nothing of it is shown.
- `secrets_of(url)`: the secret strings a URL holds (for `redact(..., secrets=...)`).

No other module defines a redactor: they call these.

What is hidden in a URL:
- database URLs (sqlite, postgresql): the password (an unencoded `@`, `#`, `?`, `/` or `:` in
  it included: the user information ends at the LAST `@` before the path), and credential
  query values (`?password=`, `sslpassword`, `token`, ...). The user name and host stay.
- every other URL (Apprise channels, the heartbeat): all of the user information (with or
  without a password: `pover://user@token`, `mailto://token@host` put secrets there), query
  values but for a few harmless keys (`to`, `format`, ...), path segments and hosts that look
  like tokens, and every ntfy topic (`ntfy://topic`, `ntfys://host/topic`: the topic is the
  secret on a public ntfy server).
- libpq keyword strings (`host=h password=...`): the password value.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import unquote

HIDDEN = "***"
_SCHEME = re.compile(r"^([A-Za-z][\w+.\-]*://)(.*)$", re.S)
_SECRET_KEYS = r"(?:ssl)?password|passwd|pwd|pass|secret|token|api_?key|access_?key|auth\w*"
_QUERY = re.compile(rf"(?i)([?&;](?:{_SECRET_KEYS})=)[^&;#]*")
_PAIR = re.compile(rf"(?i)\b((?:{_SECRET_KEYS})\s*=\s*)('(?:[^'\\]|\\.)*'|\"[^\"]*\"|[^\s&;,]+)")
_URL_IN_TEXT = re.compile(r"[A-Za-z][\w+.\-]*://[^\s\"'<>]+")
_QUERY_VALUE = re.compile(r"([?&][^=&#]+)=([^&#]*)")
# Query keys of channel URLs whose values are addresses or options, not secrets.
_SAFE_KEYS = frozenset(
    {"to", "cc", "bcc", "from", "name", "format", "overflow", "priority", "mode"}
)
_DB_SCHEMES = ("sqlite", "postgresql", "postgres")
_NTFY = ("ntfy", "ntfys")
# Pieces of a secret shorter than this are not hidden on their own (hiding every "a" would
# garble the message); the whole secret always is.
_MIN_PIECE = 3


def _base(scheme: str) -> str:
    return scheme.split("://", 1)[0].split("+", 1)[0].lower()


def split_userinfo(url: str) -> tuple[str, str, str | None, str] | None:
    """(scheme://, user, password or None, the rest from the `@` on), or None when the URL
    has no `user@`. The user information ends at the last `@` before the path's query or
    fragment: a password may hold an unencoded `@`, `#`, `?`, `/` or `:`."""
    m = _SCHEME.match(url)
    if not m or _base(m.group(1)) == "sqlite":
        return None
    scheme, rest = m.groups()
    ats = [i for i, c in enumerate(rest) if c == "@"]
    for at in reversed(ats):
        before = rest[:at]
        if re.search(r"[/?#]", before.split(":", 1)[0]):
            continue  # a user name holds none of these: this `@` is in the path or query
        if at != ats[0] and re.search(r"\?[^@]*=", before):
            continue  # `?to=x@example.org`: an address in the query
        break
    else:
        return None
    userinfo = rest[:at]
    user, sep, password = userinfo.partition(":")
    return scheme, user, password if sep else None, rest[at:]


_CHANNEL_URL = re.compile(r"^[a-z][a-z0-9+.-]*://", re.IGNORECASE)


def redact_url(url: str, channel: bool = False) -> str:
    """`url` safe to show (this module's docstring says what is hidden). `channel`: an Apprise
    or heartbeat URL, where text that is not a URL is hidden whole."""
    if channel and not _CHANNEL_URL.match(url.strip()):
        return HIDDEN
    text = url.strip()
    m = _SCHEME.match(text)
    if not m:
        return _PAIR.sub(lambda p: p.group(1) + HIDDEN, text)  # a path or a libpq string
    if _base(m.group(1)) in _DB_SCHEMES:
        parts = split_userinfo(text)
        if parts is not None:
            scheme, user, password, rest = parts
            text = f"{scheme}{user}{':' + HIDDEN if password is not None else ''}{rest}"
        return _PAIR.sub(lambda p: p.group(1) + HIDDEN, _QUERY.sub(r"\1" + HIDDEN, text))
    return _redact_channel(text)


def _redact_channel(text: str) -> str:
    """A channel (Apprise) or heartbeat URL: only the scheme, hosts that are hosts, harmless
    path segments and harmless query values stay."""
    m = _SCHEME.match(text)
    assert m is not None
    scheme, rest = m.group(1), m.group(2)
    ntfy = _base(scheme) in _NTFY
    parts = split_userinfo(text)
    if parts is not None:
        rest = HIDDEN + parts[3]
    head, _, query = rest.partition("?")
    head, hash_, fragment = head.partition("#")
    prefix = ""
    if head.startswith(HIDDEN + "@"):
        prefix, head = HIDDEN + "@", head[len(HIDDEN) + 1 :]
    host, slash, path = head.partition("/")
    if ntfy:
        if not _hostlike(host):
            host = HIDDEN
        segments = [HIDDEN if s else s for s in path.split("/")] if path else []
    else:
        if _tokenish_host(host):
            host = host[:2] + HIDDEN
        segments = [_mask(s) for s in path.split("/")] if path else []
    shown = scheme + prefix + host + (slash + "/".join(segments) if slash else "")
    if hash_:
        shown += "#" + HIDDEN if fragment else "#"
    if query:
        shown += "?" + _QUERY_VALUE.sub(_query, "?" + query)[1:]
    return shown


def _hostlike(host: str) -> bool:
    """A real host (with a dot, a port, or localhost), not an ntfy topic in the host's place."""
    name = host.rsplit("@", 1)[-1]
    return "." in name or ":" in name or name == "localhost" or name.startswith("[")


def _tokenish_host(host: str) -> bool:
    """Many Apprise schemes put a token where a host would be (tgram://BOTTOKEN/...): a host
    with no dot, or with a non-numeric "port", that looks like a token is one."""
    name, _, port = host.rpartition(":") if ":" in host else (host, "", "")
    if port and not port.isdigit():
        return True
    return "." not in name and name not in ("localhost",) and _mask(name) != name


def _mask(segment: str) -> str:
    """Path segments of 8+ characters with digits, or 16+ of anything, look like tokens."""
    if len(segment) >= 16 or (len(segment) >= 8 and any(c.isdigit() for c in segment)):
        return segment[:2] + HIDDEN
    return segment


def _query(m: re.Match) -> str:
    key = m.group(1).lstrip("?&").lower()
    value = m.group(2) if key in _SAFE_KEYS else HIDDEN
    return f"{m.group(1)}={value}"


def secrets_of(url: str) -> list[str]:
    """The secret strings written in `url` (its password, credential query values, tokens,
    ntfy topics, a libpq `password=`), each also %-decoded, to hide wherever they appear."""
    text = url.strip()
    found: list[str] = []
    m = _SCHEME.match(text)
    if not m:
        found += [_unquote_pair(p.group(2)) for p in _PAIR.finditer(text)]
        return _expand(found)
    parts = split_userinfo(text)
    db = _base(m.group(1)) in _DB_SCHEMES
    if parts is not None:
        scheme, user, password, rest = parts
        if password:
            found.append(password)
        if not db and user:
            found.append(user)
    found += [q.group(0).split("=", 1)[1] for q in _QUERY.finditer(text)]
    if not db:
        rest = parts[3][1:] if parts else m.group(2)
        head, _, query = rest.partition("?")
        head = head.partition("#")[0]
        host, _, path = head.partition("/")
        ntfy = _base(m.group(1)) in _NTFY
        if (ntfy and not _hostlike(host)) or (not ntfy and _tokenish_host(host)):
            found.append(host)
        found += [s for s in path.split("/") if s and (ntfy or _mask(s) != s)]
        found += [
            v
            for k, v in (p.split("=", 1) for p in query.split("&") if "=" in p)
            if k.lower() not in _SAFE_KEYS
        ]
    return _expand(found)


def _unquote_pair(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
        return value[1:-1].replace("\\'", "'").replace("\\\\", "\\")
    return value


def _expand(found: Iterable[str]) -> list[str]:
    """Each secret, its %-decoded form, and its pieces between `@ # ? / : &` (a driver that
    misparses a URL repeats a piece); longest first so a piece never hides half a secret."""
    out: set[str] = set()
    for secret in found:
        for form in (secret, unquote(secret)):
            if form:
                out.add(form)
            out.update(p for p in re.split(r"[@#?/:&=\s]", form) if len(p) >= _MIN_PIECE)
    return sorted(out, key=len, reverse=True)


def redact(text: str, secrets: Iterable[str] = (), urls: Iterable[str] = ()) -> str:
    """`text` with every secret hidden: those given, those written in `urls`, every URL in it
    (redact_url) and every `password=...`-style pair."""
    hidden = set(_expand(s for s in secrets if s))
    for url in urls:
        if url:
            text = text.replace(url.strip(), redact_url(url)) if url.strip() else text
            hidden.update(secrets_of(url))
    text = _URL_IN_TEXT.sub(lambda u: redact_url(u.group()), text)
    text = _PAIR.sub(lambda p: p.group(1) + HIDDEN, text)
    for secret in sorted(hidden, key=len, reverse=True):
        text = _replace_secret(text, secret)
    return text


def _replace_secret(text: str, secret: str) -> str:
    if len(secret) >= _MIN_PIECE:
        return text.replace(secret, HIDDEN)
    # A very short whole secret is hidden only where it stands alone, e.g. after `:` or `=`.
    return re.sub(rf"(?<![\w*]){re.escape(secret)}(?![\w*])", HIDDEN, text)
