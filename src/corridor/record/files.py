"""Reading record files: YAML or JSON text into plain mappings that remember the line of every
key and item, so that validation errors can name the file, the line and the field. Refuses
YAML anchors and aliases (a small file must not expand into a huge one), duplicate keys and
oversized input. corridor.record.format validates what this returns.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from corridor.core.errors import InvalidDataError

MAX_BYTES = 20 * 1024 * 1024


class _Map(dict):
    """A mapping read from a file, with the line of the mapping and of each key."""

    __slots__ = ("line", "key_lines")
    line: int
    key_lines: dict[str, int]


class _Seq(list):
    """A list read from a file, with the line of the list and of each item."""

    __slots__ = ("line", "item_lines")
    line: int
    item_lines: list[int]


def _yaml_loader():
    import yaml

    # The C loader when libyaml is there; both have the interface used here.
    base: type[yaml.SafeLoader | yaml.CSafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    # A subclass, so that add_constructor below leaves yaml's own loader alone. Made with
    # type(), the same as `class Loader(base): pass`: a type checker takes no variable as a base.
    Loader: type[yaml.SafeLoader | yaml.CSafeLoader] = type("Loader", (base,), {})

    # Dates stay text, so "2023-02-30" gets our message, not a crash; and there are no
    # booleans in the format, so YAML 1.1's yes/no/on/off stay text too (`countries: [SY, NO]`).
    dropped = ("tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:bool")
    Loader.yaml_implicit_resolvers = {
        k: [(tag, rx) for tag, rx in v if tag not in dropped]
        for k, v in base.yaml_implicit_resolvers.items()
    }

    def construct_map(loader, node):
        data = _Map()
        data.line, data.key_lines = node.start_mark.line + 1, {}
        yield data
        loader.flatten_mapping(node)
        for key_node, value_node in node.value:
            line = key_node.start_mark.line + 1
            key = loader.construct_object(key_node, deep=True)
            if not isinstance(key, str):
                raise InvalidDataError(f"line {line}: the key {key!r} is not text")
            if key in data:
                raise InvalidDataError(f"line {line}: duplicate key {key!r}")
            data[key] = loader.construct_object(value_node, deep=False)
            data.key_lines[key] = line

    def construct_seq(loader, node):
        data = _Seq()
        data.line = node.start_mark.line + 1
        data.item_lines = [n.start_mark.line + 1 for n in node.value]
        yield data
        data.extend(loader.construct_object(n, deep=False) for n in node.value)

    Loader.add_constructor("tag:yaml.org,2002:map", construct_map)
    Loader.add_constructor("tag:yaml.org,2002:seq", construct_seq)
    return Loader


def _refuse_aliases(node) -> None:
    """Anchors and aliases let a small file expand into a huge one ("billion laughs"): the
    format never needs them, so a node reached twice is refused."""
    seen: set[int] = set()
    stack = [node]
    while stack:
        n = stack.pop()
        if id(n) in seen:
            raise InvalidDataError(
                f"line {n.start_mark.line + 1}: YAML anchors and aliases (& and *) are not "
                "supported",
                "write the values out in full",
            )
        seen.add(id(n))
        if isinstance(n.value, list):
            for item in n.value:
                stack.extend(item if isinstance(item, tuple) else (item,))


def _load_yaml(text: str):
    loader = _yaml_loader()(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        _refuse_aliases(node)
        return loader.construct_document(node)
    finally:
        loader.dispose()


def _load_json(text: str):
    import json

    # CPython's pure-Python decoder parts: there at runtime, not in typeshed's stubs.
    from json.decoder import JSONArray, JSONObject  # type: ignore[attr-defined]
    from json.scanner import py_make_scanner  # type: ignore[attr-defined]

    class Decoder(json.JSONDecoder):
        # Set by JSONDecoder.__init__ and read by the scanner; the stubs do not declare them.
        parse_object: Callable[..., tuple[_Map, int]]
        parse_array: Callable[..., tuple[_Seq, int]]
        scan_once: Callable[[str, int], tuple[Any, int]]

    newlines = [m.start() for m in re.finditer("\n", text)]

    def line(idx: int) -> int:
        return bisect.bisect_left(newlines, idx) + 1

    def parse_object(s_and_end, strict, scan_once, object_hook, object_pairs_hook, memo=None):
        starts: list[int] = []

        def value(string, idx):
            starts.append(idx)
            return scan_once(string, idx)

        pairs, end = JSONObject(s_and_end, strict, value, None, list, memo)
        data = _Map()
        data.line, data.key_lines = line(s_and_end[1] - 1), {}
        for (key, item), idx in zip(pairs, starts, strict=True):
            if key in data:
                raise InvalidDataError(f"line {line(idx)}: duplicate key {key!r}")
            data[key] = item
            data.key_lines[key] = line(idx)
        return data, end

    def parse_array(s_and_end, scan_once):
        starts: list[int] = []

        def value(string, idx):
            starts.append(idx)
            return scan_once(string, idx)

        items, end = JSONArray(s_and_end, value)
        data = _Seq(items)
        data.line, data.item_lines = line(s_and_end[1] - 1), [line(i) for i in starts]
        return data, end

    decoder = Decoder()
    decoder.parse_object = parse_object
    decoder.parse_array = parse_array
    decoder.scan_once = py_make_scanner(decoder)
    return decoder.decode(text)


def parse_text(text: str, name: str) -> dict:
    """YAML or JSON text -> a mapping whose parts remember their lines. Errors name the file
    and line."""
    import json

    if len(text.encode("utf-8", "surrogatepass")) > MAX_BYTES:
        raise InvalidDataError(f"{name}: larger than {MAX_BYTES // 2**20} MiB", "split the file")
    text = text.removeprefix("\ufeff")
    is_json = text.lstrip().startswith("{")
    try:
        data = _load_json(text) if is_json else _load_yaml(text)
    except InvalidDataError as exc:
        raise InvalidDataError(f"{name}, {exc.message}", exc.hint) from None
    except json.JSONDecodeError as exc:
        raise InvalidDataError(f"{name}, line {exc.lineno}: not valid JSON ({exc.msg})") from None
    except RecursionError:
        raise InvalidDataError(f"{name}: nested too deeply to be a corridor record") from None
    except Exception as exc:  # yaml.YAMLError: the import is local, keep the class local too
        mark = getattr(exc, "problem_mark", None)
        line = f", line {mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise InvalidDataError(f"{name}{line}: not valid YAML ({problem})") from None
    if not isinstance(data, dict):
        raise InvalidDataError(f"{name}: expected a mapping with `corridor: 1` at the top")
    return data


def read_text(path: Path | str) -> str:
    """A record file's text ("-" is standard input), refusing oversized or non-UTF-8 input.

    The read itself is bounded (MAX_BYTES + 1), whatever the file claims to be: /dev/zero or an
    endless pipe ends in "larger than", never in running out of memory. Only regular files,
    pipes and standard input are read; a FIFO is opened without waiting for a writer, so a FIFO
    nobody writes to reads as empty instead of hanging; devices and sockets are refused."""
    import os
    import stat
    import sys

    name = "<stdin>" if str(path) == "-" else str(path)
    try:
        if str(path) == "-":
            raw = sys.stdin.buffer.read(MAX_BYTES + 1)
        else:
            fd = os.open(name, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
            try:
                mode = os.fstat(fd).st_mode
                if stat.S_ISDIR(mode):
                    raise IsADirectoryError
                if not (stat.S_ISREG(mode) or stat.S_ISFIFO(mode)):
                    raise InvalidDataError(
                        f"{name}: not a regular file (a device or socket)",
                        "give a record file, or - to read standard input",
                    )
                if stat.S_ISREG(mode) and os.fstat(fd).st_size > MAX_BYTES:
                    raise InvalidDataError(
                        f"{name}: larger than {MAX_BYTES // 2**20} MiB", "split the file"
                    )
                if hasattr(os, "set_blocking"):
                    os.set_blocking(fd, True)  # a writer, if any, is connected: wait for data
                raw = _read_bounded(fd, MAX_BYTES + 1)
            finally:
                os.close(fd)
    except FileNotFoundError:
        raise InvalidDataError(f"{name}: no such file") from None
    except IsADirectoryError:
        raise InvalidDataError(f"{name}: is a folder, not a record file") from None
    except PermissionError:
        raise InvalidDataError(f"{name}: permission denied") from None
    except OSError as exc:
        raise InvalidDataError(f"{name}: cannot read it ({exc.strerror})") from None
    if len(raw) > MAX_BYTES:
        raise InvalidDataError(f"{name}: larger than {MAX_BYTES // 2**20} MiB", "split the file")
    if not raw.strip():
        raise InvalidDataError(
            f"{name}: the file is empty", "a record file starts with `corridor: 1`"
        )
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InvalidDataError(f"{name}, line {line}: not UTF-8 text") from None


def _read_bounded(fd: int, limit: int) -> bytes:
    import os

    chunks, size = [], 0
    while size < limit:
        chunk = os.read(fd, min(1 << 20, limit - size))
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks)
