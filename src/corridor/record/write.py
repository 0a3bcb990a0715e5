"""Writing the native record format (docs/format.md) as text: YAML or JSON, deterministic,
indented, never with anchors."""

from __future__ import annotations

import yaml

from corridor.core.jsonable import to_json as render_json

HEADER = "# corridor record, format version 1 (docs/format.md)\n"


def to_json(data: dict, *, ascii: bool = False) -> str:
    """The export file is always indented: it is read by people and kept in version control."""
    return render_json(data, pretty=True, ascii=ascii)


def _dumper():
    class Dumper(yaml.SafeDumper):
        def ignore_aliases(self, data):  # never write anchors: every value is written out
            return True

        def increase_indent(self, flow=False, indentless=False):  # indent lists under keys
            return super().increase_indent(flow, False)

    def represent_list(dumper, items):
        flow = all(isinstance(x, (str, int, float)) for x in items) and len(items) > 0
        return dumper.represent_sequence("tag:yaml.org,2002:seq", items, flow_style=flow)

    def represent_str(dumper, text):
        style = "|" if "\n" in text else None
        return dumper.represent_scalar("tag:yaml.org,2002:str", text, style=style)

    Dumper.add_representer(list, represent_list)
    Dumper.add_representer(str, represent_str)
    return Dumper


def _dump(data, dumper, ascii: bool = False) -> str:
    return yaml.dump(
        data,
        Dumper=dumper,
        allow_unicode=not ascii,
        sort_keys=False,
        default_flow_style=False,
        width=100,
    )


def to_yaml(data: dict, *, ascii: bool = False) -> str:
    """`ascii` escapes every non-ASCII character, for a stream that is not UTF-8."""
    return HEADER + _dump(data, _dumper(), ascii)


def yaml_chunks(data: dict, *, ascii: bool = False):
    """The same text as `to_yaml(data)`, in pieces: each top-level key, and each item of a
    top-level list, is dumped on its own, so the dumper never holds the whole record's node
    graph (benchmarks/README.md, "Memory"). A list may be an iterator: its items are then
    read (from the database) one at a time."""
    dumper = _dumper()
    yield HEADER
    for key, value in data.items():
        if isinstance(value, dict) or not hasattr(value, "__iter__") or isinstance(value, str):
            yield _dump({key: value}, dumper, ascii)
            continue
        first = True
        for item in value:
            text = _dump({key: [item]}, dumper, ascii)
            yield text if first else text.split("\n", 1)[1]
            first = False
        if first:
            yield _dump({key: []}, dumper, ascii)
