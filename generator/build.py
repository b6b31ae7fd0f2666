"""Building the intermediate model (`Api`) from a loaded `Document`.

Pure: reads the document, returns the model and the warnings about what it had to approximate.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field, replace
from typing import Any, Iterable, get_args
from urllib.parse import urlsplit

from generator import names
from generator import config as config_module
from generator.config import DEFAULT_CONNECT_TIMEOUT, DEFAULT_REQUEST_ID_HEADER, DEFAULT_TIMEOUT, Config
from generator.diagnostics import Diagnostic, SpecError
from generator.infer import client_setting_names, env_prefix, settle
from generator.load import Document, Location, RefError, escape_pointer_token
from generator.model import (
    BINARY,
    AliasSchema,
    AnyType,
    Api,
    Auth,
    ArrayType,
    ClientHeader,
    BodyKind,
    Content,
    EnumMember,
    EnumSchema,
    Field,
    Group,
    LiteralType,
    MapType,
    Nullable,
    ObjectSchema,
    Operation,
    Package,
    Pagination,
    Parameter,
    Primitive,
    PrimitiveKind,
    Ref,
    RequestBody,
    Response,
    ResponseKind,
    Schema,
    SecurityRequirement,
    SecurityScheme,
    Server,
    Signing,
    Type,
    UnionType,
    Webhook,
)
from generator.validate import HTTP_METHODS

#: Names the generated runtime defines next to the models; a schema never takes one of them.
RUNTIME_NAMES = frozenset(
    {"BaseModel", "OpenEnum", "OpenIntEnum", "Problem", "NoContent", "BinaryContent", "Any", "Field", "Optional"}
)
#: Attributes of the generated Client that a resource group must not shadow.
CLIENT_ATTRIBUTES = frozenset(
    {
        "close",
        "aclose",
        "base_url",
        "timeout",
        "with_options",
        "request",
        "environment",
        "headers",
        "http_client",
        "retry",
        "client_id",
        "webhook_verifier",
    }
)
#: Headers the runtime always sets itself, hidden from methods whatever the spec says (`accept` stays an argument
#: where an operation declares it; `authorization` is hidden when a security scheme sets it).
TRANSPORT_HEADERS = config_module.TRANSPORT_HEADERS - {"accept", "authorization"}
_DOC_KEYS = frozenset({"description", "example", "examples", "externalDocs", "deprecated", "summary", "xml"})
_DECIMAL_SAMPLES = ("1.5", "1.50", "0.25")
#: the primitive types, made once: the build asks for tens of thousands of them
_PRIMITIVES: dict[str, Primitive] = {kind: Primitive(kind) for kind in get_args(PrimitiveKind)}
_JSON_MEDIA = re.compile(r"^application/([\w.+-]*\+)?json(;.*)?$|^\*/\*$|^application/\*$", re.IGNORECASE)
_TEXT_MEDIA = re.compile(r"^text/", re.IGNORECASE)
_FORM_MEDIA = "application/x-www-form-urlencoded"
_MULTIPART_MEDIA = "multipart/form-data"


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def is_json_media(media_type: str) -> bool:
    return bool(_JSON_MEDIA.match(media_type.strip()))


def is_problem_media(media_type: str) -> bool:
    return media_type.lower().startswith("application/problem+")


#: names a model's field cannot take
_FIELD_RESERVED = names.RESERVED | names.MODEL_RESERVED


@dataclass
class _Context:
    """Where a schema sits: the file holding it, its pointer, and the name it gets when it needs one."""

    file: str
    pointer: str
    name: str
    field: str = ""  # the property this schema describes, if any


@dataclass
class Builder:
    document: Document
    config: Config
    diagnostics: list[Diagnostic] = field(default_factory=list)
    schemas: list[Schema] = field(default_factory=list)
    _schema_names: names.Namespace = field(default_factory=lambda: names.Namespace(RUNTIME_NAMES))
    _by_location: dict[Location, Type] = field(default_factory=dict)
    #: enum classes by kind, values and title
    _by_shape: dict[tuple[Any, ...], Type] = field(default_factory=dict)
    _component_names: dict[Location, str] = field(default_factory=dict)
    _pending: list[tuple[Location, Any, str]] = field(default_factory=list)
    _discriminators: frozenset[str] = frozenset()
    _schema_index: dict[str, Schema] = field(default_factory=dict)
    #: client-setting headers: (the first declaration met, and where), and whether every declaration requires it
    _client_header_uses: dict[str, tuple[dict[str, Any], _Context]] = field(default_factory=dict)
    _client_header_optional: set[str] = field(default_factory=set)
    #: client-setting header -> the operations (by pointer) that declare it
    _client_header_operations: dict[str, set[str]] = field(default_factory=dict)
    _client_credentials: set[str] = field(default_factory=set)
    _oauth_schemes: set[str] = field(default_factory=set)
    _merging: set[Location] = field(default_factory=set)
    _names_used: set[tuple[str, str]] = field(default_factory=set)
    #: object schemas by a cheap key, whose full shapes are not worked out yet; classes by full shape
    _object_shapes: dict[tuple[Any, ...], list[tuple[Any, Type]]] = field(default_factory=dict)
    _object_classes: dict[int, Type] = field(default_factory=dict)
    _shapes: _Shapes = field(default_factory=lambda: _Shapes())

    def _add_schema(self, schema: Schema) -> None:
        self.schemas.append(schema)
        self._schema_index[schema.name] = schema

    def _object_schema(self, type_: Type | None) -> ObjectSchema | None:
        schema = self._schema_index.get(type_.name) if isinstance(type_, Ref) else None
        return schema if isinstance(schema, ObjectSchema) else None

    # -- objects of the same shape are one class -----------------------------------------------------------

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

    # -- names chosen in the configuration --------------------------------------------------------------

    def _chosen(self, kind: str, *keys: str) -> str | None:
        """The configured name for the first of `keys` that has one (names.<kind> in the configuration)."""
        for key in keys:
            chosen = self.config.names.lookup(kind, key)
            if chosen is not None:
                self._names_used.add((kind, key))
                return chosen
        return None

    def _unused_names(self) -> None:
        for kind in ("operations", "resources", "models", "fields", "enum_members"):
            for key, _ in getattr(self.config.names, kind):
                if (kind, key) not in self._names_used:
                    table = kind.replace("_", "-")
                    message = f"names.{table}: '{key}' matches nothing in the spec; the name is not used"
                    self.diagnostics.append(
                        Diagnostic("warning", "names-unused", message, str(self.config.source or "configuration"))
                    )

    # -- diagnostics --------------------------------------------------------------------------------

    def warn(self, code: str, message: str, context: _Context) -> None:
        diagnostic = self.document.diagnostic("warning", code, message, Location(context.file, context.pointer))
        if diagnostic not in self.diagnostics:  # a shared parameter or schema is met once per use
            self.diagnostics.append(diagnostic)

    # -- the whole API ------------------------------------------------------------------------------

    def build(self) -> Api:
        root = self.document.root
        main = self.document.main
        info = root.get("info") or {}
        self._discriminators = _discriminator_properties(self.document)
        self._claim_components(main)
        security_schemes = self._security_schemes()
        managed = self._managed_headers(security_schemes)
        groups = self._groups(managed)
        servers = self._servers()
        auth = self._auth(security_schemes, groups, servers)
        webhooks = self._webhooks()
        title = str(info.get("title", "API"))
        client_headers = self._client_headers(title, sum(len(group.operations) for group in groups))
        self._drain_components()
        self._break_alias_cycles()
        self._unused_names()
        return Api(
            title=title,
            version=str(info.get("version", "")),
            description=_text(info.get("description")),
            servers=servers,
            groups=groups,
            schemas=tuple(self.schemas),
            security_schemes=security_schemes,
            webhooks=webhooks,
            package=self._package(title, str(info.get("version", ""))),
            auth=auth,
            client_headers=client_headers,
            webhook_type_field=self.config.webhook_type_field,
        )

    def _package(self, title: str, spec_version: str) -> Package:
        package = self.config.package or f"{names.snake(title, fallback='api')}_client"
        distribution = self.config.distribution or package.replace("_", "-")
        version = self.config.version or pep440(spec_version)
        prefix = env_prefix(self.config, title)
        retry = tuple((name, value) for name, value in vars(self.config.retry).items() if value is not None)
        return Package(
            package,
            distribution,
            version,
            prefix,
            self.config.request_id_header or DEFAULT_REQUEST_ID_HEADER,
            timeout=self.config.timeout or DEFAULT_TIMEOUT,
            connect_timeout=self.config.connect_timeout or DEFAULT_CONNECT_TIMEOUT,
            retry=retry,
        )

    def _servers(self) -> tuple[Server, ...]:
        if self.config.environments:  # the configuration's environments replace the spec's servers
            return tuple(Server(url=url, name=name, description="") for name, url in self.config.environments)
        servers: list[Server] = []
        taken = names.Namespace()
        raw = self.document.root.get("servers")
        for index, server in enumerate(raw if isinstance(raw, list) else []):
            if not isinstance(server, dict) or not isinstance(server.get("url"), str):
                continue
            url = server["url"]
            variables = _mapping(server.get("variables"))
            for variable, spec in variables.items():
                if isinstance(spec, dict) and "default" in spec:
                    url = url.replace("{" + str(variable) + "}", str(spec["default"]))
            description = _text(server.get("description"))
            base = names.snake(description.split()[0]) if description else ""
            if not base:
                host = re.sub(r"^[a-z]+://", "", url).split("/")[0].split(".")[0]
                base = names.snake(host, fallback=f"server_{index + 1}")
            servers.append(Server(url=url, name=taken.claim(base), description=description))
        return tuple(servers)

    # -- security -----------------------------------------------------------------------------------

    def _security_schemes(self) -> tuple[SecurityScheme, ...]:
        components = self.document.root.get("components") or {}
        raw = components.get("securitySchemes") if isinstance(components, dict) else None
        schemes: list[SecurityScheme] = []
        for name, scheme in (raw or {}).items() if isinstance(raw, dict) else ():
            scheme = self._deref(
                scheme, Location(self.document.main, f"/components/securitySchemes/{escape_pointer_token(name)}")
            )
            if not isinstance(scheme, dict):
                continue
            kind = str(scheme.get("type", ""))
            token_url = ""
            scopes: list[str] = []
            flows = _mapping(scheme.get("flows"))
            if isinstance(flows.get("clientCredentials"), dict):
                self._client_credentials.add(str(name))
            if kind == "oauth2":
                self._oauth_schemes.add(str(name))
            for flow in flows.values():
                if isinstance(flow, dict):
                    token_url = token_url or str(flow.get("tokenUrl", ""))
                    if isinstance(flow.get("scopes"), dict):
                        scopes.extend(str(s) for s in flow["scopes"] if str(s) not in scopes)
            schemes.append(
                SecurityScheme(
                    name=str(name),
                    kind=kind,
                    location=str(scheme.get("in", "")),
                    parameter=str(scheme.get("name", "")),
                    scheme=str(scheme.get("scheme", "")).lower(),
                    token_url=token_url,
                    scopes=tuple(scopes),
                )
            )
        return tuple(schemes)

    def _managed_headers(self, schemes: tuple[SecurityScheme, ...]) -> frozenset[str]:
        config = self.config
        managed = set(config.managed_headers) | TRANSPORT_HEADERS
        managed |= {h for h in (config.client_id_header, config.signature_version_header) if h}
        for scheme in schemes:
            if scheme.kind == "apiKey" and scheme.location == "header" and scheme.parameter:
                managed.add(scheme.parameter.lower())
            elif scheme.kind in ("http", "oauth2", "openIdConnect"):
                managed.add("authorization")
        return frozenset(managed)

    @staticmethod
    def _security(raw: Any) -> tuple[SecurityRequirement, ...]:
        requirements: list[SecurityRequirement] = []
        for requirement in raw if isinstance(raw, list) else []:
            if isinstance(requirement, dict):
                requirements.append(
                    SecurityRequirement(
                        tuple(
                            (str(name), tuple(str(s) for s in scopes) if isinstance(scopes, list) else ())
                            for name, scopes in requirement.items()
                        )
                    )
                )
        return tuple(requirements)

    # -- operations and groups ----------------------------------------------------------------------

    def _groups(self, managed: frozenset[str]) -> tuple[Group, ...]:
        root = self.document.root
        main = self.document.main
        tag_descriptions = {
            str(t.get("name")): _text(t.get("description"))
            for t in _sequence(root.get("tags"))
            if isinstance(t, dict) and "name" in t
        }
        by_group: dict[str, list[tuple[str, dict[str, Any], _Context, list[Any]]]] = {}
        paths = root.get("paths") if isinstance(root.get("paths"), dict) else {}
        for path, item in paths.items():
            pointer = f"/paths/{escape_pointer_token(path)}"
            item, item_location = self._resolve(item, Location(main, pointer))
            if not isinstance(item, dict):
                continue
            shared = _sequence(item.get("parameters"))
            for method in HTTP_METHODS:
                operation = item.get(method)
                if not isinstance(operation, dict):
                    continue
                tags = operation.get("tags")
                group = str(tags[0]) if isinstance(tags, list) and tags else _group_from_path(str(path))
                context = _Context(item_location.file, f"{item_location.pointer}/{method}", "")
                by_group.setdefault(group, []).append((str(path), {"method": method, **operation}, context, shared))
        default_security = root.get("security")
        # Names are handed out, and schemas converted (which names inline schemas and picks the class that
        # identical shapes share), in an order of the spec's content: groups by name, operations by path and
        # method. Reordering the spec's paths, tags or schemas changes no name; the groups and their operations
        # are still listed in the spec's order.
        attributes = names.Namespace(CLIENT_ATTRIBUTES)
        classes = names.Namespace()
        chosen_groups = {group_name: self._chosen("resources", group_name) for group_name in by_group}
        group_names: dict[str, tuple[str, str]] = {}
        for group_name in sorted(by_group):
            chosen_group = chosen_groups[group_name]
            group_names[group_name] = (
                attributes.claim(names.safe(chosen_group or names.snake(group_name, fallback="default"))),
                classes.claim(names.pascal(chosen_group or group_name, fallback="Default"), ""),
            )
        operation_ids = names.Namespace()
        built: dict[tuple[str, str], Operation] = {}
        methods = {group_name: names.Namespace(names.RESERVED | {"with_raw_response"}) for group_name in by_group}
        walk = sorted(
            ((group_name, entry) for group_name, entries in by_group.items() for entry in entries),
            key=lambda item: (item[1][0], HTTP_METHODS.index(item[1][1]["method"])),
        )
        for group_name, (path, operation, context, shared) in walk:
            method = operation["method"]
            raw_id = operation.get("operationId")
            operation_id = str(raw_id) if isinstance(raw_id, (str, int)) else f"{method}_{path}"
            unique_id = operation_ids.claim(names.pascal(operation_id, fallback=f"{method} {path}"), "")
            context.name = unique_id
            chosen = self._chosen("operations", operation_id)
            taken = methods[group_name]
            python_name = taken.claim(chosen or _method_name(operation_id, names.words(group_name), taken))
            built[(path, method)] = self._operation(
                operation,
                path,
                python_name,
                operation_id,
                context,
                shared,
                managed,
                operation.get("security", default_security),
            )
        groups: list[Group] = []
        for group_name, entries in by_group.items():
            attribute, class_name = group_names[group_name]
            groups.append(
                Group(
                    name=group_name,
                    attribute=attribute,
                    class_name=class_name,
                    module=attribute,
                    description=tag_descriptions.get(group_name, ""),
                    operations=tuple(built[(path, operation["method"])] for path, operation, _, _ in entries),
                )
            )
        return tuple(groups)

    def _operation(
        self,
        raw: dict[str, Any],
        path: str,
        python_name: str,
        operation_id: str,
        context: _Context,
        shared: list[Any],
        managed: frozenset[str],
        security: Any,
    ) -> Operation:
        arguments = names.Namespace(names.RESERVED)
        parameters: list[Parameter] = []
        owned: list[str] = []
        idempotency: str | None = None
        merged: dict[tuple[str, str], tuple[Any, _Context]] = {}
        pointer_base = context.pointer.rsplit("/", 1)[0]
        declared = [(f"{pointer_base}/parameters/{i}", p) for i, p in enumerate(shared)]
        own = _sequence(raw.get("parameters"))
        declared += [(f"{context.pointer}/parameters/{i}", p) for i, p in enumerate(own)]
        for pointer, parameter in declared:
            parameter, where = self._resolve(parameter, Location(context.file, pointer))
            if isinstance(parameter, dict):
                merged[(str(parameter.get("name")), str(parameter.get("in")))] = (
                    parameter,
                    _Context(where.file, where.pointer, ""),
                )
        # path parameters first, in the order of the path template, then the rest in spec order
        order = {name: i for i, name in enumerate(re.findall(r"\{([^{}]+)\}", path))}
        entries = sorted(merged.items(), key=lambda e: (0, order.get(e[0][0], 0)) if e[0][1] == "path" else (1, 0))
        client_headers = self.config.client_headers or ()
        for (name, location), (parameter, parameter_context) in entries:
            if location == "header" and name.lower() in client_headers:
                self._client_header_uses.setdefault(name.lower(), (parameter, parameter_context))
                self._client_header_operations.setdefault(name.lower(), set()).add(context.pointer)
                if not parameter.get("required"):
                    self._client_header_optional.add(name.lower())
                continue
            if location == "header" and name.lower() in managed:
                owned.append(name.lower())
                continue
            if location == "header" and name.lower() == self.config.idempotency_header:
                idempotency = name.lower()
                continue
            if location not in ("path", "query", "header", "cookie"):
                self.warn(
                    "parameter-location",
                    f"parameter '{name}' has unknown location '{location}'; skipped",
                    parameter_context,
                )
                continue
            if location == "cookie":
                self.warn(
                    "cookie-parameter", f"cookie parameter '{name}' is not supported yet; skipped", parameter_context
                )
                continue
            schema, schema_pointer = _parameter_schema(parameter, parameter_context.pointer)
            type_ = _literal(schema) or self.convert(
                schema,
                _Context(
                    parameter_context.file, schema_pointer, f"{context.name}{names.pascal(name, fallback='Param')}"
                ),
            )
            required = bool(parameter.get("required")) or location == "path"
            style = str(parameter.get("style") or ("simple" if location in ("path", "header") else "form"))
            explode = parameter.get("explode")
            parameters.append(
                Parameter(
                    name=name,
                    python_name=arguments.claim(names.safe(names.snake(name, fallback="param"))),
                    location=location,  # type: ignore[arg-type]
                    type=type_,
                    required=required,
                    description=_text(parameter.get("description")),
                    style=style,
                    explode=bool(explode) if explode is not None else style == "form",
                    deprecated=bool(parameter.get("deprecated")),
                )
            )
        body = self._request_body(raw.get("requestBody"), context, arguments)
        responses = self._responses(raw.get("responses"), context)
        operation = Operation(
            operation_id=operation_id,
            python_name=python_name,
            method=str(raw["method"]).upper(),
            path=path,
            summary=_text(raw.get("summary")),
            description=_text(raw.get("description")),
            deprecated=bool(raw.get("deprecated")),
            parameters=tuple(parameters),
            body=body,
            responses=responses,
            security=self._security(security),
            managed_headers=tuple(sorted(set(owned))),
            idempotency_header=idempotency,
            pointer=context.pointer,
        )
        return replace(operation, pagination=self._pagination(operation), scopes=self._scope_sets(operation.security))

    def _client_headers(self, title: str, operations: int) -> tuple[ClientHeader, ...]:
        """The client settings: the headers of `client-headers` that operations declare, in that order. One is
        required when every operation declares it and requires it."""
        prefix = env_prefix(self.config, title)
        taken: set[str] = set()
        headers: list[ClientHeader] = []
        for name in self.config.client_headers or ():
            if name not in self._client_header_uses:  # only the configuration can name such a header
                message = f"client-headers: no operation declares the header '{name}'; it is not a client setting"
                where = str(self.config.source or "configuration")
                self.diagnostics.append(Diagnostic("warning", "client-header-unused", message, where))
                continue
            parameter, context = self._client_header_uses[name]
            argument, variable = client_setting_names(name, prefix, taken)
            schema, schema_pointer = _parameter_schema(parameter, context.pointer)
            resolved = self._deref(schema, Location(context.file, schema_pointer))
            resolved = resolved if isinstance(resolved, dict) else {}
            choices = [v for v in resolved.get("enum") or () if isinstance(v, (str, int)) and not isinstance(v, bool)]
            type_: Type
            if choices and all(isinstance(v, int) for v in choices):
                type_ = _PRIMITIVES["int"]  # an integer enum: any int, the spec's values shown as examples
            else:  # a string enum is a Literal; anything else converts as a parameter's schema does
                type_ = _literal(resolved) or self.convert(
                    schema, _Context(context.file, schema_pointer, f"{names.pascal(name, fallback='Header')}Header")
                )
            default = resolved.get("default")
            example = next(
                (v for v in (default, *choices, resolved.get("example")) if isinstance(v, (str, int, float))), None
            )
            everywhere = len(self._client_header_operations.get(name, ())) == operations
            headers.append(
                ClientHeader(
                    name=name,
                    python_name=argument,
                    env_var=variable,
                    type=type_,
                    required=everywhere and name not in self._client_header_optional,
                    default=None if default is None or isinstance(default, (dict, list)) else _wire_text(default),
                    description=_text(parameter.get("description")),
                    example=example,
                )
            )
        return tuple(headers)

    def _scope_sets(self, security: tuple[SecurityRequirement, ...]) -> tuple[tuple[str, ...], ...]:
        """The OAuth2 scope sets that allow a call. With `requirement-scopes = "any"` (Upvest lists `x:read`
        and `x:admin` in one requirement, meaning either), each scope of a requirement is a set of its own."""
        oauth = self._oauth_schemes
        sets: list[tuple[str, ...]] = []
        for requirement in security:
            scopes = tuple(scope for scheme, listed in requirement.schemes if scheme in oauth for scope in listed)
            if not scopes:
                continue
            if self.config.requirement_scopes == "any":
                sets.extend((scope,) for scope in scopes)
            else:
                sets.append(scopes)
        return tuple(dict.fromkeys(sets))

    def _pagination(self, operation: Operation) -> Pagination | None:
        """Offset/limit paging, when the operation takes both parameters and answers with a page envelope."""
        config = self.config
        if config.pagination == "none" or operation.method != "GET":
            return None
        query = {p.name for p in operation.parameters if p.location == "query"}
        if not {config.page_offset_param, config.page_limit_param} <= query:
            return None
        page = self._object_schema(operation.return_type)
        if page is None:
            return None
        by_name = {f.name: f for f in page.fields}
        items = by_name.get(config.page_items_field)
        item_type = _array_item(items.type) if items is not None else None
        if items is None or item_type is None or config.page_meta_field not in by_name:
            return None
        return Pagination(
            offset_param=config.page_offset_param,
            limit_param=config.page_limit_param,
            items_field=items.python_name,
            meta_field=by_name[config.page_meta_field].python_name,
            total_field=names.snake(config.page_total_field),
            item_type=item_type,
        )

    # -- authentication -------------------------------------------------------------------------------

    def _auth(
        self, schemes: tuple[SecurityScheme, ...], groups: tuple[Group, ...], servers: tuple[Server, ...]
    ) -> Auth:
        token_path = None
        hosts = {_netloc(server.url) for server in servers}
        for scheme in schemes:
            if scheme.kind == "oauth2" and scheme.token_url and scheme.name in self._client_credentials:
                try:
                    url = urlsplit(scheme.token_url)
                except ValueError:
                    continue
                if url.scheme in ("http", "https") and url.netloc not in hosts:
                    token_path = scheme.token_url  # an authorization server of its own: keep its URL
                else:  # on the API's own servers: the same path on whichever server the client uses
                    token_path = "/" + url.path.lstrip("/")
                break
        signing = None
        config = self.config
        if config.signing_components is not None:  # configured, or inferred from signature headers (infer.settle)
            signing = Signing(config.signing_components, config.signature_version_header, config.signature_version)
        header = next(
            (s.parameter for s in schemes if s.kind == "apiKey" and s.location == "header" and s.parameter), None
        )
        query = next(
            (s.parameter for s in schemes if s.kind == "apiKey" and s.location == "query" and s.parameter), None
        )
        return Auth(
            token_path=token_path,
            client_id_header=config.client_id_header,
            signing=signing,
            jwks_path=config.webhook_keys_path or self._jwks_path(groups),
            api_key_header=header.lower() if header else None,
            api_key_query=query,
            basic=any(s.kind == "http" and s.scheme == "basic" for s in schemes),
        )

    def _jwks_path(self, groups: tuple[Group, ...]) -> str | None:
        """A GET operation answering with a JSON Web Key Set (`keys`: objects with `kty`)."""
        for group in groups:
            for operation in group.operations:
                if operation.method != "GET" or any(p.required for p in operation.parameters):
                    continue
                response = self._object_schema(operation.return_type)
                keys = next((f for f in response.fields if f.name == "keys"), None) if response else None
                if keys is not None and isinstance(keys.type, ArrayType):
                    key = self._object_schema(keys.type.item)
                    if key is not None and any(f.name == "kty" for f in key.fields):
                        return operation.path
        return None

    def _request_body(self, raw: Any, context: _Context, arguments: names.Namespace) -> RequestBody | None:
        if raw is None:
            return None
        raw, where = self._resolve(raw, Location(context.file, f"{context.pointer}/requestBody"))
        pointer = where.pointer
        content = raw.get("content") if isinstance(raw, dict) else None
        if not isinstance(content, dict) or not content:
            return None
        media_type, kind = _choose_request_media(list(content))
        media = content[media_type] if isinstance(content[media_type], dict) else {}
        body_context = _Context(
            where.file, f"{pointer}/content/{escape_pointer_token(media_type)}/schema", f"{context.name}Request"
        )
        required = bool(raw.get("required"))
        description = _text(raw.get("description"))
        if kind == "binary":
            type_: Type = Primitive("bytes")
        elif kind == "text":
            type_ = Primitive("str")
        else:
            type_ = self.convert(media.get("schema"), body_context)
        fields = self._flatten(type_, arguments)
        python_name = "body" if fields is not None else arguments.claim("body")
        return RequestBody(media_type, kind, type_, required, fields, python_name, description)

    def _flatten(self, type_: Type, arguments: names.Namespace) -> tuple[Field, ...] | None:
        """The fields of an object body, when they can become keyword arguments without clashing."""
        if not isinstance(type_, Ref):
            return None
        schema = self._schema_index.get(type_.name)
        if not isinstance(schema, ObjectSchema) or not schema.fields:
            return None
        if any(f.python_name in arguments or f.python_name in names.RESERVED for f in schema.fields):
            return None
        for f in schema.fields:
            arguments.claim(f.python_name)
        return schema.fields

    def _responses(self, raw: Any, context: _Context) -> tuple[Response, ...]:
        responses: list[Response] = []
        if not isinstance(raw, dict):
            return ()
        for status, response in raw.items():
            status = str(status).upper()
            response, where = self._resolve(
                response, Location(context.file, f"{context.pointer}/responses/{escape_pointer_token(status)}")
            )
            pointer = where.pointer
            if not isinstance(response, dict):
                continue
            error = not status.startswith(("1", "2", "3"))
            contents: list[Content] = []
            problem = error
            for media_type, media in (
                (response.get("content") or {}).items() if isinstance(response.get("content"), dict) else ()
            ):
                media_type = str(media_type)
                media = media if isinstance(media, dict) else {}
                kind = _response_kind(media_type, media.get("schema"))
                if is_problem_media(media_type):
                    problem = True
                if error:
                    contents.append(Content(media_type, kind, None))
                    continue
                schema_context = _Context(
                    where.file,
                    f"{pointer}/content/{escape_pointer_token(media_type)}/schema",
                    f"{context.name}Response" if status.startswith("2") else f"{context.name}Response{status}",
                )
                if kind == "binary":
                    type_: Type | None = BINARY
                elif kind == "text":
                    type_ = Primitive("str")
                else:
                    type_ = self.convert(media.get("schema"), schema_context) if "schema" in media else AnyType()
                contents.append(Content(media_type, kind, type_))
            headers = (
                tuple(str(h).lower() for h in response.get("headers") or {})
                if isinstance(response.get("headers"), dict)
                else ()
            )
            responses.append(Response(status, _text(response.get("description")), tuple(contents), problem, headers))
        return tuple(responses)

    # -- webhooks -----------------------------------------------------------------------------------

    def _webhooks(self) -> tuple[Webhook, ...]:
        root = self.document.root
        key = "webhooks" if isinstance(root.get("webhooks"), dict) else "x-webhooks"
        raw = root.get(key)
        webhooks: list[tuple[int, Webhook]] = []
        taken = names.Namespace(names.RESERVED)
        items = list(raw.items()) if isinstance(raw, dict) else []
        order = {str(name): index for index, (name, _) in enumerate(items)}
        # named and converted by name, listed in the spec's order (as operations are)
        for name, item in sorted(items, key=lambda entry: str(entry[0])):
            pointer = f"/{key}/{escape_pointer_token(name)}"
            item, where = self._resolve(item, Location(self.document.main, pointer))
            if not isinstance(item, dict):
                continue
            for method in HTTP_METHODS:
                operation = item.get(method)
                if not isinstance(operation, dict):
                    continue
                context = _Context(
                    where.file, f"{where.pointer}/{method}", f"{names.pascal(str(name), fallback='Webhook')}Event"
                )
                body, body_where = self._resolve(
                    operation.get("requestBody"), Location(context.file, f"{context.pointer}/requestBody")
                )
                type_: Type | None = None
                content = body.get("content") if isinstance(body, dict) else None
                if isinstance(content, dict) and content:
                    media_type = next((m for m in content if is_json_media(str(m))), next(iter(content)))
                    media = content[media_type] if isinstance(content[media_type], dict) else {}
                    if "schema" in media:
                        context.file = body_where.file
                        context.pointer = f"{body_where.pointer}/content/{escape_pointer_token(media_type)}/schema"
                        type_ = self.convert(media["schema"], context)
                event_type, event_names = self._webhook_events(type_)
                webhooks.append(
                    (
                        order[str(name)],
                        Webhook(
                            name=str(name),
                            python_name=taken.claim(names.safe(names.snake(str(name), fallback="webhook"))),
                            method=method.upper(),
                            description=_text(operation.get("summary")) or _text(operation.get("description")),
                            type=type_,
                            event_type=event_type,
                            event_names=event_names,
                        ),
                    )
                )
        return tuple(webhook for _, webhook in sorted(webhooks, key=lambda entry: entry[0]))

    def _webhook_events(self, body: Type | None) -> tuple[Type | None, tuple[str, ...]]:
        """The event model of a delivery body (the body itself, or the items of a list in it) and its type names."""
        type_field = self.config.webhook_type_field
        candidates: list[Type] = []
        schema = self._object_schema(body)
        if schema is not None:
            candidates.append(body)  # type: ignore[arg-type]
            candidates += [f.type.item for f in schema.fields if isinstance(f.type, ArrayType)]
        for candidate in candidates:
            event = self._object_schema(candidate)
            field = next((f for f in event.fields if f.name == type_field), None) if event else None
            if field is not None:
                return candidate, self._values_of(field.type)
        return body, ()

    def _values_of(self, type_: Type) -> tuple[str, ...]:
        if isinstance(type_, Nullable):
            return self._values_of(type_.inner)
        if isinstance(type_, LiteralType):
            return type_.values
        schema = self._schema_index.get(type_.name) if isinstance(type_, Ref) else None
        if isinstance(schema, EnumSchema):
            return tuple(str(m.value) for m in schema.members)
        return ()

    # -- schemas ------------------------------------------------------------------------------------

    def _claim_components(self, main: str) -> None:
        components = self.document.root.get("components")
        schemas = components.get("schemas") if isinstance(components, dict) else None
        if not isinstance(schemas, dict):
            return
        # by key, not by order: a key that is its own class name first, so `Pet` keeps `Pet` beside `PET` and `pet`
        for key, node in sorted(
            schemas.items(), key=lambda item: (names.pascal(str(item[0])) != item[0], str(item[0]))
        ):
            location = Location(main, f"/components/schemas/{escape_pointer_token(key)}")
            base = names.pascal(str(key), fallback="Model")  # by key: unique and stable, unlike titles
            base = self._chosen("models", str(key), base) or base
            self._component_names[location] = self._schema_names.claim(base, "")
            self._pending.append((location, node, self._component_names[location]))

    def _drain_components(self) -> None:
        while self._pending:
            location, node, name = self._pending.pop(0)
            if location not in self._by_location:
                self._named(node, _Context(location.file, location.pointer, name), location, name)

    def _break_alias_cycles(self) -> None:
        """Aliases are runtime expressions, so one cannot refer to itself, directly or through other aliases
        (`Tree = Dict[str, Tree]`): the reference that closes a cycle becomes Any, with a warning."""
        aliases = {s.name: s for s in self.schemas if isinstance(s, AliasSchema)}
        state: dict[str, int] = {}

        def visit(name: str) -> None:
            state[name] = 1
            alias = aliases[name]
            closing = {ref for ref in _refs(alias.type) if ref in aliases and state.get(ref) == 1}
            for ref in _refs(alias.type):
                if ref in aliases and ref not in closing and state.get(ref) is None:
                    visit(ref)
            if closing:
                fixed = replace(alias, type=_without_refs(alias.type, closing))
                aliases[name] = fixed
                self._schema_index[name] = fixed
                self.schemas[:] = [fixed if s.name == name else s for s in self.schemas]
                refs = ", ".join(sorted(closing))
                self.warn(
                    "recursive-alias",
                    f"type '{name}' refers to itself through {refs}; that reference is typed as Any",
                    _Context(self.document.main, alias.pointer, name),
                )
            state[name] = 2

        try:
            for name in list(aliases):
                if state.get(name) is None:
                    visit(name)
        finally:
            del visit  # the closure refers to itself and to this builder: left, only the cycle collector frees them

    def _named(self, node: Any, context: _Context, location: Location, name: str) -> Type:
        """Convert a schema that has a name of its own (a component or a `$ref` target)."""
        self._by_location[location] = Ref(name)
        type_ = self.convert(node, context, name=name)
        if type_ != Ref(name):
            if isinstance(type_, Ref) and type_.name != name:
                self._by_location[location] = type_
                return type_
            if isinstance(type_, Nullable) and type_.inner == Ref(name) and name in self._schema_index:
                return type_
            if not (isinstance(type_, Nullable) and type_.inner == Ref(name)):
                description = _text(node.get("description")) if isinstance(node, dict) else ""
                self._add_schema(AliasSchema(name, type_, description, location.pointer))
        if name not in self._schema_index:
            # nothing but references, round in a circle (A: {$ref: A}; A -> B -> A): no type to give it
            self.warn("ref-cycle", f"schema '{name}' is only a cycle of references; typed as Any", context)
            self._add_schema(AliasSchema(name, AnyType(), "", location.pointer))
        return Ref(name)

    def _deref(self, node: Any, location: Location) -> Any:
        return self._resolve(node, location)[0]

    def _resolve(self, node: Any, location: Location) -> tuple[Any, Location]:
        return self.document.follow(node, location)

    def convert(self, node: Any, context: _Context, *, name: str | None = None) -> Type:
        """The type of a schema node; `name` forces the name a class made for it takes."""
        try:
            return self._convert(node, context, name)
        except RecursionError:
            # the innermost schema that still had room reports where the nesting ran out; the frames above it
            # let the _TooDeep through, so the message names the place, not the top of the chain
            raise _TooDeep(Location(context.file, context.pointer)) from None

    def _convert(self, node: Any, context: _Context, name: str | None) -> Type:
        if node is None or node is True or node == {}:
            return AnyType()
        if not isinstance(node, dict):
            if node is not False:
                self.warn("schema-invalid", "a schema must be a mapping; typed as Any", context)
            return AnyType()
        if isinstance(node.get("$ref"), str):
            return self._reference(node["$ref"], context)
        nullable = node.get("nullable") is True
        raw_type = node.get("type")
        if isinstance(raw_type, list):
            types = [str(t) for t in raw_type]
            if "null" in types:
                nullable = True
                types.remove("null")
            if len(types) > 1:
                variants = tuple(self.convert({**node, "type": t, "title": None}, context) for t in types)
                return _nullable(UnionType(_unique(variants)), nullable)
            raw_type = types[0] if types else None
        if raw_type == "null":
            return Nullable(AnyType())
        if "allOf" in node:
            merged = self._merge_all_of(node, context)
            if merged is not None:
                return self.convert(merged, context, name=name)
        for keyword in ("oneOf", "anyOf"):
            if isinstance(node.get(keyword), list) and node[keyword]:
                return self._union(node, keyword, context, name, nullable)
        if "enum" in node and isinstance(node["enum"], list):
            return self._enum(node, context, name, nullable)
        if "const" in node:
            return self._enum({**node, "enum": [node["const"]]}, context, name, nullable)
        if raw_type is None:
            if isinstance(node.get("properties"), dict) or "additionalProperties" in node:
                raw_type = "object"
            elif "items" in node:
                raw_type = "array"
        return _nullable(self._plain(node, str(raw_type) if raw_type else "", context, name), nullable)

    def _plain(self, node: dict[str, Any], type_name: str, context: _Context, name: str | None) -> Type:
        if type_name == "string":
            fmt = str(node.get("format", ""))
            if fmt == "date":
                return _PRIMITIVES["date"]
            if fmt == "date-time":
                return _PRIMITIVES["datetime"]
            if fmt == "uuid":
                return _PRIMITIVES["uuid"]
            if fmt == "binary":
                return _PRIMITIVES["bytes"]
            if fmt == "decimal" or _is_decimal_pattern(node.get("pattern")):
                if _matches_empty(node.get("pattern")):  # Upvest's `^[0-9]{0,63}(\.[0-9]{1,27})?$` allows ""
                    return UnionType((_PRIMITIVES["decimal"], LiteralType(("",))))
                return _PRIMITIVES["decimal"]
            return _PRIMITIVES["str"]
        if type_name == "integer":
            return _PRIMITIVES["int"]
        if type_name == "number":
            return _PRIMITIVES["decimal"] if node.get("format") == "decimal" else _PRIMITIVES["float"]
        if type_name == "boolean":
            return _PRIMITIVES["bool"]
        if type_name == "array":
            items = node.get("items")
            return ArrayType(
                self.convert(items, _Context(context.file, f"{context.pointer}/items", f"{context.name}Item"))
            )
        if type_name == "object":
            return self._object(node, context, name)
        if type_name:
            self.warn("schema-type", f"unknown schema type '{type_name}'; typed as Any", context)
        return AnyType()

    def _reference(self, ref: str, context: _Context) -> Type:
        try:
            location, target = self.document.resolve(ref, context.file)
        except RefError as exc:
            self.warn("ref-unresolvable", f"{exc}; typed as Any", context)
            return AnyType()
        known = self._by_location.get(location)
        if known is not None:
            return known
        component = self._component_names.get(location)
        if component is not None:
            return self._named(target, _Context(location.file, location.pointer, component), location, component)
        # a reference into some other place: the target becomes a schema of its own when it needs a name
        last = location.pointer.rsplit("/", 1)[-1] or location.file.rsplit("/", 1)[-1].split(".")[0]
        title = target.get("title") if isinstance(target, dict) else None
        base = names.pascal(str(title) if isinstance(title, str) and title.strip() else last, fallback="Model")
        if _needs_class(target):
            name = self._schema_names.claim(base, "")
            return self._named(target, _Context(location.file, location.pointer, name), location, name)
        self._by_location[location] = AnyType()  # a cycle through plain types ends as Any
        type_ = self.convert(target, _Context(location.file, location.pointer, base))
        self._by_location[location] = type_
        return type_

    def _merge_all_of(self, node: dict[str, Any], context: _Context) -> dict[str, Any] | None:
        parts = node.get("allOf")
        if not isinstance(parts, list):
            return None
        merged: dict[str, Any] = {k: v for k, v in node.items() if k != "allOf"}
        properties: dict[str, Any] = dict(merged.get("properties") or {})
        required: list[str] = list(_sequence(merged.get("required")))
        for index, part in enumerate(parts):
            part, where = self._resolve(part, Location(context.file, f"{context.pointer}/allOf/{index}"))
            if not isinstance(part, dict):
                continue
            if "allOf" in part:
                if where in self._merging:
                    self.warn("allof-cycle", "an allOf includes itself; the repeated part is left out", context)
                    continue
                self._merging.add(where)
                try:
                    part = self._merge_all_of(part, _Context(where.file, where.pointer, context.name)) or {}
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

    def _union(self, node: dict[str, Any], keyword: str, context: _Context, name: str | None, nullable: bool) -> Type:
        variants: list[Type] = []
        empty_lists: list[Type] = []
        base = {k: v for k, v in node.items() if k not in (keyword, "title", "description", "nullable")}
        for index, variant in enumerate(node[keyword]):
            variant_context = _Context(
                context.file, f"{context.pointer}/{keyword}/{index}", f"{name or context.name}Variant{index + 1}"
            )
            if base.get("properties") and isinstance(variant, dict) and "$ref" not in variant:
                variant = {**base, **variant}
            type_ = self.convert(variant, variant_context)
            if isinstance(type_, Nullable):
                nullable = True
                type_ = type_.inner
                if isinstance(type_, AnyType) and isinstance(variant, dict) and variant.get("type") == "null":
                    continue
            if isinstance(variant, dict) and variant.get("type") == "array" and variant.get("maxItems") == 0:
                empty_lists.append(type_)
                continue
            variants.append(type_)
        if empty_lists and not any(_array_item(v) is not None for v in variants):
            variants += empty_lists  # "or an empty list" matters only when no other branch is a list
        variants = list(_unique(variants))
        discriminator = node.get("discriminator")
        property_name = discriminator.get("propertyName") if isinstance(discriminator, dict) else None
        if not variants:
            return Nullable(AnyType())
        result: Type = (
            variants[0]
            if len(variants) == 1
            else UnionType(tuple(variants), str(property_name) if property_name else None)
        )
        return _nullable(result, nullable)

    def _enum(self, node: dict[str, Any], context: _Context, name: str | None, nullable: bool) -> Type:
        values = list(node["enum"])
        if None in values:
            nullable = True
            values = [v for v in values if v is not None]
        if not values:
            return Nullable(AnyType())
        if all(isinstance(v, str) for v in values):
            kind = "str"
        elif all(isinstance(v, int) and not isinstance(v, bool) for v in values):
            kind = "int"
        elif all(isinstance(v, bool) for v in values):
            return _nullable(Primitive("bool"), nullable)
        elif all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values):
            return _nullable(Primitive("float"), nullable)
        else:
            self.warn("enum-mixed", "an enum mixes value types; typed as Any", context)
            return _nullable(AnyType(), nullable)
        values = list(dict.fromkeys(values))
        if kind == "str" and len(values) == 1 and context.field in self._discriminators:
            # the tag of a union variant: a literal, so the union can dispatch on it
            return _nullable(LiteralType((values[0],)), nullable)
        title = node.get("title")
        shape = (kind, tuple(values), title if isinstance(title, str) else json.dumps(title, default=str))
        known = self._by_shape.get(shape)
        if known is not None and name is None:
            return _nullable(known, nullable)
        if name is None:
            name = self._class_name(node, context)
        members = names.Namespace({"mro"})
        enum = EnumSchema(
            name=name,
            kind=kind,  # type: ignore[arg-type]
            members=tuple(
                EnumMember(members.claim(self._chosen("enum_members", f"{name}.{v}") or names.constant(str(v))), v)
                for v in values
            ),
            description=_text(node.get("description")),
            pointer=context.pointer,
        )
        self._add_schema(enum)
        self._by_shape.setdefault(shape, Ref(name))
        return _nullable(Ref(name), nullable)

    def _object(self, node: dict[str, Any], context: _Context, name: str | None) -> Type:
        properties = node.get("properties") if isinstance(node.get("properties"), dict) else {}
        additional = node.get("additionalProperties")
        if not properties:
            if isinstance(additional, dict) and additional:
                value = self.convert(
                    additional,
                    _Context(context.file, f"{context.pointer}/additionalProperties", f"{context.name}Value"),
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
        required = {str(r) for r in _sequence(node.get("required")) if isinstance(r, str)}
        field_names = names.Namespace(_FIELD_RESERVED)
        fields: list[Field] = []
        for key, schema in properties.items():
            key = str(key)
            field_context = _Context(
                context.file,
                f"{context.pointer}/properties/{escape_pointer_token(key)}",
                f"{name}{names.pascal(key, fallback='Field')}",
                key,
            )
            python_name = self._chosen("fields", f"{name}.{key}") or names.snake(key, fallback="field")
            if python_name.startswith("model_"):
                python_name = f"{python_name}_"
            fields.append(
                Field(
                    name=key,
                    python_name=field_names.claim(names.safe(python_name, _FIELD_RESERVED)),
                    type=self.convert(schema, field_context),
                    required=key in required,
                    description=_text(schema.get("description")) if isinstance(schema, dict) else "",
                    deprecated=bool(schema.get("deprecated")) if isinstance(schema, dict) else False,
                )
            )
        self._add_schema(ObjectSchema(name, tuple(fields), _text(node.get("description")), context.pointer))
        return Ref(name)

    def _class_name(self, node: dict[str, Any], context: _Context) -> str:
        title = node.get("title")
        base = (
            names.pascal(title, fallback=context.name)
            if isinstance(title, str) and title.strip()
            else names.pascal(context.name, fallback="Model")
        )
        if base in self._schema_names and context.name:
            contextual = names.pascal(context.name, fallback="Model")
            if contextual not in self._schema_names:
                base = contextual
        return self._schema_names.claim(self._chosen("models", base) or base, "")


class _TooDeep(Exception):
    def __init__(self, location: Location) -> None:
        super().__init__(location.pointer)
        self.location = location


def build(document: Document, config: Config) -> tuple[Api, list[Diagnostic]]:
    """The intermediate model of a loaded document, and the warnings met on the way (with the notes of what the
    vendor profile and the spec settled in the configuration: `generator.infer.settle`).

    Raises SpecError (code `too-deep`, naming the schema where it happened) for schemas nested, inline or through
    `$ref`s, deeper than Python's stack allows.
    """
    config, notes = settle(document, config)
    builder = Builder(document, config)
    try:
        api = builder.build()
    except _TooDeep as exc:
        message = "schemas nest too deeply here (inline or through $refs) to generate; flatten the nesting"
        raise SpecError([document.diagnostic("error", "too-deep", message, exc.location)]) from None
    return api, notes + builder.diagnostics


# -- small pure decisions -----------------------------------------------------------------------------


def _wire_text(value: Any) -> str:
    """A scalar default as a header carries it (booleans as JSON spells them)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


