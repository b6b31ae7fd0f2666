"""Comparing two specs through the intermediate model: what changes for the users of the generated client.

Two views, both computed from `Api` values, never from rendered files. The spec view judges the wire contract:
operations, parameters, request bodies, responses, schemas, security and servers, with requests and responses
apart (a new required field breaks a request, not a response). The generated-API view compares what `render`
lays out (resources, method names, keyword arguments and their annotations, return annotations, model fields),
so a rename the generator itself causes is reported even when the wire stays the same.

Operations are matched by method and path template (parameter names aside), so an operationId change is a
rename, not a removal and an addition; parameters by location and wire name; schemas by name, and a schema
whose name changed but whose shape did not is a rename. Pure: `diff` returns a `Report`; the CLI prints it.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, fields, is_dataclass, replace
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Literal, Mapping, TypeVar

from generator.config import Config
from generator.pipeline import build_api
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
    RequestBody,
    Schema,
    Server,
    Type,
    UnionType,
)
from generator.render import MethodView, annotation, method_view, oneline

Severity = Literal["breaking", "compatible"]
Bump = Literal["major", "minor", "patch", "none"]
#: What makes `clientgen diff` exit 1: any breaking change, any change at all, or nothing.
Threshold = Literal["breaking", "any", "none"]
#: Where a type travels: in requests the client sends, in responses it parses, or both.
Direction = frozenset[str]

REQUEST: Direction = frozenset({"request"})
RESPONSE: Direction = frozenset({"response"})
BOTH: Direction = REQUEST | RESPONSE

_T = TypeVar("_T")
_PATH_PARAMETER = re.compile(r"\{[^{}]*\}")
_MODULE_PREFIX = re.compile(r"\b_(?:t|dt|decimal|uuid|types|models)\.")


@dataclass(frozen=True)
class Change:
    """One difference between the two specs, where it is, and what it means for the client's users."""

    category: str
    severity: Severity
    location: str  # "METHOD /path (operationId)", "schema Name", "webhook name", "servers" or "security"
    message: str
    #: The least version bump of the generated package this change asks for: "major" when breaking,
    #: "minor" for an addition, "patch" for documentation and deprecations.
    bump: Bump = "minor"


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


def diff(old: Api, new: Api) -> Report:
    """Every change from `old` to `new`, in both views."""
    renames = schema_renames(old, new)
    renamed = _renamed(old, renames)
    sides = _Sides.of(renamed, new)
    changes: list[Change] = []
    changes += _operations_changes(sides)
    changes += _schemas_changes(renames, sides)
    changes += _webhook_changes(sides)
    changes += _server_changes(renamed.servers, new.servers)
    changes += _security_scheme_changes(renamed, new)
    changes += _client_header_changes(renamed, new)
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
    return operation.method, _PATH_PARAMETER.sub("{}", operation.path)


def _operations(api: Api) -> dict[tuple[str, str], tuple[Group, Operation]]:
    found: dict[tuple[str, str], tuple[Group, Operation]] = {}
    for group in api.groups:
        for operation in group.operations:
            key = _operation_key(operation)
            found[key if key not in found else (operation.method, operation.path)] = (group, operation)
    return found


