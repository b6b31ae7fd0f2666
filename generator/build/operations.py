"""The operations pass: resource groups, their operations and methods, parameters, bodies and responses; and the
client settings (headers of `client-headers` that operations declare).

Names are handed out, and schemas converted, in an order of the spec's content (groups by name, operations by path
and method), so reordering the spec's paths or tags changes no name; groups and their operations are still listed
in the spec's order. Request bodies are flattened into keyword arguments, and paging worked out, only after the
naming pass (`finish`): both read the fields' Python names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Any

from generator import names
from generator.build.common import (
    PRIMITIVES,
    Context,
    Hint,
    Run,
    choose_request_media,
    is_json_media,
    is_problem_media,
    literal,
    mapping,
    object_schema,
    parameter_schema,
    response_kind,
    sequence,
    text,
    wire_text,
)
from generator.build.naming import Naming
from generator.build.pagination import pagination, paging_notes
from generator.build.schemas import Schemas
from generator.build.security import Security, requirements
from generator.infer import client_setting_names, env_prefix
from generator.load import Location, escape_pointer_token
from generator.model import (
    BINARY,
    SERVER_SENT_EVENT,
    STREAM_KINDS,
    AnyType,
    ClientHeader,
    Content,
    Field,
    Group,
    Operation,
    Pagination,
    Parameter,
    Primitive,
    RequestBody,
    Response,
    Schema,
    Type,
)
from generator.load import HTTP_METHODS
from generator.validate import PathKey, is_extension, read_path_key

#: Attributes of the generated Client that a resource group must not shadow.
CLIENT_ATTRIBUTES = frozenset(
    {
        "close",
        "aclose",
        "base_url",
        "timeout",
        "with_options",
        "copy",
        "request",
        "environment",
        "headers",
        "http_client",
        "retry",
        "client_id",
        "webhook_verifier",
    }
)
#: an HTTP field name (RFC 9110's token)
_HEADER_NAME = re.compile(r"^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$")
_VERSION_SEGMENT = re.compile(r"^(v\d+(\.\d+)*|api|rest)$", re.IGNORECASE)


@dataclass
class HeaderUses:
    """Where operations declare the client-setting headers."""

    #: header -> its first declaration met, and where
    first: dict[str, tuple[dict[str, Any], Context]] = field(default_factory=dict)
    #: headers some declaration leaves optional
    optional: set[str] = field(default_factory=set)
    #: header -> the operations (by pointer) that declare it
    operations: dict[str, set[str]] = field(default_factory=dict)


@dataclass
class Operations:
    """What the pass collected: groups of operations whose types still carry provisional class names."""

    groups: tuple[Group, ...]
    headers: HeaderUses

    @property
    def count(self) -> int:
        return sum(len(group.operations) for group in self.groups)


def collect(run: Run, schemas: Schemas, security: Security) -> Operations:
    root = run.document.root
    main = run.document.main
    managed = security.managed_headers(run.config)
    tag_descriptions = {
        str(t.get("name")): text(t.get("description"))
        for t in sequence(root.get("tags"))
        if isinstance(t, dict) and "name" in t
    }
    by_group: dict[str, list[tuple[str, dict[str, Any], Context, list[Any]]]] = {}
    paths = root.get("paths") if isinstance(root.get("paths"), dict) else {}
    for path, item in paths.items():
        if is_extension(path):
            continue
        pointer = f"/paths/{escape_pointer_token(path)}"
        item, item_location = run.follow(item, Location(main, pointer))
        if not isinstance(item, dict):
            continue
        shared = sequence(item.get("parameters"))
        for method in HTTP_METHODS:
            operation = item.get(method)
            if not isinstance(operation, dict):
                continue
            tags = operation.get("tags")
            group = str(tags[0]) if isinstance(tags, list) and tags else _group_from_path(read_path_key(str(path)).template)
            context = Context(item_location.file, f"{item_location.pointer}/{method}", Hint(""))
            by_group.setdefault(group, []).append((str(path), {"method": method, **operation}, context, shared))
    default_security = root.get("security")
    attributes = names.Namespace(CLIENT_ATTRIBUTES)
    chosen_groups = {group_name: run.chosen("resources", group_name) for group_name in by_group}
    group_names: dict[str, tuple[str, str]] = {
        group_name: (
            attributes.claim(names.safe(chosen_groups[group_name] or names.snake(group_name, fallback="default"))),
            "",
        )
        for group_name in sorted(by_group)
    }
    for group_name, class_name in _resource_classes(
        {group_name: names.pascal(chosen_groups[group_name] or group_name, fallback="Default") for group_name in by_group}
    ).items():
        group_names[group_name] = (group_names[group_name][0], class_name)
    builder = _OperationBuilder(run, schemas, security, managed)
    operation_ids = names.Namespace()
    built: dict[tuple[str, str], Operation] = {}
    methods = {group_name: names.Namespace(names.RESERVED | {"with_raw_response", "with_streaming_response"}) for group_name in by_group}
    walk = sorted(
        ((group_name, entry) for group_name, entries in by_group.items() for entry in entries),
        key=lambda item: (item[1][0], HTTP_METHODS.index(item[1][1]["method"])),
    )
    for group_name, (path, operation, context, shared) in walk:
        method = operation["method"]
        raw_id = operation.get("operationId")
        operation_id = str(raw_id) if isinstance(raw_id, (str, int)) else f"{method}_{path}"
        context.name = Hint(operation_ids.claim(names.pascal(operation_id, fallback=f"{method} {path}"), ""))
        chosen = run.chosen("operations", operation_id)
        taken = methods[group_name]
        python_name = taken.claim(chosen or method_name(operation_id, names.words(group_name), taken))
        built[(path, method)] = builder.operation(
            operation, path, python_name, operation_id, context, shared, operation.get("security", default_security)
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
    return Operations(tuple(groups), builder.headers)


def finish(run: Run, operations: Operations, naming: Naming, index: dict[str, Schema]) -> tuple[Group, ...]:
    """The groups with real class names, bodies flattened where they can be, and paging worked out."""
    groups: list[Group] = []
    overrides = dict(run.config.paging.operations)
    styles: list[tuple[str, str, str]] = []
    seen: set[str] = set()
    for group in operations.groups:
        finished: list[Operation] = []
        for operation in group.operations:
            body = operation.body
            if body is not None:  # the parameters took their argument names; the body's fields may take more
                arguments = names.Namespace(names.RESERVED | names.CALL_OPTIONS | {p.python_name for p in operation.parameters})
                body = naming.body(body)
                fields = _flatten(body.type, arguments, index)
                body = replace(body, fields=fields, python_name="body" if fields is not None else arguments.claim("body"))
            parameters = tuple(naming.parameter(p) for p in operation.parameters)
            responses = tuple(naming.response(r) for r in operation.responses)
            if (
                body is not operation.body
                or any(new is not old for new, old in zip(parameters, operation.parameters))
                or any(new is not old for new, old in zip(responses, operation.responses))
            ):
                operation = replace(operation, parameters=parameters, body=body, responses=responses)
            paging = _paging(run, operation, index, overrides.get(operation.operation_id), styles)
            if operation.operation_id in overrides:
                seen.add(operation.operation_id)
            finished.append(operation if paging is None else replace(operation, pagination=paging))
        groups.append(replace(group, operations=tuple(finished)))
    # what `pagination = "auto"` found, unless the configuration chose the paging itself
    for note, pointer in paging_notes(styles) if not run.config.is_set("pagination") else ():
        run.diagnostics.append(run.document.diagnostic("note", "paging", note, Location(run.document.main, pointer)))
    for operation_id in sorted(set(overrides) - seen):
        run.warn_configuration(
            "paging-unused", f"paging-operations: '{operation_id}' matches no operation; the entry is not used"
        )
    return tuple(groups)


def _paging(
    run: Run,
    operation: Operation,
    index: dict[str, Schema],
    wanted: str | None,
    styles: list[tuple[str, str, str]],
) -> Pagination | None:
    """The paging found for one operation, with the configuration's override for it (`paging-operations`)."""
    found = pagination(run.config, operation, index, wanted)
    if wanted not in (None, "none") and (found is None or found.style != wanted):
        run.warn_configuration(
            "paging-unavailable",
            f"paging-operations: '{operation.operation_id}' cannot page by {wanted}: the spec does not give it"
            " what that style reads (parameters, response fields); "
            + ("it pages by " + found.style if found else "it does not page"),
        )
    if found is not None:
        styles.append((found.style, operation.operation_id, operation.pointer))
    return found


