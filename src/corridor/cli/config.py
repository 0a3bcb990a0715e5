"""The settings, resolved once (`load_settings`): flags, the environment, the optional config
file (TOML; its path: $CORRIDOR_CONFIG, else the user config dir) and defaults. Nothing below
`corridor.cli` reads the environment (tests/test_guardrails.py): what it needs is passed down
from the `Settings` built here."""

from __future__ import annotations

import os
import stat
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any

from corridor.cli import clock
from corridor.cli.output import colour_refused, table_width, use_colour
from corridor.core.errors import CorridorError, UsageError
from corridor.core.terms import zone
from corridor.db.connect import DEFAULT_BUSY_SECONDS, ENV_URL, Location, resolve_location

KEYS = {
    "database_url": str,  # where the record lives (overridden by --db, CORRIDOR_DATABASE_URL)
    "timezone": str,  # the reader's IANA zone (overridden by --tz, CORRIDOR_TZ)
    "reference": bool,  # load the bundled reference dataset into a new database (default true)
    "alerts": dict,  # renewal alerts: thresholds, heartbeat, recipients (docs/alerts.md)
}


def config_path() -> Path:
    env = os.environ.get("CORRIDOR_CONFIG")
    if env:
        return Path(env).expanduser()
    import platformdirs  # lazy: only without $CORRIDOR_CONFIG (tests/test_read_paths.py)

    return Path(platformdirs.user_config_dir("corridor", appauthor=False)) / "config.toml"


def load_config(path: Path | None = None) -> dict:
    """The config file's settings, checked (`path`: default config_path()); none: {}."""
    path = config_path() if path is None else path
    try:
        raw = _read_regular(path)
    except FileNotFoundError:
        return {}
    except OSError as exc:
        raise UsageError(f"cannot read the config file {path}: {exc.strerror}") from None
    import tomllib  # only when there is a file: ~2 ms (with `string`) off every plain read

    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise UsageError(
            f"the config file {path} is not valid TOML: {exc}", "fix or remove it"
        ) from None
    if isinstance(data.get("alerts"), dict):
        _private(path, data["alerts"])
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
    from corridor.core.redact import secrets_of  # lazy: only with a config file (read path)

    if "database_url" in data and secrets_of(data["database_url"]):
        check_private(path)  # a password in the file: keep it private
    if "alerts" in data:
        # lazy: only a config with [alerts] (corridor.cli.alerts_config, its one home)
        from corridor.cli.alerts_config import check_alerts

        data["alerts"] = check_alerts(data["alerts"], path)
    return data


MAX_CONFIG_BYTES = 1024 * 1024


def _read_regular(path: Path) -> bytes:
    """The config file's bytes. Opened without waiting (a FIFO with no writer would hang every
    command), and refused unless a regular file of at most 1 MiB."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise UsageError(
                f"the config file {path} is not a regular file",
                "point CORRIDOR_CONFIG at a TOML file, or unset it",
            )
        if st.st_size > MAX_CONFIG_BYTES:
            raise UsageError(f"the config file {path} is larger than 1 MiB", "fix or remove it")
        chunks, size = [], 0
        while size <= MAX_CONFIG_BYTES:
            chunk = os.read(fd, 65536)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)


def _private(path: Path, alerts: dict) -> None:
    """Alert recipients and the heartbeat hold passwords and tokens (docs/alerts.md,
    "Secrets"): the file is read only if no other user can read it."""
    if alerts.get("recipients") or alerts.get("heartbeat"):
        check_private(path)


_EXAMPLES = {
    "database_url": '"postgresql+psycopg://user@host/corridor"',
    "timezone": '"Europe/Istanbul"',
    "reference": "false",
    "alerts": "{ thresholds = [30, 7, 0] }  (better: an [alerts] table, docs/alerts.md)",
}


def check_private(path: Path | str) -> None:
    """Refuse a file that holds secrets (alert credentials, a database password) when others
    than its owner can read or write it (README "Limits"): a UsageError naming the command
    that fixes it. A missing file is not an error here."""
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
    import shlex  # lazy: `corridor config` only

    return shlex.quote(text)


# ---------------------------------------------------------------- settings and their sources
# Each setting in effect comes from the first of: a flag, an environment variable, the config
# file, a default. `corridor config` shows them all; a bad value's error names its source
# (README, "Configuration").


@dataclass(frozen=True)
class Settings:
    """Every setting but the flags, read once from the environment and the config file. The
    flags are applied where they are parsed: --db by `location`, --tz by `zone`. Building it
    reads the config file only if there is one (tomllib then), and imports nothing heavy."""

    config_file: Path
    config_from_env: bool  # $CORRIDOR_CONFIG named the file
    config: Mapping[str, Any]  # the config file's contents, validated (load_config)
    database_url: str | None  # $CORRIDOR_DATABASE_URL
    busy_seconds: float  # $CORRIDOR_BUSY_TIMEOUT, else DEFAULT_BUSY_SECONDS
    reference: bool  # load the reference dataset into a new database
    reference_source: str
    timezone: str | None  # $CORRIDOR_TZ
    user: str  # $CORRIDOR_USER as set ("" when unset)

    def location(self, db_opt: str | None) -> Location:
        """The database: --db > $CORRIDOR_DATABASE_URL > config file > the default."""
        return resolve_location(
            db_opt,
            dict(self.config),
            str(self.config_file),
            env_url=self.database_url,
            busy_seconds=self.busy_seconds,
        )

    def zone(self, tz_opt: str | None) -> tuple[str, str]:
        """The reader's zone name, and where it came from."""
        if tz_opt:
            return tz_opt, "--tz"
        if self.timezone:
            return self.timezone, "CORRIDOR_TZ"
        if self.config.get("timezone"):
            return self.config["timezone"], _from_file("timezone", self.config_file)
        return clock.system_zone_name(), "the system zone (TZ or /etc/localtime)"

    @property
    def alerts(self) -> Mapping[str, Any]:
        """The [alerts] table, validated (check_alerts), or an empty one."""
        return self.config.get("alerts", {})


