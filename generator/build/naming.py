"""The naming pass: the classes' real names, decided once every schema is collected.

The schemas pass gives each class a provisional name and a `NameRequest`. Here the requests are granted in the
order they were made, which follows the spec's content (components by key, then operations by path and method,
webhooks by name: `generator.build.operations`), never the order the spec lists them in. A class named after
where it sits (`OrderCurrency`) takes the real name of the class around it. Then every type, schema and warning
is rewritten with the real names, and fields and enum members get their Python names (the configuration's
`names.fields` and `names.enum-members` key on the class name).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Literal

from generator import names
from generator.build.common import Hint, Run, array_item, object_schema
from generator.model import (
    AliasSchema,
    AnyType,
    ArrayType,
    ClientHeader,
    Content,
    EnumMember,
    EnumSchema,
    Field,
    Group,
    LiteralType,
    MapType,
    Nullable,
    ObjectSchema,
    Parameter,
    Primitive,
    Ref,
    RequestBody,
    Response,
    Schema,
    Type,
    UnionType,
    Webhook,
)

@dataclass(frozen=True, slots=True)
class NameRequest:
    """How the class with provisional name `provisional` wants to be called.

    `component`: a schema of components/schemas, by its key. `reference`: another `$ref` target, by its title or
    the last token of its pointer (`base`). `inline`: a schema written in place, by its title, else by where it
    sits (`hint`).
    """

    provisional: str
    kind: Literal["component", "reference", "inline"]
    base: str = ""
    key: str = ""
    title: str | None = None
    hint: Hint = Hint("")
    #: the property an inline schema describes, if any
    field: str = ""


#: Names the generated runtime defines next to the models; a schema never takes one of them.
RUNTIME_NAMES = frozenset(
    {
        "BaseModel",
        "OpenEnum",
        "OpenIntEnum",
        "Problem",
        "NoContent",
        "BinaryContent",
        "UnknownVariant",
        "ServerSentEvent",
        "Any",
        "Field",
        "Optional",
    }
)
#: names a model's field cannot take
FIELD_RESERVED = names.RESERVED | names.MODEL_RESERVED
_LEAVES = (Primitive, AnyType, LiteralType)


#: the verbs an operationId of a list or of a single read begins with (`list_instruments`, `retrieve_instrument`)
_READ_VERBS = frozenset({"list", "get", "retrieve", "read", "fetch", "find", "search", "show", "describe", "query"})


def role_names(groups: tuple[Group, ...], index: dict[str, Schema], items_field: str) -> dict[str, str]:
    """Classes named after what they are to the API: an inline object that is the item of a list (an array
    answered, or the array in the page's `items_field`) is called what the list's operationId says it lists, in
    the singular: `list_instruments` gives `Instrument`, `list_direct_debits` gives `DirectDebit`. A single read
    answering with the same class (`retrieve_instrument`) must agree, as must every other list of it, and all in
    one resource; else the class is named by where it sits. Keyed by provisional name."""
    said: dict[str, set[str]] = {}
    listed: set[str] = set()
    resources: dict[str, set[str]] = {}
    for group in groups:
        for operation in group.operations:
            if operation.method != "GET":
                continue
            returned = operation.return_type
            page = object_schema(returned, index)
            items = next((f.type for f in page.fields if f.name == items_field), None) if page else returned
            item = array_item(items) if items is not None else None
            if isinstance(item, Ref):
                role, target = "list", item.name
            elif isinstance(returned, Ref) and page is not None:
                role, target = "read", returned.name
            else:
                continue
            words = names.words(operation.operation_id)
            name = words[1:] if len(words) > 1 and words[0] in _READ_VERBS else []
            said.setdefault(target, set()).add(
                names.pascal("_".join([*name[:-1], names.singular(name[-1])])) if name else ""
            )
            resources.setdefault(target, set()).add(group.name)
            if role == "list":
                listed.add(target)
    found: dict[str, str] = {}
    for target in sorted(listed):
        candidates = said[target]
        if len(candidates) == 1 and len(resources[target]) == 1 and "" not in candidates:
            found[target] = next(iter(candidates))
    return found


def class_names(
    run: Run,
    requests: list[NameRequest],
    shared: dict[str, list[Hint]] | None = None,
    roles: dict[str, str] | None = None,
) -> dict[str, str]:
    """Provisional name -> real name, for every request, granted in the order requested.

    `shared`: inline enums and the places that use them. One that several places use (properties of one name)
    is named after that property, behind the words all the classes using it begin with: `AccountGroupType` for
    `AccountGroup.type` and `AccountGroupCreateRequest.type`, `Currency` for `Order.currency` and
    `FeeCollection.currency`. Those are granted last, once every class they sit in has its name.

    `roles`: inline objects named after what they are to the API (`role_names`); when another class has the
    name, by where they sit.
    """
    roles = roles or {}
    shared = {name: uses for name, uses in (shared or {}).items() if len(uses) > 1}
    taken = names.Namespace(RUNTIME_NAMES)
    granted: dict[str, str] = {}
    later = [r for r in requests if r.provisional in shared and r.kind == "inline" and r.title is None and r.field]
    deferred = {r.provisional for r in later}
    for request in [*(r for r in requests if r.provisional not in deferred), *later]:
        if request.kind == "component":
            base = run.chosen("models", request.key, request.base) or request.base
        elif request.kind == "reference":
            base = request.base
        else:
            hint = request.hint
            where = (granted[hint.anchor] if hint.anchor is not None else "") + hint.text
            if request.title is not None:
                base = names.pascal(request.title, fallback=where)
            elif request.provisional in roles:
                base = roles[request.provisional]
            elif request.provisional in deferred:
                uses = [_anchor(use, granted) for use in shared[request.provisional]]
                base = _shared_name(request.field, uses) or names.pascal(where, fallback="Model")
            else:
                base = names.pascal(where, fallback="Model")
            if base in taken and where:
                contextual = names.pascal(where, fallback="Model")
                if contextual not in taken:
                    base = contextual
            base = run.chosen("models", base) or base
        granted[request.provisional] = taken.claim(base, "")
    return granted


def _anchor(hint: Hint, granted: dict[str, str]) -> str:
    """The name of the class a use sits in (its hint's anchor), else the hint's text."""
    return granted[hint.anchor] if hint.anchor is not None and hint.anchor in granted else hint.text


#: property names too general to name a class by themselves (`Type`): behind no common words, the first place's
#: name is kept (`ReportType`)
_GENERAL = frozenset({"type", "status", "state", "kind", "category", "mode", "code", "name", "value", "id", "item"})


def _shared_name(field: str, classes: list[str]) -> str:
    """The property's name behind the words every class begins with (none: the property's name alone); "" when
    that is one general word (`type`)."""
    words = [names.words(name) for name in classes]
    common: list[str] = []
    for group in zip(*words):
        if len(set(group)) != 1:
            break
        common.append(group[0])
    own = names.words(field)
    if common and own[: len(common)] == common:  # `order_type` in Order: OrderType, not OrderOrderType
        common = []
    if not common and len(own) == 1 and own[0] in _GENERAL:
        return ""
    return names.pascal("_".join([*common, *own]), fallback="Model")

class Naming:
    """Rewrites what the earlier passes made with provisional names into the same with the real ones."""

    def __init__(self, run: Run, granted: dict[str, str]) -> None:
        self._run = run
        self._granted = granted
        #: composite types by id, each kept with its rewrite (types are shared widely; the key object stays alive)
        self._types: dict[int, tuple[Type, Type]] = {}
        self._refs: dict[str, Ref] = {}

    def name(self, provisional: str) -> str:
        return self._granted[provisional]

    def type(self, type_: Type) -> Type:
        kind = type(type_)
        if kind is Ref:
            return self._refs.get(type_.name) or self._ref(type_)  # type: ignore[union-attr,arg-type]
        if kind in _LEAVES:
            return type_
        known = self._types.get(id(type_))
        if known is not None and known[0] is type_:
            return known[1]
        renamed: Type
        if isinstance(type_, ArrayType):
            renamed = ArrayType(self.type(type_.item))
        elif isinstance(type_, MapType):
            renamed = MapType(self.type(type_.value))
        elif isinstance(type_, Nullable):
            renamed = Nullable(self.type(type_.inner))
        elif isinstance(type_, UnionType):
            renamed = UnionType(
                tuple(self.type(v) for v in type_.variants),
                type_.discriminator,
                tuple((value, self.type(variant)) for value, variant in type_.tags),
            )
        else:  # pragma: no cover - every kind of type is handled above
            raise TypeError(f"unknown type {type_!r}")
        self._types[id(type_)] = (type_, renamed)
        return renamed

    def _ref(self, ref: Ref) -> Ref:
        renamed = ref if ref.name in RUNTIME_NAMES else Ref(self._granted[ref.name])
        self._refs[ref.name] = renamed
        return renamed

    def optional_type(self, type_: Type | None) -> Type | None:
        return None if type_ is None else self.type(type_)

    def schema(self, schema: Schema) -> Schema:
        name = self._granted[schema.name]
        if isinstance(schema, ObjectSchema):
            return ObjectSchema(name, self._fields(name, schema.fields), schema.description, schema.pointer)
        if isinstance(schema, EnumSchema):
            members = schema.members
            if self._run.config.names.enum_members:  # keyed on the class name: named now
                members = member_names(self._run, [m.value for m in members], name)
            return EnumSchema(name, schema.kind, members, schema.description, schema.pointer)
        return AliasSchema(name, self.type(schema.type), schema.description, schema.pointer)

    def _fields(self, class_name: str, fields: tuple[Field, ...]) -> tuple[Field, ...]:
        if self._run.config.names.fields:  # keyed on the class name: named now
            python_names = field_names(self._run, [f.name for f in fields], class_name)
        else:
            python_names = [f.python_name for f in fields]
        named: list[Field] = []
        for field, python_name in zip(fields, python_names):
            type_ = field.type if type(field.type) in _LEAVES else self.type(field.type)
            if type_ is field.type and python_name == field.python_name:
                named.append(field)
            else:
                named.append(Field(field.name, python_name, type_, field.required, field.description, field.deprecated))
        return fields if all(new is old for new, old in zip(named, fields)) else tuple(named)

    def parameter(self, parameter: Parameter) -> Parameter:
        type_ = self.type(parameter.type)
        return parameter if type_ is parameter.type else replace(parameter, type=type_)

    def body(self, body: RequestBody) -> RequestBody:
        type_ = self.type(body.type)
        return body if type_ is body.type else replace(body, type=type_)

    def response(self, response: Response) -> Response:
        contents = tuple(
            c if c.type is None or type(c.type) in _LEAVES else Content(c.media_type, c.kind, self.type(c.type))
            for c in response.contents
        )
        if all(new is old for new, old in zip(contents, response.contents)):
            return response
        return Response(response.status, response.description, contents, response.problem, response.headers)

    def webhook(self, webhook: Webhook) -> Webhook:
        return replace(webhook, type=self.optional_type(webhook.type), event_type=self.optional_type(webhook.event_type))

    def client_header(self, header: ClientHeader) -> ClientHeader:
        return replace(header, type=self.type(header.type))


def field_names(run: Run, keys: list[str], class_name: str | None = None) -> list[str]:
    """The Python names of a class's fields, by their wire names; with `class_name`, the configuration's
    `names.fields` (keyed on `<class>.<property>`) first."""
    taken = names.Namespace(FIELD_RESERVED)
    found: list[str] = []
    for key in keys:
        python_name = (class_name is not None and run.chosen("fields", f"{class_name}.{key}")) or names.snake(
            key, fallback="field"
        )
        if python_name.startswith("model_"):  # pydantic keeps model_ for itself
            python_name = f"{python_name}_"
        found.append(taken.claim(names.safe(python_name, FIELD_RESERVED)))
    return found


def member_names(run: Run, values: list[str | int], class_name: str | None = None) -> tuple[EnumMember, ...]:
    """An enum's members; with `class_name`, the configuration's `names.enum-members` (keyed on
    `<class>.<value>`) first."""
    taken = names.Namespace({"mro"})
    members: list[EnumMember] = []
    for value in values:
        python_name = class_name is not None and run.chosen("enum_members", f"{class_name}.{value}")
        members.append(EnumMember(taken.claim(python_name or names.constant(str(value))), value))
    return tuple(members)
