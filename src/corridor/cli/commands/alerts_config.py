"""The [alerts] config table turned into plain values for corridor.services.alerts: settings,
recipients, secrets from the environment. A recipient or rule that cannot be used is skipped
with a problem naming it (docs/alerts.md, "Recipients are isolated")."""

from __future__ import annotations

import os

from corridor.core.errors import CorridorError, UsageError
from corridor.core.redact import redact_url


def recipient_url(url: str | None) -> str:
    """A recipient's URL fit to show (the one redactor); the --stdout recipient by name."""
    return "stdout" if url is None else redact_url(url, channel=True)


def settings(cfg: dict, resolve, problems: list[str]):
    """The plan's settings. An [[alerts.rules]] entry naming a crossing that no longer exists
    is left out with a problem naming it: it must not silence every recipient."""
    from datetime import timedelta

    from corridor.services.alerts_plan import DEFAULT_THRESHOLDS, Rule, Settings

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
    )


def recipients(cfg: dict, to: list[str], stdout: bool, reader, resolve, problems) -> list:
    """Plain recipients. One whose name is too long, whose crossings filter names a crossing
    that no longer exists, whose URL uses an unset ${NAME} or is no URL at all is skipped with
    a problem naming it (docs/alerts.md, "Recipients are isolated"): the others still get
    their alerts, and the run exits 6."""
    import hashlib

    from corridor.core.terms import zone
    from corridor.services.alerts_plan import Recipient

    found = []
    default_zone = cfg.get("timezone") or reader.zone_name
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
        key = "to:" + hashlib.sha256(url.encode()).hexdigest()[:16]
        found.append(Recipient(key, expand(url, "--to"), default_zone, zone(default_zone)))
    if stdout:
        found.append(Recipient("stdout", None, default_zone, zone(default_zone)))
    if not found and not problems:
        from corridor.cli.config import config_path

        raise UsageError(
            "no alert recipients: nothing would ever be sent",
            f"add [[alerts.recipients]] to {config_path()} (docs/alerts.md), "
            "or use --to URL or --stdout",
        )
    return found


def _recipient(rec: dict, default_zone: str, resolve):
    from corridor.core.terms import zone
    from corridor.services.alerts_plan import Recipient, name_problem

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
    import re

    missing = [m.group(1) for m in re.finditer(r"\$\{(\w+)\}", url) if m.group(1) not in os.environ]
    if missing:
        raise UsageError(
            f"{who} uses ${{{missing[0]}}}, which is not set in the environment",
            "set it where the run happens (cron and systemd do not read your shell's profile)",
        )
    return re.sub(r"\$\{(\w+)\}", lambda m: os.environ[m.group(1)], url)


def resolver(conn):
    from corridor.db.lookup import find_crossing

    def resolve(name: str) -> str:
        cid = find_crossing(conn, name)
        return conn.scalar("SELECT slug FROM crossings WHERE id = :id", id=cid)

    return resolve
