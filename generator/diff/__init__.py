"""Comparing two specs: what changes for the users of the generated client, with oasdiff's check ids.

Two views, never computed from rendered files. The wire view (`generator.diff.wire`) reads the two documents and
judges the contract as oasdiff does: parameters, request bodies, responses and their headers, every schema keyword
(bounds, lengths, patterns, enums, composition), security, deprecation and sunset dates, with requests and
responses apart (a new required field breaks a request, not a response). The generated-API view compares the
models: operations added, removed or moved, and what `render` lays out (resources, method names, keyword
arguments and their annotations, return annotations, model and attribute names), so that a rename the generator
itself causes is reported even when the wire stays the same.

Operations are matched by method and path template (parameter names aside), so an operationId change is a
rename, not a removal and an addition; parameters by location and wire name; schemas by name, and a schema
whose name changed but whose shape did not is a rename. Pure: `diff` returns a `Report`; the CLI prints it.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, fields, is_dataclass, replace
from pathlib import Path
from typing import Any, Callable, Iterator, Literal, Mapping, TypeVar

from generator.config import Config
from generator.diff.change import Bump, Change, Severity
from generator.diff.wire import Policy, Side, WireDiff
from generator.load import Document, unescape_pointer_token
from generator.pipeline import build_api, build_document, collector_paused
from generator.model import (
    AliasSchema,
    AnyType,
    Api,
    ArrayType,
    EnumSchema,
    Field,
    Group,
    LiteralType,
    MapType,
    Nullable,
    ObjectSchema,
    Operation,
    Parameter,
    Primitive,
    Ref,
    Schema,
    Server,
    Type,
    UnionType,
)
from generator.render import MethodView, annotation, method_view, oneline

#: What makes `clientgen diff` exit 1: any breaking change, any change at all, or nothing.
Threshold = Literal["breaking", "any", "none"]
__all__ = ["Bump", "Change", "Policy", "Report", "Severity", "Threshold", "Version", "diff", "load_version"]
_T = TypeVar("_T")
_PATH_PARAMETER = re.compile(r"\{[^{}]*\}")
_MODULE_PREFIX = re.compile(r"\b_(?:t|dt|decimal|uuid|types|models)\.")


@dataclass(frozen=True)
class Report:
    """The changes from OLD to NEW, grouped by location: groups with breaking changes first, breaking first."""

    changes: tuple[Change, ...]

    @property
    def breaking(self) -> tuple[Change, ...]:
        return tuple(c for c in self.changes if c.severity == "breaking")

    @property
    def bump(self) -> Bump:
        """The version bump the generated package needs: major if anything breaks, minor if anything was
        added, patch if only documentation or deprecations changed, none if nothing did."""
        if not self.changes:
            return "none"
        if self.breaking:
            return "major"
        return "minor" if any(c.bump == "minor" for c in self.changes) else "patch"

    def groups(self) -> list[tuple[str, list[Change]]]:
        grouped: dict[str, list[Change]] = {}
        for change in self.changes:
            grouped.setdefault(change.location, []).append(change)
        return list(grouped.items())


def fails(report: Report, threshold: Threshold) -> bool:
    """Whether the report reaches the `--fail-on` threshold (exit 1)."""
    if threshold == "any":
        return bool(report.changes)
    if threshold == "breaking":
        return bool(report.breaking)
    return False


def load_api(spec: Path, config: Config, *, strict: bool = False, allow_remote_refs: bool = False) -> Api:
    """The model of one spec, loaded, validated and built as `generate` does, without rendering (`strict`:
    warnings fail too)."""
    return build_api(spec, config, strict=strict, allow_remote_refs=allow_remote_refs)[0]


@dataclass(frozen=True)
class Version:
    """One version of a spec as `diff` compares it: its model and the document it was built from."""

    api: Api
    document: Document


def load_version(spec: Path, config: Config, *, strict: bool = False, allow_remote_refs: bool = False) -> Version:
    """`load_api`, keeping the document for the wire view."""
    api, document, _ = build_document(spec, config, strict=strict, allow_remote_refs=allow_remote_refs)
    return Version(api, document)


def policy_of(config: Config, *, stable: int | None = None, beta: int | None = None) -> Policy:
    """The deprecation policy: the command line's days, else the configuration's (`[diff]`)."""
    days = config.project.diff
    return Policy(
        deprecation_days_beta=days.deprecation_days_beta if beta is None else beta,
        deprecation_days_stable=days.deprecation_days_stable if stable is None else stable,
    )


def diff(old: Version, new: Version, policy: Policy | None = None) -> Report:
    """Every change from `old` to `new`, in both views; `policy` is the deprecation policy (oasdiff's days)."""
    with collector_paused():  # the models just built are millions of objects a collection would walk again
        return _diff(old, new, policy or Policy())


def _diff(old: Version, new: Version, policy: Policy) -> Report:
    renames = schema_renames(old.api, new.api)
    renamed = _renamed(old.api, renames)
    sides = _Sides.of(renamed, new.api)
    wire = WireDiff(Side(old.document, old.api), Side(new.document, new.api), policy)
    changes: list[Change] = []
    changes += _operations_changes(sides, wire)
    wire.security(None, None, "security")
    changes += wire.changes
    changes += _schemas_changes(renames, sides)
    changes += _webhook_changes(sides)
    changes += _server_changes(renamed.servers, new.api.servers)
    changes += _security_scheme_changes(renamed, new.api)
    changes += _client_header_changes(renamed, new.api)
    return Report(_ordered(changes))


# -- matching -------------------------------------------------------------------------------------------


def schema_renames(old: Api, new: Api) -> dict[str, str]:
    """Schemas of `old` that `new` has under another name with the same shape: old name -> new name.

    Inline schemas are named after their title or their place (operationId, property), so a new title or
    operationId renames the generated model without changing what travels on the wire.
    """
    old_schemas = {s.name: s for s in old.schemas}
    new_schemas = {s.name: s for s in new.schemas}
    added = [name for name in new_schemas if name not in old_schemas]
    renames: dict[str, str] = {}
    for name, schema in old_schemas.items():
        if name in new_schemas:
            continue
        # a schema defined at the same place is the likelier rename when several have its shape
        for candidate in sorted(added, key=lambda n: new_schemas[n].pointer != schema.pointer):
            if candidate not in renames.values() and _same_shape(
                Ref(name), Ref(candidate), old_schemas, new_schemas, set()
            ):
                renames[name] = candidate
                break
    return renames


def _same_shape(
    old: Type, new: Type, old_schemas: Mapping[str, Schema], new_schemas: Mapping[str, Schema], assumed: set[Any]
) -> bool:
    """Whether two types put the same thing on the wire, whatever the generated classes are called.

    References of the same name are the same (a change inside a schema is reported on the schema);
    references of different names are compared by shape: field names, required fields, types, enum values.
    """
    if isinstance(old, Ref) and isinstance(new, Ref):
        if old.name == new.name or (old.name, new.name) in assumed:
            return True
        a, b = old_schemas.get(old.name), new_schemas.get(new.name)
        if a is None or b is None:
            return False
        assumed.add((old.name, new.name))
        if _same_schema_shape(a, b, old_schemas, new_schemas, assumed):
            return True
        assumed.discard((old.name, new.name))
        return False
    if isinstance(old, ArrayType) and isinstance(new, ArrayType):
        return _same_shape(old.item, new.item, old_schemas, new_schemas, assumed)
    if isinstance(old, MapType) and isinstance(new, MapType):
        return _same_shape(old.value, new.value, old_schemas, new_schemas, assumed)
    if isinstance(old, Nullable) and isinstance(new, Nullable):
        return _same_shape(old.inner, new.inner, old_schemas, new_schemas, assumed)
    if isinstance(old, LiteralType) and isinstance(new, LiteralType):
        return set(old.values) == set(new.values)
    if isinstance(old, UnionType) and isinstance(new, UnionType):
        return len(old.variants) == len(new.variants) and all(
            any(_same_shape(v, w, old_schemas, new_schemas, set(assumed)) for w in new.variants) for v in old.variants
        )
    return old == new and isinstance(old, (Primitive, AnyType))


def _same_schema_shape(
    old: Schema, new: Schema, old_schemas: Mapping[str, Schema], new_schemas: Mapping[str, Schema], assumed: set[Any]
) -> bool:
    if isinstance(old, ObjectSchema) and isinstance(new, ObjectSchema):
        old_fields = {f.name: f for f in old.fields}
        new_fields = {f.name: f for f in new.fields}
        return old_fields.keys() == new_fields.keys() and all(
            f.required == new_fields[name].required
            and _same_shape(f.type, new_fields[name].type, old_schemas, new_schemas, assumed)
            for name, f in old_fields.items()
        )
    if isinstance(old, EnumSchema) and isinstance(new, EnumSchema):
        return old.kind == new.kind and {m.value for m in old.members} == {m.value for m in new.members}
    if isinstance(old, AliasSchema) and isinstance(new, AliasSchema):
        return _same_shape(old.type, new.type, old_schemas, new_schemas, assumed)
    return False


def _renamed(value: _T, renames: Mapping[str, str]) -> _T:
    """`value` (an `Api` or any part of one) with the renamed schemas, and every reference to them, renamed."""
    if not renames:
        return value
    if isinstance(value, Ref):
        return Ref(renames.get(value.name, value.name))  # type: ignore[return-value]
    if isinstance(value, tuple):
        return tuple(_renamed(item, renames) for item in value)  # type: ignore[return-value]
    if is_dataclass(value) and not isinstance(value, type):
        changed: dict[str, Any] = {f.name: _renamed(getattr(value, f.name), renames) for f in fields(value)}
        if isinstance(value, (ObjectSchema, EnumSchema, AliasSchema)):
            changed["name"] = renames.get(value.name, value.name)
        return replace(value, **changed)
    return value


def _operation_key(operation: Operation) -> tuple[str, str]:
    """Method and path template with its parameter names left out: `/users/{id}` is `/users/{user_id}`."""
    return operation.method, _PATH_PARAMETER.sub("{}", _written_path(operation))


def _written_path(operation: Operation) -> str:
    """The operation's key in `paths` as the spec writes it: some specs tell operations of one path apart by a
    fragment (`/shared_items#folders`), which the request path drops."""
    tokens = operation.pointer.split("/")
    if len(tokens) == 4 and tokens[1] == "paths":
        return unescape_pointer_token(tokens[2])
    return operation.path


def _operations(api: Api, exact: set[tuple[str, str]]) -> dict[tuple[str, str], tuple[Group, Operation]]:
    """Operations by the key they are paired on: method and path as written when the other side has the same
    (`exact`), else method and path template (`_operation_key`), whichever the spec's order meets first."""
    found: dict[tuple[str, str], tuple[Group, Operation]] = {}
    for group in api.groups:
        for operation in group.operations:
            written = (operation.method, _written_path(operation))
            key = written if written in exact else _operation_key(operation)
            found[key if key not in found else written] = (group, operation)
    return found


def _annotations_agree(before: str, after: str) -> bool:
    """Whether two annotations are the same type: equal, or with the members of their unions (`A | B`,
    `Union[A, B]`) and literals in another order, which type checkers and pydantic's tagged unions ignore."""
    return before == after or _canonical(before) == _canonical(after)


def _canonical(annotation: str) -> str:
    members = _split(annotation, " | ")
    if len(members) > 1:
        return " | ".join(sorted(_canonical(m) for m in members))
    if annotation.startswith("{") and annotation.endswith("}"):  # a mapping's entries (a discriminator's)
        return "{" + ", ".join(sorted(_split(annotation[1:-1], ", "))) + "}"
    for opening, closing in (("[", "]"), ("(", ")")):
        if annotation.endswith(closing) and opening in annotation:
            name, _, inner = annotation[:-1].partition(opening)
            arguments = [_canonical(a) for a in _split(inner, ", ")]
            if name.rsplit(".", 1)[-1] in ("Union", "Literal"):
                arguments.sort()
            return f"{name}{opening}{', '.join(arguments)}{closing}"
    return annotation


def _split(text: str, separator: str) -> list[str]:
    """`text` split at `separator` outside brackets and string literals."""
    parts, depth, quote, start, index = [], 0, "", 0, 0
    while index < len(text):
        character = text[index]
        if quote:
            if character == "\\":
                index += 1
            elif character == quote:
                quote = ""
        elif character in "\"'":
            quote = character
        elif character in "[({":
            depth += 1
        elif character in "])}":
            depth -= 1
        elif depth == 0 and text.startswith(separator, index):
            parts.append(text[start:index])
            index += len(separator)
            start = index
            continue
        index += 1
    return [*parts, text[start:]]


def _affected(old: Mapping[str, Schema], new: Mapping[str, Schema]) -> frozenset[str]:
    """Schemas that differ between the sides, and those that refer to them (whose annotations may change)."""
    changed = {name for name in old.keys() | new.keys() if old.get(name) != new.get(name)}
    referrers: dict[str, set[str]] = {}
    for name, schema in new.items():
        for type_ in _schema_types(schema):
            for target in _references(type_):
                referrers.setdefault(target, set()).add(name)
    pending = list(changed)
    while pending:
        for referrer in referrers.get(pending.pop(), ()):
            if referrer not in changed:
                changed.add(referrer)
                pending.append(referrer)
    return frozenset(changed)


def _schema_types(schema: Schema) -> Iterator[Type]:
    if isinstance(schema, ObjectSchema):
        yield from (f.type for f in schema.fields)
    elif isinstance(schema, AliasSchema):
        yield schema.type


def _operation_types(operation: Operation) -> Iterator[Type]:
    yield from (p.type for p in operation.parameters)
    if operation.body is not None:
        yield operation.body.type
        yield from (f.type for f in operation.body.fields or ())
    yield from (c.type for r in operation.responses for c in r.contents if c.type is not None)


def _references(type_: Type) -> Iterator[str]:
    if isinstance(type_, Ref):
        yield type_.name
    elif isinstance(type_, ArrayType):
        yield from _references(type_.item)
    elif isinstance(type_, MapType):
        yield from _references(type_.value)
    elif isinstance(type_, Nullable):
        yield from _references(type_.inner)
    elif isinstance(type_, UnionType):
        for variant in type_.variants:
            yield from _references(variant)


@dataclass(frozen=True)
class _Sides:
    """The two models compared (OLD with its renamed schemas already under their NEW names), indexed."""

    old: Api
    new: Api
    old_schemas: dict[str, Schema]
    new_schemas: dict[str, Schema]
    #: schemas whose generated code may differ: changed ones and those naming them
    affected: frozenset[str]

    @staticmethod
    def of(old: Api, new: Api) -> _Sides:
        old_schemas = {s.name: s for s in old.schemas}
        new_schemas = {s.name: s for s in new.schemas}
        return _Sides(old, new, old_schemas, new_schemas, _affected(old_schemas, new_schemas))

    def unchanged(self, old: Operation, new: Operation) -> bool:
        """Whether an operation's generated method cannot differ: the same model, naming no affected schema."""
        return old == new and not any(
            name in self.affected for type_ in _operation_types(new) for name in _references(type_)
        )

    def same(self, old: Type | None, new: Type | None) -> bool:
        """Whether the wire type is unchanged (the generated annotation may still differ)."""
        if old is None or new is None:
            return old is new
        return old == new or _same_shape(old, new, self.old_schemas, self.new_schemas, set())


# -- changes of a type the client reads ------------------------------------------------------------------


def _breaking(category: str, where: str, message: str, check: str = "") -> Change:
    return Change(category, "breaking", where, message, "major", check)


def _describe(type_: Type | None) -> str:
    """A type as a short annotation for messages (`List[Order] | None`), "no body" for none."""
    return "no body" if type_ is None else _readable(annotation(type_, "models"))


def _readable(text: str) -> str:
    """A generated annotation without the module prefixes of the generated code (`_models.`, `_t.`)."""
    return _MODULE_PREFIX.sub("", text)


def _payload_changes(old: Type | None, new: Type | None, subject: str, where: str, sides: _Sides) -> list[Change]:
    """What changed in a type the generated code parses (a webhook's delivery body): a value it may now carry
    that it did not (null, another variant) breaks the code reading it, one it no longer carries does not;
    named schemas are compared on their own."""
    if sides.same(old, new):
        return []
    if old is None or new is None:
        return [_breaking("type changed", where, f"{subject}: {_describe(old)} -> {_describe(new)}")]
    old_inner = old.inner if isinstance(old, Nullable) else old
    new_inner = new.inner if isinstance(new, Nullable) else new
    changes: list[Change] = []
    if isinstance(old, Nullable) != isinstance(new, Nullable):
        if isinstance(new, Nullable):
            message = f"{subject} became nullable: {_describe(old)} -> {_describe(new)}; it may now be null"
            changes.append(_breaking("type changed", where, message))
        else:
            message = f"{subject} is no longer nullable: {_describe(old)} -> {_describe(new)}"
            changes.append(Change("type changed", "compatible", where, message, "minor"))
        if sides.same(old_inner, new_inner):
            return changes
    if isinstance(old_inner, ArrayType) and isinstance(new_inner, ArrayType):
        return changes + _payload_changes(old_inner.item, new_inner.item, f"{subject} items", where, sides)
    if isinstance(old_inner, MapType) and isinstance(new_inner, MapType):
        return changes + _payload_changes(old_inner.value, new_inner.value, f"{subject} values", where, sides)
    if isinstance(old_inner, UnionType) or isinstance(new_inner, UnionType):
        old_variants = old_inner.variants if isinstance(old_inner, UnionType) else (old_inner,)
        new_variants = new_inner.variants if isinstance(new_inner, UnionType) else (new_inner,)
        lost = [v for v in old_variants if not any(sides.same(v, w) for w in new_variants)]
        gained = [w for w in new_variants if not any(sides.same(v, w) for v in old_variants)]
        if not lost or not gained:
            for variant in lost:
                message = f"{subject} is no longer {_describe(variant)}: {_describe(old)} -> {_describe(new)}"
                changes.append(Change("type changed", "compatible", where, message, "minor"))
            for variant in gained:
                message = f"{subject} may also be {_describe(variant)}: {_describe(old)} -> {_describe(new)}"
                changes.append(_breaking("type changed", where, message))
            return changes
    return changes + [_breaking("type changed", where, f"{subject}: {_describe(old)} -> {_describe(new)}")]


# -- operations ------------------------------------------------------------------------------------------


def _operation_location(operation: Operation) -> str:
    return f"{operation.method} {operation.path} ({operation.operation_id})"


def _method(group: Group, operation: Operation) -> str:
    return f"client.{group.attribute}.{operation.python_name}"


def _operations_changes(sides: _Sides, wire: WireDiff) -> list[Change]:
    exact = {(o.method, _written_path(o)) for o in sides.old.operations}
    exact &= {(o.method, _written_path(o)) for o in sides.new.operations}
    old = _operations(sides.old, exact)
    new = _operations(sides.new, exact)
    gone = [key for key in old if key not in new]
    added = [key for key in new if key not in old]
    moved: dict[tuple[str, str], tuple[str, str]] = {}  # new key -> old key: the path changed, not the operation
    for key in gone:
        operation = old[key][1]
        match = next(
            (
                k
                for k in added
                if k not in moved
                and new[k][1].method == operation.method
                and new[k][1].operation_id == operation.operation_id
            ),
            None,
        )
        if match is not None:
            moved[match] = key
    changes: list[Change] = []
    settings = {h.name for h in sides.old.client_headers} | {h.name for h in sides.new.client_headers}
    for key, (group, operation) in new.items():
        where = _operation_location(operation)
        if key in old or key in moved:
            old_group, old_operation = old[moved.get(key, key)]
            if key in moved:
                message = f"path {old_operation.path} is now {operation.path}: clients built before call the old one"
                changes.append(_breaking("path changed", where, message, "clientgen-path-changed"))
            changes += _operation_changes(old_group, old_operation, group, operation)
            if old_group.attribute != group.attribute or not sides.unchanged(old_operation, operation):
                changes += _method_changes(old_group, old_operation, group, operation, sides)
            managed = {h.lower() for h in old_operation.managed_headers + operation.managed_headers} | settings
            wire.operation(old_operation, operation, where, frozenset(managed))
            wire.security(old_operation, operation, where)
        else:
            message = f"new operation: {_method(group, operation)}"
            changes.append(Change("operation added", "compatible", where, message, "minor", "endpoint-added"))
    new_paths = {operation.path for _, operation in new.values()}
    for key in gone:
        if key not in moved.values():
            group, operation = old[key]
            wire.removal(
                operation,
                _operation_location(operation),
                operation.path not in new_paths,
                _method(group, operation),
            )
    return changes


def _operation_changes(old_group: Group, old: Operation, group: Group, new: Operation) -> list[Change]:
    """What the model shows of one operation besides its wire contract: names, status codes, documentation."""
    where = _operation_location(new)
    changes: list[Change] = []
    if old.operation_id != new.operation_id:
        message = f"operationId {old.operation_id!r} is now {new.operation_id!r}"
        if old.python_name != new.python_name:
            message += f": renames the method {_method(old_group, old)} to {_method(group, new)}"
            changes.append(_breaking("operationId changed", where, message, "api-operation-id-removed"))
        else:
            message += f"; the method keeps its name {new.python_name}"
            changes.append(
                Change("operationId changed", "compatible", where, message, "patch", "api-operation-id-removed")
            )
    if old_group.name != group.name:
        message = f"tag {old_group.name!r} is now {group.name!r}"
        if old_group.attribute != group.attribute:
            message += f": moves the method from client.{old_group.attribute} to client.{group.attribute}"
            changes.append(_breaking("tag changed", where, message, "api-tag-removed"))
        else:
            changes.append(Change("tag changed", "compatible", where, message, "patch", "api-tag-removed"))
    changes += _path_parameter_renames(old, new, where)
    changes += _response_changes(old, new, where)
    if old.summary != new.summary:
        if not new.summary:
            message = f"summary {old.summary!r} removed"
        elif not old.summary:
            message = f"summary {new.summary!r} added"
        else:
            message = f"summary {old.summary!r} is now {new.summary!r}"
        changes.append(
            Change("documentation changed", "compatible", where, message, "patch", "clientgen-documentation-changed")
        )
    if old.description != new.description:
        changes.append(
            Change(
                "documentation changed",
                "compatible",
                where,
                "description changed",
                "patch",
                "clientgen-documentation-changed",
            )
        )
    return changes


def _path_parameter_renames(old: Operation, new: Operation, where: str) -> list[Change]:
    """Path parameters paired by their place in the path template whose names changed."""
    changes: list[Change] = []
    old_names = [name[1:-1] for name in _PATH_PARAMETER.findall(old.path)]
    new_names = [name[1:-1] for name in _PATH_PARAMETER.findall(new.path)]
    old_parameters = {p.name: p for p in old.parameters if p.location == "path"}
    new_parameters = {p.name: p for p in new.parameters if p.location == "path"}
    for before_name, after_name in zip(old_names, new_names):
        before, after = old_parameters.get(before_name), new_parameters.get(after_name)
        if before is None or after is None or before_name == after_name:
            continue
        message = f"path parameter {before_name!r} is now {after_name!r}"
        if before.python_name != after.python_name:
            message += f": the argument {before.python_name}= is now {after.python_name}="
            changes.append(_breaking("parameter renamed", where, message, "clientgen-path-parameter-renamed"))
        else:
            changes.append(
                Change("parameter renamed", "compatible", where, message, "patch", "clientgen-path-parameter-renamed")
            )
    return changes


def _response_changes(old: Operation, new: Operation, where: str) -> list[Change]:
    changes: list[Change] = []
    old_by_status = {r.status: r for r in old.responses}
    new_by_status = {r.status: r for r in new.responses}
    for status, response in old_by_status.items():
        if status not in new_by_status:
            if response.success:
                message = f"success response {status} removed: clients built before expect it"
                changes.append(_breaking("response status removed", where, message, "response-success-status-removed"))
            else:
                message = f"response {status} removed from the documentation"
                changes.append(
                    Change(
                        "response status removed",
                        "compatible",
                        where,
                        message,
                        "patch",
                        "response-non-success-status-removed",
                    )
                )
            continue
        old_media = [c.media_type for c in response.contents]
        new_media = [c.media_type for c in new_by_status[status].contents]
        for media_type in old_media:
            if media_type not in new_media:
                message = f"response {status}: media type {media_type} removed"
                wider = next((m for m in new_media if m not in old_media and _covers(m, media_type)), None)
                if wider is not None and response.success:
                    message = f"response {status}: media type {media_type} is now {wider}"
                    changes.append(
                        _breaking("response media type changed", where, message, "response-media-type-name-generalized")
                    )
                elif response.success:
                    changes.append(
                        _breaking("response media type removed", where, message, "response-media-type-removed")
                    )
                else:
                    changes.append(
                        Change(
                            "response media type removed",
                            "compatible",
                            where,
                            message,
                            "patch",
                            "response-media-type-removed",
                        )
                    )
        for media_type in new_media:
            if media_type not in old_media:
                message = f"response {status}: media type {media_type} added"
                bump: Bump = "minor" if response.success else "patch"
                changes.append(
                    Change("response media type added", "compatible", where, message, bump, "response-media-type-added")
                )
    for status, response in new_by_status.items():
        if status not in old_by_status:
            message = f"new {'success ' if response.success else ''}response {status}"
            bump = "minor" if response.success else "patch"
            check = "response-success-status-added" if response.success else "response-non-success-status-added"
            changes.append(Change("response status added", "compatible", where, message, bump, check))
    return changes


# -- the generated API of one operation ------------------------------------------------------------------


def _covers(wide: str, media_type: str) -> bool:
    """Whether a media type range (`*/*`, `application/*`) takes in `media_type`."""
    kind, _, sub = wide.partition("/")
    other, _, _ = media_type.partition("/")
    return wide != media_type and sub == "*" and kind in ("*", other)


def _parameter_key(parameter: Parameter) -> tuple[str, str]:
    """Location and wire name; header names are case-insensitive."""
    name = parameter.name.lower() if parameter.location == "header" else parameter.name
    return parameter.location, name


def _result(view: MethodView) -> str:
    """The return annotation of the generated method (a page of items when the operation pages)."""
    return f"SyncPage[{view.item_annotation}]" if view.page else view.return_annotation


def _wire_inputs(operation: Operation) -> dict[tuple[str, str], tuple[Type, bool]]:
    """What each argument carries, by its location and wire name: its type and whether it is required."""
    inputs: dict[tuple[str, str], tuple[Type, bool]] = {
        _parameter_key(p): (p.type, p.required) for p in operation.parameters
    }
    body = operation.body
    if body is not None:
        inputs[("body", "body")] = (body.type, body.required)
        for field in body.fields or ():
            inputs[("body-field", field.name)] = (field.type, field.required)
    return inputs


def _method_changes(old_group: Group, old: Operation, group: Group, new: Operation, sides: _Sides) -> list[Change]:
    """The generated-API view of one operation: its method's name, keyword arguments and return annotation."""
    where = _operation_location(new)
    changes: list[Change] = []
    if _method(old_group, old) != _method(group, new):
        message = f"the generated method {_method(old_group, old)} is now {_method(group, new)}"
        changes.append(_breaking("method renamed", where, message, "clientgen-method-renamed"))
    before = method_view(old, sides.old_schemas)
    after = method_view(new, sides.new_schemas)
    if old.body is not None and new.body is not None and (old.body.fields is None) != (new.body.fields is None):
        if new.body.fields is not None:
            names = ", ".join(f"{f.python_name}=" for f in new.body.fields)
            message = f"the request body is now taken as keyword arguments ({names}) instead of {old.body.python_name}="
        else:
            message = f"the request body is now taken as {new.body.python_name}= instead of keyword arguments"
        changes.append(_breaking("body arguments changed", where, message, "clientgen-body-arguments-changed"))
    old_inputs = _wire_inputs(old)
    new_inputs = _wire_inputs(new)
    old_arguments = {(a.location, a.name.lower() if a.location == "header" else a.name): a for a in before.arguments}
    new_arguments = {(a.location, a.name.lower() if a.location == "header" else a.name) for a in after.arguments}
    settings = {h.name: h for h in sides.new.client_headers}
    for key, argument in old_arguments.items():
        setting = settings.get(key[1]) if key[0] == "header" else None
        if key not in new_arguments and setting is not None:
            message = (
                f"the argument {argument.python_name}= is no longer taken: the header {argument.name!r} is now a"
                f" client setting: {setting.python_name}=, {setting.env_var}"
            )
            changes.append(_breaking("argument removed", where, message, "clientgen-argument-removed"))
    for argument in after.arguments:
        key = (argument.location, argument.name.lower() if argument.location == "header" else argument.name)
        previous = old_arguments.get(key)
        if previous is None:
            continue
        if previous.python_name != argument.python_name:
            message = (
                f"the argument {previous.python_name}= is now {argument.python_name}= (wire name {argument.name!r})"
            )
            changes.append(_breaking("argument renamed", where, message, "clientgen-argument-renamed"))
            continue
        (old_type, old_required), (new_type, new_required) = old_inputs[key], new_inputs[key]
        if (
            not _annotations_agree(previous.annotation, argument.annotation)
            and old_required == new_required
            and sides.same(old_type, new_type)
        ):
            message = (
                f"the argument {argument.python_name}: {_readable(previous.annotation)} -> "
                f"{_readable(argument.annotation)} (same wire type)"
            )
            changes.append(_breaking("annotation changed", where, message, "clientgen-annotation-changed"))
    if not _annotations_agree(_result(before), _result(after)) and sides.same(old.return_type, new.return_type):
        message = (
            f"the method returns {_readable(_result(after))} instead of "
            f"{_readable(_result(before))} (same wire type)"
        )
        changes.append(_breaking("annotation changed", where, message, "clientgen-annotation-changed"))
    return changes


# -- schemas, webhooks, servers, security schemes ---------------------------------------------------------


def _schemas_changes(renames: Mapping[str, str], sides: _Sides) -> list[Change]:
    changes: list[Change] = []
    renamed_from = {new_name: old_name for old_name, new_name in renames.items()}
    for name, schema in sides.new_schemas.items():
        where = f"schema {name}"
        previous = sides.old_schemas.get(name)
        if name in renamed_from:
            before = renamed_from[name]
            message = f"renamed to {name} (same shape): code naming models.{before} must use models.{name}"
            changes.append(_breaking("schema renamed", f"schema {before}", message, "clientgen-model-renamed"))
        if previous is None:
            changes.append(
                Change("schema added", "compatible", where, f"new model {name}", "minor", "clientgen-model-added")
            )
            continue
        if name in sides.affected:
            changes += _model_changes(previous, schema, sides)
    for name in sides.old_schemas:
        if name not in sides.new_schemas:
            changes.append(
                _breaking(
                    "schema removed", f"schema {name}", f"the model {name} no longer exists", "api-schema-removed"
                )
            )
    return changes


def _field_annotation(field: Field, schemas: Mapping[str, Schema]) -> str:
    """A model attribute's annotation, as the models module declares it."""
    text = annotation(field.type, "models", schemas=dict(schemas))
    if not field.required and not text.endswith("| None") and text != "_t.Any":
        text += " | None"
    return text


def _model_changes(old: Schema, new: Schema, sides: _Sides) -> list[Change]:
    """The generated-API view of one model: attribute names and annotations, enum member names."""
    where = f"schema {new.name}"
    changes: list[Change] = []
    if isinstance(old, ObjectSchema) and isinstance(new, ObjectSchema):
        old_fields = {f.name: f for f in old.fields}
        for field in new.fields:
            previous = old_fields.get(field.name)
            if previous is None:
                continue
            if previous.python_name != field.python_name:
                message = f"the attribute {previous.python_name} is now {field.python_name} (wire name {field.name!r})"
                changes.append(_breaking("field renamed", where, message, "clientgen-attribute-renamed"))
            elif previous.required == field.required and sides.same(previous.type, field.type):
                before = _field_annotation(previous, sides.old_schemas)
                after = _field_annotation(field, sides.new_schemas)
                if not _annotations_agree(before, after):
                    message = (
                        f"the attribute {field.python_name}: {_readable(before)} -> "
                        f"{_readable(after)} (same wire type)"
                    )
                    changes.append(_breaking("annotation changed", where, message, "clientgen-annotation-changed"))
    elif isinstance(old, EnumSchema) and isinstance(new, EnumSchema):
        old_members = {m.value: m.name for m in old.members}
        new_values = {m.value for m in new.members}
        for member in old.members:
            if member.value not in new_values:
                message = f"the member {new.name}.{member.name} no longer exists (value {member.value!r})"
                changes.append(_breaking("enum member removed", where, message, "clientgen-enum-member-removed"))
        for member in new.members:
            before_name = old_members.get(member.value)
            if before_name is not None and before_name != member.name:
                message = (
                    f"the member {new.name}.{before_name} is now {new.name}.{member.name} (value {member.value!r})"
                )
                changes.append(_breaking("enum member renamed", where, message, "clientgen-enum-member-renamed"))
    elif isinstance(old, AliasSchema) and isinstance(new, AliasSchema) and sides.same(old.type, new.type):
        before = annotation(old.type, "models", schemas=sides.old_schemas)
        after = annotation(new.type, "models", schemas=sides.new_schemas)
        if not _annotations_agree(before, after):
            message = f"{_readable(before)} -> {_readable(after)} (same wire type)"
            changes.append(_breaking("annotation changed", where, message, "clientgen-annotation-changed"))
    return changes


def _webhook_changes(sides: _Sides) -> list[Change]:
    old = {(w.name, w.method): w for w in sides.old.webhooks}
    new = {(w.name, w.method): w for w in sides.new.webhooks}
    changes: list[Change] = []
    for key, webhook in new.items():
        where = f"webhook {webhook.name}"
        previous = old.get(key)
        if previous is None:
            changes.append(
                Change(
                    "webhook added",
                    "compatible",
                    where,
                    f"new webhook {webhook.name!r}",
                    "minor",
                    "webhook-added",
                )
            )
        else:
            found = _payload_changes(previous.type, webhook.type, "delivery body", where, sides)
            changes += [replace(c, id="clientgen-webhook-payload-changed") for c in found]
    for key, webhook in old.items():
        if key not in new:
            message = f"webhook {webhook.name!r} removed: its deliveries are no longer described"
            changes.append(_breaking("webhook removed", f"webhook {webhook.name}", message, "webhook-removed"))
    return changes


def _client_header_changes(old: Api, new: Api) -> list[Change]:
    """Client settings (headers every operation declares) are constructor arguments and environment variables."""
    where = "client settings"
    changes: list[Change] = []
    before = {h.name: h for h in old.client_headers}
    after = {h.name: h for h in new.client_headers}
    for name, setting in before.items():
        moved = after.get(name)
        if moved is None:
            message = (
                f"client setting {setting.python_name}= ({setting.env_var}) removed: the header {name!r} is no longer"
                " set on the client (an argument of each operation that declares it, if any does)"
            )
            changes.append(_breaking("client setting removed", where, message, "clientgen-client-setting-removed"))
            continue
        if (moved.python_name, moved.env_var) != (setting.python_name, setting.env_var):
            message = (
                f"client setting of the header {name!r}: {setting.python_name}= ({setting.env_var}) is now"
                f" {moved.python_name}= ({moved.env_var})"
            )
            changes.append(_breaking("client setting renamed", where, message, "clientgen-client-setting-renamed"))
        if moved.required and not setting.required:
            message = f"client setting {moved.python_name}= became required: calls without it are refused"
            changes.append(
                _breaking("client setting became required", where, message, "clientgen-client-setting-became-required")
            )
        elif setting.required and not moved.required:
            message = f"client setting {moved.python_name}= became optional"
            changes.append(
                Change(
                    "client setting became optional",
                    "compatible",
                    where,
                    message,
                    "minor",
                    "clientgen-client-setting-became-optional",
                )
            )
    for name, setting in after.items():
        if name in before:
            continue
        subject = f"client setting {setting.python_name}= ({setting.env_var}) for the header {name!r}"
        if setting.required:
            changes.append(
                _breaking("client setting added", where, f"new required {subject}", "clientgen-client-setting-added")
            )
        else:
            changes.append(
                Change(
                    "client setting added",
                    "compatible",
                    where,
                    f"new optional {subject}",
                    "minor",
                    "clientgen-client-setting-added",
                )
            )
    return changes


def _server_changes(old: tuple[Server, ...], new: tuple[Server, ...]) -> list[Change]:
    """Servers are the client's environments, matched by name, then by URL."""
    where = "servers"
    changes: list[Change] = []
    new_by_name = {s.name: s for s in new}
    old_names = {s.name for s in old}
    unmatched = [s for s in new if s.name not in old_names]
    for server in old:
        after = new_by_name.get(server.name)
        if after is not None:
            if after.url != server.url:
                message = (
                    f"environment {server.name!r}: {server.url} -> {after.url}; clients built before call the old URL"
                )
                changes.append(_breaking("server changed", where, message, "clientgen-server-changed"))
            continue
        after = next((s for s in unmatched if s.url == server.url), None)
        if after is not None:
            unmatched.remove(after)
            message = f"environment {server.name!r} ({server.url}) is now called {after.name!r}"
            changes.append(_breaking("server changed", where, message, "clientgen-server-changed"))
        else:
            message = f"environment {server.name!r} ({server.url}) removed"
            changes.append(_breaking("server removed", where, message, "clientgen-server-removed"))
    for server in unmatched:
        changes.append(
            Change(
                "server added",
                "compatible",
                where,
                f"new environment {server.name!r} ({server.url})",
                "minor",
                "clientgen-server-added",
            )
        )
    if old and new and old[0].name != new[0].name and old[0].url != new[0].url:
        message = f"the default server {old[0].url} is now {new[0].url}"
        changes.append(_breaking("server changed", where, message, "clientgen-server-changed"))
    return changes


def _security_scheme_changes(old: Api, new: Api) -> list[Change]:
    where = "security"
    changes: list[Change] = []
    old_by_name = {s.name: s for s in old.security_schemes}
    new_by_name = {s.name: s for s in new.security_schemes}
    for name, scheme in new_by_name.items():
        previous = old_by_name.get(name)
        if previous is None:
            changes.append(
                Change(
                    "security scheme added",
                    "compatible",
                    where,
                    f"new security scheme {name!r}",
                    "minor",
                    "api-security-component-added",
                )
            )
            continue
        differences = [
            f"{attribute} {getattr(previous, attribute)!r} -> {getattr(scheme, attribute)!r}"
            for attribute in ("kind", "location", "parameter", "scheme", "token_url")
            if getattr(previous, attribute) != getattr(scheme, attribute)
        ]
        if differences:
            changes.append(
                _breaking(
                    "security scheme changed",
                    where,
                    f"{name!r}: " + ", ".join(differences),
                    "clientgen-security-scheme-changed",
                )
            )
        if set(previous.scopes) != set(scheme.scopes):
            before, after = " ".join(previous.scopes) or "none", " ".join(scheme.scopes) or "none"
            message = f"{name!r}: declared scopes {before} -> {after}"
            changes.append(
                Change(
                    "security scheme changed",
                    "compatible",
                    where,
                    message,
                    "patch",
                    "clientgen-security-scheme-scopes-changed",
                )
            )
    for name in old_by_name:
        if name not in new_by_name:
            changes.append(
                _breaking(
                    "security scheme removed",
                    where,
                    f"security scheme {name!r} removed",
                    "api-security-component-removed",
                )
            )
    return changes


# -- the report as text, Markdown or JSON ---------------------------------------------------------------------


def _ordered(changes: list[Change]) -> tuple[Change, ...]:
    """Grouped by location in order of appearance, groups with breaking changes first, breaking first."""
    grouped: dict[str, list[Change]] = {}
    for change in changes:
        grouped.setdefault(change.location, []).append(change)
    groups = sorted(grouped.values(), key=lambda group: all(c.severity != "breaking" for c in group))
    return tuple(c for group in groups for c in sorted(group, key=lambda c: c.severity != "breaking"))


def summary(report: Report) -> str:
    """One line: how many changes of each severity, and the version bump they ask for."""
    if not report.changes:
        return "no changes; suggested version bump: none"
    breaking = len(report.breaking)
    compatible = len(report.changes) - breaking
    return f"{breaking} breaking, {compatible} compatible change(s); suggested version bump: {report.bump}"


def as_text(report: Report) -> str:
    lines = [summary(report)]
    for location, changes in report.groups():
        lines += ["", oneline(location)]
        lines += [f"  {c.severity:<10}  {c.id}: {oneline(c.message)}" for c in changes]
    return "\n".join(lines) + "\n"


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>|~&])")


def _markdown(text: str) -> str:
    """Text safe in a Markdown heading or table cell: one line, its markup characters escaped."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", oneline(text))


def as_markdown(report: Report) -> str:
    lines = ["## API changes", "", f"**{summary(report)}**"]
    for location, changes in report.groups():
        lines += ["", f"### {_markdown(location)}", "", "| Severity | Check | Change |", "| --- | --- | --- |"]
        lines += [f"| {c.severity} | `{c.id}` | {_markdown(c.message)} |" for c in changes]
    return "\n".join(lines) + "\n"


def as_json(report: Report) -> str:
    data = {
        "changes": [
            {
                "id": c.id,
                "category": c.category,
                "severity": c.severity,
                "location": c.location,
                "message": c.message,
            }
            for c in report.changes
        ],
        "bump": report.bump,
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


#: `--format` choices: how a report is printed.
FORMATS: dict[str, Callable[[Report], str]] = {"text": as_text, "markdown": as_markdown, "json": as_json}
