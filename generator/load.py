"""Loading: spec files into a `Document`, with `$ref` resolution and lazy line lookup.

This module reads the spec and the files its `$ref`s name (the others that touch the file system: `config` and
`version` read and record the configuration, `write` writes the output, `format` keeps its cache, `update` stages
a new spec, `publish` builds and uploads). YAML is read with the safe loader (libyaml's when available), JSON with
the JSON parser. Line numbers are found only when a diagnostic asks for one, so the
common path pays nothing for them.
"""

from __future__ import annotations

import functools
import json
import re
import stat
from collections.abc import Hashable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urldefrag, urljoin, urlsplit

import yaml

from generator.diagnostics import Diagnostic, SpecError
from generator.swagger import is_swagger2, original_pointer, upconvert

_BaseLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class SafeLoader(_BaseLoader):  # type: ignore[misc,valid-type]
    """libyaml's safe loader with YAML 1.2 core scalars, as OpenAPI means them.

    YAML 1.1 reads `2024-01-01` as a date, `yes`/`no`/`on`/`off` as booleans and `1:20` as the number 80;
    in YAML 1.2 (which OpenAPI 3.1 mandates) they are strings.
    """

    def construct_plain(self, root: yaml.Node) -> Any:
        """The document of `root`, for a text without anchors (so no node appears twice): mappings, sequences and
        strings made directly, other scalars by PyYAML's constructors; the same tree as `construct_document`, in
        a third of the time. Raises _NotPlain for a merge key, which is PyYAML's business."""
        construct = self.construct_object

        def make(node: yaml.Node) -> Any:
            tag = node.tag
            if tag == _STR:
                return node.value
            if tag == _MAP:
                mapping: dict[Any, Any] = {}
                for key_node, value_node in node.value:
                    if key_node.tag == _STR:
                        key = key_node.value
                    elif key_node.tag == _MERGE:
                        raise _NotPlain
                    else:
                        key = make(key_node)
                        if not isinstance(key, Hashable):
                            raise _NotPlain  # PyYAML says so, with the line
                    if key in mapping:
                        self._duplicate(node, key_node, key, mapping)
                    mapping[key] = make(value_node)
                return mapping
            if tag == _SEQ:
                return [make(item) for item in node.value]
            return construct(node, deep=True)

        try:
            return make(root)
        finally:
            del make  # it refers to itself (and so to this loader): a cycle only the collector would free

    #: (the mapping, the key, the line of its first and of its last occurrence) of each key met twice
    duplicates: list[tuple[Any, Any, int | None, int | None]]

    def _duplicate(self, node: yaml.Node, key_node: yaml.Node, key: Any, mapping: Any) -> None:
        first = next((k for k, _ in node.value if k.tag == key_node.tag and k.value == key_node.value), None)
        found = getattr(self, "duplicates", None)
        if found is None:
            found = self.duplicates = []
        line = first.start_mark.line + 1 if first is not None else None
        found.append((mapping, key, line, key_node.start_mark.line + 1))

    def construct_mapping(self, node: yaml.Node, deep: bool = False) -> Any:
        """PyYAML's, noting keys met twice (PyYAML keeps the last silently)."""
        mapping = super().construct_mapping(node, deep=deep)
        seen: set[Any] = set()
        for key_node, _ in node.value:
            if isinstance(key_node, yaml.ScalarNode):
                if key_node.value in seen:
                    self._duplicate(node, key_node, key_node.value, None)
                seen.add(key_node.value)
        return mapping


class _NotPlain(Exception):
    """A document `SafeLoader.construct_plain` leaves to PyYAML's constructor."""


_STR, _MAP, _SEQ, _MERGE = (f"tag:yaml.org,2002:{name}" for name in ("str", "map", "seq", "merge"))


