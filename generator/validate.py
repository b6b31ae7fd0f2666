"""Validation: the spec against the official OpenAPI JSON Schema, plus our own checks, as a list of diagnostics.

Errors stop generation; warnings describe real-world quirks we can generate around (many published specs are
slightly invalid, so schema findings are warnings unless the model cannot be built).

The schema check runs the OpenAPI Initiative's JSON Schemas (the copies openapi-spec-validator ships) with
jsonschema-rs, fast enough that `generate` runs it on every spec (README, "Speed", has the figures against
openapi-spec-validator). `clientgen validate` (thorough=True) also runs openapi-spec-validator, whose extra semantic
checks (defaults against their schemas, and the like) are worth their cost when linting.
"""

from __future__ import annotations

import functools
import itertools
import json
import re
import importlib.util
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

from generator.diagnostics import Diagnostic
from generator.load import HTTP_METHODS, Document, Location, RefError, escape_pointer_token

_PATH_PARAM = re.compile(r"\{([^{}]+)\}")
_MAX_VALIDATOR_FINDINGS = 50
_PLACEHOLDER = re.compile(r"^\{([^{}]+)\}$")


def is_extension(key: Any) -> bool:
    """A specification extension (`x-...`): allowed in every object the OpenAPI spec marks extensible (Paths and
    Responses included), and never a path, a status or a method."""
    return isinstance(key, str) and key.startswith("x-")


@dataclass(frozen=True)
class PathKey:
    """A key of the Paths object as clientgen reads it: a path template, possibly followed by a query string
    (`/uploads?convert={convert}`: each `name={parameter}` a query parameter, other parts sent as written) and a
    fragment (`/files/{id}#remove_shared_link`: never sent; it only tells two operations apart)."""

    template: str
    #: (query parameter name, the placeholder naming its declaration)
    query: tuple[tuple[str, str], ...] = ()
    #: the parts of the query string that are no parameter, sent as written (`type=link`)
    fixed_query: str = ""
    fragment: str = ""

    @property
    def placeholders(self) -> list[str]:
        """The path parameters of the template, in order."""
        return _PATH_PARAM.findall(self.template)

    @property
    def path(self) -> str:
        """What the client sends: the template and the fixed part of the query."""
        return f"{self.template}?{self.fixed_query}" if self.fixed_query else self.template

    @property
    def quirks(self) -> bool:
        return bool(self.query or self.fixed_query or self.fragment)


def read_path_key(key: str) -> PathKey:
    before, _, fragment = key.partition("#")
    template, mark, query = before.partition("?")
    if not mark:
        return PathKey(template, fragment=fragment)
    parameters: list[tuple[str, str]] = []
    fixed: list[str] = []
    for part in query.split("&"):
        name, equals, value = part.partition("=")
        if not equals:  # `{flag}` alone: a parameter named after its placeholder
            name, value = name.strip("{}"), name
        placeholder = _PLACEHOLDER.match(value)
        if placeholder is not None and name:
            parameters.append((name, placeholder.group(1)))
        elif part:
            fixed.append(part)
    return PathKey(template, tuple(parameters), "&".join(fixed), fragment)


def validate(document: Document, *, structural: bool = True, thorough: bool = False) -> list[Diagnostic]:
    """Check the document: our own checks, then (unless `structural=False`) the OpenAPI JSON Schema, and with
    `thorough` openapi-spec-validator too. Schema findings are warnings; they run only when there are no errors."""
    diagnostics = _checked(document, structural, thorough)
    return list(document.warnings) + diagnostics  # what reading the files found (those $refs reached too)


def _checked(document: Document, structural: bool, thorough: bool) -> list[Diagnostic]:
    diagnostics = _check_top_level(document)
    if any(d.severity == "error" for d in diagnostics):
        return diagnostics
    diagnostics += _check_refs(document)
    diagnostics += _check_operations(document)
    if any(d.severity == "error" for d in diagnostics):
        return diagnostics
    if structural:
        diagnostics += _schema_findings(document)
    if thorough:
        diagnostics += _spec_validator(document)
    return diagnostics


def _at(
    document: Document, severity: str, code: str, message: str, pointer: str, file: str | None = None
) -> Diagnostic:
    return document.diagnostic(severity, code, message, Location(file or document.main, pointer))


