"""Markdown for benchmarks/run.py's results: timings, flatness, imports, builds, targets."""

from __future__ import annotations

TARGET_FLOOR_A = 1.25  # upcoming/status at N=50, whole process, vs typer+sqlalchemy.orm+pendulum
TARGET_FLATNESS = 1.3  # time at N=100 000 / time at N=50
TARGET_RSS_MIB = 80  # peak RSS at N=100 000
TARGET_FLOOR_B = 3.0  # stretch: vs sqlite3 alone doing the range query
TARGET_IMPORT_S = 10.0  # importing 10 000 instruments
FORBIDDEN = ("alembic", "apprise", "icalendar")
COMMANDS = (
    "upcoming",
    "upcoming -c",
    "status",
    "status -c",
    "completion",
    "check",
    "alerts run",
    "alerts run (planned)",
    "floor B",
)


def _ms(value: float | None) -> str:
    return "-" if value is None else f"{value:.0f}"


def _x(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}x"


def _ok(good: bool) -> str:
    return "met" if good else "NOT met"


def _table(head: list[str], rows: list[list]) -> list[str]:
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return lines + [""]


def _ratio(a: float | None, b: float | None) -> float | None:
    return a / b if a is not None and b else None


def render(res: dict) -> str:
    s, sizes = res["summary"], res["sizes"]
    floor_a = s["floor A"]["median_ms"]
    m = res["machine"]
    out = [
        f"## corridor benchmark, {m['date']}",
        "",
        f"{m['cpus']} CPUs, {m.get('mem_gib', '?')} GiB, Python {m['python']}, "
        f"Linux {m['kernel']}; corridor from {m['corridor']}; as of {res['as_of']}; "
        f"median of {res['runs']} runs per command (after one discarded warm-up), "
        "whole processes. One run on a shared machine: "
        "expect a few percent of noise.",
        "",
        f'Floor A (`python -c "import typer, sqlalchemy.orm, pendulum"`): {_ms(floor_a)} ms, '
        f"peak RSS {s['floor A']['peak_rss_mib']:.0f} MiB. Floor B: `python -c` with only "
        "sqlite3 (and json) running the upcoming range query and printing its rows as JSON.",
        "",
        "RSS is each child's own peak (`os.wait4`). Linux starts a child's peak at the RSS of "
        "the process that forked it, so commands are forked by a small spawner "
        f"(benchmarks/spawn.py, {res['spawner_rss_mib']:.1f} MiB): a floor under every figure. "
        "'items out': JSON items, completion candidates, or rows.",
        "",
    ]
    rows = []
    for n in sizes:
        deadlines = res["builds"][n]["counts"]["deadlines"]
        floor_b = s[f"floor B@{n}"]["median_ms"]
        for name in COMMANDS:
            r = s[f"{name}@{n}"]
            rows.append(
                [
                    f"{n} ({deadlines})",
                    name,
                    _ms(r["median_ms"]),
                    _x(_ratio(r["median_ms"], floor_a)),
                    _x(_ratio(r["median_ms"], floor_b)),
                    f"{r['peak_rss_mib']:.0f}",
                    "-" if r["items"] is None else r["items"],
                ]
            )
    head = ["N (deadline rows)", "command", "median ms", "/ floor A", "/ floor B", "RSS MiB"]
    out += _table(head + ["items out"], rows)

    lo, hi = sizes[0], sizes[-1]
    flat = {}
    if hi != lo:
        rows = []
        for name in COMMANDS:
            a, b = s[f"{name}@{lo}"]["median_ms"], s[f"{name}@{hi}"]["median_ms"]
            flat[name] = _ratio(b, a)
            rows.append([name, _ms(a), _ms(b), _x(flat[name])])
        out += [f"Flatness (N={hi} / N={lo}):", ""]
        out += _table(["command", f"N={lo} ms", f"N={hi} ms", "ratio"], rows)

    rows = []
    for key, scan in res["imports"].items():
        heavy = ", ".join(f"{k} ({v} ms)" for k, v in scan["heavy"].items()) or "none"
        top = ", ".join(f"{k} {v}" for k, v in scan["heaviest"][:4])
        rows.append([key, heavy, scan["import_ms"], top])
    out += ["Imports on the read paths (`-X importtime`, one run; cumulative ms):", ""]
    out += _table(["command@N", "heavy modules", "all imports ms", "heaviest top-level"], rows)

    rows = []
    for n in sizes:
        b = res["builds"][n]
        c = b["counts"]
        when = f"cached, built {b['built']}" if b["cached"] else "built now"
        rows.append(
            [n, c["crossings"], c["instruments"], c["deadlines"], b["parse_s"], b["apply_s"], when]
        )
    imp = res.get("import_n")
    if imp:
        c = imp["counts"]
        when = f"cached, built {imp['built']}" if imp["cached"] else "built now"
        rows.append(["import", c["crossings"], c["instruments"], c["deadlines"]])
        rows[-1] += [imp["parse_s"], imp["apply_s"], when]
    out += ["Building the databases (migrate, then one transaction of `store.apply`):", ""]
    out += _table(
        ["N", "crossings", "instruments", "deadlines", "parse s", "apply s", "when"], rows
    )
    out += _targets(res, floor_a, flat, imp)
    return "\n".join(out)