_YAML12_RESOLVERS = [
    ("tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")),
    ("tag:yaml.org,2002:int", re.compile(r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$"), list("-+0123456789")),
    (
        "tag:yaml.org,2002:float",
        re.compile(
            r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
        ),
        list("-+.0123456789"),
    ),
]
SafeLoader.yaml_implicit_resolvers = {
    first: [
        (tag, regexp)
        for tag, regexp in resolvers
        if tag
        not in (
            "tag:yaml.org,2002:bool",
            "tag:yaml.org,2002:int",
            "tag:yaml.org,2002:float",
            "tag:yaml.org,2002:timestamp",
        )
    ]
    for first, resolvers in _BaseLoader.yaml_implicit_resolvers.items()
}
for _tag, _regexp, _first in _YAML12_RESOLVERS:
    SafeLoader.add_implicit_resolver(_tag, _regexp, _first)
SafeLoader.add_constructor("tag:yaml.org,2002:timestamp", SafeLoader.construct_yaml_str)


def _construct_int(loader: Any, node: yaml.ScalarNode) -> int:
    """A YAML 1.2 integer: decimal even with leading zeros (`09` is 9, where PyYAML's 1.1 rules read octal and
    fail), `0o` octal, `0x` hexadecimal; the forms the int resolver above admits."""
    text = str(loader.construct_scalar(node))
    try:
        if text.startswith(("0o", "0x")):
            return int(text[2:], 8 if text[1] == "o" else 16)
        return int(text, 10)
    except ValueError:  # an explicit `!!int` on something else: the YAML error, with its line
        raise yaml.constructor.ConstructorError(
            None, None, f"{text!r} is not a YAML 1.2 integer", node.start_mark
        ) from None


SafeLoader.add_constructor("tag:yaml.org,2002:int", _construct_int)
#: the implicit resolvers by a plain scalar's first character, those for any character included
_RESOLVERS_BY_FIRST: dict[str, list[tuple[str, re.Pattern[str]]]] = {
    first: resolvers + SafeLoader.yaml_implicit_resolvers.get(None, [])
    for first, resolvers in SafeLoader.yaml_implicit_resolvers.items()
    if first is not None
}
_ANY_FIRST: list[tuple[str, re.Pattern[str]]] = SafeLoader.yaml_implicit_resolvers.get(None, [])


def _resolve(self: Any, kind: type, value: Any, implicit: tuple[bool, bool]) -> str:
    """The tag of an untagged node: what PyYAML's BaseResolver.resolve says, without the path resolvers no one
    registers; libyaml's composer asks it of every node (a third of the parse, before)."""
    if kind is yaml.ScalarNode:
        if implicit[0]:
            for tag, regexp in _RESOLVERS_BY_FIRST.get(value[:1], _ANY_FIRST):
                if regexp.match(value):
                    return tag
        return _STR
    return _SEQ if kind is yaml.SequenceNode else _MAP


def _no_path_resolvers(self: Any, *args: Any) -> None:
    """BaseResolver's descend/ascend, which do nothing without path resolvers: called for every node."""


assert not SafeLoader.yaml_path_resolvers
SafeLoader.resolve = _resolve
SafeLoader.descend_resolver = SafeLoader.ascend_resolver = _no_path_resolvers

#: the operations a path item holds, in the order OpenAPI lists them
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


@dataclass(frozen=True)
class Location:
    """A node of a document: the file it lives in and its JSON pointer there."""

    file: str
    pointer: str


class RefError(Exception):
    def __init__(self, message: str, code: str = "ref-unresolvable") -> None:
        super().__init__(message)
        self.code = code


@dataclass
class Document:
    """A parsed spec: its root tree, the files it references and a way to find lines."""

    path: Path
    root: Any
    allow_remote_refs: bool = False
    #: For a Swagger 2.0 spec: the tree as written (`root` is its OpenAPI 3.0 up-conversion).
    swagger2: Any = None
    files: dict[str, Any] = field(default_factory=dict)
    #: what reading its files found (keys met twice), reported with validation's findings
    warnings: list[Diagnostic] = field(default_factory=list)
    _texts: dict[str, str] = field(default_factory=dict, repr=False)
    _lines: dict[str, dict[str, int]] = field(default_factory=dict, repr=False)
    #: for a JSON file: where the members found so far start (see JsonLines)
    _json: dict[str, JsonLines] = field(default_factory=dict, repr=False)
    #: the YAML nodes of a file as parsed (for its line map without a second parse), when it was small enough
    _nodes: dict[str, Any] = field(default_factory=dict, repr=False)
    _resolved: dict[tuple[str, str], tuple[Location, Any]] = field(default_factory=dict, repr=False)
    _operations: dict[tuple[str, str], Location] | None = field(default=None, repr=False)

    @property
    def main(self) -> str:
        return str(self.path)

    # -- references -------------------------------------------------------------------------------

    def resolve(self, ref: str, base: str) -> tuple[Location, Any]:
        """Resolve a `$ref` string relative to the file `base`; raise RefError when it cannot be.

        Remembered (the trees are not changed once loaded): a spec names the same schema thousands of times.
        """
        if not isinstance(ref, str):
            raise RefError(f"$ref must be a string, not {type(ref).__name__}")
        known = self._resolved.get((ref, base))
        if known is None:
            known = self._resolved[(ref, base)] = self._resolve(ref, base)
        return known

    def operations(self) -> dict[tuple[str, str], Location]:
        """Where each operation is, by (METHOD, path as `paths` keys it): a path item may be a `$ref` to another
        place or file. Also by the path without a `#fragment`, when no other operation has that key. Worked out
        once (the trees are not changed once loaded)."""
        if self._operations is None:
            found: dict[tuple[str, str], Location] = {}
            paths = self.root.get("paths") if isinstance(self.root, dict) else None
            for key, item in (paths if isinstance(paths, dict) else {}).items():
                pointer = "/paths/" + escape_pointer_token(str(key))
                resolved, location = self.follow(item, Location(self.main, pointer))
                for method in HTTP_METHODS:
                    if isinstance(resolved, dict) and isinstance(resolved.get(method), dict):
                        where = Location(location.file, f"{location.pointer}/{method}")
                        found[(method.upper(), str(key))] = where
                        found.setdefault((method.upper(), str(key).split("#", 1)[0]), where)
            self._operations = found
        return self._operations

    def locate(self, method: str, pointer: str, path: str) -> Location:
        """Where the operation `method` of the model is, given its pointer (`/paths/<key>/<method>`) and its path:
        by its key in `paths`, else by its path (a path item `$ref`'d from elsewhere)."""
        operations = self.operations()
        tokens = pointer.split("/")
        if len(tokens) == 4 and tokens[1] == "paths":
            key = (method, unescape_pointer_token(tokens[2]))
            if key in operations:
                return operations[key]
        return operations.get((method, path), Location(self.main, pointer))

    def resolved_locations(self) -> list[Location]:
        """Where the references followed so far led (the build follows every one an operation reaches)."""
        return [location for location, _ in self._resolved.values()]

    def follow(self, node: Any, location: Location) -> tuple[Any, Location]:
        """Follow `$ref`s from `node` (at `location`) to the node they name, and where it lives (its file resolves
        its own refs); `{}` for a reference that cannot be followed (validation reports it)."""
        seen = 0
        while isinstance(node, dict) and isinstance(node.get("$ref"), str):
            seen += 1
            if seen > 64:
                return {}, location
            try:
                location, node = self.resolve(node["$ref"], location.file)
            except RefError:
                return {}, location
        return node, location

    def _resolve(self, ref: str, base: str) -> tuple[Location, Any]:
        target, _, fragment = ref.partition("#")
        file = base
        if target:
            file = self._external(target, base)
        pointer = unquote(fragment)
        if pointer and not pointer.startswith("/"):
            raise RefError(f"$ref '{ref}' has a fragment that is not a JSON pointer")
        node = self.node(Location(file, pointer))
        return Location(file, pointer), node

    def _external(self, target: str, base: str) -> str:
        if urlsplit(base).scheme in ("http", "https"):
            target = urljoin(base, target)
        scheme = urlsplit(target).scheme
        if scheme in ("http", "https"):
            if not self.allow_remote_refs:
                raise RefError(
                    f"remote $ref '{target}' is not followed; download the file next to the spec"
                    " or pass --allow-remote-refs",
                    "ref-remote",
                )
            url = urldefrag(target)[0]
            if url not in self.files:
                text, tree = fetch_spec(url)
                self.files[url] = tree
                self._texts[url] = text
            return url
        if scheme and scheme != "file" and len(scheme) > 1:
            raise RefError(f"$ref '{target}' uses the unsupported scheme '{scheme}'", "ref-remote")
        relative = unquote(urlsplit(target).path) if scheme == "file" else target
        path = (Path(base).parent / relative).resolve()
        root_folder = self.path.parent.resolve()
        if not self.allow_remote_refs and not path.is_relative_to(root_folder):
            raise RefError(
                f"$ref '{target}' points outside the spec's folder {root_folder}; pass --allow-remote-refs to follow it",
                "ref-outside",
            )
        key = str(path)
        if key not in self.files:
            if not path.is_file():
                raise RefError(f"$ref '{target}' names a file that does not exist: {path}")
            text, tree, node = read_spec_file(path, self.warnings)
            self.files[key] = tree
            self._texts[key] = text
            self._nodes[key] = node
        return key

    def node(self, location: Location) -> Any:
        current = self.files[location.file]
        if not location.pointer:
            return current
        for token in location.pointer[1:].split("/"):
            token = unescape_pointer_token(token)
            if isinstance(current, dict):
                if token not in current:
                    raise RefError(f"'{location.pointer}' does not exist in {location.file}")
                current = current[token]
            elif isinstance(current, list):
                if not token.isdigit() or int(token) >= len(current):
                    raise RefError(f"'{location.pointer}' does not exist in {location.file}")
                current = current[int(token)]
            else:
                raise RefError(f"'{location.pointer}' does not exist in {location.file}")
        return current

    def texts(self) -> list[str]:
        """The source text of every file read so far."""
        return list(self._texts.values())

    # -- lines --------------------------------------------------------------------------------------

    def line(self, file: str, pointer: str) -> int | None:
        """The 1-based line where the node at `pointer` starts, or of its nearest existing parent."""
        if self.swagger2 is not None and file == self.main:
            pointer = original_pointer(pointer)
        root = self._nodes.get(file)
        if root is not None:  # a walk down the kept nodes: a spec with a few warnings needs no map of every line
            return _node_line(root, pointer)
        text = self._texts.get(file, "")
        if file not in self._lines and text.lstrip().startswith(("{", "[")):
            finder = self._json.get(file)
            if finder is None:
                finder = self._json[file] = JsonLines(text)
            found = finder.line(pointer)
            if found is not None:
                return found
        lines = self._lines.get(file)
        if lines is None:
            lines = self._lines[file] = _line_map(text)
        while True:
            if pointer in lines:
                return lines[pointer]
            if not pointer:
                return None
            pointer = pointer.rsplit("/", 1)[0]

    def diagnostic(self, severity: str, code: str, message: str, location: Location) -> Diagnostic:
        return Diagnostic(
            severity,  # type: ignore[arg-type]
            code,
            message,
            location.file,
            location.pointer,
            self.line(location.file, location.pointer),
        )


def escape_pointer_token(token: str) -> str:
    return str(token).replace("~", "~0").replace("/", "~1")


def unescape_pointer_token(token: str) -> str:
    """A JSON pointer token's text (RFC 6901: `~1` before `~0`)."""
    return token.replace("~1", "/").replace("~0", "~")


MAX_REMOTE_BYTES = 64 * 1024 * 1024


def fetch_spec(url: str, timeout: float = 30.0) -> tuple[str, Any]:
    """Download and parse a referenced document (only with --allow-remote-refs)."""
    import urllib.request  # here: runs that fetch nothing do not pay for importing http, ssl and email

    try:
        with urllib.request.urlopen(
            url, timeout=timeout
        ) as response:  # noqa: S310 - http(s) only, checked by the caller
            raw = response.read(MAX_REMOTE_BYTES + 1)
    except (OSError, ValueError) as exc:
        raise RefError(f"cannot download '{url}': {exc}", "ref-remote") from None
    if len(raw) > MAX_REMOTE_BYTES:
        raise RefError(f"'{url}' is larger than {MAX_REMOTE_BYTES // (1024 * 1024)} MB", "ref-remote")
    try:
        text, tree, _ = parse_spec_bytes(raw, url, urlsplit(url).path)
        return text, tree
    except SpecError as exc:
        raise RefError(exc.diagnostics[0].message, "ref-remote") from None


def read_spec_file(path: Path, found: list[Diagnostic] | None = None) -> tuple[str, Any, Any]:
    """Read and parse one YAML or JSON file; raise SpecError naming the file and the line. Warnings (keys met
    twice) go to `found`."""
    file = str(path)
    try:
        if not stat.S_ISREG(path.stat().st_mode):  # a FIFO would block, /dev/zero never end
            message = "the spec is not a regular file (a pipe, a device or a folder): save it to a file first"
            raise SpecError([Diagnostic("error", "file-unreadable", message, file)])
        raw = path.read_bytes()
    except OSError as exc:
        raise SpecError([Diagnostic("error", "file-unreadable", f"cannot read the spec: {exc.strerror}", file)])
    return parse_spec_bytes(raw, file, path.name, found)


#: byte order marks of the encodings besides UTF-8 that YAML allows (longest first: UTF-32's begin as UTF-16's)
_BOMS = (
    (b"\x00\x00\xfe\xff", "utf-32"),
    (b"\xff\xfe\x00\x00", "utf-32"),
    (b"\xfe\xff", "utf-16"),
    (b"\xff\xfe", "utf-16"),
)
#: a \u escape of a surrogate in JSON or YAML text: a pair is one character, a lone one no character at all
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}|\\U0000[dD][89a-fA-F][0-9a-fA-F]{2}")


