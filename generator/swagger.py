"""Swagger 2.0 up-conversion: a Swagger 2.0 tree rewritten as the OpenAPI 3.0 tree it means.

Pure: the loader calls `upconvert` on a document whose top level says `swagger: "2.0"`, and keeps the original
for validation and line numbers. `POINTER_ALIASES` maps the pointers of the converted tree back to the original.
"""

from __future__ import annotations

import re
from typing import Any, Callable

#: Converted pointer prefix -> original pointer prefix (for line numbers of diagnostics).
POINTER_ALIASES = (
    ("/components/schemas/", "/definitions/"),
    ("/components/parameters/", "/parameters/"),
    ("/components/responses/", "/responses/"),
    ("/components/securitySchemes/", "/securityDefinitions/"),
)
_REF_PREFIXES = (
    ("#/definitions/", "#/components/schemas/"),
    ("#/parameters/", "#/components/parameters/"),
    ("#/responses/", "#/components/responses/"),
)
_METHODS = ("get", "put", "post", "delete", "options", "head", "patch")
_COLLECTION_FORMATS = {
    "csv": ("form", False),
    "multi": ("form", True),
    "ssv": ("spaceDelimited", False),
    "pipes": ("pipeDelimited", False),
    "tsv": ("form", False),
}
_SCHEMA_KEYS = (
    "type", "format", "items", "enum", "default", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum",
    "minLength", "maxLength", "pattern", "minItems", "maxItems", "uniqueItems", "multipleOf",
)  # fmt: skip


def is_swagger2(root: Any) -> bool:
    return isinstance(root, dict) and str(root.get("swagger", "")).startswith("2")


def original_pointer(pointer: str) -> str:
    """The pointer in the Swagger 2.0 document that a pointer of the converted tree came from (best effort)."""
    for new, old in POINTER_ALIASES:
        if pointer.startswith(new):
            pointer = old + pointer[len(new) :]
            break
    return re.sub(r"/content/[^/]+/schema(?=/|$)", "/schema", pointer)  # a response's schema, per media type


def upconvert(root: dict[str, Any]) -> dict[str, Any]:
    """The OpenAPI 3.0.3 equivalent of a Swagger 2.0 document."""
    root = _rewrite_refs(root)
    produces = _list(root.get("produces")) or ["application/json"]
    consumes = _list(root.get("consumes")) or ["application/json"]
    converted: dict[str, Any] = {"openapi": "3.0.3"}
    for key in ("info", "tags", "externalDocs", "security"):
        if key in root:
            converted[key] = root[key]
    converted["servers"] = _servers(root)
    global_parameters = _dict(root.get("parameters"))
    paths: dict[str, Any] = {}
    for path, item in _dict(root.get("paths")).items():
        if not isinstance(item, dict) or str(path).startswith("x-"):  # an extension, kept as it is
            paths[path] = item
            continue
        new_item: dict[str, Any] = {k: v for k, v in item.items() if k.startswith("x-") or k == "$ref"}
        shared = [p for p in _list(item.get("parameters"))]
        plain_shared = [_parameter(p, global_parameters) for p in shared if not _is_body(p, global_parameters)]
        if plain_shared:
            new_item["parameters"] = plain_shared
        for method in _METHODS:
            operation = item.get(method)
            if isinstance(operation, dict):
                body_shared = [p for p in shared if _is_body(p, global_parameters)]
                new_item[method] = _operation(operation, body_shared, global_parameters, produces, consumes)
        paths[path] = new_item
    converted["paths"] = paths
    components: dict[str, Any] = {}
    if isinstance(root.get("definitions"), dict):
        components["schemas"] = {name: _schema(schema) for name, schema in root["definitions"].items()}
    plain = {n: _parameter(p, {}) for n, p in global_parameters.items() if not _is_body(p, {})}
    if plain:
        components["parameters"] = plain
    if isinstance(root.get("responses"), dict):
        components["responses"] = {n: _response(r, produces) for n, r in root["responses"].items()}
    if isinstance(root.get("securityDefinitions"), dict):
        components["securitySchemes"] = {
            n: _security_scheme(s) for n, s in root["securityDefinitions"].items() if isinstance(s, dict)
        }
    if components:
        converted["components"] = components
    for key, value in root.items():
        if key.startswith("x-"):
            converted[key] = value
    return converted


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _copy(node: Any, rewrite: Callable[[dict[str, Any]], dict[str, Any]]) -> Any:
    """A deep copy of a JSON tree in which every mapping first goes through `rewrite` (shallowly). Iterative,
    so deeply nested documents cannot exhaust the stack."""
    result: Any = None
    stack: list[tuple[Any, Any, Any]] = [(node, None, None)]
    while stack:
        value, parent, key = stack.pop()
        copy: Any = value
        if isinstance(value, dict):
            copy = {}
            for k, v in rewrite(value).items():
                stack.append((v, copy, k))
        elif isinstance(value, list):
            copy = [None] * len(value)
            for index, item in enumerate(value):
                stack.append((item, copy, index))
        if parent is None:
            result = copy
        else:
            parent[key] = copy
    return result


