"""Every error a user can cause, and the exit code each one maps to.

The CLI catches `CorridorError` in exactly one place (`corridor.cli.main.run`) and prints
`Error: <message>` followed by the hint. Nothing below the CLI prints or exits.

Exit codes (documented in the README):

    0  success (for `upcoming`: the report ran; an empty window is still 0)
    1  unexpected internal error (a bug: please report it)
    2  usage error: a bad option, date, duration, timezone or format; a name that matches
       several records (AmbiguousError)
    3  not found: no crossing, instrument, review point or draft matches the name given
    4  database error: unreachable, unreadable, or at the wrong schema version
    5  invalid data: a record or import file breaks a rule
    6  delivery failed: `alerts run` could not send an alert or the heartbeat (kept, retried)
"""

from __future__ import annotations

EXIT_INTERNAL = 1
EXIT_USAGE = 2
EXIT_NOT_FOUND = 3
EXIT_DATABASE = 4
EXIT_INVALID = 5
EXIT_DELIVERY = 6


class CorridorError(Exception):
    """A mistake or condition the user can act on. `hint` says what to do next."""

    exit_code = EXIT_INTERNAL

    def __init__(self, message: str, hint: str | None = None):
        super().__init__(message)
        self.message = message
        self.hint = hint


class UsageError(CorridorError):
    exit_code = EXIT_USAGE


class NotFoundError(CorridorError):
    exit_code = EXIT_NOT_FOUND


class AmbiguousError(UsageError):
    """A name that matches several crossings, instruments or drafts: the same exit code and
    the same wording whatever was looked up (corridor.core.names.ambiguous)."""


class DatabaseError(CorridorError):
    exit_code = EXIT_DATABASE


class InvalidDataError(CorridorError):
    exit_code = EXIT_INVALID


class DeliveryError(CorridorError):
    """An alert or the heartbeat could not be delivered; the alert stays queued for the next run."""

    exit_code = EXIT_DELIVERY
