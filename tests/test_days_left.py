"""Days left as the reports word them: one day is "1 day left", the last day is "today",
never "0d" (docs/time.md, "Days left")."""

from __future__ import annotations

NY = ("--tz", "America/New_York")


def test_one_day_is_one_day_and_today_is_today(cli, reference_url):
    r = cli("crossing", "show", "bab al hawa", "--as-of", "2023-07-09", *NY, "--db", reference_url)
    assert "(1 day left;" in r.out and "days left" not in r.out.split("History:")[0]
    r = cli("crossing", "show", "bab al hawa", "--as-of", "2023-07-10", *NY, "--db", reference_url)
    assert "(ends today;" in r.out
    status = cli("status", "-c", "bab al hawa", "--as-of", "2023-07-10", *NY, "--db", reference_url)
    upcoming = cli("upcoming", "-c", "bab al hawa", "--as-of", "2023-07-10", *NY,
                   "--db", reference_url)  # fmt: skip
    assert " today " in status.out.splitlines()[1]
    assert " today " in upcoming.out.splitlines()[1]
    assert " 0d " not in status.out + upcoming.out