def _directions(api: Api) -> dict[str, Direction]:
    """The directions each named schema travels in: sent in requests, parsed from responses or webhooks."""
    schemas = {s.name: s for s in api.schemas}
    found: dict[str, set[str]] = {}
    pending: list[tuple[Type, str]] = []
    for operation in api.operations:
        pending += [(p.type, "request") for p in operation.parameters]
        if operation.body is not None:
            pending.append((operation.body.type, "request"))
        pending += [(c.type, "response") for r in operation.responses for c in r.contents if c.type is not None]
    pending += [(w.type, "response") for w in api.webhooks if w.type is not None]
    while pending:
        type_, direction = pending.pop()
        for name in _references(type_):
            if direction in found.setdefault(name, set()):
                continue
            found[name].add(direction)
            schema = schemas.get(name)
            if isinstance(schema, ObjectSchema):
                pending += [(f.type, direction) for f in schema.fields]
            elif isinstance(schema, AliasSchema):
                pending.append((schema.type, direction))
    return {name: frozenset(directions) for name, directions in found.items()}


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
    old_directions: dict[str, Direction]
    new_directions: dict[str, Direction]

    @staticmethod
    def of(old: Api, new: Api) -> _Sides:
        return _Sides(
            old,
            new,
            {s.name: s for s in old.schemas},
            {s.name: s for s in new.schemas},
            _directions(old),
            _directions(new),
        )

    def same(self, old: Type | None, new: Type | None) -> bool:
        """Whether the wire type is unchanged (the generated annotation may still differ)."""
        if old is None or new is None:
            return old is new
        return old == new or _same_shape(old, new, self.old_schemas, self.new_schemas, set())

    def direction(self, name: str) -> Direction:
        """Where a schema travels, on either side; a schema no operation uses counts as both."""
        return self.old_directions.get(name, frozenset()) | self.new_directions.get(name, frozenset()) or BOTH


# -- changes of a type at one place ----------------------------------------------------------------------


def _judged(
    category: str,
    where: str,
    message: str,
    direction: Direction,
    *,
    breaks_requests: bool,
    breaks_responses: bool,
    bump: Bump = "minor",
) -> Change:
    """A change whose severity depends on the direction its type travels in."""
    breaking = ("request" in direction and breaks_requests) or ("response" in direction and breaks_responses)
    return (
        Change(category, "breaking", where, message, "major")
        if breaking
        else Change(category, "compatible", where, message, bump)
    )


def _breaking(category: str, where: str, message: str) -> Change:
    return Change(category, "breaking", where, message, "major")


def _describe(type_: Type | None) -> str:
    """A type as a short annotation for messages (`List[Order] | None`)."""
    return _readable(annotation(type_, "models"))


def _readable(text: str) -> str:
    """A generated annotation without the module prefixes of the generated code (`_models.`, `_t.`)."""
    return _MODULE_PREFIX.sub("", text)


def _type_changes(
    old: Type | None, new: Type | None, direction: Direction, subject: str, where: str, sides: _Sides
) -> list[Change]:
    """What changed between two types at one place; named schemas are compared on their own."""
    if sides.same(old, new):
        return []
    if old is None or new is None:
        return [_breaking("type changed", where, f"{subject}: {_describe(old)} -> {_describe(new)}")]
    old_inner = old.inner if isinstance(old, Nullable) else old
    new_inner = new.inner if isinstance(new, Nullable) else new
    changes: list[Change] = []
    if isinstance(old, Nullable) != isinstance(new, Nullable):
        if isinstance(new, Nullable):
            message = f"{subject} became nullable: {_describe(old)} -> {_describe(new)}"
            if "response" in direction:
                message += "; responses may now carry null"
            changes.append(
                _judged("type changed", where, message, direction, breaks_requests=False, breaks_responses=True)
            )
        else:
            message = f"{subject} is no longer nullable: {_describe(old)} -> {_describe(new)}"
            if "request" in direction:
                message += "; requests can no longer send null"
            changes.append(
                _judged("type changed", where, message, direction, breaks_requests=True, breaks_responses=False)
            )
        if sides.same(old_inner, new_inner):
            return changes
    if isinstance(old_inner, LiteralType) and isinstance(new_inner, LiteralType):
        return changes + _enum_value_changes(old_inner.values, new_inner.values, direction, subject, where, None)
    if isinstance(old_inner, ArrayType) and isinstance(new_inner, ArrayType):
        return changes + _type_changes(old_inner.item, new_inner.item, direction, f"{subject} items", where, sides)
    if isinstance(old_inner, MapType) and isinstance(new_inner, MapType):
        return changes + _type_changes(old_inner.value, new_inner.value, direction, f"{subject} values", where, sides)
    if isinstance(old_inner, UnionType) or isinstance(new_inner, UnionType):
        old_variants = old_inner.variants if isinstance(old_inner, UnionType) else (old_inner,)
        new_variants = new_inner.variants if isinstance(new_inner, UnionType) else (new_inner,)
        lost = [v for v in old_variants if not any(sides.same(v, w) for w in new_variants)]
        gained = [w for w in new_variants if not any(sides.same(v, w) for v in old_variants)]
        if not lost or not gained:
            for variant in lost:
                message = f"{subject} no longer takes {_describe(variant)}: {_describe(old)} -> {_describe(new)}"
                changes.append(
                    _judged("type changed", where, message, direction, breaks_requests=True, breaks_responses=False)
                )
            for variant in gained:
                message = f"{subject} may also be {_describe(variant)}: {_describe(old)} -> {_describe(new)}"
                changes.append(
                    _judged("type changed", where, message, direction, breaks_requests=False, breaks_responses=True)
                )
            return changes
    return changes + [_breaking("type changed", where, f"{subject}: {_describe(old)} -> {_describe(new)}")]


