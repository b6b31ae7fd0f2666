"""Configuration: `[tool.clientgen]` in a pyproject.toml, or the top level of a clientgen.toml.

Every key is a field of a group dataclass (`Project`, `ClientSettings`, `AuthSettings`, `Paging`) or of `Config`
itself (`names`), with its default and, in the field's metadata, its type and meaning (`_setting`). `SCHEMA` is
made from those fields; the parser checks files against it, and `docs/configuration.md` is generated from it
(`clientgen config reference`; a test keeps the two the same). Command-line options override the file.
"""

from __future__ import annotations

import difflib
import functools
import keyword
import math
import re
import sys
import tomllib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any, Callable

from generator.diagnostics import Diagnostic, SpecError

#: Headers that are owned by the transport whatever the spec says.
DEFAULT_MANAGED_HEADERS = ("authorization",)
#: Headers the generated client always sets itself: never client settings.
TRANSPORT_HEADERS = frozenset(
    {"accept", "authorization", "content-type", "content-length", "content-digest", "signature", "signature-input"}
)
#: The request id header when the spec declares none that most responses carry.
DEFAULT_REQUEST_ID_HEADER = "x-request-id"
#: The generated client's default timeouts (seconds): one source for the reference, the model and `_config.py`.
DEFAULT_TIMEOUT = 60.0
DEFAULT_CONNECT_TIMEOUT = 10.0
#: The runtime's RetryPolicy defaults (templates/runtime/_retry.py; tests/runtime/test_runtime_source.py keeps the
#: two the same), as the configuration names them.
RUNTIME_RETRY_DEFAULTS = {"max-retries": 3, "initial-delay": 0.5, "max-delay": 8.0, "deadline": 120.0}
CONFIG_FILE = "clientgen.toml"
#: Vendor profiles: `<name>.toml` files in this folder (shipped with the generator), see `load_profile`.
PROFILES = Path(__file__).resolve().parent / "profiles"


@dataclass(frozen=True)
class Names:
    """Names chosen by the user instead of the ones derived from the spec, by what they rename."""

    #: operationId -> method name
    operations: tuple[tuple[str, str], ...] = ()
    #: tag (or, for untagged operations, the first path segment) -> resource attribute name
    resources: tuple[tuple[str, str], ...] = ()
    #: schema name (components/schemas key, or the generated class name) -> class name
    models: tuple[tuple[str, str], ...] = ()
    #: "Class.property" (generated class, JSON property) -> field name
    fields: tuple[tuple[str, str], ...] = ()
    #: "Enum.value" (generated enum class, enum value) -> member name
    enum_members: tuple[tuple[str, str], ...] = ()

    def lookup(self, kind: str, key: str) -> str | None:
        return self._tables[kind].get(key)

    @functools.cached_property
    def _tables(self) -> dict[str, dict[str, str]]:
        """The tables as dicts, made once: the build asks for every operation, model, field and member."""
        return {
            kind: dict(getattr(self, kind)) for kind in ("operations", "resources", "models", "fields", "enum_members")
        }


@dataclass(frozen=True)
class DiffPolicy:
    """`clientgen diff`'s deprecation policy: least days from a deprecation to its sunset date, by stability."""

    deprecation_days_stable: int = 0
    deprecation_days_beta: int = 0


@dataclass(frozen=True)
class Retry:
    """The generated client's default retry policy (its RetryPolicy's fields); None keeps the runtime's default."""

    max_retries: int | None = None
    initial_delay: float | None = None
    max_delay: float | None = None
    deadline: float | None = None


def _setting(
    default: Any,
    description: str,
    type: str = "string",
    *,
    key: str = "",
    shown: str | None = None,
    choices: tuple[str, ...] = (),
    option: str = "",
) -> Any:
    """A configuration key as a dataclass field: its default, and in the field's metadata its TOML name (the
    field's name with dashes unless `key` says otherwise), its type, the default as the reference shows it
    (`shown`; else the default itself, or "none"), its choices and the command-line option that overrides it."""
    metadata = {"key": key, "type": type, "description": description, "shown": shown, "choices": choices}
    return field(default=default, metadata={**metadata, "option": option})