def _decoded(raw: bytes, file: str) -> str:
    """The text of a spec: UTF-8 (with or without a BOM), or UTF-16 or UTF-32 with a BOM."""
    encoding = next((name for bom, name in _BOMS if raw.startswith(bom)), None)
    if encoding is not None:
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError as exc:
            message = f"the file is not {encoding.upper()} text, as its byte order mark says: {exc.reason}"
            raise SpecError([Diagnostic("error", "file-encoding", message, file)]) from None
    if b"\x00" in raw[:8192]:
        message = "the file is binary, not YAML or JSON (text in UTF-16 or UTF-32 needs a byte order mark)"
        raise SpecError([Diagnostic("error", "file-binary", message, file)])
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        bad_line = raw.count(b"\n", 0, exc.start) + 1
        message = f"the file is not UTF-8 text: {exc.reason} (byte {exc.start})"
        raise SpecError([Diagnostic("error", "file-encoding", message, file, "", bad_line)]) from None


def _mapping(twice: list[tuple[Any, Any, int | None, int | None]], pairs: list[tuple[Any, Any]]) -> dict[Any, Any]:
    """A JSON object, as json makes it (the last of a key's values wins), noting each key met twice."""
    mapping = dict(pairs)
    if len(mapping) != len(pairs):
        seen: set[Any] = set()
        for key, _ in pairs:
            if key in seen:
                twice.append((mapping, key, None, None))
            seen.add(key)
    return mapping


