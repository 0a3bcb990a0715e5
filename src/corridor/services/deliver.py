"""Delivery through Apprise (docs/alerts.md, "Channels"), and URL redaction.

Apprise is imported only inside `send`, when something is actually sent. Every URL that could
reach a terminal, a log, an error or the database goes through `redact` first: user:password@,
path segments that look like tokens, and query values are hidden.
"""

from __future__ import annotations

import re

_USERINFO = re.compile(r"^([a-z][a-z0-9+.-]*://)([^/@?#]*)@", re.IGNORECASE)
_QUERY_VALUE = re.compile(r"([?&][^=&#]+)=([^&#]*)")
_SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*://)", re.IGNORECASE)
# Query keys whose values are addresses or options, not secrets (e.g. mailto's ?to=).
_SAFE_KEYS = frozenset(
    {"to", "cc", "bcc", "from", "name", "format", "overflow", "priority", "mode"}
)


def redact(url: str) -> str:
    """A URL safe to show: the scheme, the host, no user info, no tokens, no secret values."""
    text = url.strip()
    m = _SCHEME.match(text)
    if not m:
        return "***"
    text = _USERINFO.sub(lambda u: u.group(1) + "***@", text)
    head, _, query = text.partition("?")
    scheme, rest = head[: m.end()], head[m.end() :]
    host, _, path = rest.partition("/")
    if _tokenish_host(host):
        host = host[:2] + "***"
    parts = [_mask(p) for p in path.split("/")] if path else []
    shown = scheme + host + ("/" + "/".join(parts) if path else "")
    if query:
        shown += "?" + _QUERY_VALUE.sub(_query, "?" + query)[1:]
    return shown


def _tokenish_host(host: str) -> bool:
    """Many Apprise schemes put a token where a host would be (tgram://BOTTOKEN/…): a host
    with no dot, or with a non-numeric "port", that looks like a token is one."""
    name, _, port = host.rpartition(":") if ":" in host else (host, "", "")
    if port and not port.isdigit():
        return True
    return "." not in name and name not in ("localhost",) and _mask(name) != name


def _mask(segment: str) -> str:
    """Path segments of 8+ characters with digits, or 16+ of anything, look like tokens."""
    if len(segment) >= 16 or (len(segment) >= 8 and any(c.isdigit() for c in segment)):
        return segment[:2] + "***"
    return segment


def _query(m: re.Match) -> str:
    key = m.group(1).lstrip("?&").lower()
    value = m.group(2) if key in _SAFE_KEYS else "***"
    return f"{m.group(1)}={value}"


def redact_text(text: str, urls: list[str]) -> str:
    """Apprise's own messages may quote the URL or its parts: hide every one of them."""
    out = text
    for url in sorted(urls, key=len, reverse=True):
        if url:
            out = out.replace(url, redact(url))
            for secret in _secrets(url):
                out = out.replace(secret, "***")
    return out


def _secrets(url: str) -> list[str]:
    found = []
    m = _USERINFO.match(url)
    if m and ":" in m.group(2):
        found.append(m.group(2).split(":", 1)[1])
    head, _, query = url.partition("?")
    found += [s for s in head.split("/")[2:] if _mask(s) != s or _tokenish_host(s)]
    found += [
        v for k, v in (p.split("=", 1) for p in query.split("&") if "=" in p) if k not in _SAFE_KEYS
    ]
    found += [part for s in found if ":" in s for part in s.split(":") if len(part) >= 8]
    return [s for s in found if len(s) >= 4]


# Apprise's DEBUG lines that carry what the far end said (SMTP replies, HTTP error bodies).
_REPLY_MARKERS = ("Socket Exception:", "Response Details:", "Response details:")


def send(url: str, subject: str, body: str) -> str | None:
    """Send one message; None on success, else why not (redacted). Never raises for a channel
    that is down, misconfigured or unknown."""
    import logging

    import apprise

    records: list[str] = []
    replies: list[str] = []  # what the server answered, e.g. "(550, b'5.7.1 …')"

    class _Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            text = record.getMessage()
            if record.levelno >= logging.WARNING:
                records.append(text)
            elif text.startswith(_REPLY_MARKERS):
                replies.append(text.split(":", 1)[1].strip())

    handler = _Keep()
    log = logging.getLogger("apprise")
    level = log.level
    log.addHandler(handler)
    log.setLevel(logging.DEBUG)  # Apprise logs the server's reply at DEBUG only
    log.propagate = False
    try:
        notifier = apprise.Apprise()
        if not notifier.add(url):
            return f"not a valid Apprise URL: {redact(url)} (see docs/alerts.md, Channels)"
        # Plain text: each channel converts it (HTML email, Slack, Teams cards) without
        # reading markdown or HTML into it.
        result = notifier.notify(title=subject, body=body, body_format=apprise.NotifyFormat.TEXT)
        if bool(result):
            return None
        reason = records[-1] if records else "the channel refused or did not answer"
        if replies:
            reason += f" The server answered: {replies[-1][:500]}"
        return redact_text(f"{redact(url)}: {reason}", [url])
    finally:
        log.removeHandler(handler)
        log.setLevel(level)


def heartbeat_problem(url: str) -> str | None:
    """Why `url` cannot be a heartbeat, or None: only http(s) is pinged (a file:// or data:
    URL "answers" without a status, and pinging a file tells no monitor anything)."""
    scheme = url.strip().split(":", 1)[0].lower() if ":" in url else ""
    if scheme not in ("http", "https"):
        return f'must be an http:// or https:// URL, not "{redact(url)}"'
    return None


def ping(url: str, timeout: float = 10.0) -> str | None:
    """A healthchecks.io-style heartbeat: GET the URL; None on success, else why not."""
    import urllib.error
    import urllib.request

    problem = heartbeat_problem(url)
    if problem:
        return f"the heartbeat {problem}"
    try:
        with urllib.request.urlopen(url, timeout=timeout) as resp:  # noqa: S310 - user's URL
            status = getattr(resp, "status", None)
            if isinstance(status, int) and 200 <= status < 300:
                return None
            return f"{redact(url)} answered HTTP {status}"
    except urllib.error.HTTPError as exc:
        return f"{redact(url)} answered HTTP {exc.code}"
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        return redact_text(f"{redact(url)}: {reason}", [url])
