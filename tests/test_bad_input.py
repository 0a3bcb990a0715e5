"""The bad-input corpus (README "Guarantees"): command-line arguments and import files that a
tired user, a broken file or a hostile one can give. Every case must end in one `Error: ...`
line on stderr with its documented exit code (README "Exit codes"), no traceback and no
"internal error", and leave the record exactly as it was: the export is byte-identical and, on
SQLite, `PRAGMA integrity_check` still says ok.

All cases share one database (they must not change it); the snapshot is compared after each.
"""

from __future__ import annotations

import os
import stat
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import sqlalchemy as sa

from conftest import IS_PG
from hostile import SHELL, SQL, _metachars

USAGE, NOT_FOUND, DATABASE, INVALID = 2, 3, 4, 5
LONG = "S" * 201
BAB = "bab al hawa"


@dataclass
class Case:
    id: str
    args: list[str] = field(default_factory=list)  # CLI arguments, "{db}" and "{tmp}" filled in
    code: int = USAGE
    file: str | bytes | None = None  # an import file's content (then args default to import)
    env: dict[str, str] = field(default_factory=dict)
    says: str | None = None  # a fragment the error line must contain


def _instrument(**over) -> str:
    """A valid one-instrument YAML record, with fields overridden (values written as YAML)."""
    fields = {
        "symbol": '"S/RES/9001 (2025)"',
        "kind": "resolution",
        "authority": "UN Security Council",
        "timezone": "America/New_York",
        "adopted": "2025-01-10",
    }
    fields.update(over)
    body = "".join(f"    {k}: {v}\n" for k, v in fields.items() if v is not None)
    period = over.get("_period", "{crossings: [bab-al-hawa], for: 6mo}")
    body = body.replace(f"    _period: {period}\n", "")
    return f"corridor: 1\ninstruments:\n  - \n{body}    periods: [{period}]\n"


def _crossing(**over) -> str:
    fields = {"slug": "new-place", "name": "New Place", "countries": "[SY, TR]"}
    fields.update(over)
    body = "".join(f"    {k}: {v}\n" for k, v in fields.items() if v is not None)
    return f"corridor: 1\ncrossings:\n  - \n{body}"


