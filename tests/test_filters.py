"""The crossing and kind filters (-c, -k): repeated or comma-separated, every value counts,
and an unknown name is refused, never dropped."""

from __future__ import annotations

import json

NY = ("--tz", "America/New_York")


def test_repeated_crossing_and_kind_filters_keep_every_value(cli, reference_url):
    """Before: the last -c and the last -k won, silently."""
    args = ("upcoming", "--db", reference_url, "--as-of", "2022-12-29", *NY, "-f", "json")
    both = cli(*args, "-c", "bab al hawa", "-c", "bab al salam")
    assert both.code == 0
    hawa = json.loads(cli(*args, "-c", "bab al hawa").out)["items"]
    assert hawa and json.loads(both.out)["items"] == hawa  # Bab al-Salam has none then
    assert any(i["kind"] == "expiry" and i["days_left"] == 12 for i in hawa)
    kinds = {i["kind"] for i in json.loads(cli(*args, "-k", "expiry", "-k", "review").out)["items"]}
    assert kinds == {"expiry", "review"}
    commas = json.loads(cli(*args, "-k", "expiry,review").out)["items"]
    assert commas == json.loads(cli(*args, "-k", "expiry", "-k", "review").out)["items"]
    st_args = ("status", "--db", reference_url, "--as-of", "2023-03-01", "-f", "json")
    shown = json.loads(cli(*st_args, "-c", "bab al hawa, al-rai", "-c", "cilvegozu").out)
    assert [i["slug"] for i in shown["items"]] == ["al-rai", "bab-al-hawa"]


def test_an_unknown_name_in_a_repeated_filter_is_refused_not_dropped(cli, reference_url):
    r = cli("upcoming", "--db", reference_url, "-c", "bab al hawa", "-c", "nowhere")
    assert r.code == 3 and r.out == "" and "nowhere" in r.err