def _enum_value_changes(
    old: tuple[str | int, ...],
    new: tuple[str | int, ...],
    direction: Direction,
    subject: str,
    where: str,
    enum: EnumSchema | None,
) -> list[Change]:
    changes: list[Change] = []
    for value in old:
        if value in new:
            continue
        message = f"{subject}: value {value!r} removed"
        if "request" in direction:
            message += "; requests can no longer send it"
        if "response" in direction and enum is not None:
            member = next(m.name for m in enum.members if m.value == value)
            message += f"; the generated enum loses its member {enum.name}.{member}"
        changes.append(_breaking("enum value removed", where, message))
    for value in new:
        if value in old:
            continue
        message = f"{subject}: value {value!r} added"
        if "request" in direction:
            message += "; requests may send it"
        if "response" in direction:
            message += "; compatible for responses: generated enums are open, so clients built before parse it"
        changes.append(Change("enum value added", "compatible", where, message, "minor"))
    return changes


# -- operations ------------------------------------------------------------------------------------------


def _operation_location(operation: Operation) -> str:
    return f"{operation.method} {operation.path} ({operation.operation_id})"


def _method(group: Group, operation: Operation) -> str:
    return f"client.{group.attribute}.{operation.python_name}"


def _operations_changes(sides: _Sides) -> list[Change]:
    old = _operations(sides.old)
    new = _operations(sides.new)
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
    for key, (group, operation) in new.items():
        where = _operation_location(operation)
        if key in old or key in moved:
            old_group, old_operation = old[moved.get(key, key)]
            if key in moved:
                changes.append(
                    _breaking(
                        "path changed",
                        where,
                        f"path {old_operation.path} is now {operation.path}: clients built before call the old one",
                    )
                )
            changes += _operation_changes(old_group, old_operation, group, operation, sides)
            changes += _method_changes(old_group, old_operation, group, operation, sides)
        else:
            changes.append(
                Change("operation added", "compatible", where, f"new operation: {_method(group, operation)}")
            )
    for key in gone:
        if key not in moved.values():
            group, operation = old[key]
            message = f"operation removed: {_method(group, operation)} no longer exists"
            changes.append(_breaking("operation removed", _operation_location(operation), message))
    return changes


def _operation_changes(old_group: Group, old: Operation, group: Group, new: Operation, sides: _Sides) -> list[Change]:
    """The spec view of one operation: names, parameters, body, responses, security, deprecation, docs."""
    where = _operation_location(new)
    changes: list[Change] = []
    if old.operation_id != new.operation_id:
        message = f"operationId {old.operation_id!r} is now {new.operation_id!r}"
        if old.python_name != new.python_name:
            message += f": renames the method {_method(old_group, old)} to {_method(group, new)}"
            changes.append(_breaking("operationId changed", where, message))
        else:
            message += f"; the method keeps its name {new.python_name}"
            changes.append(Change("operationId changed", "compatible", where, message, "patch"))
    if old_group.name != group.name:
        message = f"tag {old_group.name!r} is now {group.name!r}"
        if old_group.attribute != group.attribute:
            message += f": moves the method from client.{old_group.attribute} to client.{group.attribute}"
            changes.append(_breaking("tag changed", where, message))
        else:
            changes.append(Change("tag changed", "compatible", where, message, "patch"))
    changes += _parameter_changes(old, new, where, sides)
    changes += _body_changes(old.body, new.body, where, sides)
    changes += _response_changes(old, new, where, sides)
    changes += _security_changes(old, new, where)
    if old.deprecated != new.deprecated:
        changes.append(
            Change("deprecated", "compatible", where, "operation deprecated", "patch")
            if new.deprecated
            else Change("deprecation removed", "compatible", where, "operation no longer deprecated", "patch")
        )
    if old.summary != new.summary:
        if not new.summary:
            message = f"summary {old.summary!r} removed"
        elif not old.summary:
            message = f"summary {new.summary!r} added"
        else:
            message = f"summary {old.summary!r} is now {new.summary!r}"
        changes.append(Change("documentation changed", "compatible", where, message, "patch"))
    if old.description != new.description:
        changes.append(Change("documentation changed", "compatible", where, "description changed", "patch"))
    return changes