def load_settings() -> Settings:
    """The settings from the environment and the config file (read and validated here)."""
    env = os.environ
    path = config_path()
    config = load_config(path)
    reference, source = _reference(env.get("CORRIDOR_REFERENCE"), config, path)
    return Settings(
        config_file=path,
        config_from_env=bool(env.get("CORRIDOR_CONFIG")),
        config=MappingProxyType(config),
        database_url=env.get(ENV_URL) or None,
        busy_seconds=busy_seconds(env.get("CORRIDOR_BUSY_TIMEOUT", "")),
        reference=reference,
        reference_source=source,
        timezone=env.get("CORRIDOR_TZ") or None,
        user=env.get("CORRIDOR_USER", ""),
    )


def busy_seconds(text: str) -> float:
    """How long a writer waits for another ($CORRIDOR_BUSY_TIMEOUT, README "Guarantees")."""
    text = text.strip()
    try:
        value = float(text) if text else DEFAULT_BUSY_SECONDS
    except ValueError:
        raise UsageError(
            f'CORRIDOR_BUSY_TIMEOUT="{text}" is not a number of seconds', "e.g. 60"
        ) from None
    if not 0 < value <= 86400:
        raise UsageError(f"CORRIDOR_BUSY_TIMEOUT={text} is out of range", "give 1 to 86400")
    return value


def _reference(env: str | None, config: dict, path: Path) -> tuple[bool, str]:
    if env is not None:
        return env.strip().lower() not in ("0", "false", "no", "off", ""), "CORRIDOR_REFERENCE"
    if "reference" in config:
        return bool(config["reference"]), _from_file("reference", path)
    return True, "default"


def _from_file(key: str, path: Path) -> str:
    return f"{key} in {path}"


def reader_zone(tz_opt: str | None, settings: Settings) -> tuple[str, Any]:
    """(zone name, tzinfo) for the reader; an unknown zone is a UsageError naming its source."""
    name, source = settings.zone(tz_opt)
    try:
        return name, zone(name)
    except CorridorError as exc:
        raise UsageError(f"{exc.message} (from {source})", exc.hint) from None


def settings(db_opt: str | None = None, tz_opt: str | None = None) -> list[dict]:
    """Every setting in effect: name, value, source. Reads no database."""
    from corridor.store.audit import os_user  # lazy: it imports sqlalchemy (a read path)

    config = load_settings()
    path = config.config_file
    config_source = "CORRIDOR_CONFIG" if config.config_from_env else "default"
    exists = path.is_file()
    rows: list[dict] = [
        dict(
            setting="config_file",
            value=str(path),
            source=config_source + ("" if exists else " (no such file: nothing read from it)"),
        )
    ]
    loc = config.location(db_opt)
    source = loc.source.replace("$", "")
    if source.startswith("config file "):
        source = _from_file("database_url", path)
    rows.append(dict(setting="database_url", value=loc.display, source=source))
    name, source = config.zone(tz_opt)
    try:
        reader_zone(tz_opt, config)
    except UsageError:
        source += " (not a known zone: the reports refuse it)"
    rows.append(dict(setting="timezone", value=name, source=source))
    rows.append(dict(setting="reference", value=config.reference, source=config.reference_source))
    if config.user.strip():
        rows.append(dict(setting="user", value=config.user.strip(), source="CORRIDOR_USER"))
    else:
        rows.append(dict(setting="user", value=os_user(), source="the operating system user"))
    colour = use_colour(sys.stdout)
    why = colour_refused() or ("stdout is a terminal" if colour else "stdout is not a terminal")
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