@dataclass(frozen=True)
class Project:
    """Where the spec and the client project are, and what the package is called."""

    spec: Path | None = _setting(
        None, "The OpenAPI (or Swagger 2.0) file to generate from, relative to the file.", "path", option="SPEC"
    )
    output: Path | None = _setting(
        None, "The folder the client project is written to, relative to the file.", "path", option="-o"
    )
    package: str | None = _setting(
        None, "Import name of the generated package.", "identifier", shown="from the spec's title", option="--package"
    )
    distribution: str | None = _setting(
        None, "Distribution name on the package index.", shown="the package name with dashes"
    )
    version: str | None = _setting(None, "Version of the generated package.", shown="the spec's info.version")
    version_policy: str = _setting(
        "diff",
        "How `clientgen update` versions the package: `diff` moves the version in the output folder on by the bump"
        " the changes call for (major, minor or patch), `spec` takes the new spec's info.version, `fixed` keeps"
        " `version`. `generate --bump` moves it on by hand.",
        "choice",
        choices=("diff", "spec", "fixed"),
    )
    profile: str = _setting(
        "auto",
        "A vendor profile: facts about an API that its spec cannot state (a header that carries the OAuth client"
        " id, a signature scheme's version header, how scope lists are meant), shipped with clientgen as data."
        " `auto` picks the profile whose servers match one of the spec's servers; `none` uses none. Every value"
        " a profile sets is printed as a note, and the configuration wins over it.",
        "choice",
        choices=("auto", "none", *sorted(p.stem for p in PROFILES.glob("*.toml"))),
    )
    skip_invalid: bool = _setting(
        False,
        "Generate the rest of a spec whose operations or component schemas have errors: each one with an error is"
        " left out, with a warning and a line in the generated README. Errors in the document as a whole still"
        " stop generation.",
        "boolean",
        option="--skip-invalid",
    )
    templates: Path | None = _setting(
        None,
        "A folder of template overlays: a template there replaces the built-in one of the same relative path.",
        "path",
    )
    tests: bool = _setting(
        True,
        "Write tests/ into the output folder: for every operation a sync and an async test that calls it with values"
        " from the spec against a mock server of the spec (Prism), which checks each request; `clientgen test`"
        " runs them. `check` compares them like every generated file.",
        "boolean",
    )
    diff: DiffPolicy = _setting(
        DiffPolicy(),
        "The deprecation policy of `clientgen diff` (oasdiff's): `deprecation-days-stable` and"
        " `deprecation-days-beta`, the least days between deprecating an operation, parameter or property of that"
        " stability level and its sunset date (`x-sunset`); 0 asks for no sunset date.",
        "table",
        shown="deprecation-days-stable = 0, deprecation-days-beta = 0",
        option="--deprecation-days-stable",
    )


@dataclass(frozen=True)
class ClientSettings:
    """What the generated client does on every call: its environments, timeouts, retries and headers."""

    env_prefix: str | None = _setting(
        None,
        "Prefix of the environment variables the client reads (`<PREFIX>_BASE_URL`, `<PREFIX>_CLIENT_ID`, ...).",
        shown="from the spec's title",
    )
    #: environment name -> base URL, instead of the spec's servers
    environments: tuple[tuple[str, str], ...] = _setting(
        (),
        'Named base URLs, `name = "https://..."`, offered as `environment=` instead of the spec\'s servers.',
        "table",
        shown="the spec's servers",
    )
    timeout: float = _setting(
        DEFAULT_TIMEOUT,
        "Default seconds a request may take to read, write or wait for a connection from the pool.",
        "number",
    )
    connect_timeout: float = _setting(DEFAULT_CONNECT_TIMEOUT, "Default seconds to establish a connection.", "number")
    retry: Retry = _setting(
        Retry(),
        "Default retry policy: `max-retries`, `initial-delay` and `max-delay` (seconds, exponential backoff with"
        " jitter), `deadline` (seconds for a call, all attempts included).",
        "table",
        shown=", ".join(f"{name} = {value:g}" for name, value in RUNTIME_RETRY_DEFAULTS.items()),
    )
    managed_headers: tuple[str, ...] = _setting(
        DEFAULT_MANAGED_HEADERS,
        "Headers the transport sets: never method arguments (authorization is always one).",
        "list of strings",
        shown='["authorization"]',
    )
    #: None: inferred from the spec (generator.infer)
    client_headers: tuple[str, ...] | None = _setting(
        None,
        "Headers that are settings of the client rather than arguments of each method: a constructor argument"
        " and an environment variable (`<PREFIX>_<HEADER>`) each, sent on every request. `[]` makes none.",
        "list of strings",
        shown="inferred: the headers (nearly) every operation declares alike",
    )
    idempotency_header: str = _setting(
        "idempotency-key", "Header carrying idempotency keys, when operations declare it.", "header"
    )
    #: None: inferred from the spec's response headers, else DEFAULT_REQUEST_ID_HEADER
    request_id_header: str | None = _setting(
        None,
        "Response header with the server's request id, shown in errors and logs.",
        "header",
        shown=f"inferred: a header ending in `request-id` that most responses declare; else {DEFAULT_REQUEST_ID_HEADER}",
    )