def client_headers(run: Run, schemas: Schemas, uses: HeaderUses, title: str, operations: int) -> tuple[ClientHeader, ...]:
    """The client settings: the headers of `client-headers` that operations declare, in that order. One is
    required when every operation declares it and requires it. Their types carry provisional class names."""
    prefix = env_prefix(run.config, title)
    taken: set[str] = set()
    headers: list[ClientHeader] = []
    for name in run.config.client.client_headers or ():
        if name not in uses.first:  # only the configuration can name such a header
            run.warn_configuration(
                "client-header-unused",
                f"client-headers: no operation declares the header '{name}'; it is not a client setting",
            )
            continue
        parameter, context = uses.first[name]
        argument, variable = client_setting_names(name, prefix, taken)
        schema, schema_pointer = parameter_schema(parameter, context.pointer)
        resolved, _ = run.follow(schema, Location(context.file, schema_pointer))
        resolved = resolved if isinstance(resolved, dict) else {}
        choices = [v for v in resolved.get("enum") or () if isinstance(v, (str, int)) and not isinstance(v, bool)]
        type_: Type
        if choices and all(isinstance(v, int) for v in choices):
            type_ = PRIMITIVES["int"]  # an integer enum: any int, the spec's values shown as examples
        else:  # a string enum is a Literal; anything else converts as a parameter's schema does
            type_ = literal(resolved) or schemas.convert(
                schema, Context(context.file, schema_pointer, Hint(f"{names.pascal(name, fallback='Header')}Header"))
            )
        default = resolved.get("default")
        example = next(
            (v for v in (default, *choices, resolved.get("example")) if isinstance(v, (str, int, float))), None
        )
        everywhere = len(uses.operations.get(name, ())) == operations
        headers.append(
            ClientHeader(
                name=name,
                python_name=argument,
                env_var=variable,
                type=type_,
                required=everywhere and name not in uses.optional,
                default=None if default is None or isinstance(default, (dict, list)) else wire_text(default),
                description=text(parameter.get("description")),
                example=example,
            )
        )
    return tuple(headers)