def _duplicate_keys(
    twice: list[tuple[Any, Any, int | None, int | None]], tree: Any, text: str, file: str
) -> list[Diagnostic]:
    """A warning per key met twice in one mapping: the spec means one of them, and only the last is kept."""
    pointers = _pointers_of({id(mapping) for mapping, *_ in twice if mapping is not None}, tree)
    found: list[Diagnostic] = []
    lines = JsonLines(text) if text.lstrip()[:1] in "{[" else None
    for mapping, key, first, last in twice:
        pointer = pointers.get(id(mapping), "") if mapping is not None else ""
        member = f"{pointer}/{escape_pointer_token(str(key))}"
        if lines is not None and first is None:
            first = lines.line(member)
            last = _next_occurrence(text, str(key), first) if first else None
        where = f" (first on line {first})" if first else ""
        if first and last:
            where = f" (both on line {first})" if first == last else f" (lines {first} and {last})"
        message = f"key {str(key)!r} appears twice in one mapping{where}: only the last is kept, the other is lost"
        found.append(
            Diagnostic(
                "warning",
                "duplicate-key",
                message,
                file,
                member if pointer or mapping is not None else "",
                last or first,
            )
        )
    return found


def _next_occurrence(text: str, key: str, first: int) -> int | None:
    """The line of the second `"key":` of a JSON object whose first is on line `first`: the next one indented as
    the first, or on the same line (the text as people write it; None when it is laid out otherwise)."""
    line_start = 0
    for _ in range(first - 1):
        line_start = text.index("\n", line_start) + 1
    quoted = re.escape(json.dumps(key))
    found = re.compile(rf"{quoted}\s*:").search(text, line_start)
    if found is None:
        return None
    again = re.compile(rf"{quoted}\s*:").search(text, found.end())
    line_end = text.find("\n", line_start)
    if again is not None and (line_end == -1 or again.start() < line_end):
        return first  # both on the first's line
    indent = text[line_start : found.start()]
    if indent.strip():
        return None
    below = re.compile(rf"^{re.escape(indent)}{quoted}\s*:", re.MULTILINE).search(text, line_end + 1)
    return text.count("\n", 0, below.start()) + 1 if below is not None else None


