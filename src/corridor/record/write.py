"""Writing the native record format (docs/format.md) as text: YAML or JSON, deterministic,
indented, never with anchors."""

from __future__ import annotations

from corridor.core.jsonable import to_json as render_json

HEADER = "# corridor record, format version 1 (docs/format.md)\n"


def to_json(data: dict, *, ascii: bool = False) -> str:
    """The export file is always indented: it is read by people and kept in version control."""
    return render_json(data, pretty=True, ascii=ascii)


def _dumper():
    import yaml

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


def to_yaml(data: dict, *, ascii: bool = False) -> str:
    import yaml

    body = yaml.dump(
        data,
        Dumper=_dumper(),
        allow_unicode=not ascii,
        sort_keys=False,
        default_flow_style=False,
        width=100,
    )
    return HEADER + body
