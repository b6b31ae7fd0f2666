"""Configuration: `[tool.clientgen]` in a pyproject.toml, or the top level of a clientgen.toml.

Every key is described once, in `SCHEMA`: its type, default and meaning. The parser checks files against it, and
`docs/configuration.md` is generated from it (`clientgen config reference`; a test keeps the two the same).
Command-line options override the file.
"""

from __future__ import annotations

import difflib
import functools
import keyword
import math
import re
import tomllib
from dataclasses import MISSING, dataclass, field, fields, replace
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
class Retry:
    """The generated client's default retry policy (its RetryPolicy's fields); None keeps the runtime's default."""

    max_retries: int | None = None
    initial_delay: float | None = None
    max_delay: float | None = None
    deadline: float | None = None


@dataclass(frozen=True)
class Config:
    spec: Path | None = None
    output: Path | None = None
    package: str | None = None
    distribution: str | None = None
    version: str | None = None
    version_policy: str = "diff"
    profile: str = "auto"
    managed_headers: tuple[str, ...] = DEFAULT_MANAGED_HEADERS
    #: headers that are client settings (None: inferred from the spec, see generator.infer)
    client_headers: tuple[str, ...] | None = None
    idempotency_header: str = "idempotency-key"
    #: None: inferred from the spec's response headers, else DEFAULT_REQUEST_ID_HEADER
    request_id_header: str | None = None
    env_prefix: str | None = None
    client_id_header: str | None = None
    signing_components: tuple[str, ...] | None = None
    signature_version_header: str | None = None
    signature_version: str | None = None
    pagination: str = "offset"
    page_offset_param: str = "offset"
    page_limit_param: str = "limit"
    page_items_field: str = "data"
    page_meta_field: str = "meta"
    page_total_field: str = "total_count"
    webhook_keys_path: str | None = None
    webhook_type_field: str = "type"
    #: "all": a security requirement needs every scope it lists (OpenAPI); "any": one of them is enough.
    requirement_scopes: str = "all"
    timeout: float | None = None
    connect_timeout: float | None = None
    retry: Retry = Retry()
    #: environment name -> base URL, instead of the spec's servers
    environments: tuple[tuple[str, str], ...] = ()
    names: Names = Names()
    templates: Path | None = None
    source: Path | None = field(default=None, compare=False)
    #: (attribute, origin) for every value that is not the default: "file", "option", "profile" or "inferred"
    origins: tuple[tuple[str, str], ...] = field(default=(), compare=False)

    def __post_init__(self) -> None:
        if not self.origins:  # made in Python, `Config(package=...)`: what differs from the defaults was given
            given = tuple(
                (f.name, "option")
                for f in fields(self)
                if f.compare and f.default is not MISSING and getattr(self, f.name) != f.default
            )
            object.__setattr__(self, "origins", given)

    def merged(self, **overrides: Any) -> Config:
        """These values (None: not given) as command-line options, which win over everything."""
        given = {k: v for k, v in overrides.items() if v is not None}
        return self._set(given, "option", replace_set=True)

    def layered(self, below: Config, origin: str) -> Config:
        """The values `below` sets (a vendor profile's), wherever this configuration does not set them."""
        return self._set({a: getattr(below, a) for a, _ in below.origins}, origin)

    def inferred(self, values: dict[str, Any]) -> Config:
        """Values inferred from the spec, wherever nothing else set them."""
        return self._set(values, "inferred")

    def origin(self, attribute: str) -> str:
        """Where the value of `attribute` comes from: "default", "file", "option", "profile" or "inferred"."""
        return dict(self.origins).get(attribute, "default")

    def is_set(self, attribute: str) -> bool:
        return attribute in dict(self.origins)

    def _set(self, values: dict[str, Any], origin: str, *, replace_set: bool = False) -> Config:
        origins = dict(self.origins)
        taken = {a: v for a, v in values.items() if replace_set or a not in origins}
        origins.update({a: origin for a in taken})
        return replace(self, **taken, origins=tuple(sorted(origins.items())))


