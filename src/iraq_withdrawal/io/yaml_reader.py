"""Read curated YAML safely, keeping the line of every key and item.

When the text is plain, the values are built straight from libyaml's event stream
(PyYAML's C parser; every event carries its line), with ruamel's YAML 1.2 core
resolver rules, by :class:`_EventBuilder`: no node tree is composed and walked. When
the text holds a ``%YAML`` directive, deep nesting, anchors or aliases, or anything
libyaml rejects, ruamel's pure-Python scanner, bounded in depth and tokens, composes
it and :meth:`_Builder.build` walks the tree (so every problem is reported the same
way). Both know a small, safe subset of YAML: mappings, sequences, strings, integers,
floats, booleans, nulls and ISO dates. Anything else (custom or ``!!python`` tags,
anchors and aliases, duplicate keys, several documents, deep nesting) becomes a
finding instead of a value, so nothing is executed, expanded or silently dropped.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import warnings
from dataclasses import dataclass
from pathlib import Path

from ..findings import Finding
from .text import decode_utf8

MAX_YAML_BYTES = 4 * 1024 * 1024  # the largest curated file is under 100 kB; pure-Python YAML reads about 2 MB/s
MAX_DEPTH = 64
MAX_NODES = 2_000_000
MAX_TOKENS = 100_000  # counted while scanning; the largest curated file has under 10,000

_CORE = "tag:yaml.org,2002:"
_STR = _CORE + "str"
_ALLOWED_TAGS = {_CORE + t for t in ("map", "seq", "str", "int", "float", "bool", "null", "timestamp")}
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class Rejected:
    """Stands in for a value the reader refused (a finding says why)."""

    def __repr__(self) -> str:
        return "<rejected>"


REJECTED = Rejected()


def contains_rejected(value) -> bool:
    if value is REJECTED:
        return True
    if getattr(value, "clean", False):  # built from events with nothing refused inside
        return False
    if isinstance(value, dict):
        return any(contains_rejected(v) for v in value.values())
    if isinstance(value, list):
        return any(contains_rejected(v) for v in value)
    return False


class LineDict(dict):
    """A mapping that remembers the line of itself and of each key (1-based)."""

    line: int = 0
    key_lines: dict
    clean: bool = False  # True when known to hold no REJECTED value at any depth


class LineList(list):
    """A sequence that remembers its line and the line of each item (1-based)."""

    line: int = 0
    item_lines: list
    clean: bool = False  # True when known to hold no REJECTED value at any depth


@dataclass
class YamlDocument:
    path: Path
    display: str
    value: object
    findings: list[Finding]


class _Builder:
    def __init__(self, display: str):
        self.display = display
        self.findings: list[Finding] = []
        self.seen: set[int] = set()
        self.nodes = 0

    def fail(self, code: str, message: str, node) -> None:
        self.findings.append(Finding(code, message, file=self.display, line=node.start_mark.line + 1))

    def build(self, node, depth: int = 0):
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise _TooLarge(f"more than {MAX_NODES:,} YAML nodes")
        if depth > MAX_DEPTH:
            raise _TooLarge(f"nesting deeper than {MAX_DEPTH} levels", node.start_mark.line + 1)
        if id(node) in self.seen:
            return REJECTED  # an alias: reported where it stands by _anchor_findings
        self.seen.add(id(node))
        tag = node.tag if isinstance(node.tag, str) else getattr(node.tag, "value", str(node.tag))
        if tag not in _ALLOWED_TAGS:
            self.fail("IW104", f"tag '{tag}' is not allowed", node)
            return REJECTED
        kind = type(node).__name__  # ruamel's and PyYAML's node classes have the same names
        if kind == "MappingNode":
            out = LineDict()
            out.line = node.start_mark.line + 1
            out.key_lines = {}
            for key_node, value_node in node.value:
                if type(key_node).__name__ != "ScalarNode":
                    self.fail("IW106", "mapping keys must be plain strings", key_node)
                    continue
                key = key_node.value
                if key == "<<":
                    self.fail("IW105", "merge keys ('<<') are not allowed", key_node)
                    out.key_lines.setdefault(key, key_node.start_mark.line + 1)
                    out[key] = REJECTED
                    continue
                if key in out.key_lines:
                    self.fail("IW103", f"key '{key}' appears again (first at line {out.key_lines[key]})", key_node)
                    continue
                out.key_lines[key] = key_node.start_mark.line + 1
                out[key] = self.build(value_node, depth + 1)
            return out
        if kind == "SequenceNode":
            out = LineList()
            out.line = node.start_mark.line + 1
            out.item_lines = []
            for item in node.value:
                out.item_lines.append(item.start_mark.line + 1)
                out.append(self.build(item, depth + 1))
            return out
        return self.scalar(node, tag)

    def scalar(self, node, tag: str):
        text = node.value
        kind = tag[len(_CORE):]
        if kind == "null":
            return None
        if kind == "bool":  # YAML 1.1 (a '%YAML 1.1' directive) also spells true as yes, y and on
            return text.lower() in ("true", "yes", "y", "on")
        if kind == "int":
            try:
                return int(text, 0) if not re.fullmatch(r"[-+]?0\d+", text) else int(text)
            except ValueError:
                return text
        if kind == "float":
            try:
                value = float(text)
            except ValueError:
                return text
            if math.isinf(value) or math.isnan(value):
                self.fail("IW203", f"'{text}' is not a finite number", node)
                return REJECTED
            return value
        if kind == "timestamp":
            if _DATE.match(text):
                try:
                    return dt.date.fromisoformat(text)
                except ValueError:
                    self.fail("IW203", f"'{text}' is not a real calendar date", node)
                    return REJECTED
            return text
        return text


class _TooLarge(Exception):
    def __init__(self, message: str, line: int | None = None):
        super().__init__(message)
        self.line = line


def _bounded_scanner():
    """ruamel's scanner, refusing nesting deeper than MAX_DEPTH and more than MAX_TOKENS while it scans.

    Checking only after composing is too late: ruamel's scanner is quadratic in the
    flow nesting depth and its composer recursive, so a line of thousands of '['
    would take minutes before any check ran.
    """
    from ruamel.yaml.scanner import Scanner

    class BoundedScanner(Scanner):
        def reset_scanner(self) -> None:
            self.fetched = 0
            super().reset_scanner()

        def fetch_more_tokens(self):
            self.fetched += 1
            if self.fetched > MAX_TOKENS:
                raise _TooLarge(f"more than {MAX_TOKENS:,} YAML tokens", self.reader.line + 1)
            return super().fetch_more_tokens()

        def fetch_flow_collection_start(self, TokenClass, to_push) -> None:
            if len(self.flow_context) >= MAX_DEPTH:
                raise _TooLarge(f"nesting deeper than {MAX_DEPTH} levels", self.reader.line + 1)
            super().fetch_flow_collection_start(TokenClass, to_push)

        def add_indent(self, column: int) -> bool:
            if len(self.indents) >= MAX_DEPTH:
                raise _TooLarge(f"nesting deeper than {MAX_DEPTH} levels", self.reader.line + 1)
            return super().add_indent(column)

    return BoundedScanner


def _anchor_findings(yaml, text: str, display: str) -> list[Finding]:
    """IW105 at every anchor and alias, found in the event stream (composed nodes lose alias positions)."""
    from ruamel.yaml.events import AliasEvent

    findings = []
    for event in yaml.parse(text):
        line = event.start_mark.line + 1
        if isinstance(event, AliasEvent):
            findings.append(Finding("IW105", f"alias '*{event.anchor}' repeats a node defined elsewhere", file=display, line=line))
        elif getattr(event, "anchor", None):
            findings.append(Finding("IW105", f"anchor '&{event.anchor}' defines a node for reuse", file=display, line=line))
    return findings


def read_yaml(path: Path, display: str) -> YamlDocument:
    """Read one YAML file into plain values with line numbers, collecting findings."""
    from ruamel.yaml import YAML

    try:
        size = path.stat().st_size
        if size > MAX_YAML_BYTES:
            too_large = Finding("IW111", f"file is {size:,} bytes; the limit for a YAML file is {MAX_YAML_BYTES:,}", file=display)
            return YamlDocument(path, display, None, [too_large])
        data = path.read_bytes()
    except OSError as exc:
        return YamlDocument(path, display, None, [Finding("IW112", f"cannot read the file: {exc.strerror or exc}", file=display)])
    text, findings = decode_utf8(data, display)
    if text is None:
        return YamlDocument(path, display, None, findings)
    if _plain_enough(text):
        fast = _compose_libyaml(text, path, display)
        if fast is not None:
            return fast
    yaml = YAML(typ="safe", pure=True)  # the round-trip scanner gathers comments, several times slower
    yaml.Scanner = _bounded_scanner()
    builder = _Builder(display)
    with warnings.catch_warnings():  # ruamel warns about reused anchors; IW105 reports every anchor
        warnings.simplefilter("ignore")
        return _compose(yaml, builder, text, path, display)


_FLOW = re.compile(r"[\[\]{}]")
_INLINE_SEQUENCES = re.compile(r"^[ \t]*(?:- ){16}", re.M)


def _plain_enough(text: str) -> bool:
    """True when libyaml can compose the text safely: no directive, no deep nesting.

    Each test first looks for what it needs with a plain substring search (16 inline
    items, 65 opening brackets, 129 spaces in a row), so that plain text is judged at the speed of ``str.find``.
    """
    if "%YAML" in text or ("- " * 16 in text and _INLINE_SEQUENCES.search(text)):
        return False
    if text.count("[") + text.count("{") > MAX_DEPTH:
        depth = deepest = 0
        for m in _FLOW.finditer(text):
            depth += 1 if m.group() in "[{" else -1
            deepest = max(deepest, depth)
            if deepest > MAX_DEPTH:
                return False
    if " " * (2 * MAX_DEPTH + 1) not in text:
        return True
    longest_indent = max((len(line) - len(line.lstrip(" ")) for line in text.splitlines()), default=0)
    return longest_indent <= 2 * MAX_DEPTH


def _libyaml():
    """PyYAML's C parser and a resolver with ruamel's YAML 1.2 implicit types, or None without libyaml."""
    try:
        import yaml
    except ImportError:  # pragma: no cover - PyYAML comes with frictionless
        return None
    if not getattr(yaml, "__with_libyaml__", False):
        return None
    from ruamel.yaml.resolver import implicit_resolvers

    class Core12Resolver(yaml.resolver.BaseResolver):
        yaml_implicit_resolvers: dict = {}

    for versions, tag, regexp, first in implicit_resolvers:
        if (1, 2) in versions:
            Core12Resolver.add_implicit_resolver(tag, regexp, first)

    from yaml._yaml import CParser

    return CParser, Core12Resolver()


_LIBYAML: list = []

#: Plain scalars with the tag they resolve to, and those of a core type other than string with
#: their (immutable) value, shared by every file read (the resolver is fixed): vocabulary values
#: such as "troop_withdrawal" and dates are written thousands of times. Bounded, so that
#: hostile input cannot grow them without limit; what misses is resolved as before.
_RESOLVED: dict[str, str] = {}
_PLAIN_VALUES: dict[str, object] = {}
_CACHE_ENTRIES = 50_000
_CACHE_TEXT = 64  # characters: longer plain scalars are prose, seen once


class _Fallback(Exception):
    """The event reader leaves this text to the pure-Python reader (which reports what is wrong with it)."""


class _EventBuilder:
    """Builds values straight from libyaml's events (with their marks): no node tree, no walk over it.

    Gives what :meth:`_Builder.build` gives on the composed tree, finding for finding;
    anything it does not handle the same way (anchors, aliases, several documents) raises
    :class:`_Fallback`.
    """

    def __init__(self, parser, resolver, display: str):
        import yaml

        self.next = parser.get_event
        self.resolver = resolver
        self.display = display
        self.findings: list[Finding] = []
        self.nodes = 0
        self.rejected = 0  # REJECTED values made so far
        resolvers = resolver.yaml_implicit_resolvers
        self.resolved_firsts = set(resolvers) if None not in resolvers and not resolver.yaml_path_resolvers else _ANY
        self._builder = _Builder(display)
        self._builder.findings = self.findings
        self.Scalar, self.MappingStart, self.SequenceStart = yaml.ScalarEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent
        self.ScalarNode, self.MappingNode, self.SequenceNode = yaml.ScalarNode, yaml.MappingNode, yaml.SequenceNode
        self.Alias = yaml.AliasEvent

    def fail(self, code: str, message: str, event) -> None:
        self.findings.append(Finding(code, message, file=self.display, line=event.start_mark.line + 1))

    def document(self):
        """The value of the only document; None when the stream holds none."""
        import yaml

        self.next()  # StreamStartEvent
        event = self.next()
        if isinstance(event, yaml.StreamEndEvent):
            return None
        value = self.build(self.next(), 0)  # after the DocumentStartEvent
        self.next()  # DocumentEndEvent
        if not isinstance(self.next(), yaml.StreamEndEvent):
            raise _Fallback  # several documents: the pure reader reports IW110 with its line
        return value

    def _tag(self, event, kind) -> str:
        tag = event.tag
        if tag is None or tag == "!":
            if kind is self.ScalarNode:
                value, implicit = event.value, event.implicit
                if not implicit[0] or value[:1] not in self.resolved_firsts:
                    return _STR  # quoted, or plain and no implicit type starts with this character
                tag = _RESOLVED.get(value)
                if tag is None:
                    tag = self.resolver.resolve(kind, value, implicit)
                    if len(value) <= _CACHE_TEXT and len(_RESOLVED) < _CACHE_ENTRIES:
                        _RESOLVED[value] = tag
            else:
                tag = self.resolver.resolve(kind, None, None)
        return tag

    def skip(self, event) -> None:
        """Consume the rest of a node whose start ``event`` was read, building nothing."""
        if type(event) is self.Alias or getattr(event, "anchor", None):
            raise _Fallback
        if type(event) in (self.MappingStart, self.SequenceStart):
            depth = 1
            while depth:
                inner = self.next()
                if type(inner) is self.Alias or getattr(inner, "anchor", None):
                    raise _Fallback
                if type(inner) in (self.MappingStart, self.SequenceStart):
                    depth += 1
                elif type(inner) is not self.Scalar:
                    depth -= 1

    def build(self, event, depth: int):
        self.nodes += 1
        if self.nodes > MAX_NODES or depth > MAX_DEPTH:
            raise _Fallback
        kind = type(event)
        if kind is self.Alias or event.anchor is not None:
            raise _Fallback  # anchors and aliases: the pure reader finds where each one stands
        if kind is self.Scalar:
            plain = event.tag is None and event.implicit[0]
            if plain and event.value in _PLAIN_VALUES:
                return _PLAIN_VALUES[event.value]
            tag = self._tag(event, self.ScalarNode)
            if tag == _STR:
                return event.value
            if tag not in _ALLOWED_TAGS:
                self.fail("IW104", f"tag '{tag}' is not allowed", event)
                value = REJECTED
            else:
                value = self._builder.scalar(_Marked(event), tag)
                if (plain and value is not REJECTED and len(event.value) <= _CACHE_TEXT
                        and len(_PLAIN_VALUES) < _CACHE_ENTRIES):
                    _PLAIN_VALUES[event.value] = value
        elif kind is self.MappingStart:
            value = self._mapping(event, depth)
        elif kind is self.SequenceStart:
            value = self._sequence(event, depth)
        else:
            raise _Fallback
        if value is REJECTED:
            self.rejected += 1
        return value

    def _refused_tag(self, event, node_class) -> bool:
        """IW104 for a collection with a tag other than the core ones; its contents are skipped."""
        tag = self._tag(event, node_class)
        if tag in _ALLOWED_TAGS:
            return False
        self.fail("IW104", f"tag '{tag}' is not allowed", event)
        self.skip(event)
        return True

    def _mapping(self, event, depth: int):
        if self._refused_tag(event, self.MappingNode):
            return REJECTED
        out = LineDict()
        out.line = event.start_mark.line + 1
        out.key_lines = key_lines = {}
        rejected = self.rejected
        # the loop runs once per key of every record: names are bound locally, and a value
        # that is a string as it stands (the commonest node) is taken without a call
        next_event, Scalar, firsts, resolved = self.next, self.Scalar, self.resolved_firsts, _RESOLVED
        shallow = depth < MAX_DEPTH
        taken = 0  # plain strings taken here, counted as nodes when the mapping ends
        while True:
            key_event = next_event()
            if type(key_event) is not Scalar:
                if type(key_event) not in (self.MappingStart, self.SequenceStart, self.Alias):
                    self._count(taken)
                    out.clean = self.rejected == rejected
                    return out  # MappingEndEvent
                self.fail("IW106", "mapping keys must be plain strings", key_event)
                self.skip(key_event)
                self.skip(next_event())
                continue
            if key_event.anchor is not None:
                raise _Fallback
            key = key_event.value
            if key in key_lines or key == "<<":
                self._odd_key(out, key, key_event)
                continue
            key_lines[key] = key_event.start_mark.line + 1
            value = next_event()
            if (shallow and type(value) is Scalar and value.tag is None and value.anchor is None
                    and (not value.implicit[0] or value.value[:1] not in firsts or resolved.get(value.value) == _STR)):
                out[key] = value.value
                taken += 1
            else:
                out[key] = self.build(value, depth + 1)

    def _odd_key(self, out: LineDict, key: str, key_event) -> None:
        """A merge key or a repeated key: a finding, and its value is skipped."""
        if key == "<<":
            self.fail("IW105", "merge keys ('<<') are not allowed", key_event)
            out.key_lines.setdefault(key, key_event.start_mark.line + 1)
            out[key] = REJECTED
            self.rejected += 1
        else:
            self.fail("IW103", f"key '{key}' appears again (first at line {out.key_lines[key]})", key_event)
        self.skip(self.next())

    def _count(self, taken: int) -> None:
        self.nodes += taken
        if self.nodes > MAX_NODES:
            raise _Fallback

    def _sequence(self, event, depth: int):
        if self._refused_tag(event, self.SequenceNode):
            return REJECTED
        out = LineList()
        out.line = event.start_mark.line + 1
        out.item_lines = item_lines = []
        rejected = self.rejected
        next_event, Scalar, firsts, resolved = self.next, self.Scalar, self.resolved_firsts, _RESOLVED
        items = (Scalar, self.MappingStart, self.SequenceStart, self.Alias)
        shallow = depth < MAX_DEPTH
        taken = 0
        while True:
            item = next_event()
            if type(item) not in items:
                self._count(taken)
                out.clean = self.rejected == rejected
                return out  # SequenceEndEvent
            item_lines.append(item.start_mark.line + 1)
            if (shallow and type(item) is Scalar and item.tag is None and item.anchor is None
                    and (not item.implicit[0] or item.value[:1] not in firsts or resolved.get(item.value) == _STR)):
                out.append(item.value)
                taken += 1
            else:
                out.append(self.build(item, depth + 1))


class _Everything:
    def __contains__(self, item) -> bool:
        return True


_ANY = _Everything()


class _Marked:
    """A scalar event seen as the node :meth:`_Builder.scalar` expects (its value and start mark)."""

    __slots__ = ("value", "start_mark")

    def __init__(self, event):
        self.value = event.value
        self.start_mark = event.start_mark


def _compose_libyaml(text: str, path: Path, display: str) -> YamlDocument | None:
    """Build the values from libyaml's events; None to fall back to the pure-Python reader (which reports problems)."""
    if not _LIBYAML:
        _LIBYAML.append(_libyaml())
    if _LIBYAML[0] is None:
        return None
    import yaml

    parser_class, resolver = _LIBYAML[0]
    parser = parser_class(text)
    builder = _EventBuilder(parser, resolver, display)
    try:
        value = builder.document()
    except (yaml.YAMLError, _Fallback, RecursionError, ValueError):
        return None
    finally:
        parser.dispose()
    if value is None:
        return None
    if builder.nodes * 2 > MAX_TOKENS:
        return None  # near the token limit: the bounded reader decides and says where
    return YamlDocument(path, display, value, builder.findings)


