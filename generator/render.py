"""Rendering: the intermediate model laid out as files through Jinja2 templates.

Templates receive the model and a few filters defined here; spec strings reach the generated code only through
the escaping filters (`pystr`, `pyvalue`, `docstring`, `oneline`), identifiers were made safe by the model.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import re
import sys
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Mapping
from urllib.parse import quote, urlsplit

from generator import __version__, names
from generator import layout
from generator.diagnostics import Diagnostic
from generator.format import CUT, LINE_LENGTH, MEMBER, FormatCache
from generator.samples import SampleCall
from generator.model import (
    BINARY,
    NO_CONTENT,
    SERVER_SENT_EVENT,
    AliasSchema,
    AnyType,
    Api,
    ArrayType,
    ClientHeader,
    EnumSchema,
    Group,
    MapType,
    Nullable,
    ObjectSchema,
    Operation,
    LiteralType,
    Primitive,
    Ref,
    Schema,
    Type,
    UnionType,
)

if TYPE_CHECKING:
    import jinja2

#: Error classes of the generated package, by status.
STATUS_ERRORS = (
    (400, "BadRequestError"),
    (401, "UnauthorizedError"),
    (403, "ForbiddenError"),
    (404, "NotFoundError"),
    (405, "MethodNotAllowedError"),
    (406, "NotAcceptableError"),
    (408, "RequestTimeoutError"),
    (409, "ConflictError"),
    (410, "GoneError"),
    (412, "PreconditionFailedError"),
    (413, "PayloadTooLargeError"),
    (415, "UnsupportedMediaTypeError"),
    (422, "UnprocessableEntityError"),
    (429, "RateLimitError"),
    (500, "InternalServerError"),
    (501, "NotImplementedError_"),
    (502, "BadGatewayError"),
    (503, "ServiceUnavailableError"),
    (504, "GatewayTimeoutError"),
)
#: Per-API modules of every package, from templates/package/<name>.jinja.
PACKAGE_FILES = ("_version.py", "_config.py")
#: The runtime: plain Python in templates/runtime/, copied unchanged (and not formatted again) into every package.
RUNTIME_FILES = (
    "_auth.py",
    "_testing.py",
    "_base_client.py",
    "_content.py",
    "_deadline.py",
    "_files.py",
    "_not_given.py",
    "_streaming.py",
    "_errors.py",
    "_pagination.py",
    "_response.py",
    "_retry.py",
    "_types.py",
)
#: Runtime modules that need cryptography: only in the packages of APIs that sign requests or verify webhooks
#: (which depend on it), so that every module of every package imports.
SIGNING_FILES = ("_signing.py",)
WEBHOOK_FILES = ("_webhooks.py",)

_PRIMITIVES = {
    "str": "str",
    "int": "int",
    "float": "float",
    "bool": "bool",
    "bytes": "bytes",
    "decimal": "_decimal.Decimal",
    "date": "_dt.date",
    "datetime": "_dt.datetime",
    "uuid": "_uuid.UUID",
}
_RUNTIME_TYPES = {
    NO_CONTENT.name: "_content.NoContent",
    BINARY.name: "_content.BinaryContent",
    SERVER_SENT_EVENT.name: "_streaming.ServerSentEvent",
}
_IMPORTS = {
    "_t": "import typing as _t",
    "_dt": "import datetime as _dt",
    "_decimal": "import decimal as _decimal",
    "_uuid": "import uuid as _uuid",
}
_MODULE_PREFIX = re.compile(r"\b(_t|_dt|_decimal|_uuid|_content|_models|_pydantic|_types)\.")
_PUBLIC_MODULE = re.compile(r"(?<![\w.])(typing|datetime|decimal|uuid)\.")
_LINE_BREAKS = re.compile(r"[\r\n\x0b\x0c\x1c-\x1e\x85\u2028\u2029]+")


# -- escaping filters ---------------------------------------------------------------------------------


def pystr(value: object) -> str:
    """A Python string literal for any text: quotes, backslashes, line breaks and NULs are escaped.

    The quotes are the ones black prefers (double, unless that needs more escapes), so black keeps the literal.
    """
    literal = repr(str(value))
    if literal[0] == '"':  # repr chose double quotes: the text has a ' and no ", as black would write it
        return literal
    if '"' not in literal and "\\'" not in literal:  # no quotes inside: the same text between double quotes
        return '"' + literal[1:-1] + '"'
    from black.strings import normalize_string_quotes  # both kinds of quote: rare, and black's rules decide

    return str(normalize_string_quotes(literal))


def pyvalue(value: object) -> str:
    """A Python literal for a JSON scalar from the spec (enum values)."""
    if isinstance(value, bool) or value is None:
        return repr(value)
    if isinstance(value, int):
        return str(int(value))
    if isinstance(value, float):
        return repr(float(value))
    return pystr(value)


def docstring(text: object, indent: int = 0) -> str:
    """Text safe to place between triple double quotes: no escape sequences, no closing quotes.

    A text of several lines ends with a line break and `indent` spaces, so the closing quotes stand alone.
    """
    if type(text) is str and text.isascii() and text.isprintable():  # most: one line, nothing to normalize
        value = text.strip().replace("\\", "\\\\").replace('"""', '\\"\\"\\"')
        return value + " " if value.endswith('"') else value
    return _docstring(str(text), indent)


@lru_cache(maxsize=4096)  # a method's, for its sync and async twins
def _docstring(text: str, indent: int) -> str:
    value = unicodedata.normalize("NFC", text)
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    value = _LINE_BREAKS.sub(lambda m: "\n" * m.group().count("\n") or " ", value)
    if not value.replace("\n", "").replace("\t", "").isprintable():  # the rare text with control characters
        value = "".join(c if c.isprintable() or c in "\n\t" else " " for c in value)
    value = value.replace("\t", "    ").replace("\\", "\\\\").replace('"""', '\\"\\"\\"')
    lines = [line.rstrip() for line in value.strip().split("\n")]
    if len(lines) > 1:  # black's indentation: the lines after the first keep only their relative indentation
        common = min((len(line) - len(line.lstrip(" ")) for line in lines[1:] if line), default=0)
        lines[1:] = [" " * indent + line[common:] if line else "" for line in lines[1:]]
    value = "\n".join(lines)
    if "\n" in value:
        return value + "\n" + " " * indent
    if value.endswith('"'):
        value += " "
    return value


def tomlstr(text: object) -> str:
    """A TOML basic string."""
    out = []
    for c in str(text):
        if c in '"\\':
            out.append("\\" + c)
        elif ord(c) < 0x20 or ord(c) == 0x7F or 0xD800 <= ord(c) <= 0xDFFF:
            out.append(f"\\u{ord(c) & 0xFFFF:04x}" if not 0xD800 <= ord(c) <= 0xDFFF else "\\ufffd")
        else:
            out.append(c)
    return '"' + "".join(out) + '"'


def oneline(text: object) -> str:
    """Text safe for a comment or a Markdown line: one line, printable characters only."""
    value = _LINE_BREAKS.sub(" ", str(text))
    if value.isprintable():
        return value.strip()
    return "".join(c if c.isprintable() else " " for c in value).strip()


def code(text: object) -> str:
    """A Markdown code span of one line of text: fenced with more backticks than any run inside it."""
    value = oneline(text)
    longest = max((len(run) for run in re.findall(r"`+", value)), default=0)
    fence = "`" * (longest + 1)
    padded = f" {value} " if longest or value.startswith("`") or value.endswith("`") else value
    return f"{fence}{padded}{fence}"


# -- types as annotations -----------------------------------------------------------------------------