# -- the schema ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Key:
    """One configuration key: what it is called, what it holds, and what it does."""

    name: str
    type: str  # string, path, header, identifier, choice, list of strings, number, integer, table
    default: str
    description: str
    choices: tuple[str, ...] = ()
    option: str = ""  # the command-line option that overrides it
    group: str = "Project"


SCHEMA: tuple[Key, ...] = (
    Key(
        "spec",
        "path",
        "none",
        "The OpenAPI (or Swagger 2.0) file to generate from, relative to the file.",
        option="SPEC",
    ),
    Key("output", "path", "none", "The folder the client project is written to, relative to the file.", option="-o"),
    Key("package", "identifier", "from the spec's title", "Import name of the generated package.", option="--package"),
    Key("distribution", "string", "the package name with dashes", "Distribution name on the package index."),
    Key("version", "string", "the spec's info.version", "Version of the generated package."),
    Key(
        "version-policy",
        "choice",
        "diff",
        "How `clientgen update` versions the package: `diff` moves the version in the output folder on by the bump"
        " the changes call for (major, minor or patch), `spec` takes the new spec's info.version, `fixed` keeps"
        " `version`. `generate --bump` moves it on by hand.",
        ("diff", "spec", "fixed"),
    ),
    Key(
        "profile",
        "choice",
        "auto",
        "A vendor profile: facts about an API that its spec cannot state (a header that carries the OAuth client"
        " id, a signature scheme's version header, how scope lists are meant), shipped with clientgen as data."
        " `auto` picks the profile whose servers match one of the spec's servers; `none` uses none. Every value"
        " a profile sets is printed as a note, and the configuration wins over it.",
        ("auto", "none", *sorted(p.stem for p in PROFILES.glob("*.toml"))),
        group="Project",
    ),
    Key(
        "templates",
        "path",
        "none",
        "A folder of template overlays: a template there replaces the built-in one of the same relative path.",
        group="Templates",
    ),
    Key(
        "env-prefix",
        "string",
        "from the spec's title",
        "Prefix of the environment variables the client reads (`<PREFIX>_BASE_URL`, `<PREFIX>_CLIENT_ID`, ...).",
        group="Generated client",
    ),
    Key(
        "environments",
        "table",
        "the spec's servers",
        'Named base URLs, `name = "https://..."`, offered as `environment=` instead of the spec\'s servers.',
        group="Generated client",
    ),
    Key(
        "timeout",
        "number",
        f"{DEFAULT_TIMEOUT:g}",
        "Default seconds a request may take to read, write or wait for a connection from the pool.",
        group="Generated client",
    ),
    Key(
        "connect-timeout",
        "number",
        f"{DEFAULT_CONNECT_TIMEOUT:g}",
        "Default seconds to establish a connection.",
        group="Generated client",
    ),
    Key(
        "retry",
        "table",
        ", ".join(f"{name} = {value:g}" for name, value in RUNTIME_RETRY_DEFAULTS.items()),
        "Default retry policy: `max-retries`, `initial-delay` and `max-delay` (seconds, exponential backoff with"
        " jitter), `deadline` (seconds for a call, all attempts included).",
        group="Generated client",
    ),
    Key(
        "managed-headers",
        "list of strings",
        '["authorization"]',
        "Headers the transport sets: never method arguments (authorization is always one).",
        group="Generated client",
    ),
    Key(
        "client-headers",
        "list of strings",
        "inferred: the headers (nearly) every operation declares alike",
        "Headers that are settings of the client rather than arguments of each method: a constructor argument"
        " and an environment variable (`<PREFIX>_<HEADER>`) each, sent on every request. `[]` makes none.",
        group="Generated client",
    ),
    Key(
        "idempotency-header",
        "header",
        "idempotency-key",
        "Header carrying idempotency keys, when operations declare it.",
        group="Generated client",
    ),
    Key(
        "request-id-header",
        "header",
        "inferred: a header ending in `request-id` that most responses declare; else x-request-id",
        "Response header with the server's request id, shown in errors and logs.",
        group="Generated client",
    ),
    Key("client-id-header", "header", "none", "Header sending the OAuth client id on every request.", group="Auth"),
    Key(
        "requirement-scopes",
        "choice",
        "all",
        "Whether a security requirement needs all the scopes it lists (OpenAPI's meaning) or any one of them.",
        ("all", "any"),
        group="Auth",
    ),
    Key(
        "signing-components",
        "list of strings",
        "inferred when operations declare `signature` and `signature-input` headers; else no signing",
        "Components of each request's HTTP message signature (`@method`, `@path`, header names, ...). Inferred:"
        " `@method`, `@path`, `@query`, `authorization`, the content headers when a request has a body, and every"
        " header the client sets that the spec declares (client settings, idempotency key, `accept`).",
        group="Auth",
    ),
    Key("signature-version-header", "header", "none", "Header announcing the signature scheme version.", group="Auth"),
    Key("signature-version", "string", "none", "Value of the signature version header.", group="Auth"),
    Key(
        "webhook-keys-path",
        "string",
        "found in the spec",
        "Path of the endpoint serving webhook keys (JWKS).",
        group="Auth",
    ),
    Key("webhook-type-field", "string", "type", "Field of a webhook payload naming its event type.", group="Auth"),
    Key(
        "pagination",
        "choice",
        "offset",
        "Pagination style of list operations: offset/limit pages, or none.",
        ("offset", "none"),
        group="Pagination",
    ),
    Key("page-offset-param", "string", "offset", "Query parameter of the page offset.", group="Pagination"),
    Key("page-limit-param", "string", "limit", "Query parameter of the page size.", group="Pagination"),
    Key("page-items-field", "string", "data", "Response field holding a page's items.", group="Pagination"),
    Key("page-meta-field", "string", "meta", "Response field holding a page's metadata.", group="Pagination"),
    Key(
        "page-total-field",
        "string",
        "total_count",
        "Metadata field with the total number of items.",
        group="Pagination",
    ),
    Key(
        "names",
        "table",
        "none",
        "Names of your choosing, in sub-tables: `operations` (operationId = method name), `resources` (tag ="
        ' attribute name), `models` (schema name = class name), `fields` ("Class.property" = field name),'
        ' `enum-members` ("Enum.value" = member name).',
        group="Names",
    ),
)