@dataclass(frozen=True)
class AuthSettings:
    """How the client authenticates, signs requests and verifies webhooks, beyond what the spec states."""

    client_id_header: str | None = _setting(None, "Header sending the OAuth client id on every request.", "header")
    #: "all": a security requirement needs every scope it lists (OpenAPI); "any": one of them is enough.
    requirement_scopes: str = _setting(
        "all",
        "Whether a security requirement needs all the scopes it lists (OpenAPI's meaning) or any one of them.",
        "choice",
        choices=("all", "any"),
    )
    signing_components: tuple[str, ...] | None = _setting(
        None,
        "Components of each request's HTTP message signature (`@method`, `@path`, header names, ...). Inferred:"
        " `@method`, `@path`, `@query`, `authorization`, the content headers when a request has a body, and every"
        " header the client sets that the spec declares (client settings, idempotency key, `accept`).",
        "list of strings",
        shown="inferred when operations declare `signature` and `signature-input` headers; else no signing",
    )
    signature_version_header: str | None = _setting(None, "Header announcing the signature scheme version.", "header")
    signature_version: str | None = _setting(None, "Value of the signature version header.")
    webhook_keys_path: str | None = _setting(
        None, "Path of the endpoint serving webhook keys (JWKS).", shown="found in the spec"
    )
    webhook_type_field: str = _setting("type", "Field of a webhook payload naming its event type.")


@dataclass(frozen=True)
class Paging:
    """Which list operations page, and how."""

    style: str = _setting(
        "auto",
        "Which list operations page: `auto` finds each one's style from the spec (offset and limit, page number,"
        " cursor, a next-page URL, the Link header), `offset` only offset/limit pages, `none` no paging.",
        "choice",
        key="pagination",
        choices=("auto", "offset", "none"),
    )
    #: operationId -> paging style, or "none"
    operations: tuple[tuple[str, str], ...] = _setting(
        (),
        'Paging per operation, `operationId = "style"` (offset, page, cursor, next-url, link, or none), over'
        " what `pagination` finds; a style needs what it reads in the spec (parameters, response fields).",
        "table",
        key="paging-operations",
        shown="none",
    )
    offset_param: str = _setting("offset", "Query parameter of the page offset.", key="page-offset-param")
    limit_param: str = _setting("limit", "Query parameter of the page size.", key="page-limit-param")
    items_field: str = _setting("data", "Response field holding a page's items.", key="page-items-field")
    meta_field: str = _setting("meta", "Response field holding a page's metadata.", key="page-meta-field")
    total_field: str = _setting("total_count", "Metadata field with the total number of items.", key="page-total-field")