def annotation(
    type_: Type | None, scope: str = "resources", *, argument: bool = False, schemas: dict[str, Schema] | None = None
) -> str:
    """The Python annotation (also a valid runtime expression) of a model type.

    `scope` is "models" inside the models module and "resources" elsewhere; `argument=True` widens types
    for method arguments (a dict for a model, a str for an enum or a decimal, sequences for lists).
    """
    if type_ is None:
        return _RUNTIME_TYPES[NO_CONTENT.name]
    if isinstance(type_, Primitive):
        if argument and type_.kind == "bytes":
            return "_files.FileTypes"  # bytes, a file object, a path, or (filename, content[, type])
        text = _PRIMITIVES[type_.kind]
        return f"{text} | str" if argument and type_.kind == "decimal" else text
    if isinstance(type_, AnyType):
        return "_t.Any"
    if isinstance(type_, ArrayType):
        inner = annotation(type_.item, scope, argument=argument, schemas=schemas)
        return f"_t.Sequence[{inner}]" if argument else f"_t.List[{inner}]"
    if isinstance(type_, MapType):
        inner = annotation(type_.value, scope, argument=argument, schemas=schemas)
        return f"_t.Mapping[str, {inner}]" if argument else f"_t.Dict[str, {inner}]"
    if isinstance(type_, Nullable):
        inner = annotation(type_.inner, scope, argument=argument, schemas=schemas)
        return inner if inner.endswith("| None") or inner == "_t.Any" else f"{inner} | None"
    if isinstance(type_, LiteralType):
        return "_t.Literal[" + ", ".join(pystr(v) for v in type_.values) + "]"
    if isinstance(type_, UnionType):
        parts = [annotation(v, scope, argument=argument, schemas=schemas) for v in type_.variants]
        # each variant may be a union itself (`Model | Mapping[str, Any]` for an argument): one of each member
        text = " | ".join(dict.fromkeys(member for part in parts for member in _union_members(part)))
        tagged = _tagged_union(type_, schemas, scope) if not argument else None
        if tagged is not None:
            return tagged
        field = _discriminator_field(type_, schemas) if scope == "models" and not argument else None
        if field is not None:
            return f"_t.Annotated[{text}, _pydantic.Field(discriminator={pystr(field)})]"
        return text
    if isinstance(type_, Ref):
        if type_.name in _RUNTIME_TYPES:
            return _RUNTIME_TYPES[type_.name]
        text = type_.name if scope == "models" else f"_models.{type_.name}"
        if argument and schemas is not None:
            schema = schemas.get(type_.name)
            if isinstance(schema, EnumSchema):
                return f"{text} | {schema.kind}"
            if isinstance(schema, ObjectSchema):
                return f"{text} | _t.Mapping[str, _t.Any]"
        return text
    raise TypeError(f"unknown type {type_!r}")


def _union_members(text: str) -> list[str]:
    """The members of an annotation's top-level `|` union (brackets nest; strings hold no `|` here)."""
    members, depth, start = [], 0, 0
    for index, char in enumerate(text):
        if char in "[(":
            depth += 1
        elif char in "])":
            depth -= 1
        elif char == "|" and depth == 0:
            members.append(text[start:index].strip())
            start = index + 1
    members.append(text[start:].strip())
    return members


def _tagged_union(union: UnionType, schemas: dict[str, Schema] | None, scope: str) -> str | None:
    """A union that dispatches on its discriminator's value, by the spec's mapping and the variants' schema
    names (pydantic's callable discriminator, `_types.discriminate`), when every variant is a model that some
    value names. A value the mapping does not know is an `UnknownVariant` holding the data (the runtime's tag
    "unknown"), so a variant the API adds later does not fail the whole response. Outside the models module (a
    response that is itself such a union) the names come through `_models` and `_types`."""
    if union.discriminator is None or not union.tags or schemas is None:
        return None
    model, runtime = ("", "") if scope == "models" else ("_models.", "_types.")
    tagged = {variant for _, variant in union.tags}
    attribute = None
    for variant in union.variants:
        schema = schemas.get(variant.name) if isinstance(variant, Ref) else None
        if not isinstance(schema, ObjectSchema) or variant not in tagged:
            return None
        field = next((f for f in schema.fields if f.name == union.discriminator), None)
        attribute = attribute or (field.python_name if field is not None else None)
    members = [
        f"_t.Annotated[{model}{variant.name}, _pydantic.Tag({pystr(variant.name)})]"
        for variant in union.variants
        if isinstance(variant, Ref)
    ]
    members.append(f'_t.Annotated[{runtime}UnknownVariant, _pydantic.Tag("unknown")]')
    tags = ", ".join(
        f"{pystr(value)}: {pystr(variant.name)}" for value, variant in union.tags if isinstance(variant, Ref)
    )
    field_name = pystr(union.discriminator)
    dispatch = f"{runtime}discriminate({field_name}, {pystr(attribute or union.discriminator)}, {{{tags}}})"
    return f"_t.Annotated[_t.Union[{', '.join(members)}], _pydantic.Discriminator({dispatch})]"


def _discriminator_field(union: UnionType, schemas: dict[str, Schema] | None) -> str | None:
    """The Python name of the discriminator field, when every variant tags itself with a literal."""
    if union.discriminator is None or schemas is None or len(union.variants) < 2:
        return None
    names_found: set[str] = set()
    for variant in union.variants:
        schema = schemas.get(variant.name) if isinstance(variant, Ref) else None
        if not isinstance(schema, ObjectSchema):
            return None
        field = next((f for f in schema.fields if f.name == union.discriminator), None)
        if field is None or not field.required or not isinstance(field.type, LiteralType):
            return None
        names_found.add(field.python_name)
    return names_found.pop() if len(names_found) == 1 else None


def import_lines(
    *texts: str, extra: Iterable[str] = (), models_import: str = "from .. import models as _models"
) -> list[str]:
    """The imports a module of annotations needs, found from the prefixes the annotations use."""
    used = {m.group(1) for text in texts for m in _MODULE_PREFIX.finditer(text)}
    public = {m.group(1) for text in texts for m in _PUBLIC_MODULE.finditer(text)}
    lines = sorted(
        [_IMPORTS[prefix] for prefix in ("_dt", "_decimal", "_t", "_uuid") if prefix in used]
        + [f"import {module}" for module in public]
        + list(extra)
    )
    third_party = ["import pydantic as _pydantic"] if "_pydantic" in used else []
    local = []
    if "_content" in used:
        local.append("from .. import _content")
    if "_types" in used:
        local.append("from .. import _types")
    if "_models" in used:
        local.append(models_import)
    blocks = [block for block in (lines, third_party, local) if block]
    return [line for index, block in enumerate(blocks) for line in ([""] if index else []) + block]


# -- views: what the resource template lays out --------------------------------------------------------


#: names a resource module imports from the runtime: no model is imported under them
_RESOURCE_MODULE_NAMES = (
    "BinaryContent",
    "NoContent",
    "FileTypes",
    "NotGiven",
    "ServerSentEvent",
    "Stream",
    "AsyncStream",
    "RequestOptions",
    "SyncPage",
    "AsyncPaginator",
)
#: a string literal (skipped: spec text stays as it is), or a name through one of the modules' private aliases
_SPELLED = re.compile(
    r"""("(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')"""
    r"|\b(_t|_dt|_decimal|_uuid|_content|_files|_streaming|_models|_pagination|_base)\.(\w+)"
    r"|\b(NotGiven|NOT_GIVEN)\b"
)
_STANDARD_MODULES = {"_t": "typing", "_dt": "datetime", "_decimal": "decimal", "_uuid": "uuid"}
#: runtime names a resource module imports by name, and where from
_RUNTIME_IMPORTS = {
    "_content": ".._content",
    "_files": ".._files",
    "_streaming": ".._streaming",
    "_pagination": ".._pagination",
    "_base": ".._base_client",
    "_not_given": ".._not_given",
}


class PublicNames:
    """Spells a resource module's annotations with the names users import (`Order`, `uuid.UUID`, `SyncPage`),
    so that signatures, `help()` and hovers show no private alias (`_models.Order`), and remembers what the
    module must import for them. A model whose name the module defines otherwise (its resource classes,
    runtime names) is spelled `models.X`."""

    def __init__(self, defined: Iterable[str]) -> None:
        self.defined = frozenset(defined)
        self.modules: set[str] = set()
        self.models: set[str] = set()
        self.runtime: dict[str, set[str]] = {}
        self.models_module = False
        #: texts spelled before (what they import is noted already): a module's methods repeat the same few
        self._spelled: dict[str, str] = {}

    def __call__(self, text: str) -> str:
        known = self._spelled.get(text)
        if known is None:
            known = self._spelled[text] = _SPELLED.sub(self._spell, text)
        return known

    def _spell(self, match: re.Match[str]) -> str:
        literal, prefix, name, sentinel = match.groups()
        if literal is not None:
            return literal
        if sentinel is not None:
            self.runtime.setdefault(".._not_given", set()).add(sentinel)
            return sentinel
        if prefix in _STANDARD_MODULES:
            self.modules.add(_STANDARD_MODULES[prefix])
            return f"{_STANDARD_MODULES[prefix]}.{name}"
        if prefix == "_models":
            if name in self.defined:
                self.models_module = True
                return f"models.{name}"
            self.models.add(name)
            return name
        self.runtime.setdefault(_RUNTIME_IMPORTS[prefix], set()).add(name)
        return name

    def imports(self, *texts: str) -> list[str]:
        """The module's import lines (after `from __future__`), for what was spelled and the private aliases
        `texts` still use (a tagged union's `_types` and `_pydantic`)."""
        used = {m.group(1) for text in texts for m in _MODULE_PREFIX.finditer(text)}
        standard = sorted(f"import {module}" for module in self.modules | {"functools"})
        third_party = ["import httpx"] + (["import pydantic as _pydantic"] if "_pydantic" in used else [])
        local = ["from .. import _base_client as _base", "from .. import _response"]
        if "_types" in used:
            local.append("from .. import _types")
        if self.models_module:
            local.append("from .. import models")
        for module, found in sorted(self.runtime.items()):
            local.append(f"from {module} import {', '.join(sorted(found))}")
        if self.models:
            local.append(f"from ..models import {', '.join(sorted(self.models))}")
        return [*standard, "", *third_party, "", *local]