def _parameter_key(parameter: Parameter) -> tuple[str, str]:
    """Location and wire name; header names are case-insensitive."""
    name = parameter.name.lower() if parameter.location == "header" else parameter.name
    return parameter.location, name


def _parameter_pairs(old: Operation, new: Operation) -> tuple[list[tuple[Parameter, Parameter]], list[Parameter]]:
    """Parameters of both operations paired by location and wire name, path parameters of different names
    by their place in the path template; and the parameters of `old` left unpaired."""
    old_by_key = {_parameter_key(p): p for p in old.parameters}
    new_by_key = {_parameter_key(p): p for p in new.parameters}
    old_path = [name[1:-1] for name in _PATH_PARAMETER.findall(old.path)]
    new_path = [name[1:-1] for name in _PATH_PARAMETER.findall(new.path)]
    for old_name, new_name in zip(old_path, new_path):
        if ("path", new_name) not in old_by_key and ("path", old_name) in old_by_key:
            old_by_key[("path", new_name)] = old_by_key.pop(("path", old_name))
    pairs = [(old_by_key[key], p) for key, p in new_by_key.items() if key in old_by_key]
    return pairs, [p for key, p in old_by_key.items() if key not in new_by_key]


def _has_default(type_: Type, schemas: Mapping[str, Schema]) -> bool:
    """A required parameter of one allowed value gets it as its default (render's constants)."""
    if isinstance(type_, LiteralType):
        return len(type_.values) == 1
    schema = schemas.get(type_.name) if isinstance(type_, Ref) else None
    return isinstance(schema, EnumSchema) and len(schema.members) == 1 and isinstance(schema.members[0].value, str)


def _parameter_changes(old: Operation, new: Operation, where: str, sides: _Sides) -> list[Change]:
    changes: list[Change] = []
    pairs, removed = _parameter_pairs(old, new)
    paired = {id(p) for _, p in pairs}
    for parameter in new.parameters:
        subject = f"{parameter.location} parameter {parameter.name!r}"
        if id(parameter) in paired:
            continue
        if parameter.required and not _has_default(parameter.type, sides.new_schemas):
            message = f"new required {subject}: calls must now pass {parameter.python_name}="
            changes.append(_breaking("parameter added", where, message))
        else:
            message = f"new optional {subject} ({parameter.python_name}=)"
            changes.append(Change("parameter added", "compatible", where, message))
    settings = {h.name: h for h in sides.new.client_headers}
    for parameter in removed:
        message = (
            f"{parameter.location} parameter {parameter.name!r} removed: {parameter.python_name}= is no longer taken"
        )
        setting = settings.get(parameter.name.lower()) if parameter.location == "header" else None
        if setting is not None:
            message += f" (the header is now a client setting: {setting.python_name}=, {setting.env_var})"
        changes.append(_breaking("parameter removed", where, message))
    for before, after in pairs:
        subject = f"{after.location} parameter {after.name!r}"
        if before.location == "path" and before.name != after.name:
            message = f"path parameter {before.name!r} is now {after.name!r}"
            if before.python_name != after.python_name:
                message += f": the argument {before.python_name}= is now {after.python_name}="
                changes.append(_breaking("parameter renamed", where, message))
            else:
                changes.append(Change("parameter renamed", "compatible", where, message, "patch"))
        if after.required and not before.required:
            changes.append(_breaking("parameter became required", where, f"{subject} became required"))
        elif before.required and not after.required:
            changes.append(Change("parameter became optional", "compatible", where, f"{subject} became optional"))
        changes += _type_changes(before.type, after.type, REQUEST, subject, where, sides)
        if before.deprecated != after.deprecated:
            changes.append(_deprecation(subject, after.deprecated, where))
    return changes