@dataclass(frozen=True)
class Config:
    """The configuration: a group of keys per part of the job, and the names the user chose.

    Every key is a field of one group, documented in its metadata (`_setting`); `SCHEMA`, the reader and the
    reference (docs/configuration.md) are made from them. `origins` says where each value that is not the
    default came from, by key.
    """

    project: Project = Project()
    client: ClientSettings = ClientSettings()
    auth: AuthSettings = AuthSettings()
    paging: Paging = Paging()
    names: Names = _setting(
        Names(),
        "Names of your choosing, in sub-tables: `operations` (operationId = method name), `resources` (tag ="
        ' attribute name), `models` (schema name = class name), `fields` ("Class.property" = field name),'
        ' `enum-members` ("Enum.value" = member name).',
        "table",
        shown="none",
    )
    source: Path | None = field(default=None, compare=False)
    #: (key, origin) for every value that is not the default: "file", "option", "profile" or "inferred"
    origins: tuple[tuple[str, str], ...] = field(default=(), compare=False)

    def __post_init__(self) -> None:
        if not self.origins:  # made in Python, `Config(client=...)`: what differs from the defaults was given
            given = tuple((key, "option") for key in _PLACES if self.value(key) != _DEFAULTS[key])
            object.__setattr__(self, "origins", given)

    @classmethod
    def of(cls, **values: Any) -> Config:
        """A configuration with these keys set (spelled with underscores: `Config.of(page_limit_param="n")`)."""
        return cls()._set({_key(name): value for name, value in values.items()}, "option")

    def value(self, key: str) -> Any:
        """The value of a key (`"page-limit-param"`)."""
        group, attribute = _PLACES[key]
        return getattr(getattr(self, group) if group else self, attribute)

    def merged(self, **overrides: Any) -> Config:
        """These values (None: not given) as command-line options, which win over everything."""
        given = {_key(k): v for k, v in overrides.items() if v is not None}
        return self._set(given, "option", replace_set=True)

    def layered(self, below: Config, origin: str) -> Config:
        """The values `below` sets (a vendor profile's), wherever this configuration does not set them."""
        return self._set({key: below.value(key) for key, _ in below.origins}, origin)

    def inferred(self, values: dict[str, Any]) -> Config:
        """Values inferred from the spec (by key), wherever nothing else set them."""
        return self._set(values, "inferred")

    def origin(self, key: str) -> str:
        """Where the value of `key` comes from: "default", "file", "option", "profile" or "inferred"."""
        return dict(self.origins).get(key, "default")

    def is_set(self, key: str) -> bool:
        return key in dict(self.origins)

    def _set(self, values: dict[str, Any], origin: str, *, replace_set: bool = False) -> Config:
        origins = dict(self.origins)
        taken = {k: v for k, v in values.items() if replace_set or k not in origins}
        origins.update({k: origin for k in taken})
        by_group: dict[str, dict[str, Any]] = {}
        for key, value in taken.items():
            group, attribute = _PLACES[key]
            by_group.setdefault(group, {})[attribute] = value
        changes = {group: replace(getattr(self, group), **changed) for group, changed in by_group.items() if group}
        return replace(self, **changes, **by_group.get("", {}), origins=tuple(sorted(origins.items())))


# -- the schema ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Key:
    """One configuration key: what it is called, what it holds, and what it does."""

    name: str
    type: str  # string, path, header, identifier, choice, list of strings, number, integer, boolean, table
    default: str
    description: str
    choices: tuple[str, ...] = ()
    option: str = ""  # the command-line option that overrides it
    group: str = "Project"


#: the reference's section of each group of keys (and of `names`, a key of its own)
_GROUP_TITLES = {
    "project": "Project",
    "client": "Generated client",
    "auth": "Auth",
    "paging": "Pagination",
    "": "Names",
}


def _keys() -> tuple[tuple[Key, str, str, Any], ...]:
    """(key, group attribute, field attribute, default) of every key, from the groups' fields."""
    found: list[tuple[Key, str, str, Any]] = []
    for group_field in fields(Config):
        if group_field.name in _GROUP_TITLES:
            group = group_field.name
            members = [(f, f.default) for f in fields(getattr(Config, group))]  # the group's default instance
        elif group_field.metadata:
            group = ""
            members = [(group_field, group_field.default)]
        else:
            continue
        for member, default in members:
            meta = member.metadata
            name = meta["key"] or member.name.replace("_", "-")
            shown = meta["shown"] if meta["shown"] is not None else _shown_default(default)
            key = Key(
                name, meta["type"], shown, meta["description"], meta["choices"], meta["option"], _GROUP_TITLES[group]
            )
            found.append((key, group, member.name, default))
    return tuple(found)


def _shown_default(value: Any) -> str:
    if value is None:
        return "none"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