@dataclass(frozen=True)
class Argument:
    python_name: str
    name: str
    location: str  # path | query | header | body | body-field
    annotation: str
    required: bool
    description: str
    default: str = ""  # a Python literal, for required constants (`grant_type="client_credentials"`)
    #: whether None is a value the API takes (sent as null in a body; a query or header leaves it out)
    nullable: bool = False
    deprecated: bool = False


def _literal_values(type_: Type, schemas: dict[str, Schema]) -> tuple[str, ...] | None:
    """The string values a type allows (a literal or an enum), None when it allows any string."""
    if isinstance(type_, Nullable):
        return _literal_values(type_.inner, schemas)
    if isinstance(type_, LiteralType):
        return type_.values
    schema = schemas.get(type_.name) if isinstance(type_, Ref) else None
    if isinstance(schema, EnumSchema):
        return tuple(str(m.value) for m in schema.members)
    return None


def _constant_value(type_: Type, schemas: dict[str, Schema]) -> str | None:
    """The only value a type allows, when it allows one string (a literal, or an enum of one member)."""
    if isinstance(type_, LiteralType) and len(type_.values) == 1:
        return type_.values[0]
    schema = schemas.get(type_.name) if isinstance(type_, Ref) else None
    if isinstance(schema, EnumSchema) and len(schema.members) == 1 and isinstance(schema.members[0].value, str):
        return schema.members[0].value
    return None


def _argument(
    python_name: str,
    name: str,
    location: str,
    type_: Type,
    required: bool,
    description: str,
    schemas: dict[str, Schema],
    deprecated: bool = False,
    spell: Callable[[str], str] = str,
) -> Argument:
    """A method's keyword argument. An optional one defaults to `NOT_GIVEN` (left out of the request); None is
    in its type only when the spec lets the value be null. `spell` rewrites the annotation (`PublicNames`)."""
    text = annotation(type_, argument=True, schemas=schemas)
    nullable = text == "_t.Any" or "None" in _union_members(text)
    constant = _constant_value(type_, schemas)
    if constant is not None and required:
        text, required, default = spell(text), False, pystr(constant)
    elif not required:
        text, default = spell(f"{text} | NotGiven"), "NOT_GIVEN"
    else:
        text, default = spell(text), ""
    return Argument(python_name, name, location, text, required, description, default, nullable, deprecated)


