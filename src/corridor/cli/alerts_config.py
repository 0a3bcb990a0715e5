"""The [alerts] config table (docs/alerts.md), in one place: checked when the config file is
read (`check_alerts`, called by corridor.cli.config.load_config), and turned into plain values
for corridor.services.alerts (`settings`, `recipients`), with secrets from the environment. A
recipient or rule that cannot be used is skipped with a problem naming it (docs/alerts.md,
"Recipients are isolated")."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping
from datetime import timedelta
from pathlib import Path
from typing import Any

from corridor.cli.config import config_path
from corridor.core.errors import CorridorError, UsageError
from corridor.core.redact import redact_url
from corridor.core.terms import zone
from corridor.db.sql import Reader
from corridor.services.alert_settings import (
    DEFAULT_THRESHOLDS,
    Recipient,
    Rule,
    Settings,
    name_problem,
)
from corridor.services.deliver import heartbeat_problem
from corridor.services.lookups import crossing_slug

# ---------------------------------------------------------------- checking the table

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
    "remember_quiet": bool,  # docs/alerts.md, "A quiet run is remembered"
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


# ---------------------------------------------------------------- the plan's values


def recipient_url(url: str | None) -> str:
    """A recipient's URL fit to show (the one redactor); the --stdout recipient by name."""
    return "stdout" if url is None else redact_url(url, channel=True)


def settings(
    cfg: Mapping[str, Any], resolve: Callable[[str], str], problems: list[str]
) -> Settings:
    """The plan's settings. An [[alerts.rules]] entry naming a crossing that no longer exists
    is left out with a problem naming it: it must not silence every recipient."""
    rules = []
    for i, rule in enumerate(cfg.get("rules", [])):
        try:
            slug = resolve(rule["crossing"]) if "crossing" in rule else None
        except CorridorError as exc:
            problems.append(f"[[alerts.rules]] #{i + 1} was skipped: {exc.message}")
            continue
        rules.append(Rule(tuple(rule["thresholds"]), slug, rule.get("instrument")))
    return Settings(
        thresholds=tuple(cfg.get("thresholds", DEFAULT_THRESHOLDS)),
        lapse_repeat_days=cfg.get("lapse_repeat_days", 1),
        stale_after_days=cfg.get("stale_after_days"),
        rules=tuple(rules),
        lease=timedelta(seconds=cfg.get("lease_seconds", 900)),
        give_up_attempts=cfg.get("give_up_after_attempts", 5),
        give_up_days=cfg.get("give_up_after_days", 7),
        remember_quiet=cfg.get("remember_quiet", True),
    )


def recipients(
    cfg: Mapping[str, Any],
    to: list[str],
    stdout: bool,
    zone_name: str,
    resolve: Callable[[str], str],
    problems: list[str],
) -> list[Recipient]:
    """Plain recipients. One whose name is too long, whose crossings filter names a crossing
    that no longer exists, whose URL uses an unset ${NAME} or is no URL at all is skipped with
    a problem naming it (docs/alerts.md, "Recipients are isolated"): the others still get
    their alerts, and the run exits 6. `zone_name`: the reader's zone, for recipients that name
    none when [alerts] names none either."""
    found = []
    default_zone = cfg.get("timezone") or zone_name
    for rec in cfg.get("recipients", []):
        try:
            found.append(_recipient(rec, default_zone, resolve))
        except CorridorError as exc:
            problems.append(f'recipient "{_short_name(rec["name"])}" was skipped: {exc.message}')
    for url in to:
        if "://" not in url:
            raise UsageError(
                f'--to "{redact_url(url, channel=True)}" is not an Apprise URL',
                'for example: --to "mailto://user:pass@example.org?to=team@example.org"',
            )
        import hashlib  # lazy: OpenSSL's ~2 ms, only for a --to URL (a cron run has none)

        key = "to:" + hashlib.sha256(url.encode()).hexdigest()[:16]
        found.append(Recipient(key, expand(url, "--to"), default_zone, zone(default_zone)))
    if stdout:
        found.append(Recipient("stdout", None, default_zone, zone(default_zone)))
    if not found and not problems:
        raise UsageError(
            "no alert recipients: nothing would ever be sent",
            f"add [[alerts.recipients]] to {config_path()} (docs/alerts.md), "
            "or use --to URL or --stdout",
        )
    return found


def _recipient(rec: dict, default_zone: str, resolve: Callable[[str], str]) -> Recipient:
    problem = name_problem(rec["name"])
    if problem:
        raise UsageError(f"its name is {problem}")
    name = rec.get("timezone") or default_zone
    crossings = rec.get("crossings")
    url = expand(rec["url"], "its url")
    if "://" not in url:
        raise UsageError(f'its url "{redact_url(url, channel=True)}" is not an Apprise URL')
    return Recipient(
        name=rec["name"],
        url=url,
        zone_name=name,
        tz=zone(name),
        slugs=frozenset(resolve(c) for c in crossings) if crossings else None,
        kinds=frozenset(rec["kinds"]) if rec.get("kinds") else None,
        thresholds=tuple(rec["thresholds"]) if rec.get("thresholds") else None,
        plans=bool(rec.get("plans", False)),
    )


def _short_name(name: str) -> str:
    return name if len(name) <= 60 else name[:59] + "…"


def expand(url: str, who: str) -> str:
    """Apprise URLs may name secrets as ${NAME}: taken from the environment, never stored. An
    unset name is an error (cron's environment is not the shell's), naming the variable only."""
    missing = [m.group(1) for m in re.finditer(r"\$\{(\w+)\}", url) if m.group(1) not in os.environ]
    if missing:
        raise UsageError(
            f"{who} uses ${{{missing[0]}}}, which is not set in the environment",
            "set it where the run happens (cron and systemd do not read your shell's profile)",
        )
    return re.sub(r"\$\{(\w+)\}", lambda m: os.environ[m.group(1)], url)


def resolver(conn: Reader) -> Callable[[str], str]:
    """A crossing name to its slug, read through `conn` (corridor.services.lookups)."""

    def resolve(name: str) -> str:
        return crossing_slug(conn, name)

    return resolve
