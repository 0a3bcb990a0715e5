"""Where the CLI writes: data to stdout, messages to stderr; and how wide a table may be."""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import sys

from corridor.core.errors import UsageError
from corridor.present.render import to_json
from corridor.present.safe import ascii_only, safe


def json_text(payload: dict) -> str:
    """JSON for stdout: indented on a terminal; with \\uXXXX escapes when stdout cannot encode
    every character (an ISO-8859-1 or ASCII locale), so it stays valid and exact."""
    return to_json(payload, pretty=sys.stdout.isatty(), ascii=ascii_only(sys.stdout))


def out(text: str) -> None:
    sys.stdout.write(text)


def say(text: str) -> None:
    """A message on stderr. It often echoes typed or stored text (a name, a "did you mean"), so
    unsafe characters are escaped here, once (corridor.present.safe)."""
    sys.stderr.write(safe(text) + "\n")


_quiet = False


def set_quiet(value: bool) -> None:
    """-q/--quiet: no notes on stderr for this run (errors still say what went wrong).
    corridor.cli.main resets it at the start of every run."""
    global _quiet
    _quiet = value


def is_quiet() -> bool:
    return _quiet


def note(text: str) -> None:
    """A note on stderr ("Note: no renewal of … is recorded", "Nothing due …"): helpful to a
    person, noise to a script or cron, so -q/--quiet silences it."""
    if not _quiet:
        say(text)


# The widest output corridor lays out (README "Limits"): --width and $COLUMNS beyond this are
# clamped, so a huge value never makes a table or timeline take the machine's memory.
MAX_WIDTH = 1000


def colour_refused() -> str | None:
    """Why no colour whatever the stream: "NO_COLOR" (set, not empty), "TERM=dumb", or None."""
    if os.environ.get("NO_COLOR", "") != "":
        return "NO_COLOR"
    if os.environ.get("TERM") == "dumb":
        return "TERM=dumb"
    return None


def use_colour(stream) -> bool:
    """Colour on `stream`: a terminal, unless NO_COLOR or TERM=dumb says no."""
    return colour_refused() is None and hasattr(stream, "isatty") and stream.isatty()


def terminal_columns(default: int = 100) -> int:
    """The terminal's columns (or $COLUMNS), clamped to 30..MAX_WIDTH."""
    import shutil  # lazy: with bz2, lzma and zlib, ~1.5 ms off a JSON read (the hot path)

    return min(max(shutil.get_terminal_size((default, 24)).columns, 30), MAX_WIDTH)


def table_width(wide: bool = False) -> int | None:
    """The columns a table may take (README, "Everyday use"): $COLUMNS when it is set, else
    the width of the terminal that stdout or, when stdout is piped (`| less`, `| head`),
    stderr is; None (no limit: one line per row) with --wide, or when no terminal is watching
    (cron, scripts, files)."""
    if wide:
        return None
    env = os.environ.get("COLUMNS", "").strip()
    if env.isdigit() and int(env) > 0:
        return min(max(int(env), 40), MAX_WIDTH)
    for stream in (sys.stdout, sys.stderr):
        try:
            if stream.isatty():
                return min(max(os.get_terminal_size(stream.fileno()).columns, 40), MAX_WIDTH)
        except (AttributeError, OSError, ValueError):
            continue
    return None


def write_file(path: str, text: str, *, mode: int | None = None) -> None:
    """Write `-o FILE`. A new path or a regular file is replaced atomically (a temporary file
    in the same folder, then a rename), keeping the old file's permissions (with `mode`, those:
    0o600 for a private file, never readable by others even for an instant). Anything else (a
    symlink, a FIFO, a device such as /dev/stdout) is written through, never replaced. Any
    failure, a full disk included, is a usage error naming the file (README "Exit codes")."""
    import tempfile  # lazy: only `-o FILE` writes one; ~1.3 ms off every read

    data = text.encode("utf-8", "surrogateescape")
    try:
        try:
            st = os.lstat(path)
        except FileNotFoundError:
            st = None
        if st is not None and not stat.S_ISREG(st.st_mode):
            _write_through(path, data)
            return
        folder = os.path.dirname(os.path.abspath(path))
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{os.path.basename(path)}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(data)
                f.flush()
                os.fsync(f.fileno())
            if mode is not None:
                os.chmod(tmp, mode)
            else:
                os.chmod(tmp, stat.S_IMODE(st.st_mode) if st is not None else 0o666 & ~_umask())
            os.replace(tmp, path)
        except BaseException:
            with _suppress():
                os.unlink(tmp)
            raise
    except OSError as exc:
        raise UsageError(f"cannot write {path}: {exc.strerror or exc}") from None


def _write_through(path: str, data: bytes) -> None:
    try:  # a FIFO nobody reads would block the open forever: fail instead
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NONBLOCK, 0o666)
    except OSError as exc:
        if exc.errno == errno.ENXIO:
            raise UsageError(f"cannot write {path}: nothing is reading from it") from None
        raise
    try:
        os.set_blocking(fd, True)
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
    finally:
        os.close(fd)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _suppress():
    return contextlib.suppress(OSError)