@dataclass(frozen=True)
class MethodView:
    operation: Operation
    constant: str
    path: str
    #: for paginated operations: the annotation of one item
    item_annotation: str
    arguments: tuple[Argument, ...]
    return_annotation: str
    body_type: str
    docstring: str
    scopes: tuple[tuple[str, ...], ...]
    csv_query: tuple[str, ...]
    #: the success responses' annotations: (status, ((media type, annotation), ...)), for the endpoint
    response_types: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = ()
    #: the same for the error responses the spec gives a JSON schema (not a problem document)
    error_types: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = ()
    #: for paginated operations: how it pages (`Pagination`, as the runtime's Endpoint.page reads it)
    page_fields: tuple[tuple[str, str | tuple[str, ...]], ...] = ()
    #: the resource's attribute on the client, for messages (`orders.place()`)
    resource: str = ""
    #: how annotations are spelled in the module the method is written in (`PublicNames`)
    spell: Callable[[str], str] = str
    schemas: dict[str, Schema] = dataclasses.field(default_factory=dict)
    #: signatures made, by their arguments: the imports and the template both ask for each
    _signatures: dict[tuple[bool, str | None, str | None], str] = dataclasses.field(default_factory=dict, compare=False)
    #: the `return` statements made, sync and async
    _calls: dict[bool, str] = dataclasses.field(default_factory=dict, compare=False)

    @property
    def page(self) -> bool:
        """Whether the operation is paginated (its method returns a page of items)."""
        return bool(self.page_fields)

    def arguments_in(self, location: str) -> tuple[Argument, ...]:
        return tuple(a for a in self.arguments if a.location == location)

    # -- statements, laid out as black would (generator.layout) -------------------------------------------

    def result(self, asynchronous: bool) -> str:
        """The method's return annotation: a page (sync) or paginator (async) of items, or the response type."""
        if self.operation.stream:
            kind = "AsyncStream" if asynchronous else "Stream"
            return self.spell(f"_streaming.{kind}[{self.return_annotation}]")
        if not self.page:
            return self.return_annotation
        return self.spell(f"_pagination.{'AsyncPaginator' if asynchronous else 'SyncPage'}[{self.item_annotation}]")

    def endpoint(self) -> str:
        """The module-level `_CONSTANT: _base.Endpoint[...] = _base.Endpoint(...)` statement."""
        operation = self.operation
        responses = layout.mapping(
            [
                (pystr(status), layout.mapping([(pystr(media), text) for media, text in contents]))
                for status, contents in self.response_types
            ]
        )
        items: list[layout.Node] = [pystr(operation.method), pystr(self.path), layout.keyword("responses", responses)]
        if self.error_types:
            errors = layout.mapping(
                [
                    (pystr(status), layout.mapping([(pystr(media), text) for media, text in contents]))
                    for status, contents in self.error_types
                ]
            )
            items.append(layout.keyword("errors", errors))
        if operation.body:
            items += [f"body={pystr(operation.body.kind)}", f"media_type={pystr(operation.body.media_type)}"]
            if self.body_type != "None":
                items.append(f"body_type={self.body_type}")
            if operation.body.parts:
                parts: list[tuple[str, str | layout.Group]] = [
                    (pystr(name), layout.tuple_of([pystr(content_type) if content_type else "None", str(repeated)]))
                    for name, content_type, repeated in operation.body.parts
                ]
                items.append(layout.keyword("parts", layout.mapping(parts)))
        if operation.idempotency_header:
            items.append(f"idempotency_header={pystr(operation.idempotency_header)}")
        if self.scopes:
            alternatives = [layout.tuple_of([pystr(scope) for scope in scopes]) for scopes in self.scopes]
            items.append(layout.keyword("scopes", layout.tuple_of(list(alternatives))))
        if not operation.security:
            items.append("authenticated=False")
        if self.csv_query:
            items.append(layout.keyword("csv_query", layout.tuple_of([pystr(name) for name in self.csv_query])))
        if self.page:
            spec: list[tuple[str, str | layout.Group]] = [
                (pystr(key), pystr(value) if isinstance(value, str) else layout.tuple_of([pystr(v) for v in value]))
                for key, value in self.page_fields
            ]
            items.append(layout.keyword("page", layout.mapping(spec)))
        nullable: list[layout.Node] = [
            pystr(a.name) for a in self.arguments if a.nullable and a.location in _NULL_CHECKED
        ]
        if nullable:
            items.append(layout.keyword("nullable", layout.tuple_of(nullable)))
        if operation.stream:
            items.append(f"stream={pystr(operation.stream)}")
        choices = self.accept_choices()
        if choices:  # the accept argument left out asks for the media type its overload promises
            items.append(f"accept={pystr(next(m for m, r in choices[1:] if r == choices[0][1]))}")
        # a stream's call returns Stream or AsyncStream of the items, as the client is sync or async
        result = self.spell("_t.Any") if operation.stream else self.return_annotation
        head = f"{self.constant}: _base.Endpoint[{result}] = _base.Endpoint"
        return layout.lay(layout.call(head, *items))

    @property
    def object_body(self) -> bool:
        """Whether the call sends an object (JSON, form or multipart), to which `extra_body` can add fields."""
        body = self.operation.body
        return body is not None and body.kind in ("json", "form", "multipart")

    def accept_choices(self) -> list[tuple[str | None, str]]:
        """For an operation whose `accept` argument picks among media types answered with different types:
        (media type, result annotation) per choice, None standing for the argument left out (the default media
        type: the first JSON one declared, else the first). Empty for any other operation."""
        accept = next((a for a in self.arguments if a.location == "header" and a.name.lower() == "accept"), None)
        if accept is None or accept.required or self.page or self.operation.stream:
            return []
        by_media: dict[str, list[str]] = {}
        for _, contents in self.response_types:
            for media, text in contents:
                by_media.setdefault(media, [])
                if text not in by_media[media]:
                    by_media[media].append(text)
        results = {media: " | ".join(texts) for media, texts in by_media.items()}
        if len(set(results.values())) < 2:
            return []
        parameter = next(p for p in self.operation.parameters if p.location == "header" and p.name == accept.name)
        allowed = _literal_values(parameter.type, self.schemas)
        choices = [m for m in results if allowed is None or m in allowed]
        if len(choices) < 2:
            return []
        default = next((m for m in choices if re.search(r"[/+]json\b", m)), choices[0])
        return [(None, results[default]), *((m, results[m]) for m in choices)]

    def overloads(self, asynchronous: bool) -> list[str]:
        """`@typing.overload` signatures (with their `...` bodies), one per accept choice: the result's type
        follows the media type asked for (`accept="application/pdf"`: `BinaryContent`)."""
        found = []
        for media, result in self.accept_choices():
            annotation = self.spell("NotGiven = NOT_GIVEN" if media is None else f"_t.Literal[{pystr(media)}]")
            signature = self.signature(asynchronous, accept=annotation, result=result)
            found.append(f"@{self.spell('_t.overload')}\n    {signature} ...")
        return found

    def signature(self, asynchronous: bool, *, accept: str | None = None, result: str | None = None) -> str:
        """The `def` line(s), at the indentation of a method: the operation's arguments, then the per-call ones
        every method takes (`extra_headers`, `extra_query`, `extra_body` where there is an object body,
        `timeout`, `options`). `accept` and `result`: an overload's annotation of the accept argument (with its
        default, if any) and its result."""
        known = self._signatures.get((asynchronous, accept, result))
        if known is None:
            known = self._signatures[(asynchronous, accept, result)] = self._signature(asynchronous, accept, result)
        return known

    def _signature(self, asynchronous: bool, accept: str | None, result: str | None) -> str:
        name = self.operation.python_name
        if asynchronous and not self.page and (result is not None or self.result(True) == self.result(False)):
            # the sync twin with `async def`: laid out the same below its first line
            twin = self.signature(False, accept=accept, result=result)
            derived = layout.reheaded(twin, f"def {name}(", f"async def {name}(", 4)
            if derived is not None:
                return derived
        parameters: list[layout.Node] = ["self", "*"]
        for argument in self.arguments:
            if accept is not None and argument.location == "header" and argument.name.lower() == "accept":
                parameters.append(f"{argument.python_name}: {accept}")
                continue
            parameters.append(layout.annotated(argument.python_name, argument.annotation, argument.default or ""))
        extras = [
            "extra_headers: _t.Mapping[str, str] | None = None",
            "extra_query: _t.Mapping[str, object] | None = None",
        ]
        if self.object_body:
            extras.append("extra_body: _t.Mapping[str, object] | None = None")
        extras += [
            "timeout: float | httpx.Timeout | None | NotGiven = NOT_GIVEN",
            "options: _base.RequestOptions | None = None",
        ]
        parameters += [self.spell(extra) for extra in extras]
        keyword = "async def" if asynchronous and not self.page else "def"
        returned = result if result is not None else self.result(asynchronous)
        group = layout.Group(f"{keyword} {name}", tuple(parameters), f" -> {returned}:")
        return layout.lay(group, 4)

    def call(self, asynchronous: bool) -> str:
        """The method body's `return ...` statement, at the indentation of a method body."""
        known = self._calls.get(asynchronous)
        if known is None:
            known = self._calls[asynchronous] = self._call(asynchronous)
        return known

    def _call(self, asynchronous: bool) -> str:
        head = "return self._client.request("
        if asynchronous and not self.page:  # the sync twin's, awaited: laid out the same below its first line
            derived = layout.reheaded(self.call(False), head, "return await self._client.request(", 8)
            if derived is not None:
                return derived
        items: list[layout.Node] = [self.constant]
        for location, keyword in (("path", "path"), ("query", "query"), ("header", "headers")):
            arguments = self.arguments_in(location)
            if arguments:
                items.append(
                    layout.keyword(keyword, layout.mapping([(pystr(a.name), a.python_name) for a in arguments]))
                )
        fields = self.arguments_in("body-field")
        if fields:
            body = layout.call("_base.fields", layout.mapping([(pystr(a.name), a.python_name) for a in fields]))
            items.append(layout.keyword("body", body))
        elif self.arguments_in("body"):
            items.append(f"body={self.arguments_in('body')[0].python_name}")
        # one line: the per-call arguments over `options` (`_base.options`)
        body_extra = "extra_body" if self.object_body else "None"
        items.append(f"options=_base.options(options, extra_headers, extra_query, {body_extra}, timeout)")
        if self.page:
            return layout.lay(layout.call(f"return {self.result(asynchronous)}", "self._client", *items), 8)
        awaiting = "await " if asynchronous else ""
        return layout.lay(layout.call(f"return {awaiting}self._client.request", *items), 8)

    def warnings(self) -> str:
        """The statements that warn of a deprecated operation or argument, at the indentation of a method body
        (`_base.deprecated` warns at the caller's line, so Python's default filter shows each call site once)."""
        call = f"{self.resource}.{self.operation.python_name}()"
        found: list[str] = []
        if self.operation.deprecated:
            found.append(layout.lay(layout.call("_base.deprecated", pystr(call + " is deprecated")), 8))
        for argument in self.arguments:
            if argument.deprecated:
                message = pystr(f"{call}: the argument {argument.python_name} is deprecated")
                if argument.required:
                    found.append(layout.lay(layout.call("_base.deprecated", message), 8))
                else:
                    statement = layout.lay(layout.call("_base.deprecated", message), 12)
                    found.append(f"if {argument.python_name} is not NOT_GIVEN:\n{' ' * 12}{statement}")
        # each statement's first line unindented (the template indents it), the lines after it indented in full
        return ("\n" + " " * 8).join(found)

    def reference(self) -> str:
        """The method as api.md shows it: `name(*, argument: type, optional: type = ...) -> result` (the
        operation's arguments; the per-call ones every method takes are described once, above the list)."""
        shown = []
        for argument in self.arguments:
            text = argument.annotation.removesuffix(" | NotGiven")
            shown.append(f"{argument.python_name}: {text}" + (" = ..." if argument.default else ""))
        arguments = ", ".join(["*", *shown]) if shown else ""
        return f"{self.operation.python_name}({arguments}) -> {self.result(False)}"

    def raw_wrapper(self, asynchronous: bool, kind: str = "raw") -> str:
        """The `WithRawResponse` (`kind` "raw") or `WithStreamingResponse` ("streamed") class's assignment of
        this method, at the indentation of `__init__`'s body."""
        name = self.operation.python_name
        function = f"_response.{'async_' if asynchronous else ''}to_{kind}_response_wrapper"
        return raw_wrapper_line(f"self.{name}", function, f"resource.{name}")


def raw_wrapper_line(target: str, function: str, argument: str) -> str:
    """`target = function(argument)` in a method body, as black lays it out: when even `target = function(` is too
    long, the value goes between parentheses of its own (and splits inside them when still too long)."""
    line = f"{target} = {function}({argument})"
    if layout.fits(line, 8):  # most
        return line
    value = layout.lay(layout.call(function, argument), 12)
    if (
        layout.fits(f"{target} = {function}(", 8)
        or not layout.fits(f"{target} = (", 8)
        or not all(layout.fits(line.strip(), 16) for line in value.splitlines()[1:-1])
    ):  # the value's parentheses help only when the head and the argument fit (black's fallback otherwise)
        return layout.lay(layout.call(f"{target} = {function}", argument), 8)
    return f"{target} = (\n{' ' * 12}{value}\n{' ' * 8})"


#: where None is checked against the spec by the runtime (a path parameter refuses it always)
_NULL_CHECKED = ("query", "header", "body-field")


