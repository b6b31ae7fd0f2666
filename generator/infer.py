"""Settling the configuration of one spec: a vendor profile's facts, then what the spec itself shows.

`settle(document, config)` is pure: it returns the configuration the build uses and one note (a `Diagnostic` of
severity "note") per decision it made for the user, each naming the key that overrides it. Precedence, lowest
first: defaults, what the spec shows (inferred), the vendor profile, the configuration file, command-line
options. A value set by a higher layer is never inferred, and gets no note.

What is inferred, for every API alike (no vendor names here):

- client settings: a header parameter that (nearly) every operation declares under the same name and schema is
  a setting of the client (a constructor argument and an environment variable, sent on every request), never a
  method argument;
- the request id: a response header whose name ends in `request-id` that most responses declare;
- signing: when operations declare `signature` and `signature-input` headers, each request's signature covers
  `@method`, `@path`, `@query`, `authorization`, the content headers when a request has a body, and every header
  the client sets itself that the spec declares (client settings, the client-id header, the idempotency key,
  `accept`, API-key headers).

What no spec can say (that a header carries the OAuth client id, a signature scheme's version header, whether a
requirement's scope list means all or any) comes from a vendor profile: data in `generator/profiles/`, chosen by
`profile = NAME` or, under `profile = "auto"`, by the spec's servers.
"""

from __future__ import annotations

import builtins
import fnmatch
import json
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Callable
from urllib.parse import urlsplit

from generator import names
from generator.config import TRANSPORT_HEADERS, Config, Profile, load_profile, profile_names
from generator.diagnostics import Diagnostic
from generator.load import Document, Location, escape_pointer_token
from generator.load import HTTP_METHODS
from generator.validate import is_extension

#: Headers whose value belongs to one request (an id to trace or correlate it, a key to apply it once): never
#: client settings, however many operations declare them.
_PER_REQUEST = re.compile(r"(^|[-_])(request|correlation|trace|span|message)[-_]?id$|^trace(parent|state)$|idempotency")
#: The content headers a signature covers when a request has a body.
CONTENT_COMPONENTS = ("content-type", "content-length", "content-digest")
#: Constructor arguments of every generated client: a client setting never takes one of these names.
CLIENT_ARGUMENTS = frozenset(
    {
        "self",
        "base_url",
        "environment",
        "client_id",
        "client_secret",
        "key_id",
        "private_key",
        "private_key_password",
        "access_token",
        "api_key",
        "username",
        "password",
        "scopes",
        "token_refresh_skew",
        "signature_expires_in",
        "headers",
        "timeout",
        "max_retries",
        "retry",
        "http_client",
    }
)
#: Names the generated `_client.py` uses where its constructor's arguments are in scope: builtins (`super`) and
#: the module's own names.
_CLIENT_MODULE_NAMES = frozenset(dir(builtins)) | {
    "annotations",
    "functools",
    "httpx",
    "resolve_base_url",
    "settings",
}
#: Environment variables (after the prefix) of every generated client.
CLIENT_VARIABLES = frozenset(
    {
        "BASE_URL",
        "ENVIRONMENT",
        "CLIENT_ID",
        "CLIENT_SECRET",
        "KEY_ID",
        "PRIVATE_KEY",
        "PRIVATE_KEY_PASSWORD",
        "ACCESS_TOKEN",
        "API_KEY",
        "USERNAME",
        "PASSWORD",
    }
)
#: A header is a client setting when at least this share of the operations declare it (and at least two do).
CLIENT_HEADER_SHARE = 0.9
#: Keys of a schema that document it without changing what it accepts.
_DOCUMENTATION = frozenset({"description", "example", "examples", "title", "externalDocs", "deprecated", "xml"})


def env_prefix(config: Config, title: str) -> str:
    """The prefix of the client's environment variables: configured, else the title's first word."""
    return config.client.env_prefix or names.constant((names.words(title) or ["API"])[0])