@dataclass
class _OperationBuilder:
    run: Run
    schemas: Schemas
    security: Security
    managed: frozenset[str]
    headers: HeaderUses = field(default_factory=HeaderUses)

    def operation(
        self,
        raw: dict[str, Any],
        path: str,
        python_name: str,
        operation_id: str,
        context: Context,
        shared: list[Any],
        security: Any,
    ) -> Operation:
        config = self.run.config
        arguments = names.Namespace(names.RESERVED | names.CALL_OPTIONS)
        parameters: list[Parameter] = []
        owned: list[str] = []
        idempotency: str | None = None
        merged: dict[tuple[str, str], tuple[Any, Context]] = {}
        pointer_base = context.pointer.rsplit("/", 1)[0]
        declared = [(f"{pointer_base}/parameters/{i}", p) for i, p in enumerate(shared)]
        own = sequence(raw.get("parameters"))
        declared += [(f"{context.pointer}/parameters/{i}", p) for i, p in enumerate(own)]
        for pointer, parameter in declared:
            parameter, where = self.run.follow(parameter, Location(context.file, pointer))
            if isinstance(parameter, dict):
                merged[(str(parameter.get("name")), str(parameter.get("in")))] = (
                    parameter,
                    Context(where.file, where.pointer, Hint("")),
                )
        key = read_path_key(path)
        _reconcile(merged, key, Context(context.file, context.pointer, Hint("")))
        # path parameters first, in the order of the path template, then the rest in spec order
        order = {name: i for i, name in enumerate(key.placeholders)}
        entries = sorted(merged.items(), key=lambda e: (0, order.get(e[0][0], 0)) if e[0][1] == "path" else (1, 0))
        client_headers = config.client.client_headers or ()
        uses = self.headers
        for (name, location), (parameter, parameter_context) in entries:
            lowered = name.lower()
            if location == "header" and lowered in client_headers:
                uses.first.setdefault(lowered, (parameter, parameter_context))
                uses.operations.setdefault(lowered, set()).add(context.pointer)
                if not parameter.get("required"):
                    uses.optional.add(lowered)
                continue
            if location == "header" and lowered in self.managed:
                owned.append(lowered)
                continue
            if location == "header" and lowered == config.client.idempotency_header:
                idempotency = lowered
                continue
            if location not in ("path", "query", "header", "cookie"):
                self.run.warn(
                    "parameter-location",
                    f"parameter '{name}' has unknown location '{location}'; skipped",
                    parameter_context,
                )
                continue
            if location == "header" and not _HEADER_NAME.match(name):
                self.run.warn(
                    "header-name-invalid",
                    f"header parameter '{name}' is not a valid HTTP header name, so no request can carry it; skipped",
                    parameter_context,
                )
                continue
            if location == "cookie":
                self.run.warn(
                    "cookie-parameter", f"cookie parameter '{name}' is not supported yet; skipped", parameter_context
                )
                continue
            schema, schema_pointer = parameter_schema(parameter, parameter_context.pointer)
            type_ = literal(schema) or self.schemas.convert(
                schema,
                Context(parameter_context.file, schema_pointer, context.name + names.pascal(name, fallback="Param")),
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
                    description=text(parameter.get("description")),
                    style=style,
                    explode=bool(explode) if explode is not None else style == "form",
                    deprecated=bool(parameter.get("deprecated")),
                )
            )
        body = self._request_body(raw.get("requestBody"), context)
        responses = self._responses(raw.get("responses"), context)
        operation_security = requirements(security)
        return Operation(
            operation_id=operation_id,
            python_name=python_name,
            method=str(raw["method"]).upper(),
            path=key.path,
            summary=text(raw.get("summary")),
            description=text(raw.get("description")),
            deprecated=bool(raw.get("deprecated")),
            parameters=tuple(parameters),
            body=body,
            responses=responses,
            security=operation_security,
            managed_headers=tuple(sorted(set(owned))),
            idempotency_header=idempotency,
            pointer=context.pointer,
            scopes=self.security.scope_sets(config, operation_security),
        )

    def _request_body(self, raw: Any, context: Context) -> RequestBody | None:
        """The request body; its fields become keyword arguments later, in `finish`."""
        if raw is None:
            return None
        raw, where = self.run.follow(raw, Location(context.file, f"{context.pointer}/requestBody"))
        pointer = where.pointer
        content = raw.get("content") if isinstance(raw, dict) else None
        if not isinstance(content, dict) or not content:
            return None
        media_type, kind = choose_request_media(list(content))
        media = content[media_type] if isinstance(content[media_type], dict) else {}
        body_context = Context(
            where.file, f"{pointer}/content/{escape_pointer_token(media_type)}/schema", context.name + "Request"
        )
        required = bool(raw.get("required"))
        description = text(raw.get("description"))
        if kind == "binary":
            type_: Type = Primitive("bytes")
        elif kind == "text":
            type_ = Primitive("str")
        else:
            type_ = self.schemas.convert(media.get("schema"), body_context)
        parts = _parts(media.get("encoding")) if kind == "multipart" else ()
        return RequestBody(media_type, kind, type_, required, None, "body", description, parts)

    def _stream_item(self, kind: str, media: dict[str, Any], context: Context) -> Type:
        """The type of one item of a stream: OpenAPI 3.2's `itemSchema`, else the `schema` (for events, the
        schema of their data; a string schema or none leaves the events as they come)."""
        key = "itemSchema" if "itemSchema" in media else "schema"
        schema = media.get(key)
        if key == "itemSchema":
            context = Context(context.file, context.pointer.rsplit("/", 1)[0] + "/itemSchema", context.name)
        if kind == "events" and (not isinstance(schema, dict) or schema.get("type") == "string"):
            return SERVER_SENT_EVENT
        return self.schemas.convert(schema, context) if schema is not None else AnyType()

    def _responses(self, raw: Any, context: Context) -> tuple[Response, ...]:
        responses: list[Response] = []
        if not isinstance(raw, dict):
            return ()
        # `default` describes every status not listed: when it is the only response, also the successes
        only_default = [str(s).upper() for s in raw if not is_extension(s)] == ["DEFAULT"]
        for status, response in raw.items():
            if is_extension(status):
                continue
            status = str(status).upper()
            response, where = self.run.follow(
                response, Location(context.file, f"{context.pointer}/responses/{escape_pointer_token(status)}")
            )
            pointer = where.pointer
            if not isinstance(response, dict):
                continue
            error = not status.startswith(("1", "2", "3")) and not (only_default and status == "DEFAULT")
            contents: list[Content] = []
            problem = error
            for media_type, media in (
                (response.get("content") or {}).items() if isinstance(response.get("content"), dict) else ()
            ):
                media_type = str(media_type)
                media = media if isinstance(media, dict) else {}
                kind = response_kind(media_type, media.get("schema"))
                if is_problem_media(media_type):
                    problem = True
                if error and (kind != "json" or is_problem_media(media_type) or "schema" not in media):
                    # problem documents are read as `Problem`; other error bodies without a JSON schema as text
                    contents.append(Content(media_type, kind, None))
                    continue
                schema_context = Context(
                    where.file,
                    f"{pointer}/content/{escape_pointer_token(media_type)}/schema",
                    context.name + ("Response" if status.startswith("2") or not error else f"Response{status}"),
                )
                if kind == "binary":
                    type_: Type | None = BINARY
                elif kind == "text":
                    type_ = Primitive("str")
                elif kind in STREAM_KINDS:
                    type_ = self._stream_item(kind, media, schema_context)
                else:
                    type_ = self.schemas.convert(media.get("schema"), schema_context) if "schema" in media else AnyType()
                contents.append(Content(media_type, kind, type_))
            if any(c.kind not in STREAM_KINDS for c in contents) and not error:
                # one body, or a stream of items: a response that offers both is read whole
                contents = [c for c in contents if c.kind not in STREAM_KINDS]
            headers = (
                tuple(str(h).lower() for h in response.get("headers") or {})
                if isinstance(response.get("headers"), dict)
                else ()
            )
            responses.append(Response(status, text(response.get("description")), tuple(contents), problem, headers))
        return tuple(responses)