def method_view(
    operation: Operation, schemas: dict[str, Schema], resource: str = "", spell: Callable[[str], str] | None = None
) -> MethodView:
    """What the resource template lays out for one operation; `spell` rewrites every annotation (a resource
    module spells them with public names: `PublicNames`)."""
    spell = spell or str
    arguments: list[Argument] = []
    for parameter in operation.parameters:
        arguments.append(
            _argument(
                parameter.python_name,
                parameter.name,
                parameter.location,
                parameter.type,
                parameter.required,
                parameter.description,
                schemas,
                parameter.deprecated,
                spell,
            )
        )
    body = operation.body
    body_type = "None"
    if body is not None:
        body_type = annotation(body.type) if body.kind not in ("binary", "text") else "None"
        if body.fields is not None:
            for field in body.fields:
                arguments.append(
                    _argument(
                        field.python_name,
                        field.name,
                        "body-field",
                        field.type,
                        field.required,
                        field.description,
                        schemas,
                        field.deprecated,
                        spell,
                    )
                )
        else:
            arguments.append(
                _argument(
                    body.python_name, "body", "body", body.type, body.required, body.description, schemas, spell=spell
                )
            )
    arguments.sort(key=lambda a: (a.location != "path", not a.required))
    response_types: list[tuple[str, tuple[tuple[str, str], ...]]] = []
    error_types: list[tuple[str, tuple[tuple[str, str], ...]]] = []
    for response in operation.responses:
        typed = tuple(
            (c.media_type, spell(annotation(c.type, schemas=schemas))) for c in response.contents if c.type is not None
        )
        # the runtime looks a status up as written, `2XX`, or `default`
        status = response.status.lower() if response.status == "DEFAULT" else response.status
        if response.success:
            response_types.append((status, typed))
        elif status.startswith("3") and operation.return_type is None:
            # a declared redirect of an operation that returns no body: its result (`NoContent`, with the
            # `Location` header); elsewhere, and undeclared, the runtime raises `RedirectError`
            response_types.append((status, ()))
        elif typed:
            error_types.append((status, typed))
    csv_query = tuple(p.name for p in operation.parameters if p.location == "query" and not p.explode)
    pagination = operation.pagination
    item = ""
    page_fields: tuple[tuple[str, str | tuple[str, ...]], ...] = ()
    if pagination is not None:
        item = spell(annotation(pagination.item_type, schemas=schemas))
        described: list[tuple[str, str | tuple[str, ...]]] = [
            ("style", pagination.style),
            ("items", pagination.items_field),
            ("param", pagination.param),
            ("size", pagination.size_param),
            ("next", pagination.next_field),
            ("total", pagination.total_field),
            ("has_more", pagination.has_more_field),
            ("item_cursor", pagination.cursor_item_field),
        ]
        page_fields = tuple((key, value) for key, value in described if value)
    return MethodView(
        operation=operation,
        constant=f"_{names.constant(operation.python_name)}",
        path=url_path(operation.path),
        item_annotation=item,
        arguments=tuple(arguments),
        return_annotation=spell(annotation(operation.return_type, schemas=schemas)),
        body_type=spell(body_type),
        docstring=_method_docstring(operation, arguments),
        scopes=operation.scopes,
        csv_query=csv_query,
        response_types=tuple(response_types),
        error_types=tuple(error_types),
        page_fields=page_fields,
        resource=resource,
        spell=spell,
        schemas=schemas,
    )


def url_path(template: str) -> str:
    """The path template with its literal parts percent-encoded; `{name}` placeholders stay, and so does the
    `?` of a fixed query string a path key carries (`/search?type=link`, see `generator.validate.PathKey`)."""
    if not template.startswith("/"):
        template = "/" + template  # a path is always below the base URL, never a URL of its own
    path, mark, query = template.partition("?")
    parts = re.split(r"(\{[^{}]+\})", path)
    encoded = "".join(
        part if part.startswith("{") and part.endswith("}") else quote(part, safe="/%-._~!$&'()*+,;=:@")
        for part in parts
    )
    return encoded + mark + quote(query, safe="/?%-._~!$&'()*+,;=:@")


def _summary(description: str) -> str:
    """The first sentence of a description, or its first line, on one line."""
    first = oneline(description.strip().split("\n\n", 1)[0])
    sentence = re.match(r"(.+?[.!?])(\s|$)", first)
    return sentence.group(1) if sentence else first


def _method_docstring(operation: Operation, arguments: list[Argument]) -> str:
    parts = [operation.summary or f"{operation.method} {operation.path}"]
    if operation.description and operation.description != operation.summary:
        parts.append(operation.description)
    documented = [a for a in arguments if a.description or a.deprecated]
    if documented:
        lines = ["Args:"]
        for argument in documented:
            text = " ".join(argument.description.split())
            if argument.deprecated:
                text = f"Deprecated. {text}".rstrip()
            lines.append(f"    {argument.python_name}: {text}")
        parts.append("\n".join(lines))
    if operation.deprecated:
        parts.append("Deprecated.")
    return "\n\n".join(parts)


# -- the environment and the file list -----------------------------------------------------------------


def templates_root() -> Path:
    """The templates folder: package data when installed (generator/templates), the repository's otherwise."""
    installed = Path(__file__).resolve().parent / "templates"
    if (installed / "package").is_dir():
        return installed
    return Path(__file__).resolve().parent.parent / "templates"


#: The version of what templates receive (the context documented in docs/templates.md). It goes up whenever a
#: name a template may use changes meaning or disappears; overlays written for an older version are warned about.
TEMPLATE_CONTEXT_VERSION = 5
_OVERLAY_HEADER = re.compile(r"^\{#\s*clientgen-context:\s*(\d+)\s*#\}")


