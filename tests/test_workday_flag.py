"""The working-day flag of upcoming (docs/records.md, "Working days") is the same whatever
the --crossing filter. An invented record (tests/invented.py)."""

from __future__ import annotations

import json

from invented import CROSSINGS, IST, load

# ------------------------------------------------ the working-day flag under a --crossing filter

WORKDAY = (
    CROSSINGS
    + """
instruments:
  - symbol: "Example two-crossing agreement (2025)"
    kind: agreement
    authority: Parties A and B         # no calendar of its own: the crossings' countries govern
    timezone: Europe/Istanbul
    adopted: 2025-01-01
    source: illustrative example, not a real agreement
    periods:
      - crossings: [example-north, example-south]
        start: 2025-01-01
        until: 2025-05-02              # a Friday: a day off in Syria, not in Türkiye
"""
)


def test_the_working_day_flag_is_the_same_whatever_the_crossing_filter(cli, empty_url, tmp_path):
    url = load(cli, empty_url, tmp_path, WORKDAY)

    def flag(*crossings):
        args = ["upcoming", "--as-of", "2025-04-01", "--tz", IST, "-w", "60", "--format",
                "json", "--db", url]  # fmt: skip
        for c in crossings:
            args += ["-c", c]
        r = cli(*args)
        assert r.code == 0, r.err
        (item,) = json.loads(r.out)["items"]
        return item["uid"], item["non_working"]

    both = flag()
    assert both[1] is not None and both[1]["calendar"] == "SY"
    assert flag("example south") == both
    assert flag("example north") == both
