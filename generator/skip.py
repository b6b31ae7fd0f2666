"""`skip-invalid`: a spec with a few broken operations or schemas still gives a client of the rest.

Pure: takes the loaded document and the validation's findings, returns the document without the operations and
component schemas the errors sit in, a warning for each one dropped, and what was dropped (the generated README
lists it). An error anywhere else (the document as a whole: its version, `info`, `servers`, a shared component
other than a schema, another file) still stops generation.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from generator.diagnostics import Diagnostic, SpecError
from generator.load import Document, unescape_pointer_token
from generator.load import HTTP_METHODS


@dataclass(frozen=True)
class Skipped:
    """An operation (`GET /pets`) or a component schema (`schema Pet`) left out, and the first error in it (its
    code and pointer: the message may name files by their absolute paths, which the README must not hold)."""

    what: str
    code: str
    pointer: str

    def __str__(self) -> str:
        return f"{self.what} ({self.code} at #{self.pointer})"


def skip_invalid(
    document: Document, diagnostics: list[Diagnostic]
) -> tuple[Document, list[Diagnostic], tuple[Skipped, ...]]:
    """The document without what the errors are in, the findings with each error replaced by a warning that says
    what was left out, and the list of what was. Raises SpecError when an error is in no operation or schema."""
    operations: dict[tuple[str, str | None], Diagnostic] = {}
    schemas: dict[str, Diagnostic] = {}
    for diagnostic in diagnostics:
        if diagnostic.severity != "error":
            continue
        owner = _owner(document, diagnostic)
        if owner is None:
            raise SpecError(diagnostics)
        kind, key = owner
        if kind == "schema":
            schemas.setdefault(str(key[0]), diagnostic)
        else:
            operations.setdefault((str(key[0]), key[1]), diagnostic)
    if not operations and not schemas:
        return document, diagnostics, ()
    root = dict(document.root)
    paths = dict(root.get("paths") or {})
    skipped: list[Skipped] = []
    warnings: list[Diagnostic] = []
    for (path, method), error in operations.items():
        item = paths.get(path)
        if method is None or not isinstance(item, dict):
            paths.pop(path, None)
            what = f"every operation of {path}"
        else:
            paths[path] = {k: v for k, v in item.items() if k != method}
            what = f"{method.upper()} {path}"
        skipped.append(Skipped(what, error.code, error.pointer))
        warnings.append(
            replace(
                error,
                severity="warning",
                code="skipped-operation",
                message=f"{what} is not generated (skip-invalid): {error.message}",
            )
        )
    if schemas:
        components = dict(root.get("components") or {})
        kept = dict(components.get("schemas") or {})
        for name, error in schemas.items():
            kept.pop(name, None)
            skipped.append(Skipped(f"schema {name}", error.code, error.pointer))
            message = (
                f"schema '{name}' is not generated (skip-invalid; references to it are typed as Any): {error.message}"
            )
            warnings.append(replace(error, severity="warning", code="skipped-schema", message=message))
        components["schemas"] = kept
        root["components"] = components
    root["paths"] = paths
    pruned = replace(document, root=root, files={**document.files, document.main: root}, _resolved={})
    findings = [d for d in diagnostics if d.severity != "error"] + warnings
    return pruned, findings, tuple(skipped)


def _owner(document: Document, diagnostic: Diagnostic) -> tuple[str, tuple[Any, ...]] | None:
    """("operation", (path, method or None)) or ("schema", (name,)) that a finding's pointer lies in."""
    if diagnostic.file != document.main or not diagnostic.pointer.startswith("/"):
        return None
    tokens = [unescape_pointer_token(t) for t in diagnostic.pointer.split("/")[1:]]
    if len(tokens) >= 2 and tokens[0] == "paths":
        method = tokens[2] if len(tokens) >= 3 and tokens[2] in HTTP_METHODS else None
        if method is None and len(tokens) > 2:  # in the path item's shared parts: every operation of it
            return "operation", (tokens[1], None)
        return "operation", (tokens[1], method)
    if len(tokens) >= 3 and tokens[:2] == ["components", "schemas"]:
        return "schema", (tokens[2],)
    return None
