"""Reading record files: YAML or JSON text into plain mappings that remember the line of every
key and item, so that validation errors can name the file, the line and the field. Refuses
YAML anchors and aliases (a small file must not expand into a huge one), duplicate keys and
oversized input. corridor.record.format validates what this returns.
"""

from __future__ import annotations

import bisect
import json
import os
import re
import stat
import sys
from collections.abc import Callable

# CPython's pure-Python decoder parts: there at runtime, not in typeshed's stubs.
from json.decoder import JSONArray, JSONObject  # type: ignore[attr-defined]
from json.scanner import py_make_scanner  # type: ignore[attr-defined]
from pathlib import Path
from typing import Any

import yaml
from yaml import events as ev

from corridor.core.errors import InvalidDataError

MAX_BYTES = 20 * 1024 * 1024
# The most values (every key, scalar, list and map counts one) a record file may hold: an
# import of 80 000 instruments holds about 1.7 million (benchmarks/README.md, "Memory"). A
# flow list of 19 MB holds about 6 million, and is refused after reading this many.
MAX_NODES = 3_000_000


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

    return Loader


class _Key:
    """No key read yet in the mapping being filled."""


_NO_KEY = _Key()


def _load_yaml(text: str):
    """YAML text -> plain values, built straight from the parser's events: no node graph is
    kept (it took ~100 bytes of memory per byte of a flow list), at most MAX_NODES values are
    read (a bound on work and memory as well as on bytes), and anchors, aliases and tags
    other than the plain ones are refused."""
    loader = _yaml_loader()(text)
    try:
        loader.get_event()  # StreamStart
        first = loader.get_event()
        if isinstance(first, ev.StreamEndEvent):
            return None
        root: list = []
        stack: list[list] = []  # [container, pending key, the key's line] per open container
        count = 0
        get = loader.get_event
        scalar_event, end_event = ev.ScalarEvent, ev.CollectionEndEvent
        map_event, seq_event = ev.MappingStartEvent, ev.SequenceStartEvent
        top: list | None = None  # stack[-1], kept at hand: the loop runs once per value
        while True:
            event = get()
            cls = event.__class__
            if cls is not scalar_event:
                if issubclass(cls, end_event):
                    stack.pop()
                    top = stack[-1] if stack else None
                    continue
                if cls is ev.DocumentEndEvent:
                    break
            line = event.start_mark.line + 1
            if cls is ev.AliasEvent or event.anchor:
                raise InvalidDataError(
                    f"line {line}: YAML anchors and aliases (& and *) are not supported",
                    "write the values out in full",
                )
            count += 1
            if count > MAX_NODES:
                raise InvalidDataError(
                    f"line {line}: more than {MAX_NODES:,} values, more than a corridor "
                    "record holds",
                    "split the file",
                )
            value: Any
            if cls is scalar_event:
                value = _scalar(loader, event, line)
                if top is not None and top[0].__class__ is _Seq:  # the flow-list case, inline
                    top[0].append(value)
                    top[0].item_lines.append(line)
                    continue
            elif cls is map_event:
                _plain_tag(event, "tag:yaml.org,2002:map", line)
                value = _Map()
                value.line, value.key_lines = line, {}
            elif cls is seq_event:
                _plain_tag(event, "tag:yaml.org,2002:seq", line)
                value = _Seq()
                value.line, value.item_lines = line, []
            else:  # pragma: no cover - the parser yields nothing else inside a document
                raise InvalidDataError(f"line {line}: unexpected YAML ({cls.__name__})")
            _place(root, stack, value, line)
            if cls is not scalar_event:
                top = [value, _NO_KEY, 0]
                stack.append(top)
        end = loader.get_event()
        if not isinstance(end, ev.StreamEndEvent):
            raise InvalidDataError(
                f"line {end.start_mark.line + 1}: a second YAML document (---)",
                "a record file holds one document",
            )
        return root[0] if root else None
    finally:
        loader.dispose()