def _class_forms(name: str) -> set[str]:
    """The classes a resource module defines for a resource class name."""
    return {f"{base}{suffix}" for base in (name, f"Async{name}") for suffix in ("", "WithRawResponse", "WithStreamingResponse")}


def _resource_classes(wanted: dict[str, str]) -> dict[str, str]:
    """A resource class name per group, none of whose classes (`Users`, `AsyncUsers`, `UsersWithRawResponse`,
    ...) is another's: tags "Users" and "Async Users" would both define `AsyncUsers`. A name that is one of
    another group's classes yields (`AsyncUsers2`); the rest, in the order of their names, take a number when
    taken."""
    derived = {name for name in wanted.values() for other in wanted.values() if name != other and name in _class_forms(other)}
    taken: set[str] = set()
    chosen: dict[str, str] = {}
    for group_name in sorted(wanted, key=lambda group: (wanted[group] in derived, group)):
        name = candidate = wanted[group_name]
        counter = 2
        while _class_forms(candidate) & taken:
            candidate = f"{name}{counter}"
            counter += 1
        taken |= _class_forms(candidate)
        chosen[group_name] = candidate
    return chosen


def _reconcile(merged: dict[tuple[str, str], tuple[Any, Context]], key: PathKey, where: Context) -> None:
    """The parameters a path key needs, whatever the declarations say (validation warned about each case).

    A placeholder of the template declared in another place (`in: query`, or no `in`) is a path parameter of
    that schema; one not declared at all is a required string. Each `name={placeholder}` of a query string in
    the key is a query parameter called `name`, of the schema declared for the placeholder (a required string
    when none is)."""

    def declared(*names_: str) -> tuple[dict[str, Any], Context, str] | None:
        for (name, location), (parameter, context) in list(merged.items()):
            if name in names_ and (location != "path" or name not in key.placeholders):
                del merged[(name, location)]
                return parameter, context, location
        return None

    for placeholder in key.placeholders:
        if (placeholder, "path") in merged:
            continue
        found = declared(placeholder)
        parameter, context = (found[0], found[1]) if found else (_string_parameter(placeholder), where)
        merged[(placeholder, "path")] = ({**parameter, "name": placeholder, "in": "path", "required": True}, context)
    for name, placeholder in key.query:
        if (name, "query") in merged and placeholder == name:
            continue
        found = declared(placeholder, name)
        if found is None:
            merged[(name, "query")] = ({**_string_parameter(name), "in": "query"}, where)
            continue
        parameter, context, location = found
        required = bool(parameter.get("required")) or location == "path"
        merged[(name, "query")] = ({**parameter, "name": name, "in": "query", "required": required}, context)