def _pointers_of(wanted: set[int], tree: Any) -> dict[int, str]:
    """The pointers of the mappings whose ids are `wanted`."""
    found: dict[int, str] = {}
    pending = [(tree, "")]
    while pending and len(found) < len(wanted):
        node, pointer = pending.pop()
        if isinstance(node, dict):
            if id(node) in wanted:
                found[id(node)] = pointer
            pending.extend((child, f"{pointer}/{escape_pointer_token(str(key))}") for key, child in node.items())
        elif isinstance(node, list):
            pending.extend((child, f"{pointer}/{index}") for index, child in enumerate(node))
    return found


def _check_surrogates(text: str, tree: Any, file: str) -> None:
    """Refuse a string holding a lone surrogate (`"\\ud800"`): no UTF-8 text can carry it, so the client would
    fail on the first request that sends it. Only a text with a surrogate escape is walked."""
    if _SURROGATE_ESCAPE.search(text) is None:
        return
    found = _lone_surrogate(tree, "")
    if found is not None:
        pointer, value = found
        shown = value.encode("ascii", "backslashreplace").decode("ascii")[:80]
        message = f"a string holds a lone surrogate, which is no character ({shown!r}): fix the escape"
        line = JsonLines(text).line(pointer) if isinstance(tree, (dict, list)) and text.lstrip()[:1] in "{[" else None
        raise SpecError([Diagnostic("error", "invalid-unicode", message, file, pointer, line)])


def _lone_surrogate(node: Any, pointer: str) -> tuple[str, str] | None:
    pending = [(node, pointer)]
    while pending:
        value, where = pending.pop()
        if isinstance(value, str):
            try:
                value.encode("utf-8")
            except UnicodeEncodeError:
                return where, value
        elif isinstance(value, dict):
            for key, child in value.items():
                token = escape_pointer_token(str(key))
                if isinstance(key, str) and _lone_surrogate(key, "") is not None:
                    return f"{where}/{token}", key
                pending.append((child, f"{where}/{token}"))
        elif isinstance(value, list):
            pending.extend((child, f"{where}/{index}") for index, child in enumerate(value))
    return None