def _deprecation(subject: str, deprecated: bool, where: str) -> Change:
    if deprecated:
        return Change("deprecated", "compatible", where, f"{subject} deprecated", "patch")
    return Change("deprecation removed", "compatible", where, f"{subject} no longer deprecated", "patch")


def _body_changes(old: RequestBody | None, new: RequestBody | None, where: str, sides: _Sides) -> list[Change]:
    if new is None:
        if old is None:
            return []
        return [_breaking("request body removed", where, f"request body ({old.media_type}) removed")]
    if old is None:
        if new.required:
            return [_breaking("request body added", where, f"new required request body ({new.media_type})")]
        return [Change("request body added", "compatible", where, f"new optional request body ({new.media_type})")]
    changes: list[Change] = []
    if old.media_type != new.media_type:
        message = f"request media type {old.media_type} is now {new.media_type}"
        changes.append(_breaking("request media type changed", where, message))
    if new.required and not old.required:
        changes.append(_breaking("request body became required", where, "request body became required"))
    elif old.required and not new.required:
        changes.append(Change("request body became optional", "compatible", where, "request body became optional"))
    changes += _type_changes(old.type, new.type, REQUEST, "request body", where, sides)
    return changes


def _response_changes(old: Operation, new: Operation, where: str, sides: _Sides) -> list[Change]:
    changes: list[Change] = []
    old_by_status = {r.status: r for r in old.responses}
    new_by_status = {r.status: r for r in new.responses}
    for status, response in old_by_status.items():
        if status not in new_by_status:
            if response.success:
                message = f"success response {status} removed: clients built before expect it"
                changes.append(_breaking("response status removed", where, message))
            else:
                message = f"response {status} removed from the documentation"
                changes.append(Change("response status removed", "compatible", where, message, "patch"))
            continue
        old_media = [c.media_type for c in response.contents]
        new_media = [c.media_type for c in new_by_status[status].contents]
        for media_type in old_media:
            if media_type not in new_media:
                message = f"response {status}: media type {media_type} removed"
                if response.success:
                    changes.append(_breaking("response media type removed", where, message))
                else:
                    changes.append(Change("response media type removed", "compatible", where, message, "patch"))
        for media_type in new_media:
            if media_type not in old_media:
                message = f"response {status}: media type {media_type} added"
                bump: Bump = "minor" if response.success else "patch"
                changes.append(Change("response media type added", "compatible", where, message, bump))
    for status, response in new_by_status.items():
        if status not in old_by_status:
            message = f"new {'success ' if response.success else ''}response {status}"
            bump = "minor" if response.success else "patch"
            changes.append(Change("response status added", "compatible", where, message, bump))
    changes += _type_changes(old.return_type, new.return_type, RESPONSE, "result", where, sides)
    return changes


def _alternatives(sets: Iterable[tuple[str, ...]]) -> str:
    """Alternatives of a security requirement (scheme names or scopes): `a+b or c`."""
    return " or ".join("+".join(s) for s in sets) or "none"


