"""Every schema keyword change in every place a schema sits, with the severity that place gives it.

A change that tightens what a value may be refuses requests that passed before: breaking where the value is sent,
compatible where it is read. One that loosens lets through values readers did not expect: breaking where the value
is read. One that replaces a value by another (a pattern changed) is both. The table below says which each change
is, independently of the code; each place says which way its values travel. Where oasdiff has the check at that
place, its level decides (checks.yaml tests each level); where it has not, the id is ours (`clientgen-`) and the
direction decides, which is what these cases pin: the same keyword in a request and in a response, a parameter's
object property and a response header's. Error responses and properties a direction does not carry (readOnly in a
request) are news whatever changed.

All cases of a place are operations of one pair of specs, diffed once.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Callable

import pytest

from generator.config import Config
from generator.diff import Report, diff, load_version
from generator.diff.wire import JUDGED, catalog

TIGHTENS, LOOSENS, BOTH, NEITHER = "tightens", "loosens", "both", "neither"


@dataclass(frozen=True)
class Keyword:
    """A schema change: the check's suffixes (the first oasdiff has at a place names it), the old and new schema,
    and what the change does to the values allowed."""

    suffix: str | tuple[str, ...]
    old: Any
    new: Any
    effect: str
    times: int = 1  # how many times the check fires (once per branch added, say)

    @property
    def name(self) -> str:
        suffix = self.suffix if isinstance(self.suffix, str) else self.suffix[0]
        return f"{suffix}:{json.dumps(self.old, sort_keys=True)}->{json.dumps(self.new, sort_keys=True)}"


def _k(suffix: str | tuple[str, ...], old: Any, new: Any, effect: str, times: int = 1) -> Keyword:
    return Keyword(suffix, old, new, effect, times)


S, I, N = {"type": "string"}, {"type": "integer"}, {"type": "number"}
A, O = {"type": "array"}, {"type": "object"}
SPECIALIZED = ("type-specialized", "type-changed")
GENERALIZED = ("type-generalized", "type-changed")


def _counts() -> list[Keyword]:
    """Lengths, item and property counts, `contains` counts: set, removed, raised and lowered."""
    found: list[Keyword] = []
    for keyword, name, base in (
        ("maxLength", "max-length", S),
        ("minLength", "min-length", S),
        ("maxItems", "max-items", A),
        ("minItems", "min-items", A),
        ("maxProperties", "max-properties", O),
        ("minProperties", "min-properties", O),
        ("maxContains", "max-contains", {"type": "array", "contains": S}),
        ("minContains", "min-contains", {"type": "array", "contains": S}),
    ):
        upper = keyword.startswith("max")
        low, high = {**base, keyword: 2}, {**base, keyword: 5}
        found += [
            _k(f"{name}-set", base, low if upper else high, TIGHTENS),
            _k(f"{name}-unset", low if upper else high, base, LOOSENS),
            _k(f"{name}-decreased", high, low, TIGHTENS if upper else LOOSENS),
            _k(f"{name}-increased", low, high, LOOSENS if upper else TIGHTENS),
        ]
    return found


def _numbers() -> list[Keyword]:
    """maximum and minimum, inclusive (`maximum`) and exclusive (3.1's `exclusiveMaximum: 5`)."""
    found: list[Keyword] = []
    for kind, inclusive, exclusive, upper in (
        ("max", "maximum", "exclusiveMaximum", True),
        ("min", "minimum", "exclusiveMinimum", False),
    ):
        tight, loose = (2, 5) if upper else (5, 2)
        for prefix, keyword in (("", inclusive), ("exclusive-", exclusive)):
            found += [
                _k(f"{prefix}{kind}-set", N, {**N, keyword: tight}, TIGHTENS),
                _k(f"{prefix}{kind}-unset", {**N, keyword: tight}, N, LOOSENS),
                _k(f"{prefix}{kind}-decreased", {**N, keyword: 5}, {**N, keyword: 2}, TIGHTENS if upper else LOOSENS),
                _k(f"{prefix}{kind}-increased", {**N, keyword: 2}, {**N, keyword: 5}, LOOSENS if upper else TIGHTENS),
            ]
        # the same value made exclusive is tighter; made inclusive, looser
        found += [
            # both given: the tighter counts, the exclusive one at the same value
            _k(f"exclusive-{kind}-unset", {**N, inclusive: 3, exclusive: 3}, {**N, inclusive: 3}, LOOSENS),
            _k(f"exclusive-{kind}-set", {**N, inclusive: 3}, {**N, exclusive: 3}, TIGHTENS),
            _k(f"exclusive-{kind}-unset", {**N, exclusive: 3}, {**N, inclusive: 3}, LOOSENS),
            _k(f"{kind}-unset", {**N, inclusive: 3}, {**N, exclusive: loose}, LOOSENS),
        ]
    return found


def _applicators() -> list[Keyword]:
    """JSON Schema 2020-12's keywords whose presence constrains: added tightens, removed loosens."""
    found: list[Keyword] = []
    for keyword, name, base, value in (
        ("contains", "contains", A, S),
        ("if", "if", O, {"required": ["a"]}),
        ("then", "then", O, {"required": ["b"]}),
        ("else", "else", O, {"required": ["c"]}),
        ("propertyNames", "property-names", O, {"maxLength": 3}),
        ("unevaluatedItems", "unevaluated-items", A, False),
        ("unevaluatedProperties", "unevaluated-properties", O, False),
        ("contentSchema", "content-schema", S, O),
    ):
        found += [
            _k(f"{name}-added", base, {**base, keyword: value}, TIGHTENS),
            _k(f"{name}-removed", {**base, keyword: value}, base, LOOSENS),
        ]
    for keyword, name, value in (
        ("patternProperties", "pattern-property", {"^x-": S}),
        ("dependentSchemas", "dependent-schema", {"a": {"required": ["b"]}}),
        ("dependentRequired", "dependent-required", {"a": ["b"]}),
    ):
        found += [
            _k(f"{name}-added", O, {**O, keyword: value}, TIGHTENS),
            _k(f"{name}-removed", {**O, keyword: value}, O, LOOSENS),
        ]
    found += [
        _k(
            "dependent-required-changed",
            {**O, "dependentRequired": {"a": ["b"]}},
            {**O, "dependentRequired": {"a": ["c"]}},
            BOTH,
        ),
        _k("content-encoding-changed", {**S, "contentEncoding": "base64"}, {**S, "contentEncoding": "base32"}, BOTH),
        _k(
            "content-media-type-changed",
            {**S, "contentMediaType": "text/csv"},
            {**S, "contentMediaType": "text/xml"},
            BOTH,
        ),
    ]
    return found


DISCRIMINATED = {**O, "properties": {"kind": S}}


def ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _tag(name: str = "kind", **mapping: str) -> dict[str, Any]:
    tag: dict[str, Any] = {"propertyName": name}
    if mapping:
        tag["mapping"] = {value: f"#/components/schemas/{target}" for value, target in mapping.items()}
    return {**DISCRIMINATED, "discriminator": tag}


def _branches(key: str, *schemas: dict[str, Any]) -> dict[str, Any]:
    return {key: list(schemas)}


KEYWORDS: list[Keyword] = [
    _k("became-nullable", S, {"type": ["string", "null"]}, LOOSENS),
    _k("became-not-nullable", {"type": ["string", "null"]}, S, TIGHTENS),
    _k("became-nullable", S, {"oneOf": [S, {"type": "null"}]}, LOOSENS),
    _k("became-false", S, False, TIGHTENS),
    _k("became-true", False, S, LOOSENS),
    _k("became-not-nullable", {**S, "enum": ["a", None]}, {**S, "enum": ["a"]}, TIGHTENS),
    _k(SPECIALIZED, True, S, TIGHTENS),
    # a value that matches several branches of a oneOf is refused: both ways
    _k("wrapped-in-one-of", S, {"oneOf": [S, I]}, BOTH),
    _k(SPECIALIZED, {}, S, TIGHTENS),
    _k(GENERALIZED, S, {}, LOOSENS),
    _k(SPECIALIZED, N, I, TIGHTENS),
    _k(GENERALIZED, I, N, LOOSENS),
    _k("type-changed", S, I, BOTH),
    _k("list-of-types-narrowed", {"type": ["string", "integer"]}, S, TIGHTENS),
    _k("list-of-types-widened", S, {"type": ["string", "integer"]}, LOOSENS),
    _k("type-changed", {"type": ["string", "integer"]}, {"type": ["string", "boolean"]}, BOTH),
    _k(SPECIALIZED, S, {**S, "format": "email"}, TIGHTENS),
    _k(GENERALIZED, {**S, "format": "email"}, S, LOOSENS),
    _k(SPECIALIZED, {**I, "format": "int64"}, {**I, "format": "int32"}, TIGHTENS),
    _k(GENERALIZED, {**I, "format": "int32"}, {**I, "format": "int64"}, LOOSENS),
    _k("type-changed", {**S, "format": "email"}, {**S, "format": "hostname"}, BOTH),
    _k("prefix-items-removed", {**A, "prefixItems": [S, I]}, {**A, "prefixItems": [S]}, TIGHTENS),
    _k("prefix-items-added", {**A, "prefixItems": [S]}, {**A, "prefixItems": [S, I]}, LOOSENS),
    _k("prefix-items-added", A, {**A, "prefixItems": [S]}, LOOSENS),
    _k("prefix-items-removed", {**A, "prefixItems": [S]}, A, TIGHTENS),
    _k("additional-properties-removed", O, {**O, "additionalProperties": False}, TIGHTENS),
    _k("additional-properties-allowed", {**O, "additionalProperties": False}, O, LOOSENS),
    _k(
        "additional-properties-allowed", {**O, "additionalProperties": False}, {**O, "additionalProperties": S}, LOOSENS
    ),
    *_counts(),
    *_numbers(),
    *_applicators(),
    _k("multiple-of-set", N, {**N, "multipleOf": 2}, TIGHTENS),
    _k("multiple-of-unset", {**N, "multipleOf": 2}, N, LOOSENS),
    _k(("multiple-of-specialized", "multiple-of-changed"), {**N, "multipleOf": 2}, {**N, "multipleOf": 4}, TIGHTENS),
    _k(("multiple-of-generalized", "multiple-of-changed"), {**N, "multipleOf": 4}, {**N, "multipleOf": 2}, LOOSENS),
    _k("multiple-of-changed", {**N, "multipleOf": 2}, {**N, "multipleOf": 3}, BOTH),
    _k("unique-items-set", A, {**A, "uniqueItems": True}, TIGHTENS),
    _k("unique-items-unset", {**A, "uniqueItems": True}, A, LOOSENS),
    _k("became-enum", S, {**S, "enum": ["a", "b"]}, TIGHTENS),
    _k("became-not-enum", {**S, "enum": ["a", "b"]}, S, LOOSENS),
    _k("enum-value-removed", {**S, "enum": ["a", "b"]}, {**S, "enum": ["a"]}, TIGHTENS),
    _k("enum-value-added", {**S, "enum": ["a"]}, {**S, "enum": ["a", "b"]}, LOOSENS),
    _k("enum-value-added", {**S, "enum": ["a", None]}, {**S, "enum": ["a", "b", None]}, LOOSENS),
    _k(
        "x-extensible-enum-value-removed",
        {**S, "x-extensible-enum": ["a", "b"]},
        {**S, "x-extensible-enum": ["a"]},
        TIGHTENS,
    ),
    _k("const-added", S, {**S, "const": "a"}, TIGHTENS),
    _k("const-removed", {**S, "const": "a"}, S, LOOSENS),
    _k("const-changed", {**S, "const": "a"}, {**S, "const": "b"}, BOTH),
    _k("pattern-added", S, {**S, "pattern": "^a"}, TIGHTENS),
    _k("pattern-removed", {**S, "pattern": "^a"}, S, LOOSENS),
    _k("pattern-changed", {**S, "pattern": "^a"}, {**S, "pattern": "^b"}, BOTH),
    # what a value means, not which values pass: a default (what the server assumes for a value left out) and a
    # discriminator (which model a value is; the generated unions take tags they do not know)
    _k("default-value-added", S, {**S, "default": "a"}, NEITHER),
    _k("default-value-removed", {**S, "default": "a"}, S, NEITHER),
    _k("default-value-changed", {**S, "default": "a"}, {**S, "default": "b"}, NEITHER),
    _k("discriminator-added", DISCRIMINATED, _tag(), NEITHER),
    _k("discriminator-removed", _tag(), DISCRIMINATED, NEITHER),
    _k("discriminator-property-name-changed", _tag(), _tag("type"), NEITHER),
    _k("discriminator-mapping-deleted", _tag(a="A", b="B"), _tag(a="A"), NEITHER),
    _k("discriminator-mapping-added", _tag(a="A"), _tag(a="A", b="B"), NEITHER),
    _k("discriminator-mapping-changed", _tag(a="A"), _tag(a="B"), NEITHER),
    _k("one-of-removed", _branches("oneOf", S, I, N), _branches("oneOf", S, I), TIGHTENS),
    _k("one-of-added", _branches("oneOf", S, I), _branches("oneOf", S, I, N), LOOSENS),
    _k("any-of-removed", _branches("anyOf", S, I, N), _branches("anyOf", S, I), TIGHTENS),
    _k("any-of-added", _branches("anyOf", S, I), _branches("anyOf", S, I, N), LOOSENS),
    _k("any-of-added", S, _branches("anyOf", S, I), LOOSENS, times=2),
    # one branch is folded into its parent, and still paired as a branch when a second comes
    _k(
        "all-of-added",
        _branches("allOf", {**S, "minLength": 1}),
        _branches("allOf", {**S, "minLength": 1}, {"maxLength": 5}),
        TIGHTENS,
    ),
    # branches paired by the component they name: B stays, A goes, C comes
    _k("one-of-removed", _branches("oneOf", ref("A"), ref("B")), _branches("oneOf", ref("B"), ref("C")), TIGHTENS),
    _k("one-of-added", _branches("oneOf", ref("A"), ref("B")), _branches("oneOf", ref("B"), ref("C")), LOOSENS),
    # inline branches paired by their place: the first one's bound compared
    _k(
        "max-length-decreased",
        _branches("oneOf", {**S, "maxLength": 5}, I),
        _branches("oneOf", {**S, "maxLength": 2}, I),
        TIGHTENS,
    ),
    # wrapped in a oneOf: compared with the branch of its type
    _k("max-length-decreased", {**S, "maxLength": 5}, _branches("oneOf", I, {**S, "maxLength": 2}), TIGHTENS),
    _k(
        "max-length-decreased",
        {**S, "maxLength": 5},
        _branches("oneOf", {"minLength": 1}, {**S, "maxLength": 2}),
        TIGHTENS,
    ),
    _k(
        "all-of-removed",
        _branches("allOf", S, {"minLength": 1}, {"maxLength": 5}),
        _branches("allOf", S, {"minLength": 1}),
        LOOSENS,
    ),
    _k(
        "all-of-added",
        _branches("allOf", S, {"minLength": 1}),
        _branches("allOf", S, {"minLength": 1}, {"maxLength": 5}),
        TIGHTENS,
    ),
]


# -- places -------------------------------------------------------------------------------------------------------


def _operation(method: str, operation_id: str, **fields: Any) -> dict[str, Any]:
    return {method: {"operationId": operation_id, "responses": {"200": {"description": "ok"}}, **fields}}


def _query(schema: Any, name: str) -> dict[str, Any]:
    return _operation("get", name, parameters=[{"name": "q", "in": "query", "schema": schema}])


def _query_property(schema: Any, name: str) -> dict[str, Any]:
    return _query({"type": "object", "properties": {"p": schema}}, name)


def _header_property(schema: Any, name: str) -> dict[str, Any]:
    parameter = {"name": "X-Filter", "in": "header", "schema": {"type": "object", "properties": {"p": schema}}}
    return _operation("get", name, parameters=[parameter])


def _body(schema: Any, name: str) -> dict[str, Any]:
    body = {"required": True, "content": {"application/json": {"schema": schema}}}
    return _operation("post", name, requestBody=body)


def _body_property(schema: Any, name: str) -> dict[str, Any]:
    return _body({"type": "object", "properties": {"p": schema}}, name)


def _read_only_property(schema: Any, name: str) -> dict[str, Any]:
    marked = {**schema, "readOnly": True} if isinstance(schema, dict) else schema
    return _body_property(marked, name)


def _response(schema: Any, name: str, status: str = "200") -> dict[str, Any]:
    content = {"description": "ok", "content": {"application/json": {"schema": schema}}}
    return {
        "get": {
            "operationId": name,
            "responses": {status: content, **({} if status == "200" else {"200": {"description": "ok"}})},
        }
    }


def _response_property(schema: Any, name: str) -> dict[str, Any]:
    return _response({"type": "object", "required": ["p"], "properties": {"p": schema}}, name)


def _error(schema: Any, name: str) -> dict[str, Any]:
    return _response(schema, name, "400")


def _error_property(schema: Any, name: str) -> dict[str, Any]:
    return _error({"type": "object", "properties": {"p": schema}}, name)


def _response_header(schema: Any, name: str) -> dict[str, Any]:
    ok = {"description": "ok", "headers": {"X-Rate": {"schema": schema}}}
    return {"get": {"operationId": name, "responses": {"200": ok}}}


def _response_header_property(schema: Any, name: str) -> dict[str, Any]:
    return _response_header({"type": "object", "properties": {"p": schema}}, name)


@dataclass(frozen=True)
class Place:
    """Where a schema sits: the site of its check ids, and which way its values travel (`news`: reported, never
    breaking)."""

    name: str
    site: str
    direction: str  # request | response | news
    build: Callable[[Any, str], dict[str, Any]]


PLACES = [
    Place("query parameter", "request-parameter", "request", _query),
    Place("query parameter property", "request-parameter-property", "request", _query_property),
    Place("header parameter property", "request-header-property", "request", _header_property),
    Place("request body", "request-body", "request", _body),
    Place("request property", "request-property", "request", _body_property),
    Place("response body", "response-body", "response", _response),
    Place("response property", "response-property", "response", _response_property),
    Place("response header", "response-header", "response", _response_header),
    Place("response header property", "response-header-property", "response", _response_header_property),
    Place("error body", "response-body", "news", _error),
    Place("error property", "response-property", "news", _error_property),
    Place("readOnly request property", "request-read-only-property", "news", _read_only_property),
]


def expected(place: Place, keyword: Keyword) -> tuple[str, str]:
    """The check id and severity `keyword` changed at `place` is reported with."""
    suffixes = (keyword.suffix,) if isinstance(keyword.suffix, str) else keyword.suffix
    ids = [f"{place.site}-{suffix}" for suffix in suffixes]
    check = next((i for i in ids if i in catalog()), None)
    if place.direction == "news":
        return check or f"clientgen-{ids[0]}", "compatible"
    if check is None:
        request = place.direction == "request"
        breaking = keyword.effect == BOTH or keyword.effect == (TIGHTENS if request else LOOSENS)
        return f"clientgen-{ids[0]}", "breaking" if breaking else "compatible"
    if check in JUDGED:
        return check, JUDGED[check][0]
    return check, "breaking" if catalog()[check] in ("ERR", "WARN") else "compatible"


def _document(place: Place, side: str) -> dict[str, Any]:
    paths = {
        f"/c{index}": place.build(getattr(keyword, side), f"case{index}") for index, keyword in enumerate(KEYWORDS)
    }
    components = {"schemas": {"A": DISCRIMINATED, "B": DISCRIMINATED, "C": {"type": "object", "properties": {"c": S}}}}
    return {"openapi": "3.1.0", "info": {"title": "Severity", "version": "1"}, "paths": paths, "components": components}


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> Callable[[Place], Report]:
    """The report of a place, its cases diffed together once (when a test first asks for it)."""
    made: dict[str, Report] = {}

    def report(place: Place) -> Report:
        if place.name not in made:
            folder = tmp_path_factory.mktemp("severity")
            for side in ("old", "new"):
                (folder / f"{side}.json").write_text(json.dumps(_document(place, side)), encoding="utf-8")
            made[place.name] = diff(
                load_version(folder / "old.json", Config()), load_version(folder / "new.json", Config())
            )
        return made[place.name]

    return report


@pytest.mark.parametrize("place", PLACES, ids=[p.name for p in PLACES])
@pytest.mark.parametrize("index", range(len(KEYWORDS)), ids=[k.name for k in KEYWORDS])
def test_a_keyword_change_has_the_severity_of_its_place(
    place: Place, index: int, reports: Callable[[Place], Report]
) -> None:
    keyword = KEYWORDS[index]
    if place.build is _read_only_property and not (isinstance(keyword.old, dict) and isinstance(keyword.new, dict)):
        pytest.skip("the schemas true and false have no readOnly to mark them")
    where = f"(case{index})"
    found = [(c.id, c.severity) for c in reports(place).changes if c.location.endswith(where)]
    check, severity = expected(place, keyword)
    assert found.count((check, severity)) == keyword.times, found