def _check_top_level(document: Document) -> list[Diagnostic]:
    root = document.root
    if not isinstance(root, dict):
        kind = "empty" if root is None else f"a {type(root).__name__}"
        return [_at(document, "error", "not-a-mapping", f"the spec must be a mapping at the top level, not {kind}", "")]
    found: list[Diagnostic] = []
    if "swagger" in root:
        found.append(
            _at(
                document,
                "error",
                "unsupported-version",
                f"unsupported Swagger version {root.get('swagger')!r}; clientgen reads Swagger 2.0 and OpenAPI 3.0/3.1",
                "/swagger",
            )
        )
        return found
    version = root.get("openapi")
    if version is None:
        found.append(
            _at(document, "error", "missing-openapi", "the 'openapi' field is missing (expected 3.0.x or 3.1.x)", "")
        )
    elif not isinstance(version, str) or not re.match(r"^3\.[01]\.\d+", version):
        found.append(
            _at(
                document,
                "error",
                "unsupported-version",
                f"unsupported OpenAPI version {version!r}; clientgen reads 3.0.x and 3.1.x",
                "/openapi",
            )
        )
    info = root.get("info")
    if not isinstance(info, dict):
        found.append(
            _at(document, "error", "missing-info", "the 'info' object is missing", "/info" if "info" in root else "")
        )
    else:
        for key in ("title", "version"):
            if not isinstance(info.get(key), (str, int, float)):
                found.append(_at(document, "error", "missing-info", f"'info.{key}' is missing", "/info"))
    paths = root.get("paths")
    if paths is None and not (
        isinstance(version, str) and version.startswith("3.1") and ("webhooks" in root or "components" in root)
    ):
        found.append(_at(document, "error", "missing-paths", "the 'paths' object is missing", ""))
    elif paths is not None and not isinstance(paths, dict):
        found.append(_at(document, "error", "invalid-paths", "'paths' must be a mapping", "/paths"))
    return found


def walk_refs(tree: Any) -> Iterator[tuple[Any, str]]:
    """Every `$ref` string in a tree, with the trail of the object holding it: (key, the parent's trail), None at
    the root, made a JSON pointer by `trail_pointer` only when one is needed. Iterative: no recursion limit."""
    stack: list[tuple[Any, Any]] = [(tree, None)]
    seen: set[int] = set()
    while stack:
        node, here = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str):
                yield here, ref
            for key, value in node.items():
                if isinstance(value, (dict, list)):
                    stack.append((value, (key, here)))
        else:
            for index, value in enumerate(node):
                if isinstance(value, (dict, list)):
                    stack.append((value, (index, here)))


def trail_pointer(trail: Any) -> str:
    tokens: list[str] = []
    while trail is not None:
        key, trail = trail
        tokens.append(escape_pointer_token(key))
    return "".join(f"/{token}" for token in reversed(tokens))


def ref_strings(tree: Any) -> list[str] | None:
    """The distinct `$ref` strings of a tree, in the order met; None when it nests too deeply (or, through YAML
    aliases, in a cycle) for this quick recursive walk, which skips the pointers and the bookkeeping of
    `walk_refs` (a third of its time)."""
    found: dict[str, None] = {}

    def visit(node: Any) -> None:
        if type(node) is dict:
            ref = node.get("$ref")
            if type(ref) is str:
                found[ref] = None
            for value in node.values():
                if type(value) is dict or type(value) is list:
                    visit(value)
        else:
            for value in node:
                if type(value) is dict or type(value) is list:
                    visit(value)

    try:
        visit(tree)
    except RecursionError:
        return None
    finally:
        del visit  # it refers to itself: a cycle only the collector would free
    return list(found)


def _check_refs(document: Document) -> list[Diagnostic]:
    """Every `$ref` of every file reached resolves. Each distinct one is resolved once; the slow walk that knows
    where each sits runs only for a file where one fails, to say where."""
    found: list[Diagnostic] = []
    pending = [document.main]
    visited: set[str] = set()
    while pending:
        file = pending.pop()
        if file in visited:
            continue
        visited.add(file)
        tree = document.files[file]
        if not isinstance(tree, (dict, list)):
            continue
        refs = ref_strings(tree)
        if refs is not None:
            try:
                for ref in refs:
                    location, _ = document.resolve(ref, file)
                    if location.file not in visited:
                        pending.append(location.file)
                continue
            except RefError:
                pass
        for trail, ref in walk_refs(tree):
            try:
                location, _ = document.resolve(ref, file)
            except RefError as exc:
                pointer = trail_pointer(trail) + "/$ref"
                found.append(_at(document, "error", exc.code, f"cannot resolve $ref '{ref}': {exc}", pointer, file))
                continue
            if location.file not in visited:
                pending.append(location.file)
    return found