def _security_changes(old: Operation, new: Operation, where: str) -> list[Change]:
    changes: list[Change] = []
    old_schemes = {tuple(sorted(name for name, _ in r.schemes)) for r in old.security}
    new_schemes = {tuple(sorted(name for name, _ in r.schemes)) for r in new.security}
    if old_schemes != new_schemes:
        message = f"security schemes {_alternatives(sorted(old_schemes))} -> {_alternatives(sorted(new_schemes))}"
        if new_schemes and not old_schemes <= new_schemes:
            changes.append(_breaking("security changed", where, message + ": a way to authenticate was removed"))
        else:
            changes.append(Change("security changed", "compatible", where, message))
    if set(old.scopes) != set(new.scopes):
        # a caller holding an old scope set still gets in when some new set asks for no more than it
        breaks = bool(new.scopes) and (
            not old.scopes or any(not any(set(t) <= set(s) for t in new.scopes) for s in old.scopes)
        )
        message = f"OAuth2 scopes {_alternatives(old.scopes)} -> {_alternatives(new.scopes)}"
        if breaks:
            message += ": credentials granted the old scopes may no longer be enough"
            changes.append(_breaking("security scopes changed", where, message))
        else:
            changes.append(Change("security scopes changed", "compatible", where, message))
    return changes


# -- the generated API of one operation ------------------------------------------------------------------


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
        changes.append(_breaking("method renamed", where, message))
    before = method_view(old, sides.old_schemas)
    after = method_view(new, sides.new_schemas)
    if old.body is not None and new.body is not None and (old.body.fields is None) != (new.body.fields is None):
        if new.body.fields is not None:
            names = ", ".join(f"{f.python_name}=" for f in new.body.fields)
            message = f"the request body is now taken as keyword arguments ({names}) instead of {old.body.python_name}="
        else:
            message = f"the request body is now taken as {new.body.python_name}= instead of keyword arguments"
        changes.append(_breaking("body arguments changed", where, message))
    old_inputs = _wire_inputs(old)
    new_inputs = _wire_inputs(new)
    old_arguments = {(a.location, a.name.lower() if a.location == "header" else a.name): a for a in before.arguments}
    for argument in after.arguments:
        key = (argument.location, argument.name.lower() if argument.location == "header" else argument.name)
        previous = old_arguments.get(key)
        if previous is None:
            continue
        if previous.python_name != argument.python_name:
            message = (
                f"the argument {previous.python_name}= is now {argument.python_name}= (wire name {argument.name!r})"
            )
            changes.append(_breaking("argument renamed", where, message))
            continue
        (old_type, old_required), (new_type, new_required) = old_inputs[key], new_inputs[key]
        if (
            previous.annotation != argument.annotation
            and old_required == new_required
            and sides.same(old_type, new_type)
        ):
            message = (
                f"the argument {argument.python_name}: {_readable(previous.annotation)} -> "
                f"{_readable(argument.annotation)} (same wire type)"
            )
            changes.append(_breaking("annotation changed", where, message))
    if _result(before) != _result(after) and sides.same(old.return_type, new.return_type):
        message = (
            f"the method returns {_readable(_result(after))} instead of "
            f"{_readable(_result(before))} (same wire type)"
        )
        changes.append(_breaking("annotation changed", where, message))
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
            changes.append(_breaking("schema renamed", f"schema {before}", message))
        if previous is None:
            changes.append(Change("schema added", "compatible", where, f"new model {name}"))
            continue
        changes += _schema_changes(previous, schema, sides)
        changes += _model_changes(previous, schema, sides)
    for name in sides.old_schemas:
        if name not in sides.new_schemas:
            changes.append(_breaking("schema removed", f"schema {name}", f"the model {name} no longer exists"))
    return changes


def _kind(schema: Schema) -> str:
    if isinstance(schema, ObjectSchema):
        return "an object model"
    if isinstance(schema, EnumSchema):
        return f"an enum of {schema.kind}"
    return f"the type {_describe(schema.type)}"


def _schema_changes(old: Schema, new: Schema, sides: _Sides) -> list[Change]:
    """The spec view of one named schema: its fields, enum values or aliased type."""
    where = f"schema {new.name}"
    direction = sides.direction(new.name)
    if isinstance(old, ObjectSchema) and isinstance(new, ObjectSchema):
        return _field_changes(old, new, direction, where, sides)
    if isinstance(old, EnumSchema) and isinstance(new, EnumSchema) and old.kind == new.kind:
        old_values = tuple(m.value for m in old.members)
        new_values = tuple(m.value for m in new.members)
        return _enum_value_changes(old_values, new_values, direction, "enum", where, old)
    if isinstance(old, AliasSchema) and isinstance(new, AliasSchema):
        return _type_changes(old.type, new.type, direction, "type", where, sides)
    return [_breaking("type changed", where, f"{_kind(old)} -> {_kind(new)}")]