def parse_spec_bytes(raw: bytes, file: str, name: str, found: list[Diagnostic] | None = None) -> tuple[str, Any, Any]:
    """Parse YAML or JSON bytes (JSON by the `.json` suffix of `name` or a leading brace): the text, the tree,
    and for YAML up to KEEP_NODES_BELOW characters the composed nodes (where each value starts)."""
    suffix = Path(name).suffix.lower()
    text = _decoded(raw, file)
    if not text.strip():
        raise SpecError([Diagnostic("error", "file-empty", "the file is empty", file)])
    if suffix == ".json" or text.lstrip().startswith("{"):
        try:
            twice: list[tuple[Any, Any, int | None, int | None]] = []
            tree = json.loads(text, object_pairs_hook=functools.partial(_mapping, twice))
            _check_surrogates(text, tree, file)
            if twice and found is not None:
                found += _duplicate_keys(twice, tree, text, file)
            return text, tree, None
        except RecursionError:
            raise SpecError([_too_deep_json(text, file)]) from None
        except json.JSONDecodeError as exc:
            if suffix == ".json":
                message = f"invalid JSON: {exc.msg} (column {exc.colno})"
                raise SpecError([Diagnostic("error", "syntax", message, file, "", exc.lineno)])
    try:
        anchors = _may_hold_anchor(text)  # perhaps: a text without, has no node twice (aliases need them)
        loader = SafeLoader(text)
        try:
            node = loader.get_single_node()
            tree = None
            if node is not None:
                try:
                    if anchors:
                        raise _NotPlain
                    tree = loader.construct_plain(node)
                except _NotPlain:
                    tree = loader.construct_document(node)
            if found is not None and getattr(loader, "duplicates", None):
                found += _duplicate_keys(loader.duplicates, tree, text, file)
        finally:
            loader.dispose()
        if anchors:  # refuse a tree that expands beyond reason
            _check_expansion(tree, text, file)
        _check_surrogates(text, tree, file)
        return text, tree, node if len(text) < KEEP_NODES_BELOW else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        detail = exc.problem or exc.context or "syntax error"
        where = f" (column {mark.column + 1})" if mark is not None else ""
        raise SpecError([Diagnostic("error", "syntax", f"invalid YAML: {detail}{where}", file, "", line)])
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow (NUL, ESC, ...)
        at = text.count("\n", 0, exc.position) + 1
        character = chr(exc.character) if isinstance(exc.character, int) else exc.character  # PyYAML gives a number
        message = f"invalid YAML: character {character!r} is not allowed (position {exc.position})"
        raise SpecError([Diagnostic("error", "syntax", message, file, "", at)])
    except yaml.YAMLError as exc:
        detail = " ".join(str(exc).split())
        raise SpecError([Diagnostic("error", "syntax", f"invalid YAML: {detail}", file)])
    except RecursionError:
        raise SpecError([Diagnostic("error", "too-deep", "the document is nested too deeply to read", file)])


_AMPERSAND = re.compile(r"&[^\s\[\]{},]")


def _may_hold_anchor(text: str) -> bool:
    """Whether a YAML text may hold an anchor: `&` and an anchor character, at the start of the text, after white
    space or after what opens or separates flow collections and their keys. Text that only looks like one costs
    a walk, no more. (A regular expression asking for what comes before the `&` would try every position of the
    text; this looks only where there is a `&`.)"""
    return any(m.start() == 0 or text[m.start() - 1] in " \t\r\n[{,:" for m in _AMPERSAND.finditer(text))


#: YAML texts up to this size keep their parsed nodes for line lookups, which saves parsing them again when a
#: diagnostic needs a line; bigger ones parse again when asked (their nodes take several times the text's memory)
KEEP_NODES_BELOW = 2_000_000

#: the most nodes a YAML document may expand to through aliases: this, or ten times the nodes it holds
EXPANSION_FLOOR = 2_000_000
EXPANSION_FACTOR = 10


def _check_expansion(tree: Any, text: str, file: str) -> None:
    """Refuse YAML whose aliases multiply it (a "billion laughs"): every later step walks the expanded tree.

    An alias is the same Python object in several places; the walk counts each object once and its size (the
    nodes it expands to) from its children's, so the check costs one pass over what the file holds.
    """
    sizes: dict[int, int] = {}
    parents: dict[int, int] = {}
    stack: list[tuple[Any, bool]] = [(tree, False)]
    while stack:
        node, children_done = stack.pop()
        key = id(node)
        values = node.values() if isinstance(node, dict) else node
        if children_done:
            sizes[key] = 1 + sum(sizes.get(id(v), 1) for v in values)
            continue
        if key in sizes:
            continue
        sizes[key] = 1  # provisional: a cycle through aliases counts once
        stack.append((node, True))
        for value in values:
            if isinstance(value, (dict, list)):
                parents[id(value)] = parents.get(id(value), 0) + 1
                if id(value) not in sizes:
                    stack.append((value, False))
    total = sizes.get(id(tree), 1)
    limit = max(EXPANSION_FLOOR, EXPANSION_FACTOR * len(sizes))
    if total <= limit:
        return
    # name the outermost shared (aliased) node on the way down the biggest branch
    pointer, node = "", tree
    while isinstance(node, (dict, list)) and parents.get(id(node), 0) < 2:
        items = list(node.items()) if isinstance(node, dict) else list(enumerate(node))
        items = [(k, v) for k, v in items if isinstance(v, (dict, list))]
        if not items:
            break
        token, node = max(items, key=lambda item: sizes.get(id(item[1]), 1))
        pointer += "/" + escape_pointer_token(str(token))
    message = (
        f"YAML aliases expand this document to {total:,} nodes (more than {limit:,}); "
        "the value here is repeated through aliases nested inside each other"
    )
    raise SpecError([Diagnostic("error", "yaml-expansion", message, file, pointer, _line_map(text).get(pointer))])


