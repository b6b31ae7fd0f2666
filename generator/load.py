"""Loading: spec files into a `Document`, with `$ref` resolution and lazy line lookup.

Only this module (and `write`) touches the file system. YAML is read with the safe loader (libyaml's when
available), JSON with the JSON parser. Line numbers are found only when a diagnostic asks for one, so the
common path pays nothing for them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import yaml

from generator.diagnostics import Diagnostic, SpecError

SafeLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # type: ignore[assignment]


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
    files: dict[str, Any] = field(default_factory=dict)
    _texts: dict[str, str] = field(default_factory=dict, repr=False)
    _lines: dict[str, dict[str, int]] = field(default_factory=dict, repr=False)

    @property
    def main(self) -> str:
        return str(self.path)

    # -- references -------------------------------------------------------------------------------

    def resolve(self, ref: str, base: str) -> tuple[Location, Any]:
        """Resolve a `$ref` string relative to the file `base`; raise RefError when it cannot be."""
        if not isinstance(ref, str):
            raise RefError(f"$ref must be a string, not {type(ref).__name__}")
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
        scheme = urlsplit(target).scheme
        if scheme in ("http", "https"):
            raise RefError(
                f"remote $ref '{target}' is not followed; download the file next to the spec"
                " or pass --allow-remote-refs",
                "ref-remote",
            )
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
            text, tree = read_spec_file(path)
            self.files[key] = tree
            self._texts[key] = text
        return key

    def node(self, location: Location) -> Any:
        current = self.files[location.file]
        if not location.pointer:
            return current
        for token in location.pointer[1:].split("/"):
            token = token.replace("~1", "/").replace("~0", "~")
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

    # -- lines --------------------------------------------------------------------------------------

    def line(self, file: str, pointer: str) -> int | None:
        """The 1-based line where the node at `pointer` starts, or of its nearest existing parent."""
        lines = self._lines.get(file)
        if lines is None:
            lines = self._lines[file] = _line_map(self._texts.get(file, ""))
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


def read_spec_file(path: Path) -> tuple[str, Any]:
    """Read and parse one YAML or JSON file; raise SpecError naming the file and the line."""
    file = str(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise SpecError([Diagnostic("error", "file-unreadable", f"cannot read the spec: {exc.strerror}", file)])
    if b"\x00" in raw[:8192]:
        raise SpecError([Diagnostic("error", "file-binary", "the file is binary, not YAML or JSON", file)])
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SpecError([Diagnostic("error", "file-encoding", f"the file is not UTF-8 text: {exc.reason}", file)])
    if not text.strip():
        raise SpecError([Diagnostic("error", "file-empty", "the file is empty", file)])
    if path.suffix.lower() == ".json" or text.lstrip().startswith("{"):
        try:
            return text, json.loads(text)
        except json.JSONDecodeError as exc:
            if path.suffix.lower() == ".json":
                message = f"invalid JSON: {exc.msg} (column {exc.colno})"
                raise SpecError([Diagnostic("error", "syntax", message, file, "", exc.lineno)])
    try:
        return text, yaml.load(text, Loader=SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        detail = exc.problem or exc.context or "syntax error"
        where = f" (column {mark.column + 1})" if mark is not None else ""
        raise SpecError([Diagnostic("error", "syntax", f"invalid YAML: {detail}{where}", file, "", line)])
    except yaml.YAMLError as exc:
        raise SpecError([Diagnostic("error", "syntax", f"invalid YAML: {exc}", file)])
    except RecursionError:
        raise SpecError([Diagnostic("error", "too-deep", "the document is nested too deeply to read", file)])


def load(path: Path | str, *, allow_remote_refs: bool = False) -> Document:
    path = Path(path).resolve()
    text, tree = read_spec_file(path)
    document = Document(path=path, root=tree, allow_remote_refs=allow_remote_refs)
    document.files[str(path)] = tree
    document._texts[str(path)] = text
    return document


def load_text(text: str, name: str = "<spec>") -> Document:
    """A document from text in memory (tests); `$ref`s to other files resolve against the working folder."""
    tree = json.loads(text) if text.lstrip().startswith("{") else yaml.load(text, Loader=SafeLoader)
    path = Path(name).resolve()
    document = Document(path=path, root=tree)
    document.files[str(path)] = tree
    document._texts[str(path)] = text
    return document


def _line_map(text: str) -> dict[str, int]:
    """Map each JSON pointer of a YAML or JSON text to its 1-based line, by composing YAML nodes."""
    lines: dict[str, int] = {}
    if not text:
        return lines
    try:
        root = yaml.compose(text, Loader=SafeLoader)
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