_KEYS = _keys()
SCHEMA: tuple[Key, ...] = tuple(key for key, _, _, _ in _KEYS)
#: key -> (group attribute of Config, "" for `names`; attribute in the group)
_PLACES: dict[str, tuple[str, str]] = {key.name: (group, attribute) for key, group, attribute, _ in _KEYS}
_DEFAULTS: dict[str, Any] = {key.name: default for key, _, _, default in _KEYS}


def _key(name: str) -> str:
    """A key from its spelling as a Python name (`page_limit_param`)."""
    key = name.replace("_", "-")
    if key not in _PLACES:
        raise TypeError(f"unknown configuration key {name!r}")
    return key


_BY_NAME = {key.name: key for key in SCHEMA}
_NAME_TABLES = ("operations", "resources", "models", "fields", "enum-members")
_DIFF_KEYS = ("deprecation-days-stable", "deprecation-days-beta")
_RETRY_KEYS = {"max-retries": "integer", "initial-delay": "number", "max-delay": "number", "deadline": "number"}
_PACKAGE = re.compile(r"^[a-z_][a-z0-9_]*$")
#: what a generated package imports: a package of the same name would shadow it for its users
_DEPENDENCIES = frozenset(
    {"httpx", "httpcore", "h11", "anyio", "sniffio", "certifi", "idna", "pydantic", "pydantic_core"}
    | {"annotated_types", "typing_extensions", "typing_inspection", "cryptography", "cffi"}
)


def package_name_problem(name: str) -> str | None:
    """Why `name` cannot be a generated package's import name (None when it can): it must be a lowercase Python
    identifier, no keyword, and no name of a module its users already import (the standard library's, or a
    dependency of the generated client, which the package would shadow)."""
    if not _PACKAGE.match(name) or not name.isascii():
        return f"must be a lowercase Python package name (letters, digits, underscores), got {name!r}"
    if keyword.iskeyword(name) or keyword.issoftkeyword(name):
        return f"must not be a Python keyword, got {name!r}"
    if name in sys.stdlib_module_names or name in _DEPENDENCIES:
        return f"must not be the name of a module the client's users import ({name!r} would shadow it)"
    return None


_DISTRIBUTION = re.compile(r"^[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?$")
_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def _attribute(name: str) -> str:
    return name.replace("-", "_")


# -- finding and reading the file ---------------------------------------------------------------------------------


def find_config(start: Path) -> Path | None:
    """The nearest clientgen.toml or pyproject.toml in `start` or above it (clientgen.toml first in a folder)."""
    for folder in (start, *start.parents):
        for name in (CONFIG_FILE, "pyproject.toml"):
            candidate = folder / name
            if candidate.is_file():
                return candidate
    return None


def load_config(path: Path | None) -> Config:
    """Read a clientgen.toml (top level) or a pyproject.toml's `[tool.clientgen]`; no file or table: defaults."""
    if path is None:
        return Config()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise SpecError([Diagnostic("error", "config-unreadable", f"cannot read configuration: {exc}", str(path))])
    if path.name == CONFIG_FILE:
        return parse_config(data, path, where="")
    table = data.get("tool", {}).get("clientgen")
    if table is None:
        return Config()
    if not isinstance(table, dict):
        message = "[tool.clientgen] must be a table"
        raise SpecError([Diagnostic("error", "config-invalid", message, str(path), "/tool/clientgen")])
    return parse_config(table, path)


def parse_config(table: dict[str, Any], path: Path, where: str = "tool/clientgen", origin: str = "file") -> Config:
    """Check a configuration table against SCHEMA; every problem is an error naming the key and the file."""
    problems: list[Diagnostic] = []
    values: dict[str, Any] = {}
    section = f"[{where.replace('/', '.')}]" if where else path.name

    def problem(key: str, message: str) -> None:
        pointer = f"/{where}/{key}" if where else f"/{key}"
        problems.append(Diagnostic("error", "config-invalid", message, str(path), pointer))

    for name, value in table.items():
        key = _BY_NAME.get(name)
        if key is None:
            problem(name, f"unknown key '{name}' in {section}{_did_you_mean(name, list(_BY_NAME))}")
            continue
        try:
            values[name] = _READERS[key.type](key, value, path)
        except _Invalid as exc:
            problem(exc.key or name, str(exc))
    both = set(values.get("client-headers", ())) & set(values.get("managed-headers", ()))
    if both:
        problem("client-headers", f"{', '.join(sorted(both))}: a header is a client setting or managed, not both")
    owned = set(values.get("client-headers", ())) & TRANSPORT_HEADERS
    if owned:
        problem("client-headers", f"{', '.join(sorted(owned))}: set by the client itself, never a client setting")
    if problems:
        raise SpecError(problems)
    return Config(source=path)._set(values, origin)


