"""Instants, not days (docs/time.md): an end at midnight in the authority's zone whatever the
reader's, --as-of as a date or an instant (never a bare time), and a fact dated D known from
the end of D in its authority's zone."""

from __future__ import annotations

import json

CONSENT_END = "2025-01-13T21:00:00Z"  # "to 2025-01-13" at midnight in Damascus (UTC+3)


def test_a_consent_ends_at_midnight_in_damascus_whatever_the_readers_zone(cli, reference_url):
    la = ("--tz", "America/Los_Angeles", "--db", reference_url, "-c", "bab al hawa")
    before = json.loads(cli("status", *la, "--as-of", "2025-01-13T20:30:00Z", "-f", "json").out)
    after = json.loads(cli("status", *la, "--as-of", "2025-01-13T22:30:00Z", "-f", "json").out)
    (b,), (a,) = before["items"], after["items"]
    assert (b["state"], b["days_left"], b["until_at"]) == ("authorized", 0, CONSENT_END)
    assert (a["state"], a["authorized"], a["days_left"]) == ("unrenewed", False, None)
    due = json.loads(cli("upcoming", *la, "--as-of", "2025-01-13T20:30Z", "-f", "json").out)
    assert [(i["due_at"], i["days_left"]) for i in due["items"]] == [(CONSENT_END, 0)]
    gone = cli("upcoming", *la, "--as-of", "2025-01-13T14:30-08:00")
    assert gone.out == ""  # 22:30 UTC: it has ended, it is not "today 13:00 PST" any more


def test_as_of_accepts_dates_and_instants_and_refuses_a_bare_time(cli, reference_url):
    r = cli("status", "--db", reference_url, "--as-of", "2023-07-11T07:30+03:00", "-f", "json")
    assert r.code == 0 and json.loads(r.out)["at"] == "2023-07-11T04:30:00Z"
    r = cli("status", "--db", reference_url, "--as-of", "2023-07-11T07:30")
    assert r.code == 2 and "no timezone" in r.err
    r = cli("status", "--db", reference_url, "--as-of", "2023-07-11T99:00Z")
    assert r.code == 2 and "ISO 8601" in r.err


def test_a_fact_is_known_from_the_end_of_its_day_in_its_authoritys_zone(cli, reference_url):
    """S/RES/2672 was adopted on 2023-01-09 in New York, at a time the record does not give:
    known from the end of that day there, 05:00 UTC on 2023-01-10 (docs/time.md)."""
    args = ("status", "--db", reference_url, "-c", "bab al hawa", "-f", "json")
    ny = json.loads(cli(*args, "--as-of", "2023-01-09T23:00-05:00").out)["items"][0]
    assert ny["instruments"][-1] == "S/RES/2642 (2022)" and ny["until"] == "2023-01-10"
    early = json.loads(cli(*args, "--as-of", "2023-01-10T04:59:59Z").out)["items"][0]
    assert early["until"] == "2023-01-10"
    known = json.loads(cli(*args, "--as-of", "2023-01-10T05:00:00Z").out)["items"][0]
    assert known["instruments"][-1] == "S/RES/2672 (2023)" and known["until"] == "2023-07-10"
    tokyo = json.loads(cli(*args, "--as-of", "2023-01-10", "--tz", "Asia/Tokyo").out)["items"][0]
    assert tokyo["until"] == "2023-01-10"  # the 10th began in Tokyo before the 9th ended in NY
