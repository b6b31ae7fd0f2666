"""The intermediate model: what the generated client looks like, decided once, as frozen dataclasses.

Every name here is already a safe, unique Python identifier. Strings that come from the spec (descriptions,
wire names, paths, enum values) stay raw here; templates print them only through escaping filters.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Union

PrimitiveKind = Literal["str", "int", "float", "bool", "decimal", "date", "datetime", "uuid", "bytes"]


@dataclass(frozen=True)
class Primitive:
    kind: PrimitiveKind


@dataclass(frozen=True)
class AnyType:
    pass


@dataclass(frozen=True)
class ArrayType:
    item: Type


@dataclass(frozen=True)
class MapType:
    value: Type


@dataclass(frozen=True)
class Nullable:
    inner: Type


@dataclass(frozen=True)
class Ref:
    """A named schema of `Api.schemas`."""

    name: str


@dataclass(frozen=True)
class LiteralType:
    """One of a fixed set of strings, for parameters whose schema is an inline enum."""

    values: tuple[str, ...]


@dataclass(frozen=True)
class UnionType:
    variants: tuple[Type, ...]
    #: the property whose value says which variant a value is (`discriminator.propertyName`)
    discriminator: str | None = None
    #: value of that property -> variant, from the discriminator's mapping and the variants' schema names
    tags: tuple[tuple[str, Type], ...] = ()


Type = Union[Primitive, AnyType, ArrayType, MapType, Nullable, Ref, LiteralType, UnionType]


@dataclass(frozen=True)
class Field:
    name: str  # the wire name
    python_name: str
    type: Type
    required: bool
    description: str = ""
    deprecated: bool = False


@dataclass(frozen=True)
class ObjectSchema:
    name: str
    fields: tuple[Field, ...]
    description: str = ""
    pointer: str = ""


@dataclass(frozen=True)
class EnumMember:
    name: str
    value: str | int


@dataclass(frozen=True)
class EnumSchema:
    name: str
    kind: Literal["str", "int"]
    members: tuple[EnumMember, ...]
    description: str = ""
    pointer: str = ""


@dataclass(frozen=True)
class AliasSchema:
    """A named type that is not a class: unions, arrays or primitives declared under a name."""

    name: str
    type: Type
    description: str = ""
    pointer: str = ""


Schema = Union[ObjectSchema, EnumSchema, AliasSchema]

ParameterLocation = Literal["path", "query", "header", "cookie"]


@dataclass(frozen=True)
class Parameter:
    name: str
    python_name: str
    location: ParameterLocation
    type: Type
    required: bool
    description: str = ""
    style: str = "form"
    explode: bool = True
    deprecated: bool = False


BodyKind = Literal["json", "form", "multipart", "binary", "text"]


@dataclass(frozen=True)
class RequestBody:
    media_type: str
    kind: BodyKind
    type: Type
    required: bool
    #: When the body is an object, its fields become keyword arguments of the method.
    fields: tuple[Field, ...] | None = None
    python_name: str = "body"
    description: str = ""
    #: multipart parts the spec's `encoding` describes: (property, content type or None, one part per item)
    parts: tuple[tuple[str, str | None, bool], ...] = ()


#: `events`: server-sent events, `lines`: JSON lines; both read as they arrive (a `Stream` of items)
PagingStyle = Literal["offset", "page", "cursor", "next-url", "link"]
ResponseKind = Literal["json", "binary", "text", "empty", "events", "lines"]
STREAM_KINDS = ("events", "lines")


@dataclass(frozen=True)
class Content:
    media_type: str
    kind: ResponseKind
    type: Type | None


@dataclass(frozen=True)
class Response:
    status: str  # "200", "2XX" or "default"
    description: str
    contents: tuple[Content, ...]
    problem: bool
    headers: tuple[str, ...] = ()

    @property
    def success(self) -> bool:
        """A 2xx response, or the `default` of an operation that declares no other (`problem` is False only then)."""
        return self.status.startswith("2") or (self.status == "DEFAULT" and not self.problem)


@dataclass(frozen=True)
class SecurityRequirement:
    """One alternative of an operation's `security`: every scheme listed, each with its scopes."""

    schemes: tuple[tuple[str, tuple[str, ...]], ...]


@dataclass(frozen=True)
class Pagination:
    """How a list operation moves through pages, and where a page's items are.

    `style`: `offset` (an offset parameter moved by the items seen), `page` (a page number moved by one),
    `cursor` (a parameter fed from a response field, or from the last item's `cursor_item_field`), `next-url` (a
    response field holding the next page's URL), `link` (the RFC 8288 `Link: <...>; rel="next"` header).
    Fields are Python attribute paths into the response (`("meta", "next_cursor")`); parameters are wire names.
    """

    style: PagingStyle
    item_type: Type
    #: the attribute holding the items; empty: the response is the list of items
    items_field: str = ""
    #: the parameter the style moves (offset, page number, cursor); "" for next-url and link
    param: str = ""
    #: the page size parameter, if any
    size_param: str = ""
    #: the cursor or the next page's URL
    next_field: tuple[str, ...] = ()
    #: the total number of items, when the response says
    total_field: tuple[str, ...] = ()
    #: a flag saying more pages follow
    has_more_field: tuple[str, ...] = ()
    #: cursor style fed from the last item: its attribute (`id` for `starting_after`)
    cursor_item_field: str = ""


