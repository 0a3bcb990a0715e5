"""Invented crossings for tests of the time-shaped records, written as docs/records.md shows,
and helpers to load a record and read upcoming and crossing show as JSON. Nothing here is a
real crossing or agreement."""

from __future__ import annotations

import json
import os

IST = "Europe/Istanbul"
DAMASCUS = "Asia/Damascus"

CROSSINGS = """
crossings:
  - slug: example-port
    name: Example Port
    countries: [SY, TR]
    known_until: 2025-12-31
  - slug: example-north
    name: Example North
    countries: [SY, IQ]
    known_until: 2025-12-31
  - slug: example-south
    name: Example South
    countries: [TR, IQ]
    known_until: 2025-12-31
"""


def load(cli, url, tmp_path, text: str) -> str:
    path = tmp_path / "record.yaml"
    path.write_text("corridor: 1\n" + text, encoding="utf-8")
    r = cli("import", str(path), "--db", url, "--yes")
    assert r.code == 0, r.err
    return url


def upcoming(cli, url, crossing, as_of, tz=IST, *extra):
    r = cli("upcoming", "-c", crossing, "--as-of", as_of, "--tz", tz, "-w", "400",
            "--format", "json", "--db", url, *extra)  # fmt: skip
    assert r.code == 0, r.err
    return json.loads(r.out)["items"]


def history(cli, url, crossing, as_of, tz=DAMASCUS):
    r = cli("crossing", "show", crossing, "--as-of", as_of, "--tz", tz, "--format", "json",
            "--db", url)  # fmt: skip
    assert r.code == 0, r.err
    return json.loads(r.out)["history"]


def _only_2585(tmp_path):
    """The reference record cut at S/RES/2585: the instruments known before 2022-07-12."""
    import yaml

    import corridor

    source = os.path.join(os.path.dirname(corridor.__file__), "data", "reference.yaml")
    with open(source, encoding="utf-8") as fh:
        doc = yaml.safe_load(fh)
    doc["instruments"] = [i for i in doc["instruments"] if str(i.get("adopted")) < "2022-07-01"]
    doc["events"] = [e for e in doc.get("events", []) if str(e["date"]) < "2022-07-01"]
    path = tmp_path / "cut.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False))
    return path
