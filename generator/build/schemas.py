"""The schemas pass: schema nodes converted to types, and the classes (objects, enums, aliases) they need.

Classes get provisional names here, each with a request for its real name (`NameRequest`); the naming pass
(`generator.build.naming`) decides the real names once every schema is collected. Objects of the same shape share
one class; a string enum of the same values and title shares one class.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from generator import names
from generator.build.common import (
    PRIMITIVES,
    Context,
    Hint,
    Run,
    array_item,
    mapping,
    nullable,
    object_schema,
    refs,
    sequence,
    text,
    unique,
)
from generator.build.naming import NameRequest, field_names, member_names
from generator.load import Location, RefError, escape_pointer_token, unescape_pointer_token
from generator.model import (
    AliasSchema,
    AnyType,
    ArrayType,
    EnumMember,
    EnumSchema,
    Field,
    LiteralType,
    MapType,
    Nullable,
    ObjectSchema,
    Ref,
    Schema,
    Type,
    UnionType,
)

_DOC_KEYS = frozenset({"description", "example", "examples", "externalDocs", "deprecated", "summary", "xml"})
_DECIMAL_SAMPLES = ("1.5", "1.50", "0.25")
class TooDeep(Exception):
    """Schemas nest deeper than Python's stack allows; `location` is the innermost one that still had room."""

    def __init__(self, location: Location) -> None:
        super().__init__(location.pointer)
        self.location = location