def _targets(res: dict, floor_a: float | None, flat: dict, imp: dict | None) -> list[str]:
    s, sizes = res["summary"], res["sizes"]
    lo, hi = sizes[0], sizes[-1]
    rows = []
    if lo == 50:
        for name in ("upcoming", "status"):
            r = _ratio(s[f"{name}@50"]["median_ms"], floor_a)
            rows.append([f"{name} at N=50 <= {TARGET_FLOOR_A}x floor A", _x(r)])
            rows[-1].append(_ok(r is not None and r <= TARGET_FLOOR_A))
    if hi == 100000 and lo == 50:
        for name in ("upcoming", "status"):
            r = flat.get(name)
            rows.append([f"{name} flatness <= {TARGET_FLATNESS}x", _x(r)])
            rows[-1].append(_ok(r is not None and r <= TARGET_FLATNESS))
    if hi == 100000:
        rss = max(s[f"{n}@{hi}"]["peak_rss_mib"] for n in ("upcoming", "status", "completion"))
        rows.append([f"peak RSS at N={hi} <= {TARGET_RSS_MIB} MiB", f"{rss:.0f} MiB"])
        rows[-1].append(_ok(rss <= TARGET_RSS_MIB))
    bad = sorted({m for scan in res["imports"].values() for m in scan["heavy"] if m in FORBIDDEN})
    rows.append(
        ["no alembic/apprise/icalendar on read paths", ", ".join(bad) or "none", _ok(not bad)]
    )
    for n in sizes:
        for name in ("upcoming", "status"):
            r = _ratio(s[f"{name}@{n}"]["median_ms"], s[f"floor B@{n}"]["median_ms"])
            rows.append([f"stretch: {name} at N={n} <= {TARGET_FLOOR_B:.0f}x floor B", _x(r)])
            rows[-1].append(_ok(r is not None and r <= TARGET_FLOOR_B))
    if hi == 100000:  # issue 15: the commands that run every few minutes
        for name in ("check", "alerts run", "alerts run (planned)"):
            r = _ratio(s[f"{name}@{hi}"]["median_ms"], s[f"floor B@{hi}"]["median_ms"])
            rows.append([f"{name} at N={hi} <= {TARGET_FLOOR_B:.0f}x floor B", _x(r)])
            rows[-1].append(_ok(r is not None and r <= TARGET_FLOOR_B))
    if imp:
        total = imp["parse_s"] + imp["apply_s"]
        k = imp["counts"]["instruments"]
        rows.append([f"import of {k} instruments < {TARGET_IMPORT_S:.0f} s", f"{total:.1f} s"])
        rows[-1].append(_ok(k >= 10000 and total < TARGET_IMPORT_S))
    return ["Targets:", ""] + _table(["target", "measured", "verdict"], rows)
