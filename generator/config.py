"""Configuration: `[tool.clientgen]` in a pyproject.toml, merged with command-line options."""

from __future__ import annotations

import difflib
import re
import tomllib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from generator.diagnostics import Diagnostic, SpecError

#: Headers that are owned by the transport whatever the spec says.
DEFAULT_MANAGED_HEADERS = ("authorization",)


@dataclass(frozen=True)
class Config:
    spec: Path | None = None
    output: Path | None = None
    package: str | None = None
    distribution: str | None = None
    version: str | None = None
    managed_headers: tuple[str, ...] = DEFAULT_MANAGED_HEADERS
    idempotency_header: str = "idempotency-key"
    request_id_header: str = "x-request-id"
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
    source: Path | None = field(default=None, compare=False)

    def merged(self, **overrides: Any) -> Config:
        return replace(self, **{k: v for k, v in overrides.items() if v is not None})


_KEYS = {
    "spec": "spec",
    "output": "output",
    "package": "package",
    "distribution": "distribution",
    "version": "version",
    "managed-headers": "managed_headers",
    "idempotency-header": "idempotency_header",
    "request-id-header": "request_id_header",
    "env-prefix": "env_prefix",
    "client-id-header": "client_id_header",
    "signing-components": "signing_components",
    "signature-version-header": "signature_version_header",
    "signature-version": "signature_version",
    "pagination": "pagination",
    "page-offset-param": "page_offset_param",
    "page-limit-param": "page_limit_param",
    "page-items-field": "page_items_field",
    "page-meta-field": "page_meta_field",
    "page-total-field": "page_total_field",
    "webhook-keys-path": "webhook_keys_path",
    "webhook-type-field": "webhook_type_field",
    "requirement-scopes": "requirement_scopes",
}
#: Keys whose values are lists of strings; every other key takes a string.
_LIST_KEYS = frozenset({"managed_headers", "signing_components"})
#: Keys naming headers, which are compared case-insensitively.
_HEADER_KEYS = frozenset({"idempotency_header", "request_id_header", "client_id_header", "signature_version_header"})
_CHOICES = {"pagination": ("offset", "none"), "requirement_scopes": ("all", "any")}
_PACKAGE = re.compile(r"^[a-z_][a-z0-9_]*$")
_DISTRIBUTION = re.compile(r"^[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?$")


def find_pyproject(start: Path) -> Path | None:
    for folder in (start, *start.parents):
        candidate = folder / "pyproject.toml"
        if candidate.is_file():
            return candidate
    return None


def load_config(path: Path | None) -> Config:
    """Read `[tool.clientgen]` from the given pyproject.toml; no file or no table gives the defaults."""
    if path is None:
        return Config()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise SpecError([Diagnostic("error", "config-unreadable", f"cannot read configuration: {exc}", str(path))])
    table = data.get("tool", {}).get("clientgen")
    if table is None:
        return Config()
    return parse_config(table, path)


def parse_config(table: dict[str, Any], path: Path) -> Config:
    problems: list[Diagnostic] = []
    values: dict[str, Any] = {}

    def problem(key: str, message: str) -> None:
        problems.append(Diagnostic("error", "config-invalid", message, str(path), f"tool/clientgen/{key}"))

    for key, value in table.items():
        attribute = _KEYS.get(key)
        if attribute is None:
            close = difflib.get_close_matches(key, list(_KEYS), n=1)
            hint = f"; did you mean '{close[0]}'?" if close else f"; known keys: {', '.join(sorted(_KEYS))}"
            problem(key, f"unknown key '{key}' in [tool.clientgen]{hint}")
            continue
        if attribute in _LIST_KEYS:
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                problem(key, f"'{key}' must be a list of strings")
                continue
            if attribute == "managed_headers":
                values[attribute] = tuple(dict.fromkeys([*DEFAULT_MANAGED_HEADERS, *(v.lower() for v in value)]))
            else:
                values[attribute] = tuple(v if v.startswith("@") else v.lower() for v in value)
            continue
        if not isinstance(value, str):
            problem(key, f"'{key}' must be a string, not {type(value).__name__}")
            continue
        if attribute in ("spec", "output"):
            values[attribute] = (path.parent / value).resolve()
        elif attribute == "package" and not _PACKAGE.match(value):
            problem(key, f"'{key}' must be a lowercase Python package name, got {value!r}")
        elif attribute == "env_prefix" and not re.match(r"^[A-Z][A-Z0-9_]*$", value):
            problem(key, f"'{key}' must be upper case letters, digits and underscores, got {value!r}")
        elif attribute == "distribution" and not _DISTRIBUTION.match(value):
            problem(key, f"'{key}' must be a valid distribution name, got {value!r}")
        elif attribute in _HEADER_KEYS:
            values[attribute] = value.lower()
        elif attribute in _CHOICES and value not in _CHOICES[attribute]:
            problem(key, f"'{key}' must be one of {', '.join(_CHOICES[attribute])}, got {value!r}")
        else:
            values[attribute] = value
    if problems:
        raise SpecError(problems)
    return Config(source=path, **values)


def config_keys() -> dict[str, str]:
    """The documented keys, mapped to the Config attribute each one sets."""
    names = {f.name for f in fields(Config)}
    return {key: attr for key, attr in _KEYS.items() if attr in names}
