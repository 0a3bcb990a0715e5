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


# ---------------------------------------------------------------- settings and their sources
# Each setting in effect comes from the first of: a flag, an environment variable, the config
# file, a default. `corridor config` shows them all; a bad value's error names its source
# (README, "Configuration").


def _from_file(key: str) -> str:
    return f"{key} in {config_path()}"


def zone_setting(tz_opt: str | None, config: dict) -> tuple[str, str]:
    """The reader's zone name, and where it came from."""
    from corridor.cli import clock

    if tz_opt:
        return tz_opt, "--tz"
    env = os.environ.get("CORRIDOR_TZ")
    if env:
        return env, "CORRIDOR_TZ"
    if config.get("timezone"):
        return config["timezone"], _from_file("timezone")
    name = clock.system_zone_name()
    return name, "the system zone (TZ or /etc/localtime)"


def reader_zone(tz_opt: str | None, config: dict):
    """(zone name, tzinfo) for the reader; an unknown zone is a UsageError naming its source."""
    from corridor.core.errors import CorridorError
    from corridor.core.terms import zone

    name, source = zone_setting(tz_opt, config)
    try:
        return name, zone(name)
    except CorridorError as exc:
        raise UsageError(f"{exc.message} (from {source})", exc.hint) from None


def reference_setting(config: dict) -> tuple[bool, str]:
    from corridor.db.connect import reference_wanted

    if os.environ.get("CORRIDOR_REFERENCE") is not None:
        return reference_wanted(config), "CORRIDOR_REFERENCE"
    if "reference" in config:
        return reference_wanted(config), _from_file("reference")
    return True, "default"


def settings(db_opt: str | None = None, tz_opt: str | None = None) -> list[dict]:
    """Every setting in effect: name, value, source. Reads no database."""
    from corridor.cli.output import table_width
    from corridor.db.connect import resolve_location
    from corridor.present.render import use_colour

    path = config_path()
    config_source = "CORRIDOR_CONFIG" if os.environ.get("CORRIDOR_CONFIG") else "default"
    exists = path.is_file()
    config = load_config()
    rows = [
        dict(
            setting="config_file",
            value=str(path),
            source=config_source + ("" if exists else " (no such file: nothing read from it)"),
        )
    ]
    loc = resolve_location(db_opt, config, str(path))
    source = loc.source.replace("$", "")
    if source.startswith("config file "):
        source = _from_file("database_url")
    rows.append(dict(setting="database_url", value=loc.display, source=source))
    name, source = zone_setting(tz_opt, config)
    try:
        reader_zone(tz_opt, config)
    except UsageError:
        source += " (not a known zone: the reports refuse it)"
    rows.append(dict(setting="timezone", value=name, source=source))
    value, source = reference_setting(config)
    rows.append(dict(setting="reference", value=value, source=source))
    user = os.environ.get("CORRIDOR_USER", "").strip()
    if user:
        rows.append(dict(setting="user", value=user, source="CORRIDOR_USER"))
    else:
        from corridor.store.audit import os_user

        rows.append(dict(setting="user", value=os_user(), source="the operating system user"))
    import sys

    colour = use_colour(sys.stdout)
    why = (
        "NO_COLOR"
        if os.environ.get("NO_COLOR", "") != ""
        else "TERM=dumb"
        if os.environ.get("TERM") == "dumb"
        else "stdout is a terminal"
        if colour
        else "stdout is not a terminal"
    )
    rows.append(dict(setting="colour", value=colour, source=why))
    width = table_width()
    env = os.environ.get("COLUMNS", "").strip()
    rows.append(
        dict(
            setting="table_width",
            value=width,
            source="COLUMNS"
            if env.isdigit() and int(env) > 0
            else "the terminal"
            if width
            else "no terminal: no limit",
        )
    )
    return rows
