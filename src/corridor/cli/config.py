"""The optional config file (TOML). Its path: $CORRIDOR_CONFIG, else the user config dir."""

from __future__ import annotations

import os
from pathlib import Path

from corridor.core.errors import UsageError

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
    import platformdirs

    return Path(platformdirs.user_config_dir("corridor", appauthor=False)) / "config.toml"


def load_config() -> dict:
    path = config_path()
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
    if "database_url" in data:
        from corridor.core.redact import secrets_of

        if secrets_of(data["database_url"]):  # a password in the file: keep it private
            check_private(path)
    if "alerts" in data:
        data["alerts"] = check_alerts(data["alerts"], path)
    return data


MAX_CONFIG_BYTES = 1024 * 1024


def _read_regular(path: Path) -> bytes:
    """The config file's bytes. Opened without waiting (a FIFO with no writer would hang every
    command), and refused unless a regular file of at most 1 MiB."""
    import stat

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


_ALERT_KEYS = {
    "thresholds": list,
    "heartbeat": str,
    "recipients": list,
    "lapse_repeat_days": int,
    "stale_after_days": int,
    "timezone": str,
    "rules": list,
    # Delivery (docs/alerts.md, "Delivery safety" and "The outbox is kept tidy").
    "lease_seconds": int,
    "give_up_after_attempts": int,
    "give_up_after_days": int,
}
_RECIPIENT_KEYS = {
    "name": str,
    "url": str,
    "crossings": list,
    "kinds": list,
    "thresholds": list,
    "timezone": str,
    "plans": bool,  # planned movements' alerts (docs/plans.md): only to these recipients
}
_RULE_KEYS = {"crossing": str, "instrument": str, "thresholds": list}
ALERT_KINDS = ("expiry", "review", "report", "lapse", "stale")


def _table(value, known: dict, where: str, path: Path) -> dict:
    if not isinstance(value, dict):
        raise UsageError(f"{where} in {path} must be a table", "see docs/alerts.md")
    for key, item in value.items():
        if key not in known:
            raise UsageError(
                f'unknown setting "{key}" in {where} of {path}', f"known: {', '.join(known)}"
            )
        if not isinstance(item, known[key]) or isinstance(item, bool) != (known[key] is bool):
            raise UsageError(
                f'setting "{key}" in {where} of {path} must be a {known[key].__name__}',
                "see docs/alerts.md for the shape of [alerts]",
            )
    return value


def _thresholds(value: list, where: str, path: Path) -> list[int]:
    if not value or not all(isinstance(v, int) and not isinstance(v, bool) for v in value):
        raise UsageError(
            f"thresholds in {where} of {path} must be a list of whole days",
            "for example: thresholds = [90, 60, 30, 14, 7, 3, 1, 0]",
        )
    if any(v < 0 or v > 3660 for v in value):
        raise UsageError(f"thresholds in {where} of {path} must be between 0 and 3660 days")
    return sorted(set(value), reverse=True)


def _strings(value: list, key: str, where: str, path: Path) -> list[str]:
    if not all(isinstance(v, str) and v.strip() for v in value):
        raise UsageError(f"{key} in {where} of {path} must be a list of names")
    return value


HEARTBEAT_HINT = 'for example: heartbeat = "https://hc-ping.com/your-uuid"'


def check_alerts(alerts, path: Path) -> dict:
    """Validate the [alerts] table (the contract in docs/alerts.md); values pass through."""
    _table(alerts, _ALERT_KEYS, "[alerts]", path)
    if "thresholds" in alerts:
        alerts["thresholds"] = _thresholds(alerts["thresholds"], "[alerts]", path)
    for key in ("lapse_repeat_days", "stale_after_days"):
        if key in alerts and alerts[key] < 0:
            raise UsageError(f"{key} in [alerts] of {path} must be 0 or more days")
    for key, low, high in (
        ("lease_seconds", 1, 86_400),
        ("give_up_after_attempts", 1, 1_000),
        ("give_up_after_days", 1, 3_660),
    ):
        if key in alerts and not low <= alerts[key] <= high:
            raise UsageError(f"{key} in [alerts] of {path} must be between {low} and {high}")
    if "heartbeat" in alerts:
        from corridor.services.deliver import heartbeat_problem

        problem = heartbeat_problem(alerts["heartbeat"])
        if problem:
            raise UsageError(f"heartbeat in [alerts] of {path} {problem}", HEARTBEAT_HINT)
    names: set[str] = set()
    for i, rec in enumerate(alerts.get("recipients", [])):
        where = f"[[alerts.recipients]] #{i + 1}"
        _table(rec, _RECIPIENT_KEYS, where, path)
        for key in ("name", "url"):
            if not str(rec.get(key, "")).strip():
                raise UsageError(
                    f'{where} in {path} has no "{key}"',
                    'each recipient needs a name and an Apprise URL, e.g. url = "ntfy://topic"',
                )
        if rec["name"] in names or rec["name"] == "stdout" or rec["name"].startswith("to:"):
            raise UsageError(f'recipient name "{rec["name"]}" in {path} is used twice or reserved')
        names.add(rec["name"])
        if "thresholds" in rec:
            rec["thresholds"] = _thresholds(rec["thresholds"], where, path)
        _strings(rec.get("crossings", []), "crossings", where, path)
        bad = [
            k for k in _strings(rec.get("kinds", []), "kinds", where, path) if k not in ALERT_KINDS
        ]
        if bad:
            raise UsageError(
                f'unknown kind "{bad[0]}" in {where} of {path}', f"use: {', '.join(ALERT_KINDS)}"
            )
    for i, rule in enumerate(alerts.get("rules", [])):
        where = f"[[alerts.rules]] #{i + 1}"
        _table(rule, _RULE_KEYS, where, path)
        if ("crossing" in rule) == ("instrument" in rule) or "thresholds" not in rule:
            raise UsageError(
                f"{where} in {path} needs thresholds and one of crossing or instrument",
                'for example: crossing = "Bab al-Hawa"  thresholds = [120, 90, 60, 30, 7, 1, 0]',
            )
        rule["thresholds"] = _thresholds(rule["thresholds"], where, path)
    return alerts


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
    rows: list[dict] = [
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
