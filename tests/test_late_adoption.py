"""A late adoption (docs/time.md, "When a fact is known"): `crossing show` and the timeline keep
the hole in what was known after a gap or an unknown span, and an adoption's time is read only
from inside its day. Invented records (tests/invented.py)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from invented import CROSSINGS, DAMASCUS, history, load

# ------------------------------------------------ a late adoption after a gap or unknown span

LATE = (
    CROSSINGS
    + """
instruments:
  - symbol: "Example consent: North, step 1"
    kind: consent
    authority: Government of the Syrian Arab Republic
    timezone: Asia/Damascus
    adopted: 2025-01-01
    source: illustrative example, not a real letter
    periods:
      - crossings: [example-north]
        start: 2025-01-01
        until: 2025-03-31
  - symbol: "Example consent: North, step 2"
    kind: consent
    authority: Government of the Syrian Arab Republic
    timezone: Asia/Damascus
    adopted: 2025-04-10               # announced five days after the step began
    source: illustrative example, not a real letter
    periods:
      - crossings: [example-north]
        start: 2025-04-05             # after a gap of four days
        until: 2025-06-30
"""
)


def _gaps(entries) -> list[tuple[str, str]]:
    return [(e["date"], e["text"]) for e in entries if e["kind"] in ("gap", "unknown")]


def test_crossing_show_keeps_a_late_adoption_after_a_gap(cli, empty_url, tmp_path):
    url = load(cli, empty_url, tmp_path, LATE)
    gaps = _gaps(history(cli, url, "example north", "2025-07-01"))
    assert gaps == [
        ("2025-04-01", "gap: no authority from 2025-04-01 to 2025-04-04 (4 days)"),
        (
            "2025-04-05",
            "gap in what was known: no authority from 2025-04-05 until Example consent: North, "
            "step 2, adopted on 2025-04-10, was known (the end of 2025-04-10)",
        ),
    ]


def test_crossing_show_keeps_a_late_adoption_after_an_unknown_span(cli, empty_url, tmp_path):
    unknown = LATE.replace(
        "    known_until: 2025-12-31\n  - slug: example-south",
        "    known_until: 2025-12-31\n"
        "    unknown:\n"
        "      - start: 2025-04-01\n"
        "        until: 2025-04-04\n"
        "        timezone: Asia/Damascus\n"
        "        note: no source gives these days\n"
        "  - slug: example-south",
    )
    assert unknown != LATE
    url = load(cli, empty_url, tmp_path, unknown)
    gaps = _gaps(history(cli, url, "example north", "2025-07-01"))
    assert [d for d, _ in gaps] == ["2025-04-01", "2025-04-05"]
    assert gaps[0][1].startswith("unknown (no source) from 2025-04-01 to 2025-04-04")
    assert "adopted on 2025-04-10" in gaps[1][1]


def test_the_timeline_keeps_the_late_adoption_after_a_gap(cli, empty_url, tmp_path, engine_for):
    from corridor.core.terms import zone
    from corridor.services.timeline import timeline

    url = load(cli, empty_url, tmp_path, LATE)
    with engine_for(url).connect() as conn:
        rows = timeline(conn, at=datetime(2025, 7, 1, tzinfo=UTC), tz=zone(DAMASCUS)).rows
    (north,) = [r for r in rows if r.slug == "example-north"]
    between = [(g.first, g.last) for g in north.gaps if g.last is not None]
    assert between == [
        (date(2025, 4, 1), date(2025, 4, 4)),
        (date(2025, 4, 5), date(2025, 4, 10)),  # known from the end of the adoption day
    ]
    assert north.gaps[1].text == (
        "no authority known from 2025-04-05 until Example consent: North, step 2, adopted on "
        "2025-04-10, was known (the end of 2025-04-10)"
    )


# ------------------------------------------------ the time of adoption, when a record gives it


@pytest.mark.parametrize(
    "known_at, expected",
    [
        (datetime(2020, 7, 11, 19, 5, tzinfo=UTC), "15:05 EDT"),  # the meeting's time
        (datetime(2020, 7, 11, 4, 0, tzinfo=UTC), None),  # the start of the day: no time given
        (datetime(2020, 7, 12, 4, 0, tzinfo=UTC), None),  # the end of the day: no time given
        (None, None),
    ],
)
def test_an_adoption_time_is_read_only_from_inside_the_adoption_day(known_at, expected):
    from corridor.services.history import adopted_time

    at = adopted_time(known_at, "America/New_York", date(2020, 7, 11))
    assert (f"{at:%H:%M %Z}" if at else None) == expected
