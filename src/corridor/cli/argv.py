"""Reading a plain command line without Typer, for the hot paths (corridor.cli.hot for
`upcoming` and `status`, corridor.cli.hot_check for `check`): each knows its options as Typer
declares them, and hands anything unusual to Typer by returning None."""

from __future__ import annotations

from typing import Any

VALUE, VALUES, FLAG = "value", "values", "flag"  # one value, repeatable, no value
COUNT = "count"  # no value, repeatable: how many times (check -v, -vv, -vvv)


def read_options(words: list[str], known: dict[str, tuple[str, str]]) -> dict[str, Any] | None:
    """The options of a plain command line (after the command's name) as keyword arguments:
    values as given (strings), flags True, counts counted. None when Typer should read the
    line: an unknown or abbreviated option, an argument, a missing value, a flag or a value
    given twice."""
    kwargs: dict[str, Any] = {}
    it = iter(words)
    for word in it:
        name, eq, attached = word.partition("=") if word.startswith("--") else (word, "", "")
        if name not in known:
            return None  # help, an unknown or abbreviated option, an argument: Typer says
        param, how = known[name]
        if how == COUNT:
            if eq:
                return None
            kwargs[param] = kwargs.get(param, 0) + 1
            continue
        if how == FLAG:
            if eq or param in kwargs:
                return None
            kwargs[param] = True
            continue
        value = attached if eq else next(it, None)
        if value is None or value.startswith("-"):
            return None  # a missing value, or one Typer may read as an option
        if how == VALUES and not value.replace(",", "").strip():
            return None  # an empty name: Typer's callback refuses it, naming the option
        if how == VALUES:
            kwargs.setdefault(param, []).append(value)
        elif param in kwargs:
            return None  # given twice: Typer keeps the last
        else:
            kwargs[param] = value
    return kwargs
