"""What the passes of the build share: the run (document, configuration, warnings, configured names used), where a
schema sits and what a class made for it may be called, and small pure helpers over spec values."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping, get_args
from urllib.parse import urlsplit

from generator.config import Config
from generator.diagnostics import Diagnostic
from generator.load import Document, Location, escape_pointer_token
from generator.model import (
    ArrayType,
    BodyKind,
    LiteralType,
    MapType,
    Nullable,
    ObjectSchema,
    Primitive,
    PrimitiveKind,
    Ref,
    ResponseKind,
    Schema,
    Type,
    UnionType,
)

#: the primitive types, made once: the build asks for tens of thousands of them
PRIMITIVES: dict[str, Primitive] = {kind: Primitive(kind) for kind in get_args(PrimitiveKind)}
_JSON_MEDIA = re.compile(r"^application/([\w.+-]*\+)?json(;.*)?$|^\*/\*$|^application/\*$", re.IGNORECASE)
_TEXT_MEDIA = re.compile(r"^text/", re.IGNORECASE)
_FORM_MEDIA = "application/x-www-form-urlencoded"
_MULTIPART_MEDIA = "multipart/form-data"


@dataclass
class Run:
    """One build: the document, the settled configuration, and what the passes report back."""

    document: Document
    config: Config
    diagnostics: list[Diagnostic] = field(default_factory=list)
    #: (kind, key) of every entry of the configuration's `names` tables that matched something
    names_used: set[tuple[str, str]] = field(default_factory=set)

    def warn(self, code: str, message: str, context: Context) -> None:
        diagnostic = self.document.diagnostic("warning", code, message, Location(context.file, context.pointer))
        if diagnostic not in self.diagnostics:  # a shared parameter or schema is met once per use
            self.diagnostics.append(diagnostic)

    def warn_configuration(self, code: str, message: str) -> None:
        self.diagnostics.append(Diagnostic("warning", code, message, str(self.config.source or "configuration")))

    def follow(self, node: Any, location: Location) -> tuple[Any, Location]:
        """`node` with its `$ref`s followed, and where it was found."""
        return self.document.follow(node, location)

    def chosen(self, kind: str, *keys: str) -> str | None:
        """The configured name for the first of `keys` that has one (names.<kind> in the configuration)."""
        for key in keys:
            chosen = self.config.names.lookup(kind, key)
            if chosen is not None:
                self.names_used.add((kind, key))
                return chosen
        return None

    def warn_unused_names(self) -> None:
        for kind in ("operations", "resources", "models", "fields", "enum_members"):
            for key, _ in getattr(self.config.names, kind):
                if (kind, key) not in self.names_used:
                    table = kind.replace("_", "-")
                    self.warn_configuration(
                        "names-unused", f"names.{table}: '{key}' matches nothing in the spec; the name is not used"
                    )


class Hint:
    """What a class made for a schema is called when nothing better names it: `text` after the name of the class
    `anchor` (a property `currency` of the class `Order`: `OrderCurrency`). Class names are decided only after
    the whole spec is read (`generator.build.naming`), so the anchor is the class's provisional name.

    A plain class with slots: the build makes one for nearly every schema it meets."""

    __slots__ = ("text", "anchor")

    def __init__(self, text: str, anchor: str | None = None) -> None:
        self.text = text
        self.anchor = anchor

    def __add__(self, text: str) -> Hint:
        return Hint(self.text + text, self.anchor)

    def __repr__(self) -> str:
        return f"Hint({self.text!r}, {self.anchor!r})"


@dataclass(slots=True)
class Context:
    """Where a schema sits: the file holding it, its pointer, and the name a class made for it takes."""

    file: str
    pointer: str
    name: Hint
    field: str = ""  # the property this schema describes, if any


def text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def wire_text(value: Any) -> str:
    """A scalar default as a header carries it (booleans as JSON spells them)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def sequence(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def netloc(url: str) -> str:
    try:
        return urlsplit(url).netloc
    except ValueError:  # an invalid host ("[::1") names no server we can match
        return ""


def is_json_media(media_type: str) -> bool:
    return bool(_JSON_MEDIA.match(media_type.strip()))


def is_problem_media(media_type: str) -> bool:
    return media_type.lower().startswith("application/problem+")


def choose_request_media(media_types: list[str]) -> tuple[str, BodyKind]:
    """The media type a request body is sent as, of those the spec offers, and how it is encoded."""
    lowered = [m.lower() for m in media_types]
    for index, media in enumerate(lowered):
        if is_json_media(media) and media not in ("*/*", "application/*"):
            return media_types[index], "json"
    for index, media in enumerate(lowered):
        if media.startswith(_FORM_MEDIA):
            return media_types[index], "form"
    for index, media in enumerate(lowered):
        if media.startswith(_MULTIPART_MEDIA):
            return media_types[index], "multipart"
    for index, media in enumerate(lowered):
        if media in ("*/*", "application/*"):
            return media_types[index], "json"
    for index, media in enumerate(lowered):
        if _TEXT_MEDIA.match(media):
            return media_types[index], "text"
    return media_types[0], "binary"


_LINES_MEDIA = re.compile(r"^application/(x-)?(ndjson|jsonl|jsonlines|x-jsonlines|json-seq)(;.*)?$", re.IGNORECASE)


def response_kind(media_type: str, schema: Any) -> ResponseKind:
    media = media_type.lower()
    if media.split(";")[0].strip() == "text/event-stream":
        return "events"
    if _LINES_MEDIA.match(media):
        return "lines"
    if is_json_media(media) or is_problem_media(media):
        return "json"
    if _TEXT_MEDIA.match(media):
        return "text"
    if isinstance(schema, dict) and schema.get("type") in ("object", "array") and "format" not in schema:
        return "json"
    return "binary"


def parameter_schema(parameter: dict[str, Any], pointer: str) -> tuple[Any, str]:
    """A parameter's schema (from `schema`, or the first media type of `content`) and its pointer."""
    if "schema" in parameter:
        return parameter["schema"], f"{pointer}/schema"
    content = parameter.get("content")
    if isinstance(content, dict) and content:
        media_type = next(iter(content))
        media = content[media_type] if isinstance(content[media_type], dict) else {}
        return media.get("schema"), f"{pointer}/content/{escape_pointer_token(str(media_type))}/schema"
    return None, pointer


def literal(schema: Any) -> Type | None:
    """An inline string enum of a parameter: a Literal annotation instead of a class of its own."""
    if not isinstance(schema, dict) or "$ref" in schema or not isinstance(schema.get("enum"), list):
        return None
    values = schema["enum"]
    strings = tuple(dict.fromkeys(v for v in values if isinstance(v, str)))
    if not strings or len(strings) + values.count(None) != len(values) or len(strings) > 64:
        return None
    literal_type = LiteralType(strings)
    return Nullable(literal_type) if None in values or schema.get("nullable") is True else literal_type


def nullable(type_: Type, is_nullable: bool) -> Type:
    if not is_nullable or isinstance(type_, Nullable):
        return type_
    return Nullable(type_)


def unique(types: Iterable[Type]) -> tuple[Type, ...]:
    return tuple(dict.fromkeys(types))


def array_item(type_: Type) -> Type | None:
    """The item type of an array, or of a union of arrays (`oneOf` list shapes); None for anything else."""
    if isinstance(type_, Nullable):
        return array_item(type_.inner)
    if isinstance(type_, ArrayType):
        return type_.item
    if isinstance(type_, UnionType):
        items = [array_item(v) for v in type_.variants]
        if all(item is not None for item in items):
            flat: list[Type] = []
            for item in items:
                if isinstance(item, UnionType):
                    flat.extend(item.variants)
                elif item is not None:
                    flat.append(item)
            found = unique(flat)
            return found[0] if len(found) == 1 else UnionType(found)
    return None


def refs(type_: Type) -> list[str]:
    """Names of the schemas a type refers to."""
    if isinstance(type_, Ref):
        return [type_.name]
    if isinstance(type_, ArrayType):
        return refs(type_.item)
    if isinstance(type_, MapType):
        return refs(type_.value)
    if isinstance(type_, Nullable):
        return refs(type_.inner)
    if isinstance(type_, UnionType):
        return [name for variant in type_.variants for name in refs(variant)]
    return []


def object_schema(type_: Type | None, index: Mapping[str, Schema]) -> ObjectSchema | None:
    """The object schema a type refers to, if it refers to one."""
    schema = index.get(type_.name) if isinstance(type_, Ref) else None
    return schema if isinstance(schema, ObjectSchema) else None