@dataclass
class Schemas:
    """The registry of classes: filled by converting schema nodes (`convert`), read by the passes after it."""

    run: Run
    #: the classes, in the order made, under their provisional names
    schemas: list[Schema] = field(default_factory=list)
    index: dict[str, Schema] = field(default_factory=dict)
    requests: list[NameRequest] = field(default_factory=list)
    _discriminators: frozenset[str] = frozenset()
    _by_location: dict[Location, Type] = field(default_factory=dict)
    #: enum classes by kind, values and title
    _by_shape: dict[tuple[Any, ...], Type] = field(default_factory=dict)
    _component_names: dict[Location, str] = field(default_factory=dict)
    _pending: list[tuple[Location, Any, str]] = field(default_factory=list)
    _merging: set[Location] = field(default_factory=set)
    #: base schemas with a discriminator (no oneOf) -> the union a reference to one stands for
    _subtypes: dict[Location, Type] = field(default_factory=dict)
    #: those unions, made in `drain`: (name, base key, property, base pointer, (value, component) pairs)
    _subtype_unions: list[tuple[str, str, str, str, tuple[tuple[str, Location], ...]]] = field(default_factory=list)
    #: components that are only a cycle of references, warned about once their names are known
    cycles: list[tuple[str, Context]] = field(default_factory=list)
    #: inline enum classes -> where each use sits (properties of one name: the shape key holds it)
    enum_uses: dict[str, list[Hint]] = field(default_factory=dict)
    #: object schemas by a cheap key, whose full shapes are not worked out yet; classes by full shape
    _object_shapes: dict[tuple[Any, ...], list[tuple[Any, Type]]] = field(default_factory=dict)
    _object_classes: dict[int, Type] = field(default_factory=dict)
    _shapes: _Shapes = field(default_factory=lambda: _Shapes())

    def __post_init__(self) -> None:
        self._discriminators = _discriminator_properties(self.run)
        self._claim_components()
        self._subtypes = self._find_subtypes()

    # -- what the passes after this one read ---------------------------------------------------------

    def object_schema(self, type_: Type | None) -> ObjectSchema | None:
        return object_schema(type_, self.index)

    def values_of(self, type_: Type) -> tuple[str, ...]:
        """The values a field of this type can take, when it is an enum or a literal."""
        if isinstance(type_, Nullable):
            return self.values_of(type_.inner)
        if isinstance(type_, LiteralType):
            return type_.values
        schema = self.index.get(type_.name) if isinstance(type_, Ref) else None
        if isinstance(schema, EnumSchema):
            return tuple(str(m.value) for m in schema.members)
        return ()

    def drain(self) -> None:
        """Convert the components no operation or webhook referred to: the last conversion. The caches that
        served conversion (places, shapes) go now, before the naming pass makes a second copy of the classes."""
        while self._pending:
            location, node, name = self._pending.pop(0)
            if location not in self._by_location:
                self._named(node, Context(location.file, location.pointer, Hint("", name)), location, name)
        for name, key, property_name, pointer, sources in self._subtype_unions:
            tags: dict[str, Type] = {}
            for value, where in sources:
                type_ = self._by_location.get(where, AnyType())
                tags[value] = type_.inner if isinstance(type_, Nullable) else type_
            union = UnionType(tuple(dict.fromkeys(tags.values())), property_name, tuple(tags.items()))
            self._add(AliasSchema(name, union, f"Any schema that extends {key}, by its {property_name}.", pointer))
        self._by_location.clear()
        self._by_shape.clear()
        self._object_shapes.clear()
        self._object_classes.clear()
        self._shapes = _Shapes()

    # -- provisional names -----------------------------------------------------------------------------

    def _request(self, kind: Literal["component", "reference", "inline"], **details: Any) -> str:
        provisional = f"\x00{len(self.requests)}\x00"
        self.requests.append(NameRequest(provisional, kind, **details))
        return provisional

    def _claim_components(self) -> None:
        components = self.run.document.root.get("components")
        schemas = components.get("schemas") if isinstance(components, dict) else None
        if not isinstance(schemas, dict):
            return
        main = self.run.document.main
        # by key, not by order: a key that is its own class name first, so `Pet` keeps `Pet` beside `PET` and `pet`
        for key, node in sorted(
            schemas.items(), key=lambda item: (names.pascal(str(item[0])) != item[0], str(item[0]))
        ):
            location = Location(main, f"/components/schemas/{escape_pointer_token(key)}")
            name = self._request("component", key=str(key), base=names.pascal(str(key), fallback="Model"))
            self._component_names[location] = name
            self._pending.append((location, node, name))

    def _find_subtypes(self) -> dict[Location, Type]:
        """Components with a discriminator and no oneOf/anyOf (a base, as in `Cat: allOf: [Pet, ...]`), each
        with the union of the components that extend it (`allOf` with a `$ref` to it) or that its mapping names.
        The values: the mapping's, then each subtype's component key (OpenAPI's implicit mapping)."""
        components = self.run.document.root.get("components")
        schemas = mapping(components.get("schemas") if isinstance(components, dict) else None)
        main = self.run.document.main

        def located(ref: Any) -> Location | None:
            if not isinstance(ref, str):
                return None
            try:
                return self.run.document.resolve(ref, main)[0]
            except RefError:
                return None

        by_key = sorted(schemas.items(), key=lambda item: str(item[0]))  # an order of content, as names need
        bases = {
            Location(main, f"/components/schemas/{escape_pointer_token(key)}"): node["discriminator"]
            for key, node in by_key
            if isinstance(node, dict)
            and isinstance(node.get("discriminator"), dict)
            and not any(k in node for k in ("oneOf", "anyOf"))
        }
        if not bases:
            return {}
        extending: dict[Location, list[tuple[str, Location]]] = {base: [] for base in bases}
        for key, node in by_key:
            parts = node.get("allOf") if isinstance(node, dict) else None
            here = Location(main, f"/components/schemas/{escape_pointer_token(key)}")
            for part in parts if isinstance(parts, list) else ():
                base = located(part.get("$ref")) if isinstance(part, dict) else None
                if base in extending and base != here:
                    extending[base].append((str(key), here))
        found: dict[Location, Type] = {}
        for base, discriminator in bases.items():
            tags: dict[str, Location] = {}
            for value, target in mapping(discriminator.get("mapping")).items():
                if not isinstance(target, str):
                    continue
                plain = "/" not in target and "#" not in target
                where = located(f"#/components/schemas/{escape_pointer_token(target)}" if plain else target)
                if where is not None and where != base and where in self._component_names:
                    tags[str(value)] = where
            for key, where in extending[base]:
                tags.setdefault(key, where)
            property_name = str(discriminator.get("propertyName") or "")
            if tags and property_name:
                # a class of its own (`AnyVehicle`), so resources and models refer to it by name; made in
                # `drain`, once every component has its type (one that is only a $ref has no class of its own)
                key = unescape_pointer_token(base.pointer.rsplit("/", 1)[-1])
                name = self._request("reference", base="Any" + names.pascal(key, fallback="Model"))
                self._subtype_unions.append((name, key, property_name, base.pointer, tuple(tags.items())))
                found[base] = Ref(name)
        return found

    def _class_name(self, node: dict[str, Any], context: Context) -> str:
        title = node.get("title")
        return self._request(
            "inline",
            title=title if isinstance(title, str) and title.strip() else None,
            hint=context.name,
            field=context.field,
        )

    def _field_names(self, keys: list[str]) -> list[str]:
        """Fields' Python names; left to the naming pass when the configuration names fields (by class name)."""
        if self.run.config.names.fields:
            return [""] * len(keys)
        return field_names(self.run, keys)

    def _members(self, values: list[Any]) -> tuple[EnumMember, ...]:
        """Enum members; left to the naming pass when the configuration names members (by class name)."""
        if self.run.config.names.enum_members:
            return tuple(EnumMember("", v) for v in values)
        return member_names(self.run, values)

    # -- classes -----------------------------------------------------------------------------------------

    def _add(self, schema: Schema) -> None:
        self.schemas.append(schema)
        self.index[schema.name] = schema

    def _same_object(self, node: dict[str, Any]) -> tuple[Type | None, int | None]:
        """The class of an object schema of the same shape met before, and this one's shape (when worked out).

        Full shapes (every nested schema, documentation aside) cost a walk of the subtree, so they are worked out
        only for schemas that share a cheap key (their keywords and property names) with one met before.
        """
        waiting = self._object_shapes.get(_shape_bucket(node))
        if waiting is None:
            return None, None
        for other, type_ in waiting:  # in the order met: the first class of a shape keeps it
            self._object_classes.setdefault(self._shapes.of(other), type_)
        waiting.clear()
        shape = self._shapes.of(node)
        return self._object_classes.get(shape), shape

    def _add_object_shape(self, node: dict[str, Any], type_: Type, shape: int | None) -> None:
        if shape is not None:  # its bucket was just worked out: straight to the classes
            self._object_classes.setdefault(shape, type_)
        else:
            self._object_shapes.setdefault(_shape_bucket(node), []).append((node, type_))

    def _named(self, node: Any, context: Context, location: Location, name: str) -> Type:
        """Convert a schema that has a name of its own (a component or a `$ref` target)."""
        # what a reference met while converting it stands for: nullable when the schema says so
        says_null = isinstance(node, dict) and node.get("nullable") is True and isinstance(node.get("properties"), dict)
        self._by_location[location] = Nullable(Ref(name)) if says_null else Ref(name)
        type_ = self.convert(node, context, name=name)
        if type_ != Ref(name):
            if isinstance(type_, Ref) and type_.name != name:
                self._by_location[location] = type_
                return type_
            if isinstance(type_, Nullable) and type_.inner == Ref(name) and name in self.index:
                self._by_location[location] = type_  # every later reference carries the target's nullability
                return type_
            if not (isinstance(type_, Nullable) and type_.inner == Ref(name)):
                description = text(node.get("description")) if isinstance(node, dict) else ""
                self._add(AliasSchema(name, type_, description, location.pointer))
        if name not in self.index:
            # nothing but references, round in a circle (A: {$ref: A}; A -> B -> A): no type to give it; the
            # warning waits for the real name (`generator.build`)
            self.cycles.append((name, context))
            self._add(AliasSchema(name, AnyType(), "", location.pointer))
        return Ref(name)

    # -- conversion ---------------------------------------------------------------------------------------

    def convert(self, node: Any, context: Context, *, name: str | None = None) -> Type:
        """The type of a schema node; `name` forces the (provisional) name a class made for it takes."""
        try:
            return self._convert(node, context, name)
        except RecursionError:
            # the innermost schema that still had room reports where the nesting ran out; the frames above it
            # let the TooDeep through, so the message names the place, not the top of the chain
            raise TooDeep(Location(context.file, context.pointer)) from None

    def _convert(self, node: Any, context: Context, name: str | None) -> Type:
        if node is None or node is True or node == {}:
            return AnyType()
        if not isinstance(node, dict):
            if node is not False:
                self.run.warn("schema-invalid", "a schema must be a mapping; typed as Any", context)
            return AnyType()
        if isinstance(node.get("$ref"), str):
            return self._reference(node["$ref"], context)
        is_nullable = node.get("nullable") is True
        raw_type = node.get("type")
        if isinstance(raw_type, list):
            types = [str(t) for t in raw_type]
            if "null" in types:
                is_nullable = True
                types.remove("null")
            if len(types) > 1:
                variants = tuple(self.convert({**node, "type": t, "title": None}, context) for t in types)
                return nullable(UnionType(unique(variants)), is_nullable)
            raw_type = types[0] if types else None
        if raw_type == "null":
            return Nullable(AnyType())
        if "allOf" in node:
            merged = self._merge_all_of(node, context)
            if merged is not None:
                return self.convert(merged, context, name=name)
        for keyword in ("oneOf", "anyOf"):
            if isinstance(node.get(keyword), list) and node[keyword]:
                return self._union(node, keyword, context, name, is_nullable)
        if "enum" in node and isinstance(node["enum"], list):
            return self._enum(node, context, name, is_nullable)
        if "const" in node:
            return self._enum({**node, "enum": [node["const"]]}, context, name, is_nullable)
        if raw_type is None:
            if isinstance(node.get("properties"), dict) or "additionalProperties" in node:
                raw_type = "object"
            elif "items" in node:
                raw_type = "array"
        return nullable(self._plain(node, str(raw_type) if raw_type else "", context, name), is_nullable)

    def _plain(self, node: dict[str, Any], type_name: str, context: Context, name: str | None) -> Type:
        if type_name == "string":
            fmt = str(node.get("format", ""))
            if fmt == "date":
                return PRIMITIVES["date"]
            if fmt == "date-time":
                return PRIMITIVES["datetime"]
            if fmt == "uuid":
                return PRIMITIVES["uuid"]
            if fmt == "binary":
                return PRIMITIVES["bytes"]
            if fmt == "decimal" or _is_decimal_pattern(node.get("pattern")):
                if _matches_empty(node.get("pattern")):  # Upvest's `^[0-9]{0,63}(\.[0-9]{1,27})?$` allows ""
                    return UnionType((PRIMITIVES["decimal"], LiteralType(("",))))
                return PRIMITIVES["decimal"]
            return PRIMITIVES["str"]
        if type_name == "integer":
            return PRIMITIVES["int"]
        if type_name == "number":
            return PRIMITIVES["decimal"] if node.get("format") == "decimal" else PRIMITIVES["float"]
        if type_name == "boolean":
            return PRIMITIVES["bool"]
        if type_name == "array":
            items = node.get("items")
            item_context = Context(context.file, f"{context.pointer}/items", context.name + "Item", context.field)
            return ArrayType(self.convert(items, item_context))
        if type_name == "object":
            return self._object(node, context, name)
        if type_name:
            self.run.warn("schema-type", f"unknown schema type '{type_name}'; typed as Any", context)
        return AnyType()

    def _reference(self, ref: str, context: Context) -> Type:
        try:
            location, target = self.run.document.resolve(ref, context.file)
        except RefError as exc:
            self.run.warn("ref-unresolvable", f"{exc}; typed as Any", context)
            return AnyType()
        polymorphic = self._subtypes.get(location)
        if polymorphic is not None:  # a base schema with a discriminator: whichever schema extends it
            return polymorphic
        known = self._by_location.get(location)
        if known is not None:
            return known
        component = self._component_names.get(location)
        if component is not None:
            return self._named(target, Context(location.file, location.pointer, Hint("", component)), location, component)
        # a reference into some other place: the target becomes a schema of its own when it needs a name
        last = location.pointer.rsplit("/", 1)[-1] or location.file.rsplit("/", 1)[-1].split(".")[0]
        title = target.get("title") if isinstance(target, dict) else None
        base = names.pascal(str(title) if isinstance(title, str) and title.strip() else last, fallback="Model")
        if _needs_class(target):
            name = self._request("reference", base=base)
            return self._named(target, Context(location.file, location.pointer, Hint("", name)), location, name)
        self._by_location[location] = AnyType()  # a cycle through plain types ends as Any
        type_ = self.convert(target, Context(location.file, location.pointer, Hint(base)))
        self._by_location[location] = type_
        return type_

    def _merge_all_of(self, node: dict[str, Any], context: Context) -> dict[str, Any] | None:
        parts = node.get("allOf")
        if not isinstance(parts, list):
            return None
        merged: dict[str, Any] = {k: v for k, v in node.items() if k != "allOf"}
        properties: dict[str, Any] = dict(merged.get("properties") or {})
        required: list[str] = list(sequence(merged.get("required")))
        for index, part in enumerate(parts):
            part, where = self.run.follow(part, Location(context.file, f"{context.pointer}/allOf/{index}"))
            if not isinstance(part, dict):
                continue
            if "allOf" in part:
                if where in self._merging:
                    self.run.warn("allof-cycle", "an allOf includes itself; the repeated part is left out", context)
                    continue
                self._merging.add(where)
                try:
                    part = self._merge_all_of(part, Context(where.file, where.pointer, context.name)) or {}
                finally:
                    self._merging.discard(where)
            for key, value in part.items():
                if key == "properties" and isinstance(value, dict):
                    properties.update(value)
                elif key == "required" and isinstance(value, list):
                    required.extend(r for r in value if r not in required)
                else:  # the outer schema's own keywords win, then the first part that has one
                    merged.setdefault(key, value)
        if properties:
            merged["properties"] = properties
        if required:
            merged["required"] = required
        return merged

    def _union(
        self, node: dict[str, Any], keyword: str, context: Context, name: str | None, is_nullable: bool
    ) -> Type:
        variants: list[Type] = []
        empty_lists: list[Type] = []
        base = {k: v for k, v in node.items() if k not in (keyword, "title", "description", "nullable")}
        hint = Hint("", name) if name is not None else context.name
        referenced: list[tuple[str, Type]] = []  # (the $ref of a variant, its type)
        for index, variant in enumerate(node[keyword]):
            variant_context = Context(context.file, f"{context.pointer}/{keyword}/{index}", hint + f"Variant{index + 1}")
            if base.get("properties") and isinstance(variant, dict) and "$ref" not in variant:
                variant = {**base, **variant}
            type_ = self.convert(variant, variant_context)
            if isinstance(type_, Nullable):
                is_nullable = True
                type_ = type_.inner
                if isinstance(type_, AnyType) and isinstance(variant, dict) and variant.get("type") == "null":
                    continue
            if isinstance(variant, dict) and variant.get("type") == "array" and variant.get("maxItems") == 0:
                empty_lists.append(type_)
                continue
            if isinstance(variant, dict) and isinstance(variant.get("$ref"), str):
                referenced.append((variant["$ref"], type_))
            variants.append(type_)
        if empty_lists and not any(array_item(v) is not None for v in variants):
            variants += empty_lists  # "or an empty list" matters only when no other branch is a list
        variants = list(unique(variants))
        discriminator = node.get("discriminator")
        property_name = discriminator.get("propertyName") if isinstance(discriminator, dict) else None
        if not variants:
            return Nullable(AnyType())
        if len(variants) == 1:
            return nullable(variants[0], is_nullable)
        tags = self._tags(mapping(discriminator), str(property_name), referenced, variants, context) if property_name else ()
        result = UnionType(tuple(variants), str(property_name) if property_name else None, tags)
        return nullable(result, is_nullable)

    def _tags(
        self,
        discriminator: dict[str, Any],
        property_name: str,
        referenced: list[tuple[str, Type]],
        variants: list[Type],
        context: Context,
    ) -> tuple[tuple[str, Type], ...]:
        """Discriminator value -> variant: the mapping's entries (a `$ref` or a schema name each); the values a
        variant's own property allows, when it is an enum (`pet_type: {enum: [cat]}`); and, for a variant
        nothing names yet, its schema's name (OpenAPI's implicit mapping)."""
        tags: dict[str, Type] = {}
        for value, target in mapping(discriminator.get("mapping")).items():
            if not isinstance(target, str):
                continue
            plain = "/" not in target and "#" not in target
            ref = f"#/components/schemas/{escape_pointer_token(target)}" if plain else target
            type_ = self._reference(ref, context)
            if isinstance(type_, Nullable):
                type_ = type_.inner
            if type_ in variants:
                tags[str(value)] = type_
        for variant in variants:
            schema = self.object_schema(variant)
            field = next((f for f in schema.fields if f.name == property_name), None) if schema else None
            if field is not None and isinstance(field.type, LiteralType):
                for value in field.type.values:
                    tags.setdefault(value, variant)
        named = set(tags.values())
        for ref, type_ in referenced:
            implicit = unescape_pointer_token(ref.rsplit("/", 1)[-1])
            if type_ not in named and implicit and implicit not in tags:
                tags[implicit] = type_
        return tuple(tags.items())

    def _enum(self, node: dict[str, Any], context: Context, name: str | None, is_nullable: bool) -> Type:
        values = list(node["enum"])
        if None in values:
            is_nullable = True
            values = [v for v in values if v is not None]
        if not values:
            return Nullable(AnyType())
        if all(isinstance(v, str) for v in values):
            kind = "str"
        elif all(isinstance(v, int) and not isinstance(v, bool) for v in values):
            kind = "int"
        elif all(isinstance(v, bool) for v in values):
            return nullable(PRIMITIVES["bool"], is_nullable)
        elif all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values):
            return nullable(PRIMITIVES["float"], is_nullable)
        else:
            self.run.warn("enum-mixed", "an enum mixes value types; typed as Any", context)
            return nullable(AnyType(), is_nullable)
        values = list(dict.fromkeys(values))
        if kind == "str" and len(values) == 1 and context.field in self._discriminators:
            # the tag of a union variant: a literal, so the union can dispatch on it
            return nullable(LiteralType((values[0],)), is_nullable)
        title = node.get("title")
        # one class per property name and values: enums that merely share values stay apart (editing one is no
        # rename of the other); one that several properties of one name share is named by the naming pass
        title_key = title if isinstance(title, str) else json.dumps(title, default=str)
        shape = (kind, tuple(values), title_key, context.field)
        known = self._by_shape.get(shape)
        if known is not None and name is None:
            if isinstance(known, Ref) and known.name in self.enum_uses:
                self.enum_uses[known.name].append(context.name)
            return nullable(known, is_nullable)
        if name is None:
            name = self._class_name(node, context)
            self.enum_uses[name] = [context.name]
        enum = EnumSchema(
            name=name,
            kind=kind,  # type: ignore[arg-type]
            members=self._members(values),
            description=text(node.get("description")),
            pointer=context.pointer,
        )
        self._add(enum)
        self._by_shape.setdefault(shape, Ref(name))
        return nullable(Ref(name), is_nullable)

    def _object(self, node: dict[str, Any], context: Context, name: str | None) -> Type:
        properties = node.get("properties") if isinstance(node.get("properties"), dict) else {}
        additional = node.get("additionalProperties")
        if not properties:
            if isinstance(additional, dict) and additional:
                value = self.convert(
                    additional,
                    Context(context.file, f"{context.pointer}/additionalProperties", context.name + "Value"),
                )
                return MapType(value)
            return MapType(AnyType())
        # nullability is the field's business (a Nullable around the class), not the class's
        shaped = {k: v for k, v in node.items() if k != "nullable"}
        shape = None
        if name is None:
            known, shape = self._same_object(shaped)
            if known is not None:
                return known
            name = self._class_name(node, context)
        self._add_object_shape(shaped, Ref(name), shape)
        required = {str(r) for r in sequence(node.get("required")) if isinstance(r, str)}
        keys = [str(key) for key in properties]
        undeclared = sorted(required.difference(keys))
        if undeclared:
            listed = ", ".join(f"'{key}'" for key in undeclared)
            self.run.warn(
                "required-undeclared",
                f"required {listed} not among the properties: not typed; in a request body, send"
                f" {'them' if len(undeclared) > 1 else 'it'} with options={{'extra_body': {{...}}}}",
                context,
            )
        fields: list[Field] = []
        for key, python_name, schema in zip(keys, self._field_names(keys), properties.values()):
            field_context = Context(
                context.file,
                f"{context.pointer}/properties/{escape_pointer_token(key)}",
                Hint(names.pascal(key, fallback="Field"), name),
                key,
            )
            fields.append(
                Field(
                    name=key,
                    python_name=python_name,
                    type=self.convert(schema, field_context),
                    required=key in required,
                    description=text(schema.get("description")) if isinstance(schema, dict) else "",
                    deprecated=bool(schema.get("deprecated")) if isinstance(schema, dict) else False,
                )
            )
        self._add(ObjectSchema(name, tuple(fields), text(node.get("description")), context.pointer))
        return Ref(name)