CASES = [
    # ---- dates and terms on the command line (usage error, 2)
    Case("as-of-year-1", ["upcoming", "--as-of", "0001-01-01"], says="supported range"),
    Case("as-of-year-9999", ["upcoming", "--as-of", "9999-12-31"], says="supported range"),
    Case("as-of-instant-far", ["upcoming", "--as-of", "9999-12-31T23:59Z"], says="supported"),
    Case("as-of-instant-early", ["status", "--as-of", "0001-01-01T00:00+01:00"]),
    Case("as-of-instant-no-zone", ["status", "--as-of", "2023-07-11T04:30"]),
    Case("as-of-1899", ["status", "--as-of", "1899-12-31"], says="supported range"),
    Case("as-of-not-a-date", ["status", "--as-of", "yesterday"]),
    Case("as-of-impossible", ["status", "--as-of", "2023-02-30"]),
    Case("show-as-of-far", ["crossing", "show", BAB, "--as-of", "2200-01-01"]),
    Case("within-huge", ["upcoming", "--within", "3000000"], says="more days"),
    Case("within-huge-term", ["upcoming", "--within", "99999mo"]),
    Case("within-negative", ["upcoming", "--within", "-5"]),
    Case("within-garbage", ["upcoming", "--within", "soon"]),
    Case(
        "add-adopted-9999",
        ["add", "S/RES/1 (2025)", "--adopted", "9999-12-01", "--for", "6mo", "-c", BAB],
        says="supported range",
    ),
    Case(
        "add-adopted-year-1",
        ["add", "S/RES/1 (2025)", "--adopted", "0001-01-01", "--for", "6mo", "-c", BAB],
    ),
    Case(
        "add-for-99999mo",
        ["add", "S/RES/1 (2025)", "--adopted", "2025-01-01", "--for", "99999mo", "-c", BAB],
    ),
    Case(
        "add-for-99999d",
        ["add", "S/RES/1 (2025)", "--adopted", "2025-01-01", "--for", "99999d", "-c", BAB],
    ),
    Case(
        "add-term-past-range",
        ["add", "S/RES/1 (2025)", "--adopted", "2199-12-01", "--for", "6mo", "-c", BAB],
    ),
    Case(
        "add-impossible-date",
        ["add", "S/RES/1 (2025)", "--adopted", "2023-02-30", "--for", "6mo", "-c", BAB],
    ),
    Case("log-since-year-1", ["log", "--since", "0001-01-01"]),
    Case("log-n-huge", ["log", "-n", "99999999999999999999999"]),
    Case("log-n-zero", ["log", "-n", "0"]),
    Case("review-date-far", ["review", "2642", "9999-01-10", "--extended", "--on", "2023-01-09"]),
    Case("draft-date-far", ["draft", "9999-01-01", "A far draft", "-k", "vetoed", "-c", BAB]),
    # ---- text on the command line: control, bidi, surrogates (2), limits and codes (5)
    Case(
        "arg-esc",
        ["crossing", "add", "Evil\x1b]0;pwned\x07", "--countries", "SY,TR"],
        says="U+001B",
    ),
    Case("arg-bel", ["crossing", "add", "Bell\x07", "--countries", "SY,TR"]),
    Case("arg-cr", ["crossing", "add", "Car\rriage", "--countries", "SY,TR"]),
    Case("arg-nul-like-c1", ["crossing", "add", "Csi\x9b31m", "--countries", "SY,TR"]),
    Case(
        "arg-bidi-override",
        ["crossing", "add", "Ab\u202ecd", "--countries", "SY,TR"],
        says="text-direction",
    ),
    Case(
        "arg-bidi-isolate",
        [
            "add",
            "S/RES/1 (2025)",
            "--adopted",
            "2025-01-01",
            "--for",
            "6mo",
            "-c",
            BAB,
            "--notes",
            "x\u2067y",
        ],
    ),
    Case("arg-lone-surrogate", ["crossing", "show", "bab\udcff"], says="UTF-8"),
    Case("arg-esc-in-lookup", ["upcoming", "-c", "\x1b[2Jbab"]),
    Case("alias-esc", ["crossing", "alias", BAB, "Hawa\x1b[31m"]),
    Case(
        "country-xx", ["crossing", "add", "Rafah", "--countries", "PS,XX"], INVALID, says="ISO 3166"
    ),
    Case("country-twice", ["crossing", "add", "Rafah", "--countries", "ps,PS"], INVALID),
    Case("crossing-name-long", ["crossing", "add", "N" * 201, "--countries", "SY,TR"], INVALID),
    Case(
        "symbol-long",
        ["add", LONG, "--adopted", "2025-01-01", "--for", "6mo", "-c", BAB],
        INVALID,
        says="longer than 200",
    ),
    Case(
        "notes-long",
        [
            "add",
            "S/RES/1 (2025)",
            "--adopted",
            "2025-01-01",
            "--for",
            "6mo",
            "-c",
            BAB,
            "--notes",
            "n" * 10_001,
        ],
        INVALID,
    ),
    Case(
        "by-long",
        [
            "add",
            "S/RES/1 (2025)",
            "--adopted",
            "2025-01-01",
            "--for",
            "6mo",
            "-c",
            BAB,
            "--by",
            "b" * 201,
        ],
        says="--by",
    ),
    Case(
        "user-env-long",
        ["add", "S/RES/1 (2025)", "--adopted", "2025-01-01", "--for", "6mo", "-c", BAB],
        env={"CORRIDOR_USER": "u" * 201},
    ),
    Case(
        "correct-case-variant",
        ["correct", "S/RES/2642 (2022)", "symbol=s/res/2672 (2023)", "--yes"],
        INVALID,
        says="already recorded",
    ),
    Case("sql-in-lookup", ["crossing", "show", "x'; DROP TABLE crossings;--"], NOT_FOUND),
    Case("shell-in-lookup", ["status", "-c", "$(rm -rf ~) `id`"], NOT_FOUND),
    Case("sql-in-instrument", ["correct", "1' OR '1'='1", "notes=x", "--yes"], NOT_FOUND),
    # ---- settings and the database URL
    Case("tz-unknown", ["upcoming", "--tz", "Mars/Olympus"]),
    Case("tz-path", ["upcoming", "--tz", "../../etc/passwd"]),
    Case("format-unknown", ["status", "--format", "xml"]),
    Case("url-port-text", ["status", "--db", "postgresql://u:pw@127.0.0.1:abc/db"], says="port"),
    Case("url-port-huge", ["db", "current", "--db", "postgresql://u@127.0.0.1:99999/db"]),
    Case("url-port-text-upgrade", ["db", "upgrade", "--db", "postgresql://u@h:5x/db"]),
    Case("url-unreachable", ["status", "--db", "postgresql://u:S3cret@127.0.0.1:1/db"], DATABASE),
    Case(
        "url-folder-missing", ["status", "--db", "sqlite:////nonexistent/dir/x.sqlite3"], DATABASE
    ),
    # ---- output files
    Case("export-missing-folder", ["export", "-o", "/nonexistent/dir/x.yaml"]),
    Case("schema-missing-folder", ["schema", "-o", "/nonexistent/dir/x.json"]),
    Case("report-missing-folder", ["report", "--html", "/nonexistent/dir/x.html"]),
    Case("timeline-from-far", ["timeline", "--from", "0001-01-01"]),
    Case("export-fifo-no-reader", ["export", "-o", "{tmp}/out.fifo"], says="nothing is reading"),
    # ---- import: what the file is
    Case("import-missing", ["import", "{tmp}/missing.yaml", "--yes"], INVALID),
    Case("import-folder", ["import", "{tmp}", "--yes"], INVALID),
    Case("import-dev-zero", ["import", "/dev/zero", "--yes"], INVALID),
    Case("import-fifo-no-writer", ["import", "{tmp}/in.fifo", "--yes"], INVALID),
    Case("file-binary", file=bytes(range(256)) * 8, code=INVALID),
    Case(
        "file-latin1",
        file="corridor: 1\ncrossings: []\n# caf\xe9\n".encode("latin-1"),
        code=INVALID,
        says="not UTF-8",
    ),
    Case("file-surrogate-bytes", file=b"corridor: 1\n# \xed\xa0\x80\n", code=INVALID),
    Case("file-empty", file="", code=INVALID, says="empty"),
    Case("file-blank", file="\n  \n", code=INVALID),
    Case("file-yaml-list", file="- corridor: 1\n", code=INVALID, says="mapping"),
    Case("file-yaml-scalar", file="corridor\n", code=INVALID),
    Case(
        "file-billion-laughs",
        code=INVALID,
        says="anchors",
        file=(
            "corridor: 1\na: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a]\n"
            "c: &c [*b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
        ),
    ),
    Case(
        "file-deep-yaml",
        file="corridor: 1\ncrossings: " + "[" * 5000 + "]" * 5000 + "\n",
        code=INVALID,
    ),
    Case(
        "file-deep-json",
        file='{"corridor": 1, "crossings": ' + "[" * 100_000 + "]" * 100_000 + "}",
        code=INVALID,
    ),
    Case("file-over-limit", file="GENERATED-OVER-LIMIT", code=INVALID, says="larger than"),
    Case("file-bad-json", file='{"corridor": 1,,}', code=INVALID, says="JSON"),
    Case("file-bad-yaml", file="corridor: 1\ncrossings: [\n", code=INVALID, says="YAML"),
    Case(
        "file-python-tag",
        file="corridor: 1\nx: !!python/object/apply:os.system [id]\n",
        code=INVALID,
    ),
    Case("file-version-2", file="corridor: 2\n", code=INVALID),
    Case("file-version-text", file='corridor: "1"\n', code=INVALID),
    Case("file-unknown-top-key", file="corridor: 1\nextra: 1\n", code=INVALID, says="unknown"),
    Case("file-unknown-crossing-key", file=_crossing(colour="red"), code=INVALID),
    Case("file-countries-text", file=_crossing(countries="SY-TR"), code=INVALID),
    Case("file-lat-text", file=_crossing(lat='"north"'), code=INVALID),
    Case("file-lat-nan", file=_crossing(lat=".nan"), code=INVALID),
    Case("file-lat-huge", file=_crossing(lat="1e400"), code=INVALID),
    Case("file-name-number", file=_crossing(name="42"), code=INVALID),
    Case("file-country-xx", file=_crossing(countries="[PS, XX]"), code=INVALID),
    Case("file-duplicate-key", file="corridor: 1\ncorridor: 1\n", code=INVALID, says="duplicate"),
    Case(
        "file-duplicate-slug",
        code=INVALID,
        says="duplicate",
        file=_crossing() + "  - {slug: new-place, name: Other, countries: [SY, TR]}\n",
    ),
    Case(
        "file-duplicate-symbol",
        code=INVALID,
        says="duplicate",
        file=_instrument() + _instrument().split("instruments:\n", 1)[1],
    ),
    Case(
        "file-case-variant-symbol",
        file=_instrument(symbol='"s/res/2642 (2022)"'),
        code=INVALID,
        says="already recorded",
    ),
    Case("file-symbol-long", file=_instrument(symbol=LONG), code=INVALID),
    Case("file-notes-long", file=_instrument(notes="n" * 10_001), code=INVALID),
    Case("file-adopted-9999", file=_instrument(adopted="9999-12-01"), code=INVALID, says="line 8"),
    Case(
        "file-adopted-year-1", file=_instrument(adopted="0001-01-01"), code=INVALID, says="line 8"
    ),
    Case(
        "file-for-99999mo",
        code=INVALID,
        file=_instrument(_period="{crossings: [bab-al-hawa], for: 99999mo}"),
    ),
    Case("file-term-past-range", code=INVALID, says="line", file=_instrument(adopted="2199-11-01")),
    Case(
        "file-until-far",
        code=INVALID,
        file=_instrument(_period="{crossings: [bab-al-hawa], until: 2500-01-01}"),
    ),
    Case("file-date-impossible", file=_instrument(adopted="2023-02-30"), code=INVALID),
    Case("file-date-wrong-type", file=_instrument(adopted="[2023, 1, 1]"), code=INVALID),
    Case("file-timezone-bad", file=_instrument(timezone="Mars/Olympus"), code=INVALID),
    Case(
        "file-lone-surrogate",
        code=INVALID,
        says="surrogate",
        file='{"corridor": 1, "crossings": [{"slug": "x", "name": "X\\ud800", '
        '"countries": ["SY", "TR"]}]}',
    ),
    Case(
        "file-nul",
        code=INVALID,
        says="U+0000",
        file='{"corridor": 1, "crossings": [{"slug": "x", "name": "X\\u0000Y", '
        '"countries": ["SY", "TR"]}]}',
    ),
    Case("file-esc", file=_crossing(name='"Evil\\e]0;pwned\\a"'), code=INVALID),
    Case("file-csi", file=_crossing(name='"Csi\\x9b31m"'), code=INVALID),
    Case("file-bidi-alias", file=_crossing(aliases='["ab\\u202ecd"]'), code=INVALID),
    Case("file-newline-in-name", file=_crossing(name='"two\\nlines"'), code=INVALID),
    Case("file-sql-everywhere", file=_metachars(SQL), code=INVALID, says="no-such-crossing"),
    Case("file-shell-everywhere", file=_metachars(SHELL), code=INVALID, says="no-such-crossing"),
    # ---- hardening, part 2 (issue 19): secrets, limits, lookalikes, old holes
    Case(
        "url-at-in-password",
        ["status", "--db", "postgresql://u:S3c@retTail@127.0.0.1:1/db"],
        DATABASE,
    ),  # fmt: skip
    Case(
        "url-at-in-password-export",
        ["export", "--db", "postgresql://u:S3c@retTail@127.0.0.1:1/d"],
        DATABASE,
    ),  # fmt: skip
    Case(
        "url-libpq",
        ["status", "--db", "host=127.0.0.1 port=1 user=u password=S3cretTail"],
        DATABASE,
    ),  # fmt: skip
    Case(
        "url-libpq-garbled", ["status", "--db", "host=127.0.0.1 password=S3cret junk"], says="libpq"
    ),  # fmt: skip
    Case("db-empty", ["status", "--db", ""], says="names no database"),
    Case("db-question-mark", ["status", "--db", "{tmp}/a?b.sqlite3"], says='"?"'),
    Case("db-in-memory", ["status", "--db", "sqlite://"], says="in-memory"),
    Case("db-in-memory-named", ["db", "upgrade", "--db", "sqlite:///:memory:"], says="in-memory"),
    Case(
        "db-foreign-file",
        ["status", "--db", "{tmp}/other-app.sqlite3"],
        DATABASE,
        says="not a corridor database",
    ),  # fmt: skip
    Case("db-foreign-upgrade", ["db", "upgrade", "--db", "{tmp}/other-app.sqlite3"], DATABASE),
    Case(
        "config-fifo",
        ["status"],
        env={"CORRIDOR_CONFIG": "{tmp}/config.fifo"},
        says="not a regular file",
    ),  # fmt: skip
    Case(
        "config-short-password-readable",
        ["status"],
        env={"CORRIDOR_CONFIG": "{tmp}/world.toml"},
        says="others can read it",
    ),  # fmt: skip
    Case(
        "config-libpq-password-readable",
        ["status"],
        env={"CORRIDOR_CONFIG": "{tmp}/libpq.toml"},
        says="others can read it",
    ),  # fmt: skip
    Case("timeline-width-huge", ["timeline", "--width", "99999999999"]),
    Case(
        "arg-hangul-filler",
        ["crossing", "add", "Bab\u3164Hawa", "--countries", "SY,TR"],
        INVALID,
        says="U+3164",
    ),  # fmt: skip
    Case(
        "arg-zero-width-space",
        ["crossing", "add", "Bab\u200bZero", "--countries", "SY,TR"],
        INVALID,
        says="U+200B",
    ),  # fmt: skip
    Case(
        "arg-cyrillic-homoglyph",
        ["add", "S/R\u0415S/1 (2025)", "--adopted", "2025-01-01", "--for", "6mo", "-c", BAB],
        INVALID,
        says="Cyrillic",
    ),  # fmt: skip
    Case(
        "file-cyrillic-homoglyph",
        file=_instrument(symbol='"S/R\u0415S/9 (2025)"'),
        code=INVALID,
        says="Cyrillic",
    ),  # fmt: skip
    Case("file-version-float", file="corridor: 1.0\n", code=INVALID, says="1.0"),
    Case("file-bad-json-list", file='[{"corridor": 1,,}]', code=INVALID, says="JSON"),
    Case("file-flow-list-huge", file="GENERATED-FLOW-LIST", code=INVALID, says="values"),
    Case("file-json-list-huge", file="GENERATED-JSON-LIST", code=INVALID, says="values"),
    Case(
        "file-auto-renew-past-2199",
        code=INVALID,
        says="line 11",
        file=(
            "corridor: 1\ninstruments:\n  - symbol: AR/1\n    kind: agreement\n"
            "    authority: Someone\n    timezone: UTC\n    adopted: 2190-01-10\n    periods:\n"
            "      - crossings: [bab-al-hawa]\n        for: 6mo\n"
            "        auto_renew: {for: 6mo, max: 100}\n"
        ),
    ),  # fmt: skip
    Case("file-long-cycle", file="GENERATED-LONG-CYCLE", code=INVALID, says="cycle"),
]