def _field_changes(
    old: ObjectSchema, new: ObjectSchema, direction: Direction, where: str, sides: _Sides
) -> list[Change]:
    changes: list[Change] = []
    old_fields = {f.name: f for f in old.fields}
    new_fields = {f.name: f for f in new.fields}
    for name, field in new_fields.items():
        previous = old_fields.get(name)
        subject = f"field {name!r}"
        if previous is None:
            if field.required and "request" in direction:
                message = f"new required {subject}: requests must now send it"
                changes.append(_breaking("field added", where, message))
            else:
                message = f"new {'required' if field.required else 'optional'} {subject}"
                changes.append(Change("field added", "compatible", where, message))
            continue
        if field.required and not previous.required:
            message = f"{subject} became required" + ("; requests must now send it" if "request" in direction else "")
            changes.append(
                _judged(
                    "field became required", where, message, direction, breaks_requests=True, breaks_responses=False
                )
            )
        elif previous.required and not field.required:
            message = f"{subject} became optional" + ("; responses may omit it" if "response" in direction else "")
            changes.append(
                _judged(
                    "field became optional", where, message, direction, breaks_requests=False, breaks_responses=True
                )
            )
        changes += _type_changes(previous.type, field.type, direction, subject, where, sides)
        if previous.deprecated != field.deprecated:
            changes.append(_deprecation(subject, field.deprecated, where))
    for name, field in old_fields.items():
        if name in new_fields:
            continue
        required = "required " if field.required else ""
        message = f"{required}field {name!r} removed: the model attribute {field.python_name} disappears"
        if field.required and "response" in direction:
            message += "; clients relying on it in responses break"
        changes.append(_breaking("field removed", where, message))
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
                changes.append(_breaking("field renamed", where, message))
            elif previous.required == field.required and sides.same(previous.type, field.type):
                before = _field_annotation(previous, sides.old_schemas)
                after = _field_annotation(field, sides.new_schemas)
                if before != after:
                    message = (
                        f"the attribute {field.python_name}: {_readable(before)} -> "
                        f"{_readable(after)} (same wire type)"
                    )
                    changes.append(_breaking("annotation changed", where, message))
    elif isinstance(old, EnumSchema) and isinstance(new, EnumSchema):
        old_members = {m.value: m.name for m in old.members}
        for member in new.members:
            before_name = old_members.get(member.value)
            if before_name is not None and before_name != member.name:
                message = (
                    f"the member {new.name}.{before_name} is now {new.name}.{member.name} (value {member.value!r})"
                )
                changes.append(_breaking("enum member renamed", where, message))
    elif isinstance(old, AliasSchema) and isinstance(new, AliasSchema) and sides.same(old.type, new.type):
        before = annotation(old.type, "models", schemas=sides.old_schemas)
        after = annotation(new.type, "models", schemas=sides.new_schemas)
        if before != after:
            message = f"{_readable(before)} -> {_readable(after)} (same wire type)"
            changes.append(_breaking("annotation changed", where, message))
    return changes


