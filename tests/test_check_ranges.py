"""corridor.core.ranges against nagiosplugin's Range, the reference implementation of the
Monitoring Plugins range syntax: the same values alert, and the ranges print the same."""

from __future__ import annotations

import math

import nagiosplugin
import pytest
from hypothesis import given
from hypothesis import strategies as st

from corridor.core.errors import UsageError
from corridor.core.ranges import parse_range
from corridor.services.monitor import day_range

numbers = st.one_of(
    st.integers(-1000, 1000).map(str),
    st.decimals(-1000, 1000, places=2, allow_nan=False, allow_infinity=False).map(str),
)


@st.composite
def specs(draw) -> str:
    start = draw(st.one_of(st.just(""), st.just("~"), numbers))
    end = draw(st.one_of(st.just(""), numbers))
    shape = draw(st.sampled_from(["end", "start:", "start:end"]))
    text = {"end": end, "start:": f"{start}:", "start:end": f"{start}:{end}"}[shape]
    return ("@" if draw(st.booleans()) else "") + text


def _reference(spec: str):
    try:
        return nagiosplugin.Range(spec)
    except ValueError:
        return None


@given(specs(), st.lists(st.one_of(st.integers(-2000, 2000), st.floats(-2000, 2000)), max_size=8))
def test_the_same_values_alert_as_in_nagiosplugin(spec, values):
    reference = _reference(spec)
    if reference is None:  # start after end: both refuse it
        with pytest.raises(UsageError):
            parse_range(spec)
        return
    ours = parse_range(spec)
    for value in [*values, ours.start, ours.end]:
        if math.isinf(value):
            continue
        assert ours.alerts(value) == (not reference.match(value)), (spec, value)
    assert str(ours) == str(reference)


@pytest.mark.parametrize(
    "spec, alerts, quiet",
    [
        ("10", [-1, 11], [0, 10]),
        ("10:", [9, -5], [10, 400]),
        ("~:10", [11], [-100, 10]),
        ("10:20", [9, 21], [10, 20]),
        ("@10:20", [10, 20], [9, 21]),
    ],
)
def test_the_guidelines_examples(spec, alerts, quiet):
    r = parse_range(spec)
    assert all(r.alerts(v) for v in alerts) and not any(r.alerts(v) for v in quiet)
    ref = nagiosplugin.Range(spec)
    assert all(not ref.match(v) for v in alerts) and all(ref.match(v) for v in quiet)


@pytest.mark.parametrize("spec", ["soon", "1:2:3", "10:5", "~", "1e3", "--5", " 5 : 6"])
def test_nonsense_is_a_usage_error_naming_the_option(spec):
    with pytest.raises(UsageError) as exc:
        parse_range(spec, what="-w/--warning")
    assert "-w/--warning" in exc.value.message


def test_a_bare_number_of_days_means_fewer_than_that():
    """check's one reading of its own: `-w 30` is "fewer than 30 days left" (30: in range
    syntax), as `check -w 30 -c 7` reads to every admin; other spellings are ranges as
    written."""
    assert str(day_range("30", what="-w")) == "30:"
    assert day_range("30", what="-w").alerts(29) and not day_range("30", what="-w").alerts(30)
    assert str(day_range("0:30", what="-w")) == "30"
    assert str(day_range("@10:20", what="-w")) == "@10:20"