def _check_operations(document: Document) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    paths = document.root.get("paths") or {}
    seen_ids: dict[str, str] = {}
    for path, item in paths.items():
        if is_extension(path):
            continue
        item_pointer = f"/paths/{escape_pointer_token(path)}"
        if not isinstance(item, dict):
            found.append(
                _at(document, "error", "invalid-path-item", f"path item '{path}' must be a mapping", item_pointer)
            )
            continue
        if not str(path).startswith("/"):
            found.append(
                _at(document, "warning", "path-without-slash", f"path '{path}' does not start with '/'", item_pointer)
            )
        key = read_path_key(str(path))
        if key.query or key.fixed_query:
            message = (
                f"path '{path}' carries a query string: it is sent as query parameters (a string each where"
                " 'parameters' does not declare it)"
            )
            found.append(_at(document, "warning", "path-query-string", message, item_pointer))
        if key.fragment:
            message = f"path '{path}' has a fragment ('#{key.fragment}'), which is never sent; the path is '{key.path}'"
            found.append(_at(document, "warning", "path-fragment", message, item_pointer))
        item, item_file = _deref(document, item, document.main)
        if not isinstance(item, dict):
            continue
        shared = _param_names(document, item.get("parameters"), "path", item_file)
        for method in HTTP_METHODS:
            operation = item.get(method)
            if operation is None:
                continue
            pointer = f"{item_pointer}/{method}"
            if not isinstance(operation, dict):
                found.append(_at(document, "error", "invalid-operation", "an operation must be a mapping", pointer))
                continue
            operation_id = operation.get("operationId")
            if isinstance(operation_id, str):
                if operation_id in seen_ids:
                    found.append(
                        _at(
                            document,
                            "error",
                            "duplicate-operation-id",
                            f"operationId '{operation_id}' is also used at #{seen_ids[operation_id]}; operationIds must be unique",
                            pointer + "/operationId",
                        )
                    )
                else:
                    seen_ids[operation_id] = pointer
            declared = shared | _param_names(document, operation.get("parameters"), "path", item_file)
            for name in key.placeholders:
                if name not in declared:
                    message = (
                        f"path parameter '{name}' of '{path}' is not declared in 'parameters' of {method.upper()}"
                        " with `in: path`; it is a required argument (of the type a declaration of that name"
                        " elsewhere gives it, else a string)"
                    )
                    found.append(_at(document, "warning", "undeclared-path-parameter", message, pointer))
    return found


def _deref(document: Document, node: Any, file: str) -> tuple[Any, str]:
    """The node a chain of `$ref`s names, and the file holding it."""
    for _ in range(32):
        if not (isinstance(node, dict) and isinstance(node.get("$ref"), str)):
            return node, file
        try:
            location, node = document.resolve(node["$ref"], file)
        except RefError:
            return {}, file
        file = location.file
    return {}, file


def _param_names(document: Document, parameters: Any, location: str, file: str) -> set[str]:
    names: set[str] = set()
    if isinstance(parameters, list):
        for parameter in parameters:
            parameter, _ = _deref(document, parameter, file)
            if (
                isinstance(parameter, dict)
                and parameter.get("in") == location
                and isinstance(parameter.get("name"), str)
            ):
                names.add(parameter["name"])
    return names


@functools.cache
def _oas_validator(version: str) -> Any:
    """A compiled validator for one OpenAPI version ("2.0", "3.0", "3.1"), from openapi-spec-validator's copies."""
    # found, not imported: importing openapi-spec-validator costs more than the whole check
    spec = importlib.util.find_spec("openapi_spec_validator")
    locations = spec.submodule_search_locations if spec is not None else None
    if not locations:  # pragma: no cover - a declared dependency
        raise RuntimeError("openapi-spec-validator is not installed")
    schema_file = Path(list(locations)[0]) / "resources" / "schemas" / f"v{version}" / "schema.json"
    schema = json.loads(schema_file.read_text(encoding="utf-8"))
    import jsonschema_rs  # here: the formatting worker, forked before validation, holds no copy of it

    return jsonschema_rs.validator_for(schema)