def _place(root: list, stack: list[list], value, line: int) -> None:
    if not stack:
        root.append(value)
        return
    top = stack[-1]
    container = top[0]
    if isinstance(container, _Seq):
        container.append(value)
        container.item_lines.append(line)
        return
    if top[1] is _NO_KEY:
        if not isinstance(value, str):
            shown = value if isinstance(value, (int, float)) or value is None else "a list or map"
            raise InvalidDataError(f"line {line}: the key {shown!r} is not text")
        if value in container:
            raise InvalidDataError(f"line {line}: duplicate key {value!r}")
        top[1], top[2] = sys.intern(value), line  # one copy of each key for the whole file
        return
    if value.__class__ is str and len(value) <= 32:
        value = sys.intern(value)  # "UTC", "agreement", ...: one copy, not one per record
    container[top[1]] = value
    container.key_lines[top[1]] = top[2]
    top[1] = _NO_KEY


_PLAIN_TAGS = ("!", None)


def _plain_tag(event, default: str, line: int) -> None:
    if event.tag not in (*_PLAIN_TAGS, default):
        raise InvalidDataError(
            f"line {line}: the YAML tag {event.tag} is not supported", "remove the tag"
        )


_PLAIN_INT = re.compile(r"[-+]?(?:0|[1-9][0-9]{0,17})")
_NULLS = frozenset({"", "~", "null", "Null", "NULL"})


def _scalar(loader, event, line: int):
    if event.tag is None:  # fast paths for the common cases, as YAML's resolvers decide them
        plain, quoted = event.implicit
        if not plain and quoted:
            return event.value  # a quoted scalar is text
        if plain:
            value = event.value
            if _PLAIN_INT.fullmatch(value):
                return int(value)
            if value in _NULLS:
                return None
    if event.tag in _PLAIN_TAGS:
        tag = loader.resolve(yaml.ScalarNode, event.value, event.implicit)
    else:
        tag = event.tag
    if tag == "tag:yaml.org,2002:str":
        return event.value
    construct = loader.yaml_constructors.get(tag)
    if construct is None or tag.startswith("tag:yaml.org,2002:python/"):
        raise InvalidDataError(f"line {line}: the YAML tag {tag} is not supported", "remove it")
    node = yaml.ScalarNode(tag, event.value, event.start_mark, event.end_mark, event.style)
    return construct(loader, node)


def _load_json(text: str):
    class Decoder(json.JSONDecoder):
        # Set by JSONDecoder.__init__ and read by the scanner; the stubs do not declare them.
        parse_object: Callable[..., tuple[_Map, int]]
        parse_array: Callable[..., tuple[_Seq, int]]
        scan_once: Callable[[str, int], tuple[Any, int]]

    newlines = [m.start() for m in re.finditer("\n", text)]
    count = [0]

    def counted(idx: int) -> None:
        count[0] += 1
        if count[0] > MAX_NODES:
            raise InvalidDataError(
                f"line {line(idx)}: more than {MAX_NODES:,} values, more than a corridor "
                "record holds",
                "split the file",
            )

    def line(idx: int) -> int:
        return bisect.bisect_left(newlines, idx) + 1

    def parse_object(s_and_end, strict, scan_once, object_hook, object_pairs_hook, memo=None):
        starts: list[int] = []

        def value(string, idx):
            starts.append(idx)
            counted(idx)
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
            counted(idx)
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
    if len(text.encode("utf-8", "surrogatepass")) > MAX_BYTES:
        raise InvalidDataError(f"{name}: larger than {MAX_BYTES // 2**20} MiB", "split the file")
    text = text.removeprefix("\ufeff")
    is_json = text.lstrip().startswith(("{", "[")) or name.lower().endswith(".json")
    try:
        data = _load_json(text) if is_json else _load_yaml(text)
    except InvalidDataError as exc:
        raise InvalidDataError(f"{name}, {exc.message}", exc.hint) from None
    except json.JSONDecodeError as exc:
        raise InvalidDataError(f"{name}, line {exc.lineno}: not valid JSON ({exc.msg})") from None
    except RecursionError:
        raise InvalidDataError(f"{name}: nested too deeply to be a corridor record") from None
    except Exception as exc:  # yaml.YAMLError, or anything else a loader raises: a message
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
    chunks, size = [], 0
    while size < limit:
        chunk = os.read(fd, min(1 << 20, limit - size))
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks)