def _local_ref(mapping: dict[str, Any]) -> dict[str, Any]:
    """A mapping whose 2.0 local `$ref` points where the converted tree keeps its target."""
    ref = mapping.get("$ref")
    if isinstance(ref, str):
        for old, new in _REF_PREFIXES:
            if ref.startswith(old):
                return {**mapping, "$ref": new + ref[len(old) :]}
    return mapping


def _rewrite_refs(node: Any) -> Any:
    return _copy(node, _local_ref)


def _servers(root: dict[str, Any]) -> list[dict[str, Any]]:
    host = root.get("host")
    base_path = str(root.get("basePath") or "")
    if not isinstance(host, str) or not host:
        return [{"url": base_path or "/"}]
    schemes = [s for s in _list(root.get("schemes")) if s in ("https", "http")] or ["https"]
    scheme = "https" if "https" in schemes else "http"  # the same server twice is one server
    return [{"url": f"{scheme}://{host}{base_path}"}]


def _resolve_parameter(parameter: Any, global_parameters: dict[str, Any]) -> Any:
    if isinstance(parameter, dict) and isinstance(parameter.get("$ref"), str):
        name = parameter["$ref"].rsplit("/", 1)[-1]
        if parameter["$ref"].startswith("#/components/parameters/") and name in global_parameters:
            return global_parameters[name]
    return parameter


def _is_body(parameter: Any, global_parameters: dict[str, Any]) -> bool:
    resolved = _resolve_parameter(parameter, global_parameters)
    return isinstance(resolved, dict) and resolved.get("in") in ("body", "formData")


def _parameter(parameter: Any, global_parameters: dict[str, Any]) -> Any:
    if not isinstance(parameter, dict) or "$ref" in parameter:
        return parameter
    converted = {k: v for k, v in parameter.items() if k in ("name", "in", "required", "description", "deprecated")}
    converted["required"] = bool(parameter.get("required")) or parameter.get("in") == "path"
    converted["schema"] = _primitive_schema(parameter)
    if parameter.get("type") == "array":
        style, explode = _COLLECTION_FORMATS.get(str(parameter.get("collectionFormat", "csv")), ("form", False))
        if parameter.get("in") == "query":
            converted["style"] = style
            converted["explode"] = explode
    return converted


def _primitive_schema(parameter: dict[str, Any]) -> dict[str, Any]:
    schema = {k: parameter[k] for k in _SCHEMA_KEYS if k in parameter}
    if schema.get("type") == "file":
        return {"type": "string", "format": "binary"}
    if isinstance(schema.get("items"), dict):
        schema["items"] = _primitive_schema(schema["items"])
    if parameter.get("x-nullable") is True:
        schema["nullable"] = True
    return schema


def _schema_object(mapping: dict[str, Any]) -> dict[str, Any]:
    """A 2.0 schema object as 3.0 writes it: `type: file`, `x-nullable` and string discriminators differ."""
    if mapping.get("type") == "file":
        return {"type": "string", "format": "binary"}
    if "x-nullable" not in mapping and not isinstance(mapping.get("discriminator"), str):
        return mapping
    converted = {k: v for k, v in mapping.items() if k != "x-nullable"}
    if "x-nullable" in mapping:
        converted["nullable"] = bool(mapping["x-nullable"])
    if isinstance(mapping.get("discriminator"), str):
        converted["discriminator"] = {"propertyName": mapping["discriminator"]}
    return converted