def _schema_findings(document: Document) -> list[Diagnostic]:
    """The spec as written against the OpenAPI Initiative's JSON Schema of its version."""
    tree: Any = document.root
    version = "3.1" if str(tree.get("openapi", "")).startswith("3.1") else "3.0"
    if document.swagger2 is not None:  # check the document as written, against the 2.0 rules
        tree, version = document.swagger2, "2.0"
    validator = _oas_validator(version)
    try:
        errors = list(itertools.islice(validator.iter_errors(tree), _MAX_VALIDATOR_FINDINGS))
    except ValueError:  # keys that are not strings (YAML `200:` responses): JSON's view of them is what counts
        try:
            tree = json.loads(json.dumps(tree, default=str))
        except (TypeError, ValueError, RecursionError):
            message = "the OpenAPI schema check could not read the spec (keys that are not strings)"
            return [_at(document, "warning", "spec-validator-failed", message, "")]
        errors = list(itertools.islice(validator.iter_errors(tree), _MAX_VALIDATOR_FINDINGS))
    found: list[Diagnostic] = []
    for error in errors:
        leaf = _innermost(error)
        pointer = "".join(f"/{escape_pointer_token(str(p))}" for p in leaf.instance_path)
        diagnostic = _at(document, "warning", "spec-invalid", f"OpenAPI schema: {_short(leaf.message)}", pointer)
        if diagnostic not in found:
            found.append(diagnostic)
    return found


def _innermost(error: Any) -> Any:
    """The most specific reason under a oneOf/anyOf failure: the deepest one, not "$ref is required"."""
    best, best_score = error, (len(error.instance_path), 0)
    stack = [(error, 0)]
    while stack:
        current, level = stack.pop()
        for branch in getattr(current.kind, "context", None) or ():
            for inner in branch:
                if inner.message.startswith('"$ref" is a required property'):
                    continue
                stack.append((inner, level + 1))
                score = (len(inner.instance_path), level + 1)
                if score > best_score:
                    best, best_score = inner, score
    return best


_VERB = re.compile(r"[}\]\"] (is|has|does|should|are|must) ")


def _short(message: str) -> str:
    """A validator message without the whole offending value in front of it."""
    message = message.splitlines()[0] if message else message
    if len(message) > 120 and message[:1] in "{[":
        verbs = list(_VERB.finditer(message))
        if verbs:
            message = "the value " + message[verbs[-1].start() + 2 :]
    return message if len(message) <= 300 else message[:297] + "..."


def _spec_validator(document: Document) -> list[Diagnostic]:
    try:
        from openapi_spec_validator import OpenAPIV2SpecValidator, OpenAPIV30SpecValidator, OpenAPIV31SpecValidator
    except ImportError:  # pragma: no cover - a declared dependency
        return []
    version = str(document.root.get("openapi", ""))
    validator_class: Any = OpenAPIV31SpecValidator if version.startswith("3.1") else OpenAPIV30SpecValidator
    tree = document.root
    if document.swagger2 is not None:  # check the document as written, against the 2.0 rules
        validator_class, tree = OpenAPIV2SpecValidator, document.swagger2
    found: list[Diagnostic] = []
    try:
        validator = validator_class(tree, base_uri=document.path.as_uri())
        for error in validator.iter_errors():
            path = getattr(error, "absolute_path", None) or getattr(error, "path", None) or ()
            pointer = "".join(f"/{escape_pointer_token(str(p))}" for p in path)
            message = str(getattr(error, "message", error)).splitlines()[0]
            if len(message) > 300:
                message = message[:297] + "..."
            found.append(_at(document, "warning", "spec-invalid", f"openapi-spec-validator: {message}", pointer))
            if len(found) >= _MAX_VALIDATOR_FINDINGS:
                break
    except RecursionError:
        found.append(
            _at(
                document,
                "warning",
                "spec-validator-failed",
                "openapi-spec-validator gave up: the spec is nested too deeply",
                "",
            )
        )
    except Exception as exc:  # the validator raises many kinds of errors on odd specs
        found.append(
            _at(
                document,
                "warning",
                "spec-validator-failed",
                f"openapi-spec-validator could not check the spec: {type(exc).__name__}",
                "",
            )
        )
    return found