def client_setting_names(
    header: str, prefix: str, taken: set[str] | None = None, suffix: str = "header"
) -> tuple[str, str]:
    """The constructor argument and the environment variable of a header that is a client setting (or of an API
    key, with `suffix="key"`).

    The variable is `<PREFIX>_<HEADER>`, without the prefix's words when the header starts with them
    (`upvest-api-version` under UPVEST is UPVEST_API_VERSION) unless that is a variable of the client already.
    `taken` holds the arguments and variables given out so far, and receives these.
    """
    taken = taken if taken is not None else set()
    argument = names.safe(names.snake(header, fallback="header"))
    while argument in CLIENT_ARGUMENTS or argument in _CLIENT_MODULE_NAMES or argument in taken:
        argument += f"_{suffix}"
    words = names.constant(header).split("_")
    own = prefix.split("_")
    short = "_".join(words[len(own) :]) if words[: len(own)] == own else "_".join(words)
    variable = short or "_".join(words)
    if variable in CLIENT_VARIABLES or f"{prefix}_{variable}" in taken:
        variable = "_".join(words)
    while variable in CLIENT_VARIABLES or f"{prefix}_{variable}" in taken:
        variable += f"_{suffix.upper()}"
    taken.update({argument, f"{prefix}_{variable}"})
    return argument, f"{prefix}_{variable}"


@dataclass(frozen=True)
class _HeaderUse:
    """One operation's declaration of a header parameter."""

    required: bool
    schema: str  # the schema as canonical JSON, documentation left out
    location: Location


@dataclass
class Declarations:
    """What the operations of a spec declare, gathered in one walk."""

    operations: int = 0
    #: lower-case header name -> one use per operation that declares it
    headers: dict[str, list[_HeaderUse]] = field(default_factory=dict)
    bodies: bool = False
    responses: int = 0
    #: lower-case response header name -> how many responses declare it, and where it is first declared
    response_headers: Counter[str] = field(default_factory=Counter)
    response_header_locations: dict[str, Location] = field(default_factory=dict)


def declarations(document: Document) -> Declarations:
    """Header parameters, bodies and response headers of every operation (`$ref`s followed)."""
    found = Declarations()
    main = document.main
    paths = document.root.get("paths")
    for path, item in paths.items() if isinstance(paths, dict) else ():
        if is_extension(path):
            continue
        item, where = document.follow(item, Location(main, f"/paths/{escape_pointer_token(str(path))}"))
        if not isinstance(item, dict):
            continue
        shared = _parameters(document, item.get("parameters"), Location(where.file, f"{where.pointer}/parameters"))
        for method in HTTP_METHODS:
            operation = item.get(method)
            if not isinstance(operation, dict):
                continue
            found.operations += 1
            base = Location(where.file, f"{where.pointer}/{method}")
            own = _parameters(document, operation.get("parameters"), Location(base.file, f"{base.pointer}/parameters"))
            merged = {**shared, **own}
            for (name, location), (parameter, at) in merged.items():
                if location == "header":
                    use = _HeaderUse(bool(parameter.get("required")), _schema_key(document, parameter, at), at)
                    found.headers.setdefault(name.lower(), []).append(use)
            if operation.get("requestBody") is not None:
                found.bodies = True
            responses = operation.get("responses")
            for status, response in responses.items() if isinstance(responses, dict) else ():
                if is_extension(status):
                    continue
                pointer = f"{base.pointer}/responses/{escape_pointer_token(str(status))}"
                response, at = document.follow(response, Location(base.file, pointer))
                if not isinstance(response, dict):
                    continue
                found.responses += 1
                headers = response.get("headers")
                for header in headers if isinstance(headers, dict) else ():
                    key = str(header).lower()
                    found.response_headers[key] += 1
                    header_at = Location(at.file, f"{at.pointer}/headers/{escape_pointer_token(str(header))}")
                    found.response_header_locations.setdefault(key, header_at)
    return found