_OTHER: dict[str, bytes] = {}


@pytest.fixture(scope="module")
def shared(databases, tmp_path_factory):
    """One reference database for every case, and its snapshot before any of them."""
    url = databases.clone("reference")
    return url, tmp_path_factory.mktemp("bad-input")


def _snapshot(url: str) -> tuple[str, str | None]:
    from corridor.db.connect import Location, make_engine
    from corridor.services.transfer import export_text

    engine = make_engine(Location(url, "test"))
    try:
        with engine.connect() as conn:
            text = export_text(conn, "yaml")
            check = None if IS_PG else conn.exec_driver_sql("PRAGMA integrity_check").scalar()
            rows = conn.execute(sa.text("SELECT count(*) FROM changes")).scalar()
    finally:
        engine.dispose()
    return text + f"\n# audit entries: {rows}", check


@pytest.fixture(scope="module")
def before(shared):
    return _snapshot(shared[0])


def _long_cycle(n: int) -> str:
    """A renewal chain of `n` instruments whose oldest renews the newest."""
    items = [
        f'  - symbol: "CY/{k}"\n    kind: agreement\n    authority: Someone\n'
        f'    timezone: UTC\n    adopted: 2001-01-01\n    renews: "CY/{(k - 1) % n}"\n'
        "    periods: [{crossings: [bab-al-hawa], from: previous, for: 1mo}]\n"
        for k in range(n)
    ]
    return "corridor: 1\ninstruments:\n" + "".join(reversed(items))


