"""Synthetic records for the benchmark, and SQLite databases built from them.

`generate(n)` returns a document in the record format (docs/format.md) with about `n` rows in
the `deadlines` table once loaded: max(5, n // 20) crossings, each with a renewal chain of
resolutions (America/New_York) and consents (Asia/Damascus) somewhere in 2014-2030, some with
"6+6" review points (pending or decided), standalone reviews and report due dates, plus a few
failed and vetoed drafts. Deterministic for a seed.

`build_db(n, path)` migrates a new SQLite file with the project's own migrations and loads the
document in one transaction through `corridor.store.writer.apply`, timing the load. `cached_db(n)`
keeps built files under benchmarks/out/, keyed by n and a hash of this file and of the product's
modules and migrations, so reruns are fast (and any product change rebuilds).

    python benchmarks/generate.py 10000 --json record.json   # the document
    python benchmarks/generate.py 10000                      # build (or reuse) the database
"""

from __future__ import annotations

import argparse
import calendar
import hashlib
import importlib.util
import json
import os
import random
import sqlite3
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"
FIRST, LAST = date(2014, 1, 1), date(2030, 12, 31)
CURRENT = date(2026, 6, 1)  # the benchmark's as-of date: every fifth chain is in force then
DECIDED_UNTIL = date(2026, 4, 30)  # review points up to here are decided, later ones pending


def add_months(day: date, months: int) -> date:
    """Calendar-month arithmetic with month ends clamped, as the record format defines it."""
    year, month0 = divmod(day.month - 1 + months, 12)
    year += day.year
    last = calendar.monthrange(year, month0 + 1)[1]
    return date(year, month0 + 1, min(day.day, last))


def after(anchor: date, term: str) -> date:
    """`anchor` + a term such as 6mo or 180d (negative amounts count back)."""
    if term.endswith("mo"):
        return add_months(anchor, int(term[:-2]))
    return anchor + timedelta(days=int(term[:-1]))


def _crossing(k: int) -> dict:
    return {
        "slug": f"x-{k:05d}",
        "name": f"Crossing {k:05d}",
        "countries": ["SY", "TR"],
        "aliases": [f"Sınır Kapısı {k:05d}", f"معبر {k:05d}"],
    }


class _Chain:
    """One crossing's renewal chain; `add()` appends an instrument and says how many
    deadline rows it will derive."""

    def __init__(self, rng: random.Random, slug: str, neighbour: str | None, counter: list[int]):
        self.rng, self.slug, self.neighbour, self.counter = rng, slug, neighbour, counter
        self.instruments: list[dict] = []
        self.prev_symbol: str | None = None
        self.prev_end: date | None = None  # the renewed instrument's last covered day

    def add(self, start: date, ends: date | None = None) -> int:
        """Append the next instrument. The first starts on `start`, or, given `ends`, is
        in force on `start` and ends near `ends`."""
        rng = self.rng
        resolution = rng.random() < 0.6
        self.counter[0] += 1
        if resolution:
            adopted_year = (self.prev_end or start).year
            symbol = f"S/RES/{self.counter[0]} ({adopted_year})"
            term = rng.choice(["6mo", "12mo", "180d"])
        else:
            symbol = f"SY consent {self.slug} no. {len(self.instruments) + 1}"
            term = rng.choice(["3mo", "6mo"])
        scope = [self.slug]
        if self.neighbour and rng.random() < 0.1:
            scope.append(self.neighbour)

        period: dict = {"crossings": scope}
        mode = rng.random()
        if self.prev_end is None:  # the first of the chain: start-anchored
            if ends is not None:
                amount = -int(term[:-2]) if term.endswith("mo") else -int(term[:-1])
                unit = "mo" if term.endswith("mo") else "d"
                start = min(start, after(ends, f"{amount}{unit}"))
            adopted = start - timedelta(days=rng.randint(0, 5))
            end = after(start, term)
            period.update(start=start, until=end, **({"for": term} if mode < 0.5 else {}))
        elif mode < 0.6:  # renewed on time, counted from the previous expiry
            adopted = self.prev_end - timedelta(days=rng.randint(0, 10))
            end = after(self.prev_end, term)
            period.update({"until": end, "for": term, "from": "previous"})
        elif mode < 0.8:  # renewed late: a gap
            adopted = self.prev_end + timedelta(days=rng.randint(2, 20))
            end = after(adopted, term)
            period.update(start=adopted, until=end)
        else:  # explicit dates only
            adopted = self.prev_end - timedelta(days=rng.randint(0, 5))
            end = after(self.prev_end, term)
            period.update(start=self.prev_end + timedelta(days=1), until=end)

        inst: dict = {
            "symbol": symbol,
            "kind": "resolution" if resolution else "consent",
            "authority": "UN Security Council" if resolution else "Syrian Arab Republic",
            "timezone": "America/New_York" if resolution else "Asia/Damascus",
            "adopted": adopted,
            "source": f"synthetic source for {symbol}",
            "periods": [period],
        }
        if resolution:
            inst["vote"] = "15-0-0"
        if self.prev_symbol:
            inst["renews"] = self.prev_symbol
        covered_end, reviews, reports = end, [], []
        if resolution and rng.random() < 0.3:  # "6+6": the extension hangs on a review
            ext_end = after(end, term)
            review = _review(rng, end, "the issuance of the Secretary-General's report")
            reviews.append(review)
            inst["periods"].append(
                {"crossings": scope, "start": end + timedelta(days=1), "until": ext_end}
                | {"conditional_on": end, "stated": f"an additional {term}"}
            )
            if review["outcome"] == "extended":
                covered_end = ext_end
        elif not resolution and rng.random() < 0.2:  # a standalone review point
            start_day = period.get("start", (self.prev_end or start) + timedelta(days=1))
            middle = start_day + (end - start_day) / 2
            reviews.append(_review(rng, middle, "review of the consent"))
        if resolution and rng.random() < 0.35:
            due = add_months(adopted, 5)
            reports.append({"due": due, "description": "Secretary-General's special report"})
        if reviews:
            inst["reviews"] = reviews
        if reports:
            inst["reports"] = reports
        self.instruments.append(inst)
        self.prev_symbol, self.prev_end = symbol, covered_end
        return len(inst["periods"]) * len(scope) + (len(reviews) + len(reports)) * len(scope)