#: how deep a "too deep" JSON document is said to be where the error points (libyaml stops YAML at this depth)
REPORTED_DEPTH = 512


def _too_deep_json(text: str, file: str) -> Diagnostic:
    """The error for JSON deeper than the parser's stack: where it passes REPORTED_DEPTH levels."""
    depth, cut = 0, len(text)
    for match in _JSON_TOKEN.finditer(text):  # only the text up to there is mapped: pointers grow with depth
        token = match.group()
        if token in ("{", "["):
            depth += 1
        elif token in ("}", "]"):
            depth -= 1
        if depth > REPORTED_DEPTH + 1:
            cut = match.end()
            break
    lines = _json_line_map(text[:cut])
    pointer = next((p for p in lines if p.count("/") > REPORTED_DEPTH), "")
    message = f"the document is nested too deeply to read (more than {REPORTED_DEPTH} levels from here on)"
    return Diagnostic("error", "too-deep", message, file, pointer, lines.get(pointer))


def load(path: Path | str, *, allow_remote_refs: bool = False) -> Document:
    path = Path(path).resolve()
    warnings: list[Diagnostic] = []
    text, tree, node = read_spec_file(path, warnings)
    original = None
    if is_swagger2(tree):
        try:
            original, tree = tree, upconvert(tree)
        except RecursionError:
            raise SpecError([Diagnostic("error", "too-deep", "the document is nested too deeply to read", str(path))])
    document = Document(path=path, root=tree, allow_remote_refs=allow_remote_refs, swagger2=original)
    document.warnings += warnings
    document.files[str(path)] = tree
    document._texts[str(path)] = text
    document._nodes[str(path)] = node
    return document


def load_text(text: str, name: str = "<spec>") -> Document:
    """A document from text in memory (tests); `$ref`s to other files resolve against the working folder."""
    tree = json.loads(text) if text.lstrip().startswith("{") else yaml.load(text, Loader=SafeLoader)
    path = Path(name).resolve()
    document = Document(path=path, root=tree)
    document.files[str(path)] = tree
    document._texts[str(path)] = text
    return document


def _line_map(text: str, root: Any = None) -> dict[str, int]:
    """Map each JSON pointer of a YAML or JSON text to its 1-based line (from its YAML nodes, when given)."""
    lines: dict[str, int] = {}
    if not text:
        return lines
    if text.lstrip().startswith(("{", "[")):
        json_lines = _json_line_map(text)
        if json_lines:
            return json_lines
    try:
        root = root if root is not None else yaml.compose(text, Loader=SafeLoader)
    except (yaml.YAMLError, RecursionError):
        return lines
    if root is None:
        return lines
    stack: list[tuple[yaml.Node, str]] = [(root, "")]
    seen: set[int] = set()
    while stack:
        node, pointer = stack.pop()
        lines.setdefault(pointer, node.start_mark.line + 1)
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                token = escape_pointer_token(key.value) if isinstance(key, yaml.ScalarNode) else "?"
                child = f"{pointer}/{token}"
                lines.setdefault(child, key.start_mark.line + 1)
                stack.append((value, child))
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                stack.append((item, f"{pointer}/{index}"))
    return lines


def _node_line(root: yaml.Node, pointer: str) -> int:
    """The line of `pointer` in a YAML document's nodes, as `_line_map` has it (a member's line is its key's), or
    of its nearest existing parent."""
    node, line = root, root.start_mark.line + 1
    for token in pointer.split("/")[1:] if pointer else ():
        token = unescape_pointer_token(token)
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if (key.value if isinstance(key, yaml.ScalarNode) else "?") == token:
                    node, line = value, key.start_mark.line + 1
                    break
            else:
                return line
        elif isinstance(node, yaml.SequenceNode) and token.isdigit() and int(token) < len(node.value):
            node = node.value[int(token)]
            line = node.start_mark.line + 1
        else:
            return line
    return line