#: starts with its literal, so the regex engine jumps to each occurrence (an optional quote in front would make it
#: try every position of the text)
_PROPERTY_NAME = re.compile(r"""propertyName["']?\s*:\s*["']?([^"',}\s]+)""")


def _discriminator_properties(run: Run) -> frozenset[str]:
    """Property names any discriminator in the document uses (found in the text: cheap, and order-free)."""
    return frozenset(m.group(1) for source in run.document.texts() for m in _PROPERTY_NAME.finditer(source))


class _Shapes:
    """Numbers equal for schemas of the same shape, whatever their documentation says.

    Each mapping and list gets the number of its content: its members (documentation left out), with the numbers
    of those that are mappings or lists, so every key looked up is flat and cheap to hash. A mapping's number is
    worked out once and reused in the shapes of the schemas around it (kept with the mapping, so that no other
    object can take its id).
    """

    def __init__(self) -> None:
        self._numbers: dict[tuple[Any, ...], int] = {}
        self._known: dict[int, tuple[Any, int]] = {}

    def of(self, node: dict[Any, Any]) -> int:
        """The number of `node`'s shape; `node` may be a mapping made for the occasion (it is not remembered).

        A member is its text when it is text (most are: asked for inline, that saves a call each), the number of
        its shape when it is a mapping or list, and (type name, value) for other scalars: the three never equal
        one another.
        """
        member = self._member
        members = []
        for k, v in node.items():
            if k in _DOC_KEYS:
                continue
            key = k if type(k) is str else str(k)
            if key.startswith("x-"):
                continue
            members.append((key, v if type(v) is str else member(v)))
        members.sort(key=_first)
        return self._numbers.setdefault(("{", *members), len(self._numbers))

    def _member(self, value: Any) -> Any:
        kind = type(value)
        if kind is str:
            return value
        if kind is dict:
            known = self._known.get(id(value))
            if known is None or known[0] is not value:
                known = self._known[id(value)] = (value, self.of(value))
            return known[1]
        if kind is list:
            return self._numbers.setdefault(("[", *map(self._member, value)), len(self._numbers))
        # as JSON tells them apart: 1, 1.0 and true differ, NaN equals NaN, anything else is its text
        return (kind.__name__, repr(value) if kind is float else value if kind in (int, bool) else str(value))


