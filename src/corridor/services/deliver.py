"""Delivery through Apprise (docs/alerts.md, "Channels"), and the heartbeat.

Apprise is imported only inside `send`, when something is actually sent; the state of its
logger is restored after each message (`_apprise_log`). Every URL that could
reach a terminal, a log, an error or the database goes through the one redactor
(corridor.core.redact) first: user:password@, path segments that look like tokens, query
values and ntfy topics are hidden.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

from corridor.core.redact import redact, redact_url

# Apprise's DEBUG lines that carry what the far end said (SMTP replies, HTTP error bodies).
_REPLY_MARKERS = ("Socket Exception:", "Response Details:", "Response details:")


class _Keep(logging.Handler):
    """Apprise's warnings, and the server's replies it logs at DEBUG."""

    def __init__(self) -> None:
        super().__init__()
        self.records: list[str] = []
        self.replies: list[str] = []  # what the server answered, e.g. "(550, b'5.7.1 …')"

    def emit(self, record: logging.LogRecord) -> None:
        text = record.getMessage()
        if record.levelno >= logging.WARNING:
            self.records.append(text)
        elif text.startswith(_REPLY_MARKERS):
            self.replies.append(text.split(":", 1)[1].strip())


@contextmanager
def _apprise_log() -> Iterator[_Keep]:
    """Apprise's log, kept for the message and away from the root logger's handlers while it
    sends; its level, propagation and handlers are as they were afterwards."""
    log = logging.getLogger("apprise")
    level, propagate = log.level, log.propagate
    handler = _Keep()
    log.addHandler(handler)
    log.setLevel(logging.DEBUG)  # Apprise logs the server's reply at DEBUG only
    log.propagate = False
    try:
        yield handler
    finally:
        log.removeHandler(handler)
        log.setLevel(level)
        log.propagate = propagate


def send(url: str, subject: str, body: str) -> str | None:
    """Send one message; None on success, else why not (redacted). Never raises for a channel
    that is down, misconfigured or unknown."""
    import apprise  # lazy: only when something is sent (tests/test_read_paths.py)

    with _apprise_log() as kept:
        records, replies = kept.records, kept.replies
        notifier = apprise.Apprise()
        if not notifier.add(url):
            shown = redact_url(url, channel=True)
            return f"not a valid Apprise URL: {shown} (see docs/alerts.md, Channels)"
        # Plain text: each channel converts it (HTML email, Slack, Teams cards) without
        # reading markdown or HTML into it.
        result = notifier.notify(title=subject, body=body, body_format=apprise.NotifyFormat.TEXT)
        if bool(result):
            return None
        reason = records[-1] if records else "the channel refused or did not answer"
        if replies:
            reason += f" The server answered: {replies[-1][:500]}"
        return redact(f"{redact_url(url, channel=True)}: {reason}", urls=[url])


def heartbeat_problem(url: str) -> str | None:
    """Why `url` cannot be a heartbeat, or None: only http(s) is pinged (a file:// or data:
    URL "answers" without a status, and pinging a file tells no monitor anything)."""
    scheme = url.strip().split(":", 1)[0].lower() if ":" in url else ""
    if scheme not in ("http", "https"):
        return f'must be an http:// or https:// URL, not "{redact_url(url, channel=True)}"'
    return None


def ping(url: str, timeout: float = 10.0) -> str | None:
    """A healthchecks.io-style heartbeat: GET the URL; None on success, else why not."""
    # lazy: the config check imports this module on read paths (heartbeat_problem)
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
            return f"{redact_url(url, channel=True)} answered HTTP {status}"
    except urllib.error.HTTPError as exc:
        return f"{redact_url(url, channel=True)} answered HTTP {exc.code}"
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        return redact(f"{redact_url(url, channel=True)}: {reason}", urls=[url])