def _schema(schema: Any) -> Any:
    return _copy(schema, _schema_object)


def _operation(
    operation: dict[str, Any],
    shared_body: list[Any],
    global_parameters: dict[str, Any],
    produces: list[str],
    consumes: list[str],
) -> dict[str, Any]:
    produces = _list(operation.get("produces")) or produces
    consumes = _list(operation.get("consumes")) or consumes
    converted: dict[str, Any] = {
        k: v
        for k, v in operation.items()
        if k in ("operationId", "summary", "description", "tags", "deprecated", "security", "externalDocs")
        or k.startswith("x-")
    }
    parameters: list[Any] = []
    body: dict[str, Any] | None = None
    form: list[dict[str, Any]] = []
    for raw in [*shared_body, *_list(operation.get("parameters"))]:
        parameter = _resolve_parameter(raw, global_parameters)
        location = parameter.get("in") if isinstance(parameter, dict) else None
        if location == "body":
            body = parameter
        elif location == "formData":
            form.append(parameter)
        else:
            parameters.append(_parameter(raw, global_parameters))
    if parameters:
        converted["parameters"] = parameters
    if body is not None:
        schema = _schema(body.get("schema", {}))
        converted["requestBody"] = {
            "required": bool(body.get("required")),
            "content": {media: {"schema": schema} for media in consumes},
            **({"description": body["description"]} if isinstance(body.get("description"), str) else {}),
        }
    elif form:
        multipart = any(p.get("type") == "file" for p in form) or "multipart/form-data" in consumes
        media = "multipart/form-data" if multipart else "application/x-www-form-urlencoded"
        properties = {str(p.get("name")): _primitive_schema(p) for p in form}
        for p in form:
            if isinstance(p.get("description"), str):
                properties[str(p.get("name"))]["description"] = p["description"]
        fields: dict[str, Any] = {"type": "object", "properties": properties}
        required = [str(p.get("name")) for p in form if p.get("required")]
        if required:
            fields["required"] = required
        converted["requestBody"] = {"required": bool(required), "content": {media: {"schema": fields}}}
    converted["responses"] = {
        str(status): response if str(status).startswith("x-") else _response(response, produces)
        for status, response in _dict(operation.get("responses")).items()
    }
    return converted


def _response(response: Any, produces: list[str]) -> Any:
    if not isinstance(response, dict) or "$ref" in response:
        return response
    converted: dict[str, Any] = {"description": str(response.get("description", ""))}
    if "schema" in response:
        schema = _schema(response["schema"])
        converted["content"] = {media: {"schema": schema} for media in produces}
    headers = _dict(response.get("headers"))
    if headers:
        converted["headers"] = {
            name: {"schema": _primitive_schema(h) if isinstance(h, dict) else {}} for name, h in headers.items()
        }
    return converted


def _security_scheme(scheme: dict[str, Any]) -> dict[str, Any]:
    kind = scheme.get("type")
    description = {"description": scheme["description"]} if isinstance(scheme.get("description"), str) else {}
    if kind == "basic":
        return {"type": "http", "scheme": "basic", **description}
    if kind == "apiKey":
        return {"type": "apiKey", "name": scheme.get("name"), "in": scheme.get("in"), **description}
    if kind == "oauth2":
        flow_name = {
            "implicit": "implicit",
            "password": "password",
            "application": "clientCredentials",
            "accessCode": "authorizationCode",
        }.get(str(scheme.get("flow")), "implicit")
        flow: dict[str, Any] = {"scopes": _dict(scheme.get("scopes"))}
        if "authorizationUrl" in scheme:
            flow["authorizationUrl"] = scheme["authorizationUrl"]
        if "tokenUrl" in scheme:
            flow["tokenUrl"] = scheme["tokenUrl"]
        return {"type": "oauth2", "flows": {flow_name: flow}, **description}
    return dict(scheme)