_BY_NAME = {key.name: key for key in SCHEMA}
_NAME_TABLES = ("operations", "resources", "models", "fields", "enum-members")
_RETRY_KEYS = {"max-retries": "integer", "initial-delay": "number", "max-delay": "number", "deadline": "number"}
_PACKAGE = re.compile(r"^[a-z_][a-z0-9_]*$")
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
        attribute = _attribute(name)
        try:
            values[attribute] = _READERS[key.type](key, value, path)
        except _Invalid as exc:
            problem(exc.key or name, str(exc))
    both = set(values.get("client_headers", ())) & set(values.get("managed_headers", ()))
    if both:
        problem("client-headers", f"{', '.join(sorted(both))}: a header is a client setting or managed, not both")
    owned = set(values.get("client_headers", ())) & TRANSPORT_HEADERS
    if owned:
        problem("client-headers", f"{', '.join(sorted(owned))}: set by the client itself, never a client setting")
    if problems:
        raise SpecError(problems)
    return Config(source=path, origins=tuple(sorted((a, origin) for a in values)), **values)


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
    if key.name == "package" and not _PACKAGE.match(value):
        raise _Invalid(f"'{key.name}' must be a lowercase Python package name, got {value!r}")
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


_READERS: dict[str, Callable[[Key, Any, Path], Any]] = {
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
    "names": _names,
}


def config_keys() -> dict[str, str]:
    """The documented keys, mapped to the Config attribute each one sets."""
    return {key.name: _attribute(key.name) for key in SCHEMA}


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
        "<!-- Generated from generator/config.py's SCHEMA by `clientgen config reference`. Do not edit. -->",
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