@dataclass(frozen=True)
class Operation:
    operation_id: str
    python_name: str
    method: str
    path: str
    summary: str
    description: str
    deprecated: bool
    parameters: tuple[Parameter, ...]
    body: RequestBody | None
    responses: tuple[Response, ...]
    security: tuple[SecurityRequirement, ...]
    managed_headers: tuple[str, ...]
    idempotency_header: str | None
    pointer: str
    pagination: Pagination | None = None
    #: OAuth2 scope sets that each allow the call, in the spec's order (any one of them is enough).
    scopes: tuple[tuple[str, ...], ...] = ()

    @property
    def success_responses(self) -> tuple[Response, ...]:
        return tuple(r for r in self.responses if r.success)

    @property
    def stream(self) -> str | None:
        """How the result is read as it arrives ("events", "lines"), when every success body is a stream; the
        return type is then the type of one item."""
        kinds = {c.kind for r in self.success_responses for c in r.contents}
        return kinds.pop() if len(kinds) == 1 and kinds <= set(STREAM_KINDS) else None

    @property
    def return_type(self) -> Type | None:
        """The type a call returns; None means a result without a body."""
        types: list[Type] = []
        empty = False
        for response in self.success_responses:
            for content in response.contents:
                if content.type is None:
                    empty = True
                elif content.type not in types:
                    types.append(content.type)
            if not response.contents:
                empty = True
        if not types:
            return None
        if empty:
            types.append(NO_CONTENT)
        return types[0] if len(types) == 1 else UnionType(tuple(types))


#: The result of a response without a body, as a type: the runtime's NoContent class.
NO_CONTENT = Ref("NoContent")
#: The result of a binary response (a PDF, an image): the runtime's BinaryContent class.
BINARY = Ref("BinaryContent")
#: An item of a server-sent event stream whose data the spec gives no schema: the runtime's ServerSentEvent.
SERVER_SENT_EVENT = Ref("ServerSentEvent")


@dataclass(frozen=True)
class Group:
    """The operations of one tag: a resource of the client (`client.orders`)."""

    name: str
    attribute: str
    class_name: str
    module: str
    description: str
    operations: tuple[Operation, ...]


@dataclass(frozen=True)
class Server:
    url: str
    name: str
    description: str


@dataclass(frozen=True)
class SecurityScheme:
    name: str
    kind: str  # apiKey | http | oauth2 | openIdConnect | mutualTLS
    location: str = ""  # for apiKey: header | query | cookie
    parameter: str = ""  # for apiKey: the header, query or cookie name
    scheme: str = ""  # for http: bearer | basic
    token_url: str = ""
    scopes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Webhook:
    name: str
    python_name: str
    method: str
    description: str
    type: Type | None
    #: The model of one event in a delivery (a delivery may wrap a list of them), and the values of
    #: its type field that select it.
    event_type: Type | None = None
    event_names: tuple[str, ...] = ()


@dataclass(frozen=True)
class Signing:
    """How requests are signed: the covered components (in order) and the scheme's version header."""

    components: tuple[str, ...]
    version_header: str | None = None
    version: str | None = None


@dataclass(frozen=True)
class ApiKeySetting:
    """One apiKey security scheme as a constructor argument and an environment variable of its own."""

    scheme: str
    python_name: str
    env_var: str
    header: str | None
    query: str | None


@dataclass(frozen=True)
class Auth:
    """What the client does for authentication, decided from the security schemes and configuration."""

    #: Path of the OAuth2 client-credentials token endpoint, relative to the chosen server.
    token_path: str | None = None
    #: A header that carries the client id on every request.
    client_id_header: str | None = None
    signing: Signing | None = None
    #: Path of the JWKS endpoint whose keys verify webhook deliveries.
    jwks_path: str | None = None
    #: An API key the client sends in this header or query parameter (apiKey security schemes).
    api_key_header: str | None = None
    api_key_query: str | None = None
    #: When a security requirement needs several apiKey schemes together: one key each, instead of `api_key`.
    api_keys: tuple[ApiKeySetting, ...] = ()
    #: HTTP basic authentication (username and password).
    basic: bool = False


@dataclass(frozen=True)
class ClientHeader:
    """A header (nearly) every operation declares: a setting of the client, sent on every request."""

    name: str  # the wire name, lower case
    python_name: str  # the constructor argument
    env_var: str  # the environment variable read when the argument is not given
    type: Type
    #: every operation that declares it requires it: a call without it is refused before it is sent
    required: bool
    #: the schema's default, sent when neither the argument nor the variable is given
    default: str | None = None
    description: str = ""
    #: a value the spec shows (its default, first enum value or example), for documentation
    example: str | int | float | None = None


@dataclass(frozen=True)
class Package:
    """Names of the generated distribution."""

    name: str  # import name
    distribution: str
    version: str
    env_prefix: str
    request_id_header: str
    #: the client's default timeouts (seconds) and retry policy fields, from the configuration (its defaults:
    #: generator.config.DEFAULT_TIMEOUT and DEFAULT_CONNECT_TIMEOUT)
    timeout: float
    connect_timeout: float
    retry: tuple[tuple[str, float | int], ...] = ()


@dataclass(frozen=True)
class Api:
    title: str
    version: str
    description: str
    servers: tuple[Server, ...]
    groups: tuple[Group, ...]
    schemas: tuple[Schema, ...]
    security_schemes: tuple[SecurityScheme, ...]
    webhooks: tuple[Webhook, ...]
    package: Package
    auth: Auth = Auth()
    client_headers: tuple[ClientHeader, ...] = ()
    #: the field of a webhook payload that names its event type
    webhook_type_field: str = "type"
    #: what `skip-invalid` left out, and where its error is ("GET /pets (ref-unresolvable at #/paths/...)")
    skipped: tuple[str, ...] = ()

    @property
    def operations(self) -> tuple[Operation, ...]:
        return tuple(op for group in self.groups for op in group.operations)