def _parameters(
    document: Document, raw: Any, where: Location
) -> dict[tuple[str, str], tuple[dict[str, Any], Location]]:
    found: dict[tuple[str, str], tuple[dict[str, Any], Location]] = {}
    for index, parameter in enumerate(raw if isinstance(raw, list) else []):
        parameter, at = document.follow(parameter, Location(where.file, f"{where.pointer}/{index}"))
        if isinstance(parameter, dict) and isinstance(parameter.get("name"), str):
            location = str(parameter.get("in"))
            name = parameter["name"].lower() if location == "header" else parameter["name"]  # case-insensitive
            found[(name, location)] = (parameter, at)
    return found


def _schema_key(document: Document, parameter: dict[str, Any], at: Location) -> str:
    schema, _ = document.follow(parameter.get("schema"), at)
    if isinstance(schema, dict):
        schema = {k: v for k, v in schema.items() if k not in _DOCUMENTATION}
    return json.dumps(schema, sort_keys=True, default=str)


# -- the profile ----------------------------------------------------------------------------------------------


def select_profile(document: Document, config: Config) -> tuple[Profile | None, str]:
    """The profile that applies, and why (`profile = NAME`, or the server that matched under "auto")."""
    if config.project.profile == "none":
        return None, ""
    if config.project.profile != "auto":
        return load_profile(config.project.profile), f"profile = {json.dumps(config.project.profile)}"
    for url, index in _server_urls(document):
        try:
            host = (urlsplit(url).hostname or "").lower()
        except ValueError:  # not a URL (validation warns about it): it matches no profile
            continue
        for name in profile_names():
            profile = load_profile(name)
            pattern = next((p for p in profile.servers if host and fnmatch.fnmatchcase(host, p.lower())), None)
            if pattern is not None:
                return profile, f"server {url} matches {pattern}"
    return None, ""


def _server_urls(document: Document) -> list[tuple[str, int]]:
    servers = document.root.get("servers")
    return [
        (server["url"], index)
        for index, server in enumerate(servers if isinstance(servers, list) else [])
        if isinstance(server, dict) and isinstance(server.get("url"), str)
    ]


# -- settling --------------------------------------------------------------------------------------------------

#: records a note: (code, message, where)
_Note = Callable[[str, str, Location], None]


def settle(document: Document, config: Config) -> tuple[Config, list[Diagnostic]]:
    """The configuration the build uses for this document, and a note for every value profile or spec gave."""
    notes: list[Diagnostic] = []

    def note(code: str, message: str, location: Location) -> None:
        notes.append(document.diagnostic("note", code, message, location))

    profile, why = select_profile(document, config)
    if profile is not None:
        config = _apply_profile(document, config, profile, why, note)
    found = declarations(document)
    prefix = env_prefix(config, str((document.root.get("info") or {}).get("title", "API")))
    config = _infer_request_id(config, found, note)
    config = _infer_client_headers(document, config, found, prefix, note)
    config = _infer_signing(document, config, found, note)
    return config, notes


def _apply_profile(document: Document, config: Config, profile: Profile, why: str, note: _Note) -> Config:
    keys = [key for key, _ in profile.config.origins]
    applied = [key for key in keys if not config.is_set(key)]
    overridden = [key for key in keys if key not in applied]
    where = Location(document.main, "/servers/0" if _server_urls(document) else "")
    if document.swagger2 is not None:  # its servers were made from `host`
        where = Location(document.main, "/host" if "host" in document.swagger2 else "")
    about = f" ({profile.description})" if profile.description else ""
    message = f"vendor profile '{profile.name}'{about} applies: {why}"
    if applied:
        message += f"; it sets {', '.join(applied)}"
    if overridden:
        message += f"; the configuration overrides its {', '.join(overridden)}"
    note("profile", message + ' (profile = "none" turns it off)', where)
    for key in applied:
        value = profile.config.value(key)
        reason = profile.reason(key)
        note("profile-value", f"{key} = {_shown(value)}: {reason or 'from profile ' + profile.name}", where)
    return config.layered(profile.config, "profile")