@lru_cache(maxsize=4)
def environment(
    root: Path | None = None, overlay: Path | None = None, compiled: Path | None = None
) -> jinja2.Environment:
    """The Jinja environment: the built-in templates, under an overlay folder whose templates take precedence;
    `compiled` keeps the compiled templates between runs (keyed by each template's source).

    Jinja is imported here, not with this module: the formatting worker, forked before rendering starts, then
    holds no copy of it.
    """
    import jinja2

    builtin = jinja2.FileSystemLoader(str(root or templates_root()))
    loader: jinja2.BaseLoader = builtin
    if overlay is not None:
        loader = jinja2.ChoiceLoader([jinja2.FileSystemLoader(str(overlay)), builtin])
    bytecode = None
    if compiled is not None:
        try:
            compiled.mkdir(parents=True, exist_ok=True)
            bytecode = jinja2.FileSystemBytecodeCache(str(compiled))
        except OSError:
            bytecode = None
    env = jinja2.Environment(
        loader=loader,
        bytecode_cache=bytecode,
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(pystr=pystr, pyvalue=pyvalue, docstring=docstring, oneline=oneline, tomlstr=tomlstr, code=code)
    # where the formatter may cut a file into pieces it formats (and caches) one by one: see generator.format
    env.globals.update(CUT=CUT.rstrip("\n"), MEMBER=MEMBER.rstrip("\n"))
    # where the templates lay statements out as black would, so black leaves them be (it formats them anyway)
    env.globals.update(LINE_LENGTH=LINE_LENGTH)
    return env


def builtin_templates() -> list[str]:
    """The built-in templates, by the relative path an overlay uses to replace one."""
    root = templates_root()
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*.jinja"))


def template_header() -> str:
    """The first line `clientgen templates copy` gives a template: the context version it was written for."""
    return f"{{# clientgen-context: {TEMPLATE_CONTEXT_VERSION} #}}\n"


def check_overlay(overlay: Path) -> list[Diagnostic]:
    """Problems of an overlay folder: templates that replace nothing, and templates for an older context."""
    found: list[Diagnostic] = []
    known = set(builtin_templates())
    for path in sorted(overlay.rglob("*.jinja")):
        relative = path.relative_to(overlay).as_posix()
        if relative not in known and not path.name.startswith("_"):
            message = f"overlay template '{relative}' replaces no built-in template (see `clientgen templates list`)"
            found.append(Diagnostic("warning", "overlay-unknown", message, str(path)))
            continue
        try:
            first = path.read_text(encoding="utf-8").split("\n", 1)[0]
        except (OSError, UnicodeDecodeError) as exc:
            found.append(Diagnostic("error", "overlay-unreadable", f"cannot read the template: {exc}", str(path)))
            continue
        match = _OVERLAY_HEADER.match(first)
        version = int(match.group(1)) if match else 0
        if version < TEMPLATE_CONTEXT_VERSION:
            written = f"context version {version}" if match else "an unknown context version (no header line)"
            message = (
                f"overlay template '{relative}' was written for {written}; this clientgen gives templates version"
                f" {TEMPLATE_CONTEXT_VERSION} (see docs/templates.md): compare it with `clientgen templates copy"
                f" {relative} DIR` and update its first line"
            )
            found.append(Diagnostic("warning", "overlay-outdated", message, str(path), "", 1))
    return found


class RenderStore:
    """Rendered modules kept between runs (in the formatting cache), each by a hash of all that went into it: the
    generator's code and templates (their content), the overlay's templates, the spec's file name, and the model
    (the `repr` of its frozen dataclasses, which shows every field). A regeneration after a small change renders
    again only the modules it touches: a resource module is keyed by the model without the other resources; the
    models module by the model without the resources. With an overlay, whose templates may read any part of the
    model, every module is keyed by the whole of it."""

    def __init__(self, cache: FormatCache, api: Api, spec_name: str, overlay: Path | None) -> None:
        self.cache = cache
        import jinja2

        versions = f"{__version__}\x00{jinja2.__version__}\x00{sys.version}\x00{spec_name}\x00"
        digest = hashlib.sha256(versions.encode("utf-8", "surrogatepass"))
        for root in _code_roots(overlay):
            for path in sorted(p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
                content = path.read_bytes()
                name = f"{path.relative_to(root).as_posix()}\x00{len(content)}\x00"
                digest.update(name.encode("utf-8", "surrogatepass") + content)
        digest.update(_identity(dataclasses.replace(api, groups=(), schemas=())))
        digest.update(_identity(api.schemas))
        self._base = digest
        if overlay is not None:
            self._base = self._part(_identity(api.groups))

    def _part(self, identity: bytes) -> Any:
        digest = self._base.copy()
        digest.update(identity)
        return digest

    def key(self, template: str, group: Group | None = None) -> str:
        """The key of a module made from `template`, about `group` (a resource module) or no group."""
        identity = _identity(group) if group is not None else b""
        digest = self._part(identity)
        digest.update(f"\x00{template}".encode("utf-8", "surrogatepass"))
        return f"render:{digest.hexdigest()}"

    def get(self, key: str) -> str | None:
        return self.cache.get(key, counted=False)

    def put(self, key: str, text: str) -> None:
        self.cache.put(key, text)


def _code_roots(overlay: Path | None) -> list[Path]:
    generator = Path(__file__).resolve().parent
    roots = [generator, templates_root()]
    if roots[1].is_relative_to(generator):  # installed: the templates are package data
        roots.pop()
    return roots + ([overlay] if overlay is not None else [])


def _identity(value: object) -> bytes:
    return repr(value).encode("utf-8", "surrogatepass")


def render(
    api: Api,
    *,
    spec_name: str = "",
    overlay: Path | None = None,
    compiled: Path | None = None,
    cache: FormatCache | None = None,
    samples: Mapping[str, SampleCall] | None = None,
    tests: bool = False,
) -> dict[str, str]:
    """The files of the generated project made from templates, by path relative to the output folder (`overlay`:
    a folder of templates replacing built-in ones; `compiled`: a folder keeping compiled templates between runs;
    `cache`: keeps the rendered resource and models modules between runs, `RenderStore`; `samples`: a sample call
    of each operation by its pointer, for the test kit (`<package>/testing.py`) and, when `tests`, the tests
    written into tests/). The runtime's modules, copied as they are, come from `runtime_files`."""
    env = environment(None, overlay, compiled)
    store = RenderStore(cache, api, spec_name, overlay) if cache is not None else None
    package = api.package.name
    schemas = {schema.name: schema for schema in api.schemas}
    header = f"# Generated by clientgen {__version__} from {oneline(api.title)} {oneline(api.version)}. Do not edit."
    common: dict[str, Any] = {
        "api": api,
        "auth": api.auth,
        "cryptography": bool(api.auth.signing or api.auth.jwks_path or api.webhooks),
        "package": api.package,
        "header": header,
        "generator_version": __version__,
        "status_errors": STATUS_ERRORS,
        "spec_name": spec_name,
        "env_vars": _env_vars(api),
        "client_headers": [_client_header_view(h) for h in api.client_headers],
        "api_config_type_field": api.webhook_type_field,
        "jwks": _jwks_view(api, schemas),
    }
    files: dict[str, str] = {}

    def emit(path: str, template: str, **context: Any) -> None:
        files[path] = env.get_template(template).render(**common, **context)

    def emit_stored(
        path: str, template: str, context: Callable[[], dict[str, Any]], group: Group | None = None
    ) -> None:
        """`emit`, or the text the store kept for the same inputs (`context` is worked out only when needed)."""
        key = store.key(template, group) if store is not None else ""
        text = store.get(key) if store is not None else None
        if text is not None:
            files[path] = text
            return
        emit(path, template, **context())
        if store is not None:
            store.put(key, files[path])

    emit("pyproject.toml", "pyproject.toml.jinja")
    resources: list[tuple[Group, list[MethodView]]] = []
    emit("README.md", "README.md.jinja", examples=_examples(api))
    emit(f"{package}/__init__.py", "package/__init__.py.jinja")
    files[f"{package}/py.typed"] = ""
    for name in PACKAGE_FILES:
        emit(f"{package}/{name}", f"package/{name}.jinja")
    if api.webhooks:
        emit(
            f"{package}/webhooks.py",
            "package/webhooks.py.jinja",
            events=_webhook_events(api),
            event_imports=import_lines(
                *(annotation(w.event_type) for w in api.webhooks if w.event_type is not None),
                models_import="from . import models as _models",
            ),
        )
    emit(f"{package}/_client.py", "package/_client.py.jinja")
    emit_stored(f"{package}/models/__init__.py", "package/models/__init__.py.jinja", lambda: _models_context(api))
    emit(f"{package}/resources/__init__.py", "package/resources/__init__.py.jinja")
    for group in api.groups:
        classes = [
            f"{prefix}{group.class_name}{suffix}"
            for prefix in ("", "Async")
            for suffix in ("", "WithRawResponse", "WithStreamingResponse")
        ]
        spell = PublicNames([*classes, *_RESOURCE_MODULE_NAMES])
        methods = [method_view(op, schemas, group.attribute, spell) for op in group.operations]
        emit_stored(
            f"{package}/resources/{group.module}.py",
            "package/resources/resource.py.jinja",
            functools.partial(_resource_context, group, methods, spell),
            group,
        )
        resources.append((group, methods))
    models = [(schema.name, _summary(schema.description)) for schema in api.schemas]
    emit("api.md", "api.md.jinja", resources=resources, models=models)
    if samples is not None:
        emit(f"{package}/testing.py", "package/testing.py.jinja", **_testing_context(api, resources, samples))
    if samples is not None and tests:
        served = {(o.method, o.path) for o in api.operations}
        emit("tests/conftest.py", "tests/conftest.py.jinja", token_served=("POST", api.auth.token_path) in served)
        emit("tests/test_operations.py", "tests/test_operations.py.jinja")
        files["tests/samples.json"] = _samples_json(api, samples, schemas)
    return files


def _testing_context(
    api: Api, resources: list[tuple[Group, list[MethodView]]], samples: Mapping[str, SampleCall]
) -> dict[str, Any]:
    """What the test kit's module needs: per resource, a statement registering each operation with its endpoint
    constant and method; per operation, its path and query parameters and the spec's example of its response
    (as one JSON string literal: data, never code)."""
    cases: dict[str, list[dict[str, str]]] = {}
    operations: dict[str, Any] = {}
    for group, methods in resources:
        cases[group.name] = []
        for view in methods:
            name = f"{group.attribute}.{view.operation.python_name}"
            call = layout.call(
                f"self.{view.operation.python_name} = api.operation",
                pystr(name),
                f"_{group.module}.{view.constant}",
                f"_{group.module}.{group.class_name}.{view.operation.python_name}",
            )
            cases[group.name].append({"statement": layout.lay(call, 8)})
            entry: dict[str, Any] = {
                "arguments": sorted(
                    [a.name, a.location, a.python_name, a.required]
                    for a in view.arguments
                    if a.location in ("path", "query")
                )
            }
            found, example = samples.get(view.operation.pointer, SampleCall({})).response
            if found:
                entry["example"] = example
            operations[name] = entry
    first = min(
        ((g, o) for g in api.groups for o in g.operations),
        key=lambda p: (p[0].attribute, p[1].python_name),
        default=None,
    )
    token = api.auth.token_path
    return {
        "groups": [group for group, _ in resources],
        "cases": cases,
        "operations": pystr(json.dumps(operations, ensure_ascii=True, separators=(",", ":"), sort_keys=True)),
        "example": (
            {"attribute": first[0].attribute, "method": first[1].python_name}
            if first
            else {"attribute": "resource", "method": "method"}
        ),
        "token_path": pystr(urlsplit(token).path if "//" in token else token) if token else "None",
        "token_served": True,
    }


def _samples_json(api: Api, samples: Mapping[str, SampleCall], schemas: dict[str, Schema]) -> str:
    """The generated tests' data: per operation, the method, sample arguments and the classes its result (or each
    item of its pages) must be an instance of. Data, not code: nothing the spec says becomes Python source."""
    operations: list[dict[str, Any]] = []
    for group in api.groups:
        for operation in group.operations:
            call = samples.get(operation.pointer, SampleCall({}, "no sample call was made for this operation"))
            case: dict[str, Any] = {
                "id": f"{group.attribute}.{operation.python_name}",
                "operation_id": operation.operation_id,
                "resource": group.attribute,
                "method": operation.python_name,
                "arguments": call.arguments,
                "result": _instance_classes(operation.return_type, schemas, 0),
            }
            if operation.pagination is not None:
                case["items"] = _instance_classes(operation.pagination.item_type, schemas, 0)
            if call.problem:
                case["problem"] = f"{operation.operation_id}: {call.problem}"
            operations.append(case)
    return json.dumps({"operations": operations}, indent=1, ensure_ascii=False) + "\n"


_INSTANCE_CLASSES = {
    "str": "str",
    "int": "int",
    "float": "float, int",
    "bool": "bool",
    "decimal": "decimal.Decimal",
    "date": "datetime.date",
    "datetime": "datetime.datetime",
    "uuid": "uuid.UUID",
    "bytes": "bytes",
}


def _instance_classes(type_: Type | None, schemas: dict[str, Schema], depth: int) -> list[str]:
    """The classes a value of `type_` is an instance of, by the names the generated tests resolve: `models.X`,
    a class the package exports (`NoContent`, `BinaryContent`), a builtin, `uuid.UUID`, `decimal.Decimal`,
    `datetime.date`, `datetime.datetime`, `None`."""
    if type_ is None:
        return ["NoContent"]
    if depth > 16:
        return ["object"]
    if isinstance(type_, Nullable):
        return [*_instance_classes(type_.inner, schemas, depth + 1), "None"]
    if isinstance(type_, UnionType):
        found = [c for variant in type_.variants for c in _instance_classes(variant, schemas, depth + 1)]
        return list(dict.fromkeys(found))
    if isinstance(type_, Ref):
        schema = schemas.get(type_.name)
        if isinstance(schema, AliasSchema):
            return _instance_classes(schema.type, schemas, depth + 1)
        return [type_.name] if schema is None else [f"models.{type_.name}"]  # None: the runtime's own
    if isinstance(type_, ArrayType):
        return ["list"]
    if isinstance(type_, MapType):
        return ["dict"]
    if isinstance(type_, LiteralType):
        return sorted({"str" if isinstance(v, str) else "int" for v in type_.values})
    if isinstance(type_, Primitive):
        return _INSTANCE_CLASSES.get(type_.kind, "object").split(", ")
    return ["object"]


def _resource_context(group: Group, methods: list[MethodView], spell: PublicNames) -> dict[str, Any]:
    signatures = [m.signature(asynchronous) + m.result(asynchronous) for m in methods for asynchronous in (False, True)]
    texts = [m.return_annotation for m in methods] + [m.body_type for m in methods] + signatures
    texts += [text for m in methods for _, typed in (*m.response_types, *m.error_types) for _, text in typed]
    return {"group": group, "methods": methods, "imports": spell.imports(*texts)}


def runtime_files(api: Api) -> dict[str, str]:
    """The runtime modules this package needs, by path relative to the output folder, as they are in
    templates/runtime/: already black-clean, so they skip the formatter."""
    names = list(RUNTIME_FILES)
    if api.auth.signing or api.auth.jwks_path or api.webhooks:
        names += SIGNING_FILES
    if api.webhooks:
        names += WEBHOOK_FILES
    folder = templates_root() / "runtime"
    return {f"{api.package.name}/{name}": (folder / name).read_text(encoding="utf-8") for name in sorted(names)}


def _env_vars(api: Api) -> list[str]:
    names_ = ["BASE_URL", "ENVIRONMENT"]
    if api.auth.token_path or api.auth.client_id_header:
        names_.append("CLIENT_ID")
    if api.auth.token_path:
        names_.append("CLIENT_SECRET")
    if api.auth.signing:
        names_ += ["KEY_ID", "PRIVATE_KEY", "PRIVATE_KEY_PASSWORD"]
    names_.append("ACCESS_TOKEN")
    if api.auth.api_key_header or api.auth.api_key_query:
        names_.append("API_KEY")
    if api.auth.basic:
        names_ += ["USERNAME", "PASSWORD"]
    variables = [f"{api.package.env_prefix}_{name}" for name in names_]
    variables += [key.env_var for key in api.auth.api_keys]
    variables += [header.env_var for header in api.client_headers]
    return [f"`{name}`" for name in variables]


@dataclass(frozen=True)
class ClientHeaderView:
    """A client setting as the client's constructor and the runtime show it."""

    name: str
    python_name: str
    env_var: str
    annotation: str
    required: bool
    default: str | None
    description: str
    #: a value of its type for the README's examples
    placeholder: str


def _client_header_view(header: ClientHeader) -> ClientHeaderView:
    type_ = header.type.inner if isinstance(header.type, Nullable) else header.type
    if isinstance(type_, LiteralType):
        text = "Literal[" + ", ".join(pystr(v) for v in type_.values) + "]"
        placeholder = pystr(type_.values[0])
    elif isinstance(type_, Primitive) and type_.kind in ("int", "float", "bool"):
        text = type_.kind
        placeholder = _PLACEHOLDERS[type_.kind][0]
    else:
        text = "str"
        placeholder = '"..."'
    example = header.example
    if text == "str" and example is not None:
        placeholder = pystr(str(example))
    elif text in ("int", "float") and isinstance(example, (int, float)) and not isinstance(example, bool):
        placeholder = pyvalue(example if text == "float" else int(example))
    return ClientHeaderView(
        header.name,
        header.python_name,
        header.env_var,
        text,
        header.required,
        header.default,
        header.description,
        placeholder,
    )


def _jwks_view(api: Api, schemas: dict[str, Schema]) -> MethodView | None:
    """The operation that serves webhook verification keys, as the webhooks module calls it."""
    for operation in api.operations:
        if operation.path == api.auth.jwks_path and operation.method == "GET":
            return method_view(operation, schemas)
    return None


def _webhook_events(api: Api) -> list[tuple[str, str]]:
    """(event type name, model annotation) pairs: which model parses which event."""
    pairs: dict[str, str] = {}
    for webhook in api.webhooks:
        if webhook.event_type is None:
            continue
        for name in webhook.event_names:
            pairs.setdefault(name, annotation(webhook.event_type))
    return sorted(pairs.items())


def _models_context(api: Api) -> dict[str, Any]:
    schemas = {schema.name: schema for schema in api.schemas}
    enums = [s for s in api.schemas if isinstance(s, EnumSchema)]
    objects = [s for s in api.schemas if isinstance(s, ObjectSchema)]
    aliases = _alias_order([s for s in api.schemas if isinstance(s, AliasSchema)])
    fields: dict[str, list[tuple[Any, str]]] = {}  # per class: (field, annotation)
    field_lines: dict[str, dict[str, str]] = {}  # per class and field: `name: annotation = None`, laid out
    texts: list[str] = []
    for schema in objects:
        rows = []
        # public module names (`datetime.date`), unless a field of the class takes one: pydantic reads the
        # annotations in the class's namespace, where `datetime = None` would hide the module
        public = not {f.python_name for f in schema.fields} & set(_STANDARD_MODULES.values())
        for field in schema.fields:
            text = annotation(field.type, "models", schemas=schemas)
            if not field.required and not text.endswith("| None") and text != "_t.Any":
                text += " | None"
            text = _standard_modules(text) if public else text
            line = f"{field.python_name}: {text}" if field.required else f"{field.python_name}: {text} = None"
            if not layout.fits(line, 4):  # most fit
                default = "" if field.required else "None"
                line = layout.lay(layout.annotated(field.python_name, text, default, statement=True), 4)
            field_lines.setdefault(schema.name, {})[field.python_name] = line
            rows.append((field, text))
            texts.append(text)
        fields[schema.name] = rows
    alias_texts = {
        schema.name: _standard_modules(annotation(schema.type, "models", schemas=schemas)) for schema in aliases
    }
    texts += alias_texts.values()
    alias_lines = {name: layout.lay(layout.alias(name, text)) for name, text in alias_texts.items()}
    if aliases:
        texts.append("typing.TypeAlias")
    runtime = [
        name
        for name, used in (
            ("BaseModel", objects),
            ("OpenEnum", any(e.kind == "str" for e in enums)),
            ("OpenIntEnum", any(e.kind == "int" for e in enums)),
            ("UnknownVariant", any("discriminate(" in text for text in texts)),
            ("discriminate", any("discriminate(" in text for text in texts)),
        )
        if used
    ]
    if any(f.python_name != f.name for s in objects for f in s.fields):
        texts.append("_pydantic.Field")
    return {
        "enums": enums,
        "objects": objects,
        "aliases": aliases,
        "fields": fields,
        "field_lines": field_lines,
        "alias_texts": alias_texts,
        "alias_lines": alias_lines,
        "imports": import_lines(*texts),
        "runtime_imports": runtime,
        "exported": sorted(s.name for s in api.schemas),
    }


_STANDARD_SPELLED = re.compile(r"""("(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')|\b(_t|_dt|_decimal|_uuid)\.""")


@lru_cache(maxsize=8192)
def _standard_modules(text: str) -> str:
    """An annotation with the standard modules by their own names (`_dt.date` -> `datetime.date`); string
    literals stay as they are."""
    return _STANDARD_SPELLED.sub(lambda m: m.group(1) or f"{_STANDARD_MODULES[m.group(2)]}.", text)


def _alias_order(aliases: list[AliasSchema]) -> list[AliasSchema]:
    """Aliases are runtime expressions: each must come after the aliases it uses."""
    by_name = {a.name: a for a in aliases}
    ordered: list[AliasSchema] = []
    state: dict[str, int] = {}

    def visit(alias: AliasSchema) -> None:
        if state.get(alias.name) == 2:
            return
        if state.get(alias.name) == 1:
            return  # a cycle between aliases: Python cannot express it; the builder avoids making one
        state[alias.name] = 1
        for name in sorted(_refs(alias.type)):
            if name in by_name:
                visit(by_name[name])
        state[alias.name] = 2
        ordered.append(alias)

    try:
        for alias in aliases:
            visit(alias)
    finally:
        del visit  # it refers to itself: a cycle only the collector would free
    return ordered


def _refs(type_: Type) -> Iterable[str]:
    if isinstance(type_, Ref):
        yield type_.name
    elif isinstance(type_, (ArrayType,)):
        yield from _refs(type_.item)
    elif isinstance(type_, MapType):
        yield from _refs(type_.value)
    elif isinstance(type_, Nullable):
        yield from _refs(type_.inner)
    elif isinstance(type_, UnionType):
        for variant in type_.variants:
            yield from _refs(variant)


#: placeholder values of the primitive types, and the imports they need
_PLACEHOLDERS: dict[str, tuple[str, str]] = {
    "str": ('"..."', ""),
    "int": ("1", ""),
    "float": ("1.0", ""),
    "bool": ("True", ""),
    "bytes": ('b"..."', ""),
    "decimal": ('Decimal("1.5")', "from decimal import Decimal"),
    "date": ("datetime.date(2024, 1, 31)", "import datetime"),
    "datetime": ("datetime.datetime(2024, 1, 31, 12, 0, tzinfo=datetime.timezone.utc)", "import datetime"),
    "uuid": ('uuid.UUID("00000000-0000-4000-8000-000000000000")', "import uuid"),
}


@dataclass(frozen=True)
class ExampleCall:
    """A call of one operation for the generated README: its required arguments with placeholder values of their
    types, and the imports those values need."""

    attribute: str  # the resource's attribute on the client
    method: str
    arguments: tuple[tuple[str, str], ...]  # (argument, Python expression)
    imports: tuple[str, ...]

    def preamble(self, *first: str) -> str:
        """The import lines the example needs (after `first`), and the blank line that ends them; "" if none."""
        lines = [*first, *self.imports]
        return "\n".join(lines) + "\n\n" if lines else ""

    def statement(self, lead: str = "", indent: int = 0, *, raw: bool = False, awaited: bool = False) -> str:
        """`lead` + the call, on one line when it fits, else one argument a line (black's layout)."""
        pad = " " * indent
        target = f"client.{self.attribute}.{'with_raw_response.' if raw else ''}{self.method}"
        head = f"{pad}{lead}{'await ' if awaited else ''}{target}("
        inline = ", ".join(f"{name}={value}" for name, value in self.arguments)
        if len(head) + len(inline) + 1 <= LINE_LENGTH:
            return f"{head}{inline})"
        body = "".join(f"{pad}    {name}={value},\n" for name, value in self.arguments)
        return f"{head}\n{body}{pad})"


def _placeholder(type_: Type, schemas: dict[str, Schema], imports: set[str], depth: int = 0) -> str:
    """A Python expression of the type, to stand for a value the reader fills in."""
    if depth > 8:
        return "{}"
    if isinstance(type_, Nullable):
        return _placeholder(type_.inner, schemas, imports, depth + 1)
    if isinstance(type_, LiteralType):
        return pystr(type_.values[0])
    if isinstance(type_, Primitive):
        text, needs = _PLACEHOLDERS[type_.kind]
        if needs:
            imports.add(needs)
        return text
    if isinstance(type_, ArrayType):
        return "[" + _placeholder(type_.item, schemas, imports, depth + 1) + "]"
    if isinstance(type_, UnionType):
        return _placeholder(type_.variants[0], schemas, imports, depth + 1)
    if isinstance(type_, Ref):
        schema = schemas.get(type_.name)
        if isinstance(schema, EnumSchema) and schema.members:
            return pyvalue(schema.members[0].value)
        if isinstance(schema, AliasSchema):
            return _placeholder(schema.type, schemas, imports, depth + 1)
    return "{}"  # objects (a dict is accepted for a model), maps, anything


def example_call(group: Group, operation: Operation, schemas: dict[str, Schema]) -> ExampleCall:
    """The call of `operation` with every argument it requires, as its method's signature has them."""
    imports: set[str] = set()
    order = {name: i for i, name in enumerate(a.python_name for a in method_view(operation, schemas).arguments)}
    arguments = [
        (name, _placeholder(type_, schemas, imports)) for name, type_ in _example_arguments(operation, schemas)
    ]
    arguments.sort(key=lambda a: order.get(a[0], 0))
    return ExampleCall(group.attribute, operation.python_name, tuple(arguments), tuple(sorted(imports)))


def _examples(api: Api) -> dict[str, Any]:
    """Real calls of this API for the README: a list call, a call with a path parameter, one with a body, a paged
    list, and a call of any operation (a GET if there is one, with the fewest required arguments) when nothing else
    fits."""
    schemas = {schema.name: schema for schema in api.schemas}
    listing = retrieval = creation = paged = simplest = None
    fewest: tuple[bool, int] = (False, 0)
    for group in api.groups:
        for operation in group.operations:
            path_params = [p for p in operation.parameters if p.location == "path"]
            required_other = [p for p in operation.parameters if p.location != "path" and p.required]
            arguments = len(_example_arguments(operation, schemas))
            if simplest is None or (operation.method != "GET", arguments) < fewest:
                simplest, fewest = (group, operation), (operation.method != "GET", arguments)
            if operation.pagination is not None and paged is None:
                paged = (group, operation)
            if (
                (listing is None or not listing[1].python_name.startswith("list"))
                and operation.method == "GET"
                and not arguments
                and operation.return_type is not None
            ):
                listing = (group, operation)
            elif retrieval is None and operation.method == "GET" and len(path_params) == 1 and not required_other:
                retrieval = (group, operation)
            elif (
                creation is None
                and operation.method == "POST"
                and operation.body is not None
                and operation.body.fields
                and operation.security
            ):
                creation = (group, operation)
    chosen = {"listing": listing, "retrieval": retrieval, "creation": creation, "paged": paged}
    chosen["any"] = listing or simplest
    # the calls are made for the chosen operations only: ordering arguments takes the method's view
    return {key: example_call(*pair, schemas) if pair is not None else None for key, pair in chosen.items()}


def _example_arguments(operation: Operation, schemas: dict[str, Schema]) -> list[tuple[str, Type]]:
    """The arguments an example call of `operation` passes: those required, but for constants."""
    typed: list[tuple[str, Type, bool]] = [(p.python_name, p.type, p.required) for p in operation.parameters]
    body = operation.body
    if body is not None:
        if body.fields is not None:
            typed += [(f.python_name, f.type, f.required) for f in body.fields]
        else:
            typed.append((body.python_name, body.type, body.required))
    return [(name, type_) for name, type_, required in typed if required and _constant_value(type_, schemas) is None]