#: starts with its literal, so the regex engine jumps to each occurrence (an optional quote in front would make it
#: try every position of the text)
_PROPERTY_NAME = re.compile(r"""propertyName["']?\s*:\s*["']?([^"',}\s]+)""")


def _discriminator_properties(document: Document) -> frozenset[str]:
    """Property names any discriminator in the document uses (found in the text: cheap, and order-free)."""
    return frozenset(m.group(1) for text in document.texts() for m in _PROPERTY_NAME.finditer(text))


def _refs(type_: Type) -> list[str]:
    """Names of the schemas a type refers to."""
    if isinstance(type_, Ref):
        return [type_.name]
    if isinstance(type_, ArrayType):
        return _refs(type_.item)
    if isinstance(type_, MapType):
        return _refs(type_.value)
    if isinstance(type_, Nullable):
        return _refs(type_.inner)
    if isinstance(type_, UnionType):
        return [name for variant in type_.variants for name in _refs(variant)]
    return []


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
        return UnionType(tuple(_without_refs(v, names_) for v in type_.variants), type_.discriminator)
    return type_


def _netloc(url: str) -> str:
    try:
        return urlsplit(url).netloc
    except ValueError:  # an invalid host ("[::1") names no server we can match
        return ""


def _mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _sequence(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _array_item(type_: Type) -> Type | None:
    """The item type of an array, or of a union of arrays (`oneOf` list shapes); None for anything else."""
    if isinstance(type_, Nullable):
        return _array_item(type_.inner)
    if isinstance(type_, ArrayType):
        return type_.item
    if isinstance(type_, UnionType):
        items = [_array_item(v) for v in type_.variants]
        if all(item is not None for item in items):
            flat: list[Type] = []
            for item in items:
                if isinstance(item, UnionType):
                    flat.extend(item.variants)
                elif item is not None:
                    flat.append(item)
            unique = _unique(flat)
            return unique[0] if len(unique) == 1 else UnionType(unique)
    return None


def _literal(schema: Any) -> Type | None:
    """An inline string enum of a parameter: a Literal annotation instead of a class of its own."""
    if not isinstance(schema, dict) or "$ref" in schema or not isinstance(schema.get("enum"), list):
        return None
    values = schema["enum"]
    strings = tuple(dict.fromkeys(v for v in values if isinstance(v, str)))
    if not strings or len(strings) + values.count(None) != len(values) or len(strings) > 64:
        return None
    literal = LiteralType(strings)
    return Nullable(literal) if None in values or schema.get("nullable") is True else literal


def _nullable(type_: Type, nullable: bool) -> Type:
    if not nullable or isinstance(type_, Nullable):
        return type_
    return Nullable(type_)


def _unique(types: Iterable[Type]) -> tuple[Type, ...]:
    return tuple(dict.fromkeys(types))


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


def _parameter_schema(parameter: dict[str, Any], pointer: str) -> tuple[Any, str]:
    if "schema" in parameter:
        return parameter["schema"], f"{pointer}/schema"
    content = parameter.get("content")
    if isinstance(content, dict) and content:
        media_type = next(iter(content))
        media = content[media_type] if isinstance(content[media_type], dict) else {}
        return media.get("schema"), f"{pointer}/content/{escape_pointer_token(str(media_type))}/schema"
    return None, pointer


def _choose_request_media(media_types: list[str]) -> tuple[str, BodyKind]:
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


def _response_kind(media_type: str, schema: Any) -> ResponseKind:
    media = media_type.lower()
    if is_json_media(media) or is_problem_media(media):
        return "json"
    if _TEXT_MEDIA.match(media):
        return "text"
    if isinstance(schema, dict) and schema.get("type") in ("object", "array") and "format" not in schema:
        return "json"
    return "binary"


_VERSION_SEGMENT = re.compile(r"^(v\d+(\.\d+)*|api|rest)$", re.IGNORECASE)


def _group_from_path(path: str) -> str:
    """The resource of an untagged operation: its first path segment that is not a version or a parameter."""
    for segment in path.split("/"):
        if segment and not segment.startswith("{") and not _VERSION_SEGMENT.match(segment):
            return segment
    return "default"


def _method_name(operation_id: str, group_words: list[str], taken: names.Namespace) -> str:
    """A short method name: the operationId without the words naming its resource group.

    `place_order` in "Orders" gives `place`, `list_user_accounts` in "Accounts" gives `list_user`; when
    the short name is empty, reserved or already taken the whole operationId is used.
    """
    full = names.safe(names.snake(operation_id, fallback="call"))
    tokens = names.words(operation_id)
    candidates: list[list[str]] = []
    if group_words:
        for sequence in (group_words, group_words[-1:]):
            singular = [*sequence[:-1], _singular(sequence[-1])]
            candidates.extend([sequence, singular])
    for sequence in candidates:
        size = len(sequence)
        for start in range(len(tokens) - size + 1):
            if tokens[start : start + size] == sequence:
                rest = tokens[:start] + tokens[start + size :]
                if rest and not rest[0][0].isdigit():
                    short = "_".join(rest)
                    if short not in taken and short not in names.RESERVED:
                        return short
                return full
    return full


def _singular(word: str) -> str:
    if word.endswith("ies") and len(word) > 3:
        return word[:-3] + "y"
    if word.endswith(("sses", "xes", "ches", "shes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def pep440(version: str) -> str:
    """A PEP 440 version for the generated package from the spec's `info.version`."""
    version = version.strip().lstrip("vV")
    if re.fullmatch(r"\d+(\.\d+)*", version):
        return version
    numbers = re.findall(r"\d+", version)[:4]
    return ".".join(str(int(n)) for n in numbers) if numbers else "0.0.0"