def _infer_client_headers(document: Document, config: Config, found: Declarations, prefix: str, note: _Note) -> Config:
    client_id = config.auth.client_id_header
    if not config.is_set("client-headers"):
        excluded = set(TRANSPORT_HEADERS) | set(config.client.managed_headers) | _api_key_headers(document)
        excluded |= {
            h for h in (config.client.idempotency_header, client_id, config.auth.signature_version_header) if h
        }
        excluded |= {config.client.request_id_header} if config.client.request_id_header else set()
        chosen = sorted(
            name
            for name, uses in found.headers.items()
            if name not in excluded and not _PER_REQUEST.search(name) and _everywhere(found, uses)
        )
        config = config.inferred({"client-headers": tuple(chosen)})
        taken: set[str] = set()
        for name in chosen:
            uses = found.headers[name]
            argument, variable = client_setting_names(name, prefix, taken)
            message = (
                f"header '{name}' is declared by {len(uses)} of {found.operations} operations: made a client setting"
                f" ({argument}=, {variable}), sent on every request, never a method argument (client-headers)"
            )
            note("client-header", message, uses[0].location)
    if client_id and config.origin("client-id-header") == "profile" and client_id in found.headers:
        uses = found.headers[client_id]
        message = (
            f"header '{client_id}' is declared by {len(uses)} of {found.operations} operations: sent on every"
            f" request with the client id (client_id=, {prefix}_CLIENT_ID), never a method"
            " argument (client-id-header)"
        )
        note("client-header", message, uses[0].location)
    return config


def _everywhere(found: Declarations, uses: list[_HeaderUse]) -> bool:
    """Declared by (nearly) every operation, at least two, under one schema."""
    return (
        found.operations >= 2
        and len(uses) >= CLIENT_HEADER_SHARE * found.operations
        and len({use.schema for use in uses}) == 1
    )


def _api_key_headers(document: Document) -> set[str]:
    components = document.root.get("components")
    schemes = components.get("securitySchemes") if isinstance(components, dict) else None
    headers: set[str] = set()
    for scheme in schemes.values() if isinstance(schemes, dict) else ():
        if isinstance(scheme, dict) and scheme.get("type") == "apiKey" and scheme.get("in") == "header":
            headers.add(str(scheme.get("name", "")).lower())
    return headers


def _infer_request_id(config: Config, found: Declarations, note: _Note) -> Config:
    if config.is_set("request-id-header"):
        return config
    candidates = [
        (count, name)
        for name, count in found.response_headers.items()
        if name.replace("_", "-").endswith("request-id") and 2 * count > found.responses
    ]
    if not candidates:  # the build takes DEFAULT_REQUEST_ID_HEADER
        return config
    count, name = min(candidates, key=lambda c: (-c[0], c[1]))  # the most declared; of equals, the first by name
    message = (
        f"response header '{name}' is declared by {count} of {found.responses} responses: read as the request id"
        " of results and errors (request-id-header)"
    )
    note("request-id-header", message, found.response_header_locations[name])
    return config.inferred({"request-id-header": name})


def _infer_signing(document: Document, config: Config, found: Declarations, note: _Note) -> Config:
    if config.is_set("signing-components") or not {"signature", "signature-input"} <= found.headers.keys():
        return config
    set_by_client = {*(config.client.client_headers or ()), "accept", *_api_key_headers(document)}
    set_by_client |= {h for h in (config.auth.client_id_header, config.client.idempotency_header) if h}
    headers = {"authorization"} | {h for h in set_by_client if h in found.headers}
    if found.bodies:
        headers |= set(CONTENT_COMPONENTS)
    components = ("@method", "@path", "@query", *sorted(headers))
    message = (
        "operations declare 'signature' and 'signature-input' headers: every request is signed over "
        + ", ".join(components)
        + " (signing-components)"
    )
    note("signing-components", message, found.headers["signature"][0].location)
    return config.inferred({"signing-components": components})


def _shown(value: Any) -> str:
    if isinstance(value, tuple):
        return "[" + ", ".join(json.dumps(v) for v in value) + "]"
    return json.dumps(value)