def _parts(encoding: Any) -> tuple[tuple[str, str | None, bool], ...]:
    """How a multipart body's properties are sent, as its `encoding` says: a part's content type, and whether an
    array is one part per item (`explode: true`, or a content type that is not JSON) rather than one JSON part."""
    parts: list[tuple[str, str | None, bool]] = []
    for name, spec in mapping(encoding).items():
        if not isinstance(spec, dict):
            continue
        content_type = spec.get("contentType") if isinstance(spec.get("contentType"), str) else None
        repeated = spec.get("explode") is True or (content_type is not None and not is_json_media(content_type))
        parts.append((str(name), content_type, repeated))
    return tuple(parts)


def _string_parameter(name: str) -> dict[str, Any]:
    return {"name": name, "in": "path", "required": True, "schema": {"type": "string"}}


def _flatten(type_: Type, arguments: names.Namespace, index: dict[str, Schema]) -> tuple[Field, ...] | None:
    """The fields of an object body, when they can become keyword arguments without clashing."""
    schema = object_schema(type_, index)
    if schema is None or not schema.fields:
        return None
    if any(f.python_name in arguments or f.python_name in names.RESERVED | names.CALL_OPTIONS for f in schema.fields):
        return None
    for f in schema.fields:
        arguments.claim(f.python_name)
    return schema.fields


def _group_from_path(path: str) -> str:
    """The resource of an untagged operation: its first path segment that is not a version or a parameter."""
    for segment in path.split("/"):
        if segment and not segment.startswith("{") and not _VERSION_SEGMENT.match(segment):
            return segment
    return "default"


def method_name(operation_id: str, group_words: list[str], taken: names.Namespace) -> str:
    """A short method name: the operationId without the words naming its resource group.

    `place_order` in "Orders" gives `place`, `list_user_accounts` in "Accounts" gives `list_user`; when
    the short name is empty, reserved or already taken the whole operationId is used.
    """
    full = names.safe(names.snake(operation_id, fallback="call"))
    tokens = names.words(operation_id)
    candidates: list[list[str]] = []
    if group_words:
        for words in (group_words, group_words[-1:]):
            singular = [*words[:-1], names.singular(words[-1])]
            candidates.extend([words, singular])
    for words in candidates:
        size = len(words)
        for start in range(len(tokens) - size + 1):
            if tokens[start : start + size] == words:
                rest = tokens[:start] + tokens[start + size :]
                if rest and not rest[0][0].isdigit():
                    short = "_".join(rest)
                    if short not in taken and short not in names.RESERVED:
                        return short
                return full
    return full
