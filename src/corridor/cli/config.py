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
    if "alerts" in data:
        data["alerts"] = check_alerts(data["alerts"], path)
    return data


def _private(path: Path, alerts: dict) -> None:
    """Alert recipients and the heartbeat hold passwords and tokens (docs/alerts.md,
    "Secrets"): the file is read only if no other user can read it."""
    if not (alerts.get("recipients") or alerts.get("heartbeat")):
        return
    try:
        mode = path.stat().st_mode
    except OSError:
        return
    if mode & 0o077:
        raise UsageError(
            f"the config file {path} holds alert recipients and is readable by other users "
            f"(mode {mode & 0o777:o}); corridor will not use it",
            f"run: chmod 600 {path}",
        )


_ALERT_KEYS = {
    "thresholds": list,
    "heartbeat": str,
    "recipients": list,
    "lapse_repeat_days": int,
    "stale_after_days": int,
    "timezone": str,
    "rules": list,
}
_RECIPIENT_KEYS = {
    "name": str,
    "url": str,
    "crossings": list,
    "kinds": list,
    "thresholds": list,
    "timezone": str,
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


def check_alerts(alerts, path: Path) -> dict:
    """Validate the [alerts] table (the contract in docs/alerts.md); values pass through."""
    _table(alerts, _ALERT_KEYS, "[alerts]", path)
    if "thresholds" in alerts:
        alerts["thresholds"] = _thresholds(alerts["thresholds"], "[alerts]", path)
    for key in ("lapse_repeat_days", "stale_after_days"):
        if key in alerts and alerts[key] < 0:
            raise UsageError(f"{key} in [alerts] of {path} must be 0 or more days")
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