class _Invalid(ValueError):
    def __init__(self, message: str, key: str = "") -> None:
        super().__init__(message)
        self.key = key


def _did_you_mean(name: str, known: list[str]) -> str:
    close = difflib.get_close_matches(name, known, n=1)
    return f"; did you mean '{close[0]}'?" if close else f"; known keys: {', '.join(sorted(known))}"


def _type_name(value: Any) -> str:
    return {bool: "a boolean", int: "an integer", float: "a number", str: "a string", list: "a list"}.get(
        type(value), "a table" if isinstance(value, dict) else type(value).__name__
    )


def _string(key: Key, value: Any, path: Path) -> str:
    if not isinstance(value, str):
        raise _Invalid(f"'{key.name}' must be a string, not {_type_name(value)}")
    problem = package_name_problem(value) if key.name == "package" else None
    if problem:
        raise _Invalid(f"'{key.name}' {problem}")
    if key.name == "env-prefix" and not re.match(r"^[A-Z][A-Z0-9_]*$", value):
        raise _Invalid(f"'{key.name}' must be upper case letters, digits and underscores, got {value!r}")
    if key.name == "distribution" and not _DISTRIBUTION.match(value):
        raise _Invalid(f"'{key.name}' must be a valid distribution name, got {value!r}")
    return value


def _path(key: Key, value: Any, path: Path) -> Path:
    return (path.parent / _string(key, value, path)).resolve()


def _header(key: Key, value: Any, path: Path) -> str:
    return _string(key, value, path).lower()


def _choice(key: Key, value: Any, path: Path) -> str:
    text = _string(key, value, path)
    if text not in key.choices:
        raise _Invalid(f"'{key.name}' must be one of {', '.join(key.choices)}, got {value!r}")
    return text


def _strings(key: Key, value: Any, path: Path) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise _Invalid(f"'{key.name}' must be a list of strings, not {_type_name(value)}")
    if key.name == "managed-headers":
        return tuple(dict.fromkeys([*DEFAULT_MANAGED_HEADERS, *(v.lower() for v in value)]))
    return tuple(v if v.startswith("@") else v.lower() for v in value)


def _number(key: Key, value: Any, path: Path, name: str = "") -> float:
    name = name or key.name
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or value <= 0:
        raise _Invalid(f"'{name}' must be a positive number of seconds, not {value!r}")
    return float(value)


def _table(key: Key, value: Any, path: Path) -> Any:
    if not isinstance(value, dict):
        raise _Invalid(f"'{key.name}' must be a table, not {_type_name(value)}")
    return _TABLES[key.name](key, value)


def _environments(key: Key, value: dict[str, Any]) -> tuple[tuple[str, str], ...]:
    for name, url in value.items():
        if not _PACKAGE.match(name) or keyword.iskeyword(name):
            raise _Invalid(f"environment names must be lowercase identifiers, got {name!r}", f"environments/{name}")
        if not isinstance(url, str) or not re.match(r"^https?://[^\s/]+", url):
            raise _Invalid(f"environment '{name}' must be an http(s) URL, got {url!r}", f"environments/{name}")
    return tuple((name, url.rstrip("/")) for name, url in value.items())


def _paging_operations(key: Key, value: dict[str, Any]) -> tuple[tuple[str, str], ...]:
    for operation_id, style in value.items():
        if style not in PAGING_STYLES:
            raise _Invalid(
                f"'{key.name}.{operation_id}' must be one of {', '.join(PAGING_STYLES)}, got {style!r}",
                f"{key.name}/{operation_id}",
            )
    return tuple((str(k), str(v)) for k, v in value.items())