def _materialise(case: Case, tmp: Path) -> list[str]:
    if case.file is not None:
        path = tmp / f"{case.id}.yaml"
        if case.file == "GENERATED-FLOW-LIST":  # MAX_NODES + 1 values in one flow list
            from corridor.record.files import MAX_NODES

            path.write_text("corridor: 1\ncrossings: [" + "1," * MAX_NODES + "1]\n")
        elif case.file == "GENERATED-JSON-LIST":
            from corridor.record.files import MAX_NODES

            path.write_text('{"corridor": 1, "crossings": [' + "1," * MAX_NODES + "1]}")
        elif case.file == "GENERATED-LONG-CYCLE":
            path.write_text(_long_cycle(1100))
        elif case.file == "GENERATED-OVER-LIMIT":  # generated here, never committed
            from corridor.record.files import MAX_BYTES

            with path.open("w") as f:
                f.write("corridor: 1\n")
                line = "# " + "x" * 1022 + "\n"
                for _ in range(MAX_BYTES // len(line) + 2):
                    f.write(line)
        else:
            data = case.file if isinstance(case.file, bytes) else case.file.encode("utf-8")
            path.write_bytes(data)
        return ["import", str(path), "--yes"]
    for name in ("in.fifo", "out.fifo", "config.fifo"):
        if not (tmp / name).exists():
            os.mkfifo(tmp / name)
    other = tmp / "other-app.sqlite3"
    if not other.exists():  # another application's database: never to be changed
        import sqlite3

        conn = sqlite3.connect(other)
        conn.execute("CREATE TABLE notes (body TEXT)")
        conn.execute("INSERT INTO notes VALUES ('mine')")
        conn.commit()
        conn.close()
    for name, line in (
        ("world.toml", 'database_url = "postgresql://u:ab@127.0.0.1:1/x"'),
        ("libpq.toml", 'database_url = "host=127.0.0.1 port=1 user=u password=ab"'),
    ):
        (tmp / name).write_text(line + "\n")
        (tmp / name).chmod(0o644)
    return [a.replace("{tmp}", str(tmp)) for a in case.args]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_input(case, shared, before, cli, monkeypatch):
    url, tmp = shared
    args = _materialise(case, tmp)
    for key, value in case.env.items():
        monkeypatch.setenv(key, value.replace("{tmp}", str(tmp)))
    if "--db" not in args:
        args += ["--db", url]
    r = cli(*args)
    errors = [line for line in r.err.splitlines() if line.startswith("Error: ")]
    assert r.code == case.code, r.err
    assert len(errors) == 1, r.err
    assert "Traceback" not in r.err and "internal error" not in r.err
    assert "S3cret" not in r.err and "retTail" not in r.err and "S3c" not in r.err
    if case.says:
        assert case.says in errors[0], errors[0]
    if case.file is not None and case.id.startswith("file-") and "line" in (case.says or ""):
        assert f"{case.id}.yaml" in errors[0]
    assert _snapshot(url) == before, "the record changed"
    other = tmp / "other-app.sqlite3"
    assert other.read_bytes() == _OTHER.setdefault("bytes", other.read_bytes())
    assert before[1] in (None, "ok")


def test_the_corpus_is_large_enough():
    files = [c for c in CASES if c.file is not None]
    assert len(CASES) >= 60 and len(files) >= 25


@pytest.mark.skipif(sys.platform != "linux", reason="/dev/full is Linux")
@pytest.mark.parametrize(
    "args",
    [
        ["export", "-o", "/dev/full", "--db"],
        ["schema", "-o", "/dev/full"],
        ["report", "--html", "/dev/full", "--db"],
    ],
    ids=["export", "schema", "report"],
)
def test_writing_to_a_full_device_is_a_clear_error_and_keeps_the_device(args, shared, cli):
    """`-o /dev/full` writes through the device (ENOSPC: a clear error, exit 2); it is never
    replaced by a regular file, which as root would break the machine's /dev/full."""
    if not stat.S_ISCHR(os.stat("/dev/full").st_mode):
        pytest.skip("/dev/full is not a device here")
    r = cli(*args, shared[0]) if args[-1] == "--db" else cli(*args)
    assert r.code == USAGE and "No space left" in r.err and "Traceback" not in r.err
    assert stat.S_ISCHR(os.lstat("/dev/full").st_mode)
