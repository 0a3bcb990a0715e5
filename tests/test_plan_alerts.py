"""Planned movements' alerts through `alerts run` to a real HTTP receiver on 127.0.0.1: a
verdict that gets worse is sent once to a `plans = true` recipient and to nobody else; a
movement covered again gets one more message (docs/plans.md, "Monitoring")."""

from __future__ import annotations

UTC = ("--tz", "UTC")


def _config(tmp_path, monkeypatch, http):
    path = tmp_path / "corridor.toml"
    path.write_text(
        "[alerts]\nthresholds = [0]\n"
        f'[[alerts.recipients]]\nname = "logistics"\nurl = "{http.url("json", "/plans")}"\n'
        'plans = true\ntimezone = "UTC"\n'
        f'[[alerts.recipients]]\nname = "public"\nurl = "{http.url("json", "/public")}"\n'
        'timezone = "UTC"\n'
    )
    path.chmod(0o600)
    monkeypatch.setenv("CORRIDOR_CONFIG", str(path))


def _plan_posts(http, path):
    return [p for p in http.posts(path) if "CONVOY-0720" in p["title"] + p["message"]]


def test_worse_once_to_plans_recipients_only_then_covered_again(
    cli, reference_url, http, tmp_path, monkeypatch
):
    _config(tmp_path, monkeypatch, http)
    r = cli("plan", "add", "CONVOY-0720", "-c", "bab al hawa", "--on", "2023-07-20",
            "--db", reference_url)  # fmt: skip
    assert r.code == 0, r.err

    def run(as_of):
        r = cli("alerts", "run", "--as-of", as_of, "--db", reference_url, *UTC)
        assert r.code == 0, r.err

    run("2023-07-01")  # at risk: hangs on the 2023-07-10 expiry
    posts = _plan_posts(http, "/plans")
    assert len(posts) == 1 and "CONVOY-0720 (Bab al-Hawa, 2023-07-20) is now at risk" in (
        posts[0]["title"] + posts[0]["message"]
    )
    run("2023-07-02")  # still at risk: nothing more
    assert len(_plan_posts(http, "/plans")) == 1
    run("2023-07-12T12:00Z")  # blocked: worse, sent once
    posts = _plan_posts(http, "/plans")
    assert len(posts) == 2
    text = posts[1]["title"] + posts[1]["message"]
    assert (
        "is now blocked: the authority ended 2023-07-10 and the renewal was vetoed on "
        "2023-07-11" in text
    )
    run("2023-07-12T18:00Z")
    assert len(_plan_posts(http, "/plans")) == 2
    run("2023-07-15")  # the consent of 13 July: covered again, once
    run("2023-07-16")
    posts = _plan_posts(http, "/plans")
    assert len(posts) == 3 and "is covered again" in posts[2]["title"] + posts[2]["message"]
    # The recipient without `plans = true` never sees a plan reference.
    assert _plan_posts(http, "/public") == []
    assert all("CONVOY" not in p["message"] for p in http.posts("/public"))