def _retry(key: Key, value: dict[str, Any]) -> Retry:
    fields: dict[str, Any] = {}
    for name, setting in value.items():
        kind = _RETRY_KEYS.get(name)
        if kind is None:
            raise _Invalid(f"unknown key '{name}' in retry{_did_you_mean(name, list(_RETRY_KEYS))}", f"retry/{name}")
        if kind == "integer":
            if isinstance(setting, bool) or not isinstance(setting, int) or setting < 0:
                raise _Invalid(f"'retry.{name}' must be a whole number, 0 or more, not {setting!r}", f"retry/{name}")
            fields[_attribute(name)] = setting
        else:
            try:
                fields[_attribute(name)] = _number(key, setting, Path(), f"retry.{name}")
            except _Invalid as exc:
                raise _Invalid(str(exc), f"retry/{name}") from None
    return Retry(**fields)


def _diff(key: Key, value: dict[str, Any]) -> DiffPolicy:
    days: dict[str, int] = {}
    for name, setting in value.items():
        if name not in _DIFF_KEYS:
            raise _Invalid(f"unknown key '{name}' in diff{_did_you_mean(name, list(_DIFF_KEYS))}", f"diff/{name}")
        if isinstance(setting, bool) or not isinstance(setting, int) or setting < 0:
            raise _Invalid(f"'diff.{name}' must be a whole number of days, 0 or more, not {setting!r}", f"diff/{name}")
        days[_attribute(name)] = setting
    return DiffPolicy(**days)


def _names(key: Key, value: dict[str, Any]) -> Names:
    tables: dict[str, tuple[tuple[str, str], ...]] = {}
    for kind, entries in value.items():
        if kind not in _NAME_TABLES:
            raise _Invalid(f"unknown key '{kind}' in names{_did_you_mean(kind, list(_NAME_TABLES))}", f"names/{kind}")
        if not isinstance(entries, dict):
            raise _Invalid(f"'names.{kind}' must be a table of names", f"names/{kind}")
        pairs = []
        for original, chosen in entries.items():
            if not isinstance(chosen, str) or not _IDENTIFIER.match(chosen) or keyword.iskeyword(chosen):
                message = f"'names.{kind}.{original}' must be a Python identifier (not a keyword), got {chosen!r}"
                raise _Invalid(message, f"names/{kind}/{original}")
            if kind in ("fields", "enum-members") and "." not in original:
                message = (
                    f"'names.{kind}' keys are \"Class.{'property' if kind == 'fields' else 'value'}\", got {original!r}"
                )
                raise _Invalid(message, f"names/{kind}/{original}")
            pairs.append((original, chosen))
        tables[_attribute(kind)] = tuple(pairs)
    return Names(**tables)


def _boolean(key: Key, value: Any, path: Path) -> bool:
    if not isinstance(value, bool):
        raise _Invalid(f"'{key.name}' must be true or false, not {_type_name(value)}")
    return value


_READERS: dict[str, Callable[[Key, Any, Path], Any]] = {
    "boolean": _boolean,
    "string": _string,
    "identifier": _string,
    "path": _path,
    "header": _header,
    "choice": _choice,
    "list of strings": _strings,
    "number": _number,
    "table": _table,
}
_TABLES: dict[str, Callable[[Key, dict[str, Any]], Any]] = {
    "environments": _environments,
    "retry": _retry,
    "diff": _diff,
    "names": _names,
    "paging-operations": _paging_operations,
}
PAGING_STYLES = ("offset", "page", "cursor", "next-url", "link", "none")


def config_keys() -> tuple[str, ...]:
    """The documented keys, in the reference's order."""
    return tuple(key.name for key in SCHEMA)


# -- vendor profiles ----------------------------------------------------------------------------------------------

#: the groups of keys a profile may set: facts about an API, never the user's project, names or templates
_PROFILE_GROUPS = frozenset({"Generated client", "Auth", "Pagination"})


@dataclass(frozen=True)
class Profile:
    """A vendor profile: facts about one API that its spec cannot state, as configuration values.

    A `<name>.toml` file in `PROFILES`: a `[profile]` table (`description`, `servers`: host patterns that select
    it under `profile = "auto"`), a `[settings]` table of configuration keys, and a `[reasons]` table saying,
    per key, where the fact comes from.
    """

    name: str
    description: str
    servers: tuple[str, ...]
    config: Config
    reasons: tuple[tuple[str, str], ...] = ()

    def reason(self, key: str) -> str:
        return dict(self.reasons).get(key, "")