def _webhook_changes(sides: _Sides) -> list[Change]:
    old = {(w.name, w.method): w for w in sides.old.webhooks}
    new = {(w.name, w.method): w for w in sides.new.webhooks}
    changes: list[Change] = []
    for key, webhook in new.items():
        where = f"webhook {webhook.name}"
        previous = old.get(key)
        if previous is None:
            changes.append(Change("webhook added", "compatible", where, f"new webhook {webhook.name!r}"))
        else:
            changes += _type_changes(previous.type, webhook.type, RESPONSE, "delivery body", where, sides)
    for key, webhook in old.items():
        if key not in new:
            message = f"webhook {webhook.name!r} removed: its deliveries are no longer described"
            changes.append(_breaking("webhook removed", f"webhook {webhook.name}", message))
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
            changes.append(_breaking("client setting removed", where, message))
            continue
        if (moved.python_name, moved.env_var) != (setting.python_name, setting.env_var):
            message = (
                f"client setting of the header {name!r}: {setting.python_name}= ({setting.env_var}) is now"
                f" {moved.python_name}= ({moved.env_var})"
            )
            changes.append(_breaking("client setting renamed", where, message))
        if moved.required and not setting.required:
            message = f"client setting {moved.python_name}= became required: calls without it are refused"
            changes.append(_breaking("client setting became required", where, message))
        elif setting.required and not moved.required:
            message = f"client setting {moved.python_name}= became optional"
            changes.append(Change("client setting became optional", "compatible", where, message))
    for name, setting in after.items():
        if name in before:
            continue
        subject = f"client setting {setting.python_name}= ({setting.env_var}) for the header {name!r}"
        if setting.required:
            changes.append(_breaking("client setting added", where, f"new required {subject}"))
        else:
            changes.append(Change("client setting added", "compatible", where, f"new optional {subject}"))
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
                changes.append(_breaking("server changed", where, message))
            continue
        after = next((s for s in unmatched if s.url == server.url), None)
        if after is not None:
            unmatched.remove(after)
            message = f"environment {server.name!r} ({server.url}) is now called {after.name!r}"
            changes.append(_breaking("server changed", where, message))
        else:
            message = f"environment {server.name!r} ({server.url}) removed"
            changes.append(_breaking("server removed", where, message))
    for server in unmatched:
        changes.append(Change("server added", "compatible", where, f"new environment {server.name!r} ({server.url})"))
    if old and new and old[0].name != new[0].name and old[0].url != new[0].url:
        message = f"the default server {old[0].url} is now {new[0].url}"
        changes.append(_breaking("server changed", where, message))
    return changes


def _security_scheme_changes(old: Api, new: Api) -> list[Change]:
    where = "security"
    changes: list[Change] = []
    old_by_name = {s.name: s for s in old.security_schemes}
    new_by_name = {s.name: s for s in new.security_schemes}
    for name, scheme in new_by_name.items():
        previous = old_by_name.get(name)
        if previous is None:
            changes.append(Change("security scheme added", "compatible", where, f"new security scheme {name!r}"))
            continue
        differences = [
            f"{attribute} {getattr(previous, attribute)!r} -> {getattr(scheme, attribute)!r}"
            for attribute in ("kind", "location", "parameter", "scheme", "token_url")
            if getattr(previous, attribute) != getattr(scheme, attribute)
        ]
        if differences:
            changes.append(_breaking("security scheme changed", where, f"{name!r}: " + ", ".join(differences)))
        if previous.scopes != scheme.scopes:
            before, after = " ".join(previous.scopes) or "none", " ".join(scheme.scopes) or "none"
            message = f"{name!r}: declared scopes {before} -> {after}"
            changes.append(Change("security scheme changed", "compatible", where, message, "patch"))
    for name in old_by_name:
        if name not in new_by_name:
            changes.append(_breaking("security scheme removed", where, f"security scheme {name!r} removed"))
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
        lines += [f"  {c.severity:<10}  {c.category}: {oneline(c.message)}" for c in changes]
    return "\n".join(lines) + "\n"


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>|~&])")


def _markdown(text: str) -> str:
    """Text safe in a Markdown heading or table cell: one line, its markup characters escaped."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", oneline(text))


def as_markdown(report: Report) -> str:
    lines = ["## API changes", "", f"**{summary(report)}**"]
    for location, changes in report.groups():
        lines += ["", f"### {_markdown(location)}", "", "| Severity | Category | Change |", "| --- | --- | --- |"]
        lines += [f"| {c.severity} | {_markdown(c.category)} | {_markdown(c.message)} |" for c in changes]
    return "\n".join(lines) + "\n"


def as_json(report: Report) -> str:
    data = {
        "changes": [
            {"category": c.category, "severity": c.severity, "location": c.location, "message": c.message}
            for c in report.changes
        ],
        "bump": report.bump,
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


#: `--format` choices: how a report is printed.
FORMATS: dict[str, Callable[[Report], str]] = {"text": as_text, "markdown": as_markdown, "json": as_json}