def _review(rng: random.Random, day: date, condition: str) -> dict:
    review = {"date": day, "condition": condition, "outcome": "pending"}
    if day <= DECIDED_UNTIL:
        review["outcome"] = "extended" if rng.random() < 0.85 else "not_extended"
        review["decided_on"] = day - timedelta(days=rng.randint(0, 2))
    return review


def generate(n: int, seed: int = 1) -> dict:
    """A record-format document that derives about `n` deadline rows."""
    rng = random.Random(seed)
    count = max(5, n // 20)
    crossings = [_crossing(k) for k in range(1, count + 1)]
    instruments: list[dict] = []
    counter = [3000]  # resolution numbers, unique across the document
    used = 0
    for k in range(1, count + 1):
        slug = crossings[k - 1]["slug"]
        neighbour = crossings[k]["slug"] if k < count else None
        chain = _Chain(rng, slug, neighbour, counter)
        budget = n * k // count - used  # carries any overshoot over to the next crossing
        length = timedelta(days=max(1, budget) * 120)  # ~1.6 rows per ~190-day instrument
        ends = None
        if k % 5 == 1:  # in force on CURRENT, expiring within 90 days: renewed from there
            start, ends = CURRENT, CURRENT + timedelta(days=rng.randint(5, 85))
        else:
            latest = max(FIRST, LAST - length)
            start = FIRST + timedelta(days=rng.randint(0, (latest - FIRST).days))
        while budget > 0 or not chain.instruments:
            made = chain.add(start, ends)
            used += made
            budget -= made
        instruments += chain.instruments
    events = []
    for e in range(1, max(3, count // 25) + 1):
        kind = rng.choice(["vetoed", "failed", "other"])
        scope = sorted({rng.choice(crossings)["slug"] for _ in range(rng.randint(1, 2))})
        day = FIRST + timedelta(days=rng.randint(0, (CURRENT - FIRST).days))
        event = {"date": day, "kind": kind, "title": f"Draft {e:05d}: renew", "crossings": scope}
        if kind != "other":
            event["vote"] = "13-2-0" if kind == "vetoed" else "7-3-5"
        events.append(event)
    doc = {
        "corridor": 1,
        "dataset": {"name": f"Synthetic benchmark record (n={n}, seed={seed})"},
        "crossings": crossings,
        "instruments": instruments,
        "events": events,
    }
    return json.loads(json.dumps(doc, default=str))  # dates as YYYY-MM-DD text, as in a file


def instruments_document(count: int, seed: int = 1) -> dict:
    """A document with exactly `count` instruments (whole chains plus a prefix of one)."""
    n = count * 3
    doc = generate(n, seed)
    while len(doc["instruments"]) < count:
        n *= 2
        doc = generate(n, seed)
    doc["instruments"] = doc["instruments"][:count]
    return doc


# ---------------------------------------------------------------- databases


def product_dirs() -> tuple[Path, Path]:
    """The corridor package this interpreter imports (the checkout, or whatever PYTHONPATH
    puts first) and its migrations, found without importing it."""
    spec = importlib.util.find_spec("corridor")
    if spec is None or spec.origin is None:
        raise SystemExit("corridor is not importable: activate the venv, or set --python")
    package = Path(spec.origin).parent
    migrations = package / "migrations"
    return package, migrations if migrations.is_dir() else package.parents[1] / "migrations"


def code_hash() -> str:
    """This file and every module and migration of the product that would build the database."""
    h = hashlib.sha256(Path(__file__).read_bytes())
    package, migrations = product_dirs()
    for path in sorted(package.glob("*.py")) + sorted(migrations.glob("versions/*.py")):
        h.update(path.name.encode() + path.read_bytes())
    return h.hexdigest()[:12]


def _progress(label: str):
    last = [0.0]

    def report(done: int, total: int) -> None:
        now = time.monotonic()
        if done == total or now - last[0] >= 2:
            last[0] = now
            print(f"  {label}: {done}/{total} instruments", file=sys.stderr, flush=True)

    return report


def build_db(n: int, path: str | os.PathLike, *, doc: dict | None = None, quiet=False) -> str:
    """Create a SQLite database at `path` through the migrations and load `generate(n)` (or
    `doc`) in one transaction. Returns its URL; the timings go to `path` + ".json"."""
    from corridor.db.connect import Location, make_engine
    from corridor.record.format import parse_document
    from corridor.store.audit import default_change
    from corridor.store.migrate import upgrade
    from corridor.store.writer import apply

    path = Path(path).absolute()
    tmp = path.with_name(path.name + ".tmp")
    tmp.unlink(missing_ok=True)
    t0 = time.perf_counter()
    doc = generate(n) if doc is None else doc
    t1 = time.perf_counter()
    location = Location(f"sqlite:///{tmp}", "bench")
    upgrade(location)
    t2 = time.perf_counter()
    parsed = parse_document(doc, "synthetic")
    t3 = time.perf_counter()
    engine = make_engine(location)
    large = len(parsed.instruments) >= 2000 and not quiet
    with engine.begin() as conn:
        change = default_change("synthetic", "load", datetime(2026, 1, 1, tzinfo=UTC))
        apply(conn, parsed, progress=_progress(path.name) if large else None, change=change)
    t4 = time.perf_counter()
    engine.dispose()
    with sqlite3.connect(tmp) as con:
        counts = {
            table: con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # noqa: S608
            for table in ("crossings", "instruments", "periods", "coverage", "deadlines")
        }
    con.close()
    meta = {
        "n": n,
        "counts": counts,
        "generate_s": round(t1 - t0, 3),
        "migrate_s": round(t2 - t1, 3),
        "parse_s": round(t3 - t2, 3),
        "apply_s": round(t4 - t3, 3),
        "import_s": round(t4 - t2, 3),  # parse + apply: what an import of the file costs
        "built": time.strftime("%Y-%m-%d %H:%M:%S"),
    }
    os.replace(tmp, path)
    path.with_name(path.name + ".json").write_text(json.dumps(meta, indent=1))
    return f"sqlite:///{path}"


def cached_db(n: int, *, instruments: int | None = None, rebuild=False) -> tuple[str, dict]:
    """The database for `n` deadlines (or exactly `instruments` instruments) under
    benchmarks/out/, built on first use. Returns (url, build metadata with "cached")."""
    OUT.mkdir(exist_ok=True)
    stem = f"i{instruments}" if instruments else f"n{n}"
    path = OUT / f"bench-{stem}-{code_hash()}.sqlite3"
    meta_path = path.with_name(path.name + ".json")
    cached = path.is_file() and meta_path.is_file() and not rebuild
    if not cached:
        for stale in OUT.glob(f"bench-{stem}-*"):  # built by older code
            if not stale.name.startswith(path.name):
                stale.unlink()
        print(f"building {path.name} ...", file=sys.stderr, flush=True)
        doc = instruments_document(instruments) if instruments else None
        build_db(n, path, doc=doc)
    meta = json.loads(meta_path.read_text())
    meta["cached"] = cached
    return f"sqlite:///{path}", meta


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("n", type=int, help="about how many deadline rows")
    parser.add_argument("--instruments", type=int, metavar="K", help="exactly K instruments")
    parser.add_argument("--seed", type=int, default=1, help="with --json only")
    parser.add_argument("--json", metavar="FILE", help="write the document here, build nothing")
    parser.add_argument("--rebuild", action="store_true", help="ignore the cached database")
    args = parser.parse_args()
    if args.json:
        doc = generate(args.n, args.seed)
        Path(args.json).write_text(json.dumps(doc, ensure_ascii=False, indent=1))
        return
    url, meta = cached_db(args.n, instruments=args.instruments, rebuild=args.rebuild)
    print(json.dumps({"url": url, "meta": meta}))


if __name__ == "__main__":
    main()