def _compose(yaml, builder: _Builder, text: str, path: Path, display: str) -> YamlDocument:
    from ruamel.yaml.error import MarkedYAMLError, YAMLError
    from ruamel.yaml.reader import ReaderError

    try:
        documents = []
        for node in yaml.compose_all(text):
            documents.append(node)
            if len(documents) > 1:
                several = Finding("IW110", "the file holds more than one YAML document", file=display, line=node.start_mark.line + 1)
                return YamlDocument(path, display, None, [several])
        if not documents or documents[0] is None:
            return YamlDocument(path, display, None, [])
        value = builder.build(documents[0])
        if "&" in text or "*" in text:
            builder.findings.extend(_anchor_findings(yaml, text, display))
    except _TooLarge as exc:
        return YamlDocument(path, display, None, [Finding("IW111", str(exc), file=display, line=exc.line)])
    except RecursionError:
        return YamlDocument(path, display, None, [Finding("IW111", "nesting is too deep to read", file=display)])
    except ReaderError as exc:  # a character YAML does not allow (NUL, other control characters)
        line = text.count("\n", 0, exc.position) + 1 if isinstance(exc.position, int) else None
        return YamlDocument(path, display, None, [Finding("IW102", str(exc).splitlines()[0], file=display, line=line)])
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        problem = " ".join(str(p) for p in (exc.context, exc.problem) if p)
        if exc.context_mark is not None and mark is not None and exc.context_mark.line != mark.line:
            problem += f" (the construct starts on line {exc.context_mark.line + 1})"
        return YamlDocument(path, display, None, [Finding("IW102", problem or "cannot parse YAML", file=display, line=line)])
    except YAMLError as exc:
        return YamlDocument(path, display, None, [Finding("IW102", str(exc).splitlines()[0], file=display)])
    return YamlDocument(path, display, value, builder.findings)
