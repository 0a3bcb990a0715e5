"""The optional config file (TOML). Its path: $CORRIDOR_CONFIG, else the user config dir."""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

from corridor.core.errors import UsageError

KEYS = {
    "database_url": str,  # where the record lives (overridden by --db, CORRIDOR_DATABASE_URL)
    "timezone": str,  # the reader's IANA zone (overridden by --tz, CORRIDOR_TZ)
    "reference": bool,  # load the bundled reference dataset into a new database (default true)
}


def config_path() -> Path:
    env = os.environ.get("CORRIDOR_CONFIG")
    if env:
        return Path(env).expanduser()
    import platformdirs

    return Path(platformdirs.user_config_dir("corridor", appauthor=False)) / "config.toml"


def load_config() -> dict:
    path = config_path()
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return {}
    except OSError as exc:
        raise UsageError(f"cannot read the config file {path}: {exc.strerror}") from None
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise UsageError(
            f"the config file {path} is not valid TOML: {exc}", "fix or remove it"
        ) from None
    for key, value in data.items():
        if key not in KEYS:
            raise UsageError(
                f'unknown setting "{key}" in {path}', f"known settings: {', '.join(KEYS)}"
            )
        if not isinstance(value, KEYS[key]):
            raise UsageError(
                f'setting "{key}" in {path} must be a {KEYS[key].__name__}',
                f"for example: {key} = {_EXAMPLES[key]}",
            )
    if "database_url" in data:
        from corridor.core.redact import secrets_of

        if secrets_of(data["database_url"]):  # a password in the file: keep it private
            check_private(path)
    return data


_EXAMPLES = {
    "database_url": '"postgresql+psycopg://user@host/corridor"',
    "timezone": '"Europe/Istanbul"',
    "reference": "false",
}


def check_private(path: Path | str) -> None:
    """Refuse a file that holds secrets (alert credentials, a database password) when others
    than its owner can read or write it (README "Limits"): a UsageError naming the command
    that fixes it. A missing file is not an error here."""
    import stat

    try:
        mode = Path(path).stat().st_mode
    except FileNotFoundError:
        return
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror}") from None
    if os.name == "posix" and mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise UsageError(
            f"{path} holds secrets but others can read it (mode {stat.filemode(mode)})",
            f"make it private with: chmod 600 {_quote(str(path))}",
        )


def _quote(text: str) -> str:
    import shlex

    return shlex.quote(text)