_JSON_SPACE = re.compile(r"[ \t\n\r]*")
_JSON_DECODER = json.JSONDecoder()


class JsonLines:
    """Lines of JSON pointers in a JSON text, found one pointer at a time: the values beside the path are skipped
    by the C decoder, and every member passed on the way is remembered, so a few diagnostics in a 10 MB spec cost
    less than one parse instead of a token-by-token map of the whole text (1.2 s on GitHub's spec)."""

    def __init__(self, text: str) -> None:
        self.text = text
        #: pointer -> (offset of its line: the member's key, or the item), offset where its value starts
        self.known: dict[str, tuple[int, int]] = {"": (self._space(0), self._space(0))}
        #: container pointer -> (offset, index) of the first member or item not yet passed
        self.resume: dict[str, tuple[int, int]] = {}

    def _space(self, index: int) -> int:
        match = _JSON_SPACE.match(self.text, index)
        assert match is not None  # the pattern matches the empty string
        return match.end()

    def line(self, pointer: str) -> int | None:
        """The 1-based line of `pointer` (a member's is its key's), or of its nearest existing parent; None when the
        text is not JSON after all (a YAML flow mapping): the caller maps it as YAML."""
        tokens = [unescape_pointer_token(token) for token in pointer.split("/")[1:]] if pointer else []
        depth = len(tokens)
        while "/".join(["", *map(escape_pointer_token, tokens[:depth])]) not in self.known and depth:
            depth -= 1
        current = "/".join(["", *map(escape_pointer_token, tokens[:depth])]) if depth else ""
        try:
            for token in tokens[depth:]:
                child = f"{current}/{escape_pointer_token(token)}"
                if not self._enter(current, child):
                    break
                current = child
        except (ValueError, IndexError):
            return None
        return self.text.count("\n", 0, self.known[current][0]) + 1

    def _enter(self, pointer: str, child: str) -> bool:
        """Find `child` among the members or items of the value at `pointer`, remembering those passed (and where
        the scan stopped: the next search in this container goes on from there)."""
        text, start = self.text, self.known[pointer][1]
        if text[start] not in "{[":
            return False
        closer = "}" if text[start] == "{" else "]"
        index, position = self.resume.get(pointer) or (self._space(start + 1), 0)
        while text[index] != closer:
            if closer == "}":
                if text[index] != '"':
                    raise ValueError("not a JSON key")
                key, after = _JSON_DECODER.raw_decode(text, index)
                colon = self._space(after)
                if text[colon] != ":":
                    raise ValueError("no colon after a JSON key")
                member, line_at = f"{pointer}/{escape_pointer_token(str(key))}", index
                value = self._space(colon + 1)
            else:
                member, line_at, value = f"{pointer}/{position}", index, index
            self.known.setdefault(member, (line_at, value))  # the first of duplicate keys, as the line map had it
            if member == child:  # not skipped: the next search here starts at it, and passes it cheaply then
                self.resume[pointer] = (line_at, position)
                return True
            position += 1
            _, end = _JSON_DECODER.raw_decode(text, value)
            index = self._space(end)
            if text[index] == ",":
                index = self._space(index + 1)
            elif text[index] != closer:
                raise ValueError("no comma between JSON values")
            self.resume[pointer] = (index, position)
        return False


_JSON_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[{}\[\],:]|[^\s{}\[\],:"]+|\s+')


def _json_line_map(text: str) -> dict[str, int]:
    """Pointers to lines for JSON, by scanning tokens (JSON escapes that YAML rejects are fine here)."""
    lines: dict[str, int] = {}
    line = 1
    # each open container: [pointer, is_object, next list index, pending key]
    stack: list[list[Any]] = []
    expect_key = False
    for match in _JSON_TOKEN.finditer(text):
        token = match.group()
        if token.isspace():
            line += token.count("\n")
            continue
        if token in ",:":
            if token == "," and stack and stack[-1][1]:
                expect_key = True
            continue
        if token in "]}":
            stack.pop()
            expect_key = False
            continue
        if stack and stack[-1][1] and expect_key:
            try:
                key = json.loads(token)
            except ValueError:
                return {}
            stack[-1][3] = f"{stack[-1][0]}/{escape_pointer_token(str(key))}"
            lines.setdefault(stack[-1][3], line)
            expect_key = False
            line += token.count("\n")
            continue
        if not stack:
            pointer = ""
        elif stack[-1][1]:
            pointer = stack[-1][3]
        else:
            pointer = f"{stack[-1][0]}/{stack[-1][2]}"
            stack[-1][2] += 1
        lines.setdefault(pointer, line)
        if token in "{[":
            stack.append([pointer, token == "{", 0, ""])
            expect_key = token == "{"
        line += token.count("\n")
    return lines