def _first(member: tuple[str, Any]) -> str:
    return member[0]


def _shape_bucket(node: dict[str, Any]) -> tuple[Any, ...]:
    """A cheap key that objects of the same shape (`_Shapes`) share: their keywords and their property names."""
    keys = sorted(str(k) for k in node if k not in _DOC_KEYS and not str(k).startswith("x-"))
    properties = node.get("properties")
    names_ = sorted(map(str, properties)) if isinstance(properties, dict) else []
    return (*keys, "|", *names_)


def _needs_class(node: Any) -> bool:
    if not isinstance(node, dict):
        return False
    return bool(
        isinstance(node.get("properties"), dict)
        and node["properties"]
        or "enum" in node
        or "oneOf" in node
        or "anyOf" in node
        or "allOf" in node
    )


def _is_decimal_pattern(pattern: Any) -> bool:
    if not isinstance(pattern, str) or len(pattern) > 200:
        return False
    try:
        compiled = re.compile(pattern)
    except re.error:
        return False
    return any(compiled.fullmatch(sample) for sample in _DECIMAL_SAMPLES) and not compiled.search("abc")


def _matches_empty(pattern: Any) -> bool:
    try:
        return isinstance(pattern, str) and re.search(pattern, "") is not None
    except re.error:
        return False