def profile_names() -> tuple[str, ...]:
    return tuple(sorted(p.stem for p in PROFILES.glob("*.toml")))


@functools.lru_cache(maxsize=None)
def load_profile(name: str) -> Profile:
    """The profile `name`; SpecError (naming the file and key) for a profile file that is not valid."""
    path = PROFILES / f"{name}.toml"
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise SpecError([Diagnostic("error", "profile-invalid", f"cannot read profile '{name}': {exc}", str(path))])

    def invalid(pointer: str, message: str) -> SpecError:
        return SpecError([Diagnostic("error", "profile-invalid", message, str(path), pointer)])

    about = data.get("profile", {})
    settings = data.get("settings", {})
    reasons = data.get("reasons", {})
    servers = about.get("servers", []) if isinstance(about, dict) else None
    if not isinstance(servers, list) or not all(isinstance(s, str) for s in servers):
        raise invalid("/profile/servers", "'servers' must be a list of host patterns")
    if not isinstance(settings, dict) or not isinstance(reasons, dict):
        raise invalid("", "[settings] and [reasons] must be tables")
    for key in settings:
        known = _BY_NAME.get(key)
        if known is not None and known.group not in _PROFILE_GROUPS:
            raise invalid(f"/settings/{key}", f"a profile cannot set '{key}': it belongs to the user's project")
    for key in reasons:
        if key not in settings:
            raise invalid(f"/reasons/{key}", f"a reason for '{key}', which the profile does not set")
    config = parse_config(settings, path, where="settings", origin="profile")
    return Profile(
        name=name,
        description=str(about.get("description", "")),
        servers=tuple(servers),
        config=config,
        reasons=tuple((str(k), str(v)) for k, v in reasons.items()),
    )


# -- the reference ------------------------------------------------------------------------------------------------


def reference() -> str:
    """docs/configuration.md: every key of SCHEMA, by group."""
    lines = [
        "# Configuration reference",
        "",
        "<!-- Generated from generator/config.py's settings by `clientgen config reference`. Do not edit. -->",
        "",
        "clientgen reads `[tool.clientgen]` from the nearest `pyproject.toml`, or the top level of a",
        "`clientgen.toml` (which wins when a folder has both), looking in the working folder and then upwards;",
        "`--config FILE` names one. Paths are relative to the file. Command-line options override the file.",
        "An unknown key or a value of the wrong type stops clientgen with exit code 2, naming the key and the file.",
        "",
        "```toml",
        "[tool.clientgen]",
        'spec = "specs/api.yaml"',
        'output = "client"',
        'package = "acme_client"',
        'distribution = "acme-internal-client"',
        'env-prefix = "ACME"',
        "```",
    ]
    groups: dict[str, list[Key]] = {}
    for key in SCHEMA:
        groups.setdefault(key.group, []).append(key)
    for group, keys in groups.items():
        lines += ["", f"## {group}", "", "| Key | Type | Default | Description |", "| --- | --- | --- | --- |"]
        for key in keys:
            kind = f"one of {', '.join(f'`{c}`' for c in key.choices)}" if key.choices else key.type
            description = key.description + (f" Command line: `{key.option}`." if key.option else "")
            description = description.replace("|", "\\|")
            lines.append(f"| `{key.name}` | {kind} | {key.default} | {description} |")
    lines += [
        "",
        "## Example: names",
        "",
        "```toml",
        "[tool.clientgen.names.operations]",
        'listPets = "all_pets"',
        "",
        "[tool.clientgen.names.models]",
        'Pet = "Animal"',
        "",
        "[tool.clientgen.names.fields]",
        '"Animal.petType" = "kind"',
        "",
        "[tool.clientgen.names.enum-members]",
        '"PetStatus.sold-out" = "GONE"',
        "```",
        "",
        "A name that matches nothing in the spec is reported as a warning (`names-unused`), so a typo does not",
        "pass silently.",
        "",
    ]
    return "\n".join(lines)