def break_alias_cycles(run: Run, schemas: list[Schema]) -> list[Schema]:
    """Aliases are runtime expressions, so one cannot refer to itself, directly or through other aliases
    (`Tree = Dict[str, Tree]`): the reference that closes a cycle becomes Any, with a warning."""
    aliases = {s.name: s for s in schemas if isinstance(s, AliasSchema)}
    fixed: dict[str, AliasSchema] = {}
    state: dict[str, int] = {}

    def visit(name: str) -> None:
        state[name] = 1
        alias = aliases[name]
        closing = {ref for ref in refs(alias.type) if ref in aliases and state.get(ref) == 1}
        for ref in refs(alias.type):
            if ref in aliases and ref not in closing and state.get(ref) is None:
                visit(ref)
        if closing:
            aliases[name] = fixed[name] = replace(alias, type=_without_refs(alias.type, closing))
            run.warn(
                "recursive-alias",
                f"type '{name}' refers to itself through {', '.join(sorted(closing))}; that reference is typed as Any",
                Context(run.document.main, alias.pointer, Hint(name)),
            )
        state[name] = 2

    try:
        for name in list(aliases):
            if state.get(name) is None:
                visit(name)
    finally:
        del visit  # the closure refers to itself: left, only the cycle collector frees it
    return [fixed.get(s.name, s) for s in schemas] if fixed else schemas


def _without_refs(type_: Type, names_: set[str]) -> Type:
    """The type with references to `names_` replaced by Any."""
    if isinstance(type_, Ref):
        return AnyType() if type_.name in names_ else type_
    if isinstance(type_, ArrayType):
        return ArrayType(_without_refs(type_.item, names_))
    if isinstance(type_, MapType):
        return MapType(_without_refs(type_.value, names_))
    if isinstance(type_, Nullable):
        return Nullable(_without_refs(type_.inner, names_))
    if isinstance(type_, UnionType):
        return UnionType(
            tuple(_without_refs(v, names_) for v in type_.variants),
            type_.discriminator,
            tuple((value, _without_refs(variant, names_)) for value, variant in type_.tags),
        )
    return type_
