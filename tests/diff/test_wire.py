"""The wire view on the spec shapes a second reading found it wrong on: recursion outside components, path items in
other files, references out of components, cycles, `allOf` refactors, 3.1 `$ref` siblings, readOnly and writeOnly,
3.0 exclusive bounds, header `content`, formats, security that starts being required."""

from __future__ import annotations

import copy
import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.config import Config
from generator.diff import Change, diff, load_version
from generator.diff.wire import Policy, _category

OK = {"200": {"description": "ok"}}


def spec(paths: dict[str, Any], **root: Any) -> dict[str, Any]:
    return {"openapi": "3.1.0", "info": {"title": "Wire", "version": "1"}, "paths": paths, **root}


def body(schema: Any) -> dict[str, Any]:
    return {
        "post": {
            "operationId": "create",
            "requestBody": {"required": True, "content": {"application/json": {"schema": schema}}},
            "responses": OK,
        }
    }


def changes(
    tmp_path: Path,
    old: dict[str, Any],
    new: dict[str, Any],
    files: dict[str, tuple[Any, Any]] | None = None,
    policy: Policy | None = None,
) -> list[Change]:
    """Every change from OLD to NEW but the models added; `files` are other files of each side."""
    for side, document in (("old", old), ("new", new)):
        folder = tmp_path / side
        folder.mkdir(parents=True)
        (folder / "spec.json").write_text(json.dumps(document), encoding="utf-8")
        for name, pair in (files or {}).items():
            (folder / name).parent.mkdir(parents=True, exist_ok=True)
            (folder / name).write_text(yaml.safe_dump(pair[0 if side == "old" else 1]), encoding="utf-8")
    report = diff(
        load_version(tmp_path / "old" / "spec.json", Config()),
        load_version(tmp_path / "new" / "spec.json", Config()),
        policy,
    )
    return [c for c in report.changes if not c.id.startswith("clientgen-model")]


def checks(
    tmp_path: Path, old: dict[str, Any], new: dict[str, Any], files: dict[str, tuple[Any, Any]] | None = None
) -> list[tuple[str, str]]:
    """(check id, severity) of every change from OLD to NEW; `files` are other files of each side."""
    return [(c.id, c.severity) for c in changes(tmp_path, old, new, files)]


def node(max_length: int) -> dict[str, Any]:
    return {
        "Node": {
            "type": "object",
            "properties": {
                "name": {"type": "string", "maxLength": max_length},
                "children": {"type": "array", "items": {"$ref": "#/Node"}},
            },
        }
    }


def test_a_recursive_schema_in_another_file_is_compared_without_recursing_forever(tmp_path: Path) -> None:
    document = spec({"/items": body({"$ref": "defs.yaml#/Node"})})
    found = checks(tmp_path, document, document, {"defs.yaml": (node(10), node(5))})
    assert ("request-property-max-length-decreased", "breaking") in found


def test_operations_of_a_path_item_in_another_file_are_compared_and_their_removal_judged(tmp_path: Path) -> None:
    def item(required: bool, deprecated: bool) -> dict[str, Any]:
        parameter = {"name": "q", "in": "query", "required": required, "schema": {"type": "string"}}
        return {"get": {"operationId": "list", "deprecated": deprecated, "parameters": [parameter], "responses": OK}}

    document = spec(
        {"/items": {"$ref": "paths/items.yaml"}, "/other": {"get": {"operationId": "other", "responses": OK}}}
    )
    found = checks(tmp_path / "a", document, document, {"paths/items.yaml": (item(False, False), item(True, False))})
    assert found == [("request-parameter-became-required", "breaking")]
    gone = spec({"/other": {"get": {"operationId": "other", "responses": OK}}})
    found = checks(tmp_path / "b", document, gone, {"paths/items.yaml": (item(False, True), item(False, True))})
    assert found == [("api-path-removed-with-deprecation", "compatible")]


def test_a_change_outside_components_that_a_component_reaches_is_seen(tmp_path: Path) -> None:
    components = {"schemas": {"A": {"type": "object", "properties": {"s": {"$ref": "#/x-defs/Name"}}}}}
    old = spec(
        {"/a": body({"$ref": "#/components/schemas/A"})},
        components=components,
        **{"x-defs": {"Name": {"type": "string", "maxLength": 10}}},
    )
    new = copy.deepcopy(old)
    new["x-defs"]["Name"]["maxLength"] = 5
    assert ("request-property-max-length-decreased", "breaking") in checks(tmp_path, old, new)


def test_a_cycle_does_not_hide_a_change_behind_an_assumption(tmp_path: Path) -> None:
    def components(length: int) -> dict[str, Any]:
        ref = lambda name: {"$ref": f"#/components/schemas/{name}"}  # noqa: E731
        return {
            "schemas": {
                "A": {"type": "object", "properties": {"b": ref("B"), "d": ref("D")}},
                "B": {"type": "object", "properties": {"a": ref("A")}},
                "D": {"type": "object", "properties": {"s": {"type": "string", "maxLength": length}}},
            }
        }

    paths = {
        "/a": {
            "get": {
                "operationId": "getA",
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/A"}}},
                    }
                },
            }
        },
        "/b": body({"$ref": "#/components/schemas/B"}),
    }
    found = checks(tmp_path, spec(paths, components=components(10)), spec(paths, components=components(5)))
    assert ("request-property-max-length-decreased", "breaking") in found


def test_the_same_schema_split_into_allof_parts_is_no_change(tmp_path: Path) -> None:
    base = {"type": "object", "required": ["a"], "properties": {"a": {"type": "string"}}}
    flat = {"type": "object", "required": ["a"], "properties": {"a": {"type": "string"}, "b": {"type": "integer"}}}
    split = {
        "allOf": [{"$ref": "#/components/schemas/Base"}, {"type": "object", "properties": {"b": {"type": "integer"}}}]
    }
    old = spec({"/pets": body(flat)}, components={"schemas": {"Base": base}})
    new = spec({"/pets": body(split)}, components={"schemas": {"Base": base}})
    assert [c for c in checks(tmp_path, old, new) if not c[0].startswith("clientgen-")] == []


def test_constraints_beside_a_31_reference_count(tmp_path: Path) -> None:
    components = {"schemas": {"Name": {"type": "string"}}}
    property_ = lambda length: {
        "type": "object",
        "properties": {"n": {"$ref": "#/components/schemas/Name", "maxLength": length}},
    }  # noqa: E731
    found = checks(
        tmp_path,
        spec({"/a": body(property_(10))}, components=components),
        spec({"/a": body(property_(5))}, components=components),
    )
    assert ("request-property-max-length-decreased", "breaking") in found


def test_a_read_only_property_in_a_request_is_news(tmp_path: Path) -> None:
    item = lambda length: {
        "type": "object",
        "properties": {"id": {"type": "string", "readOnly": True, "maxLength": length}},
    }  # noqa: E731
    found = checks(tmp_path, spec({"/items": body(item(10))}), spec({"/items": body(item(5))}))
    assert found == [("request-read-only-property-max-length-decreased", "compatible")]


def test_an_exclusive_maximum_made_inclusive_is_looser(tmp_path: Path) -> None:
    def query(schema: dict[str, Any]) -> dict[str, Any]:
        parameter = {"name": "q", "in": "query", "schema": schema}
        document = spec({"/a": {"get": {"operationId": "a", "parameters": [parameter], "responses": OK}}})
        document["openapi"] = "3.0.3"
        return document

    found = checks(
        tmp_path,
        query({"type": "integer", "maximum": 5, "exclusiveMaximum": True}),
        query({"type": "integer", "maximum": 5}),
    )
    assert [severity for _, severity in found] == ["compatible"]
    (tmp_path / "back").mkdir()
    back = checks(
        tmp_path / "back",
        query({"type": "integer", "maximum": 5}),
        query({"type": "integer", "maximum": 5, "exclusiveMaximum": True}),
    )
    assert back == [("request-parameter-exclusive-max-set", "breaking")]


def test_a_response_header_given_by_content_is_compared(tmp_path: Path) -> None:
    def response(kind: str) -> dict[str, Any]:
        header = {"required": True, "content": {"text/plain": {"schema": {"type": kind}}}}
        return spec(
            {
                "/a": {
                    "get": {"operationId": "a", "responses": {"200": {"description": "ok", "headers": {"X-A": header}}}}
                }
            }
        )

    assert checks(tmp_path, response("integer"), response("boolean")) == [("response-header-type-changed", "breaking")]


def test_a_wider_format_in_a_request_is_compatible(tmp_path: Path) -> None:
    def query(format_: str) -> dict[str, Any]:
        parameter = {"name": "q", "in": "query", "schema": {"type": "integer", "format": format_}}
        return spec({"/a": {"get": {"operationId": "a", "parameters": [parameter], "responses": OK}}})

    assert checks(tmp_path, query("int32"), query("int64")) == [("request-parameter-type-generalized", "compatible")]


def test_an_operation_that_starts_asking_for_credentials_is_breaking(tmp_path: Path) -> None:
    schemes = {"securitySchemes": {"key": {"type": "apiKey", "in": "header", "name": "X-Key"}}}
    paths = {"/a": {"get": {"operationId": "a", "responses": OK}}}
    found = checks(tmp_path, spec(paths, components=schemes), spec(paths, components=schemes, security=[{"key": []}]))
    assert found == [("api-global-security-added", "breaking")]


def test_one_change_seen_from_two_places_is_reported_once(tmp_path: Path) -> None:
    def document(length: int) -> dict[str, Any]:
        components = {"schemas": {"Name": {"type": "string", "maxLength": length}}}
        ref = {"$ref": "#/components/schemas/Name"}
        paths = {"/a": body(ref), "/b": body({"type": "object", "properties": {"n": ref}})}
        paths["/b"]["post"]["operationId"] = "createB"
        return spec(paths, components=components)

    found = checks(tmp_path, document(10), document(5))
    assert [check for check, _ in found].count("request-body-max-length-decreased") + [
        check for check, _ in found
    ].count("request-property-max-length-decreased") == 1


def operation(**fields: Any) -> dict[str, Any]:
    return {"get": {"operationId": "list", "responses": OK, **fields}}


def test_the_default_policy_asks_no_sunset_date_at_any_stability(tmp_path: Path) -> None:
    old = spec({"/items": operation(**{"x-stability-level": "beta"})})
    new = spec({"/items": operation(**{"x-stability-level": "beta", "deprecated": True})})
    assert checks(tmp_path, old, new) == [("endpoint-deprecated", "compatible")]


@pytest.mark.parametrize(
    ("stability", "expected"),
    [
        ("beta", "endpoint-deprecated-with-sunset"),  # 45 days are enough for beta's 30
        ("stable", "api-sunset-date-too-small"),  # not for stable's 60
        (None, "api-sunset-date-too-small"),  # no level is stable
        ("alpha", "endpoint-deprecated"),  # alpha and draft may go any time
    ],
)
def test_a_deprecation_is_judged_by_the_days_of_the_operations_stability(
    tmp_path: Path, stability: str | None, expected: str
) -> None:
    level = {} if stability is None else {"x-stability-level": stability}
    old = spec({"/items": operation(**level)})
    new = spec({"/items": operation(**level, deprecated=True, **{"x-sunset": "2026-02-15"})})
    policy = Policy(deprecation_days_beta=30, deprecation_days_stable=60, today=date(2026, 1, 1))
    assert [c.id for c in changes(tmp_path, old, new, policy=policy)] == [expected]


def test_a_stability_level_kept_is_no_finding_and_one_raised_is_news(tmp_path: Path) -> None:
    def document(level: str, summary: str) -> dict[str, Any]:
        return spec({"/items": operation(summary=summary, **{"x-stability-level": level})})

    assert checks(tmp_path / "kept", document("beta", "a"), document("beta", "b")) == [
        ("clientgen-documentation-changed", "compatible")
    ]
    raised = changes(tmp_path / "raised", document("beta", "a"), document("stable", "a"))
    assert [(c.id, c.severity, c.bump) for c in raised] == [("api-stability-increased", "compatible", "patch")]


def test_a_sunset_date_that_could_not_be_read_and_now_can_is_no_finding(tmp_path: Path) -> None:
    old = spec({"/items": operation(deprecated=True, **{"x-sunset": "soon"})})
    new = spec({"/items": operation(deprecated=True, **{"x-sunset": "2026-02-15"})})
    assert checks(tmp_path, old, new) == []


@pytest.mark.parametrize(
    ("security", "expected"),
    [
        ([{"key": []}], []),  # written out, the same as the spec's
        ([], [("api-security-removed", "compatible")]),  # open now
    ],
)
def test_an_operation_that_starts_declaring_security_is_compared_with_what_it_inherited(
    tmp_path: Path, security: list[Any], expected: list[tuple[str, str]]
) -> None:
    schemes = {"securitySchemes": {"key": {"type": "apiKey", "in": "header", "name": "X-Key"}}}
    old = spec({"/items": operation()}, components=schemes, security=[{"key": []}])
    new = spec({"/items": operation(security=security)}, components=schemes, security=[{"key": []}])
    assert checks(tmp_path, old, new) == expected


def test_a_path_items_parameter_changed_behind_its_reference_is_seen(tmp_path: Path) -> None:
    def document(required: bool) -> dict[str, Any]:
        parameter = {"name": "q", "in": "query", "required": required, "schema": {"type": "string"}}
        item = {"parameters": [{"$ref": "#/components/parameters/Q"}], **operation()}
        return spec({"/items": item}, components={"parameters": {"Q": parameter}})

    assert checks(tmp_path, document(False), document(True)) == [("request-parameter-became-required", "breaking")]


def test_a_component_change_is_reported_at_the_model_generated_for_it(tmp_path: Path) -> None:
    def document(length: int) -> dict[str, Any]:
        schema = {"type": "object", "properties": {"name": {"type": "string", "maxLength": length}}}
        return spec(
            {"/items": body({"$ref": "#/components/schemas/order-item"})},
            components={"schemas": {"order-item": schema}},
        )

    found = changes(tmp_path / "main", document(10), document(5))
    assert [(c.id, c.location) for c in found] == [("request-property-max-length-decreased", "schema OrderItem")]
    other = spec({"/items": body({"$ref": "defs.yaml#/components/schemas/Node"})})

    def defs(length: int) -> dict[str, Any]:
        schema = {"type": "object", "properties": {"name": {"type": "string", "maxLength": length}}}
        return {"components": {"schemas": {"Node": schema}}}

    files = {"defs.yaml": (defs(10), defs(5))}
    found = changes(tmp_path / "other", other, other, files)
    assert [(c.id, c.location) for c in found] == [("request-property-max-length-decreased", "schema Node")]


def query(schema: Any, **parameter: Any) -> dict[str, Any]:
    """GET /items with one query parameter `q` of `schema`."""
    return spec({"/items": operation(parameters=[{"name": "q", "in": "query", "schema": schema, **parameter}])})


def returning(schema: Any, status: str = "200") -> dict[str, Any]:
    """GET /items answering `status` with a JSON body of `schema` (and 200 without a body)."""
    responses = {
        "200": {"description": "ok"},
        status: {"description": "answer", "content": {"application/json": {"schema": schema}}},
    }
    return spec({"/items": operation(responses=responses)})


def test_a_typed_format_set_on_a_response_value_breaks_the_code_using_it_as_a_string(tmp_path: Path) -> None:
    found = changes(tmp_path, returning({"type": "string"}), returning({"type": "string", "format": "uuid"}))
    assert [(c.id, c.severity) for c in found] == [("response-body-type-specialized", "breaking")]
    assert "the generated attribute is typed for uuid instead of str" in found[0].message


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ({"maximum": 5}, {"maximum": 2}, "query parameter 'q': maximum 5 -> maximum 2"),
        (
            {"exclusiveMaximum": 5},
            {"exclusiveMaximum": 2.5},
            "query parameter 'q': maximum 5 (exclusive) -> maximum 2.5 (exclusive)",
        ),
        ({}, {"minimum": 1}, "query parameter 'q': none -> minimum 1"),
        ({"maxLength": 9}, {"maxLength": 3}, "query parameter 'q': maxLength 9 -> 3"),
        ({}, {"enum": [1, 2]}, "query parameter 'q' is now restricted to 1, 2"),
        ({}, {"enum": list(range(10))}, "query parameter 'q' is now restricted to 0, 1, 2, 3, 4, 5, 6, 7, ..."),
        ({}, {"enum": list(range(9))}, "query parameter 'q' is now restricted to 0, 1, 2, 3, 4, 5, 6, 7, ..."),
        ({}, {"enum": list(range(8))}, "query parameter 'q' is now restricted to 0, 1, 2, 3, 4, 5, 6, 7"),
    ],
)
def test_a_constraint_change_says_the_values_before_and_after(
    tmp_path: Path, old: dict[str, Any], new: dict[str, Any], message: str
) -> None:
    found = changes(tmp_path, query({"type": "number", **old}), query({"type": "number", **new}))
    assert [c.message for c in found] == [message]


def test_of_an_inclusive_and_an_exclusive_bound_the_tighter_counts(tmp_path: Path) -> None:
    both = {"type": "number", "maximum": 3, "exclusiveMaximum": 5}  # the inclusive 3 is the tighter
    assert checks(tmp_path / "same", query(both), query({"type": "number", "maximum": 3})) == []
    found = checks(tmp_path / "looser", query(both), query({"type": "number", "exclusiveMaximum": 5}))
    assert found == [("clientgen-request-parameter-max-unset", "compatible")]


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        (
            "200",
            [
                ("response-optional-property-added", "compatible"),
                ("response-optional-property-removed", "breaking"),
                ("response-property-became-required", "compatible"),
                ("response-property-became-optional", "breaking"),
            ],
        ),
        (
            "400",  # the generated error keeps the body as parsed: news
            [
                ("clientgen-response-property-added", "compatible"),
                ("clientgen-response-property-removed", "compatible"),
            ],
        ),
    ],
)
def test_properties_added_removed_and_required_in_a_response(
    tmp_path: Path, status: str, expected: list[tuple[str, str]]
) -> None:
    def body(properties: list[str], required: list[str]) -> dict[str, Any]:
        schema = {"type": "object", "required": required, "properties": {p: {"type": "string"} for p in properties}}
        return returning(schema, status)

    old, new = body(["kept", "gone", "now", "was"], ["was"]), body(["kept", "new", "now", "was"], ["now"])
    found = checks(tmp_path, old, new)
    assert sorted(found) == sorted(expected)


def test_a_write_only_property_removed_from_a_response_is_no_change(tmp_path: Path) -> None:
    def body(properties: dict[str, Any]) -> dict[str, Any]:
        return returning({"type": "object", "properties": {"id": {"type": "string"}, **properties}})

    secret = {"secret": {"type": "string", "writeOnly": True}}
    assert checks(tmp_path, body(secret), body({})) == []


def test_a_sunset_date_written_as_a_yaml_timestamp_counts(tmp_path: Path) -> None:
    for side, deprecated in (("old", False), ("new", True)):
        folder = tmp_path / side
        folder.mkdir()
        extra = "      deprecated: true\n      x-sunset: 2026-01-10T00:00:00Z\n" if deprecated else ""
        (folder / "spec.yaml").write_text(
            "openapi: 3.1.0\ninfo: {title: Wire, version: '1'}\npaths:\n  /items:\n    get:\n"
            f"      operationId: list\n{extra}      responses: {{'200': {{description: ok}}}}\n",
            encoding="utf-8",
        )
    policy = Policy(deprecation_days_stable=30, today=date(2026, 1, 1))
    report = diff(
        load_version(tmp_path / "old" / "spec.yaml", Config()),
        load_version(tmp_path / "new" / "spec.yaml", Config()),
        policy,
    )
    assert [c.id for c in report.changes] == ["api-sunset-date-too-small"]
    assert "sunset date 2026-01-10" in report.changes[0].message


@pytest.mark.parametrize(
    ("schema", "expected"),
    [
        ({"type": "string", "enum": ["only"]}, ("new-required-request-parameter", "compatible")),
        ({"type": "string", "const": "only"}, ("new-required-request-parameter", "compatible")),
        ({"type": "string", "enum": ["one", "two"]}, ("new-required-request-parameter", "breaking")),
    ],
)
def test_a_new_required_parameter_of_one_value_is_sent_by_the_generated_method(
    tmp_path: Path, schema: dict[str, Any], expected: tuple[str, str]
) -> None:
    old = spec({"/items": operation()})
    new = spec({"/items": operation(parameters=[{"name": "q", "in": "query", "required": True, "schema": schema}])})
    assert checks(tmp_path, old, new) == [expected]


@pytest.mark.parametrize(
    ("where", "style", "explode"),
    [("path", "simple", False), ("header", "simple", False), ("query", "form", True), ("cookie", "form", True)],
)
def test_a_parameter_style_written_out_as_its_default_is_no_change(
    tmp_path: Path, where: str, style: str, explode: bool
) -> None:
    def document(**written: Any) -> dict[str, Any]:
        parameter = {"name": "p", "in": where, "required": where == "path", "schema": {"type": "string"}, **written}
        return spec({"/items/{p}": operation(parameters=[parameter])})

    assert checks(tmp_path / "same", document(), document(style=style, explode=explode)) == []
    other = "label" if where == "path" else "pipeDelimited" if where == "query" else None
    if other is not None:
        found = checks(tmp_path / "other", document(), document(style=other))
        assert ("clientgen-request-parameter-style-changed", "breaking") in found


@pytest.mark.parametrize(
    ("check", "category"),
    [
        ("request-parameter-max-length-decreased", "constraint changed"),
        ("response-body-pattern-changed", "constraint changed"),
        ("request-property-enum-value-removed", "enum changed"),
        ("response-property-became-nullable", "type changed"),
        ("api-security-removed", "security changed"),
        ("endpoint-deprecated", "deprecated"),
        ("request-parameter-became-required", "required changed"),
        ("clientgen-request-parameter-style-changed", "parameter changed"),
        ("request-body-media-type-removed", "media type changed"),
        ("api-stability-increased", "deprecation policy"),
        ("clientgen-something-new", "changed"),
    ],
)
def test_each_check_falls_in_its_category(check: str, category: str) -> None:
    assert _category(check) == category


def test_a_sunset_date_exactly_the_policys_days_away_is_enough(tmp_path: Path) -> None:
    old = spec({"/items": operation()})
    new = spec({"/items": operation(deprecated=True, **{"x-sunset": "2026-01-31"})})
    policy = Policy(deprecation_days_stable=30, today=date(2026, 1, 1))
    assert [c.id for c in changes(tmp_path / "30", old, new, policy=policy)] == ["endpoint-deprecated-with-sunset"]
    policy = Policy(deprecation_days_stable=31, today=date(2026, 1, 1))
    assert [c.id for c in changes(tmp_path / "31", old, new, policy=policy)] == ["api-sunset-date-too-small"]


def test_a_header_the_client_sets_itself_is_not_compared(tmp_path: Path) -> None:
    """X-Key is the API key's header: the generated client sends it from its credentials, whatever the operation
    declares; a query parameter of the same name is an argument like any other."""

    def document(length: int) -> dict[str, Any]:
        parameters = [
            {"name": "X-Key", "in": "header", "required": True, "schema": {"type": "string", "maxLength": length}},
            {"name": "x-key", "in": "query", "schema": {"type": "string", "minLength": 20 - length}},
        ]
        schemes = {"securitySchemes": {"key": {"type": "apiKey", "in": "header", "name": "X-Key"}}}
        return spec({"/items": operation(parameters=parameters)}, components=schemes, security=[{"key": []}])

    assert checks(tmp_path, document(10), document(5)) == [("request-parameter-min-length-increased", "breaking")]


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ({}, "request-parameter-removed"),
        ({"deprecated": True}, "request-parameter-removed"),  # no sunset date to keep
        ({"x-sunset": "2026-06-01"}, "request-parameter-removed"),  # a sunset date without deprecation
        ({"deprecated": True, "x-sunset": "2025-06-01"}, "request-parameter-removed"),  # after it
        ({"deprecated": True, "x-sunset": "2026-06-01"}, "request-parameter-removed-before-sunset"),
        ({"deprecated": True, "x-sunset": "soon"}, "request-parameter-sunset-parse"),
    ],
)
def test_a_parameter_removed_is_judged_by_its_deprecation_and_sunset_date(
    tmp_path: Path, written: dict[str, Any], expected: str
) -> None:
    old = query({"type": "string"}, **written)
    new = spec({"/items": operation()})
    policy = Policy(today=date(2026, 1, 1))
    assert [(c.id, c.severity) for c in changes(tmp_path, old, new, policy=policy)] == [(expected, "breaking")]


@pytest.mark.parametrize(("where", "subject"), [("request", "request body"), ("response", "response 200")])
def test_a_body_change_names_its_media_type_only_when_it_has_several(tmp_path: Path, where: str, subject: str) -> None:
    def document(length: int, *media_types: str) -> dict[str, Any]:
        content = {m: {"schema": {"type": "string", "maxLength": length}} for m in media_types}
        if where == "request":
            return spec(
                {"/items": {"post": {"operationId": "add", "requestBody": {"content": content}, "responses": OK}}}
            )
        return spec({"/items": operation(responses={"200": {"description": "ok", "content": content}})})

    one = changes(tmp_path / "one", document(10, "text/plain"), document(5, "text/plain"))
    assert [c.message for c in one] == [f"{subject}: maxLength 10 -> 5"]
    two = changes(tmp_path / "two", document(10, "text/plain", "text/csv"), document(5, "text/plain", "text/csv"))
    assert [c.message for c in two] == [
        f"{subject} (text/plain): maxLength 10 -> 5",
        f"{subject} (text/csv): maxLength 10 -> 5",
    ]


@pytest.mark.parametrize(("status", "severity"), [("200", "breaking"), ("400", "compatible")])
def test_a_required_header_removed_breaks_readers_of_a_success_only(tmp_path: Path, status: str, severity: str) -> None:
    def document(headers: dict[str, Any]) -> dict[str, Any]:
        responses = {"200": {"description": "ok"}, status: {"description": "answer", "headers": headers}}
        return spec({"/items": operation(responses=responses)})

    header = {"X-Rate": {"required": True, "schema": {"type": "integer"}}}
    assert checks(tmp_path, document(header), document({})) == [("required-response-header-removed", severity)]


def test_a_response_header_that_loses_its_schema_takes_any_value(tmp_path: Path) -> None:
    def document(header: dict[str, Any]) -> dict[str, Any]:
        responses = {"200": {"description": "ok", "headers": {"X-Rate": header}}}
        return spec({"/items": operation(responses=responses)})

    typed, untyped = {"schema": {"type": "integer"}}, {"description": "the rate"}
    found = changes(tmp_path / "lost", document(typed), document(untyped))
    assert [(c.id, c.severity, c.message) for c in found] == [
        ("response-header-type-generalized", "breaking", "response 200 header 'X-Rate': type integer -> any")
    ]
    found = changes(tmp_path / "got", document(untyped), document(typed))
    assert [(c.id, c.message) for c in found] == [
        ("response-header-type-specialized", "response 200 header 'X-Rate': type any -> integer")
    ]


def test_a_discriminator_value_removed_is_named(tmp_path: Path) -> None:
    def document(*values: str) -> dict[str, Any]:
        mapping = {value: "#/components/schemas/Thing" for value in values}
        schema = {
            "type": "object",
            "properties": {"kind": {"type": "string"}},
            "discriminator": {"propertyName": "kind", "mapping": mapping},
        }
        thing = {"type": "object", "properties": {"kind": {"type": "string"}}}
        return spec({"/items": body(schema)}, components={"schemas": {"Thing": thing}})

    found = changes(tmp_path, document("a", "b", "c"), document("a", "c"))
    assert [c.message for c in found] == ["request body: discriminator value 'b' removed"]


def test_an_object_that_gets_its_first_property_or_loses_its_last(tmp_path: Path) -> None:
    bare, one = {"type": "object"}, {"type": "object", "properties": {"id": {"type": "string"}}}
    assert ("response-optional-property-added", "compatible") in checks(
        tmp_path / "first", returning(bare), returning(one)
    )
    assert ("response-optional-property-removed", "breaking") in checks(
        tmp_path / "last", returning(one), returning(bare)
    )


def test_branches_in_another_order_are_the_same_branches(tmp_path: Path) -> None:
    def document(*branches: Any) -> dict[str, Any]:
        things = {name: {"type": "object", "properties": {name.lower(): {"type": "string"}}} for name in ("A", "B")}
        return spec({"/items": body({"oneOf": list(branches)})}, components={"schemas": things})

    a, b = {"$ref": "#/components/schemas/A"}, {"$ref": "#/components/schemas/B"}
    inline = [{"type": "string", "maxLength": 3}, {"type": "integer", "maximum": 3}]
    assert checks(tmp_path / "refs", document(a, b), document(b, a)) == []
    assert checks(tmp_path / "inline", document(*inline), document(*reversed(inline))) == []


@pytest.mark.parametrize(
    ("requirement", "described"),
    [({}, "{} (no authentication)"), ({"key": []}, "key"), ({"oauth": ["b", "a"]}, "oauth [a b]")],
)
def test_a_security_requirement_removed_is_described(
    tmp_path: Path, requirement: dict[str, Any], described: str
) -> None:
    schemes = {
        "key": {"type": "apiKey", "in": "header", "name": "X-Key"},
        "oauth": {
            "type": "oauth2",
            "flows": {"clientCredentials": {"tokenUrl": "https://a.example/t", "scopes": {"a": "a", "b": "b"}}},
        },
    }
    other = {"key": []} if requirement != {"key": []} else {"oauth": ["a"]}
    old = spec({"/items": operation(security=[other, requirement])}, components={"securitySchemes": schemes})
    new = spec({"/items": operation(security=[other])}, components={"securitySchemes": schemes})
    messages = [c.message for c in changes(tmp_path, old, new)]
    assert any(m.startswith(f"security requirement {described} removed") for m in messages), messages


@pytest.mark.parametrize(
    ("days", "expected"), [(30, []), (31, [("request-parameter-sunset-date-changed-too-small", "compatible")])]
)
def test_a_sunset_date_moved_sooner_keeps_the_policys_days_or_is_a_finding(
    tmp_path: Path, days: int, expected: list[tuple[str, str]]
) -> None:
    def document(sunset: str) -> dict[str, Any]:
        return query({"type": "string"}, deprecated=True, **{"x-sunset": sunset})

    policy = Policy(deprecation_days_stable=days, today=date(2026, 1, 1))
    found = changes(tmp_path, document("2026-06-01"), document("2026-01-31"), policy=policy)
    assert [(c.id, c.severity) for c in found] == expected


@pytest.mark.parametrize(("status", "severity"), [("200", "breaking"), ("400", "compatible")])
def test_a_header_that_became_optional_breaks_readers_of_a_success_only(
    tmp_path: Path, status: str, severity: str
) -> None:
    def document(required: bool) -> dict[str, Any]:
        headers = {"X-Rate": {"required": required, "schema": {"type": "integer"}}}
        responses = {"200": {"description": "ok"}, status: {"description": "answer", "headers": headers}}
        return spec({"/items": operation(responses=responses)})

    assert checks(tmp_path, document(True), document(False)) == [("response-header-became-optional", severity)]


def test_a_body_that_stops_naming_its_component_is_compared_at_its_operation(tmp_path: Path) -> None:
    thing = {"type": "object", "properties": {"name": {"type": "string", "maxLength": 10}}}
    inline = {"type": "object", "properties": {"name": {"type": "string", "maxLength": 5}}}
    old = spec({"/items": body({"$ref": "#/components/schemas/Thing"})}, components={"schemas": {"Thing": thing}})
    new = spec({"/items": body(inline)}, components={"schemas": {"Thing": thing}})
    found = [(c.id, c.location) for c in changes(tmp_path, old, new) if c.id.startswith("request-")]
    assert found == [("request-property-max-length-decreased", "POST /items (create)")]


def test_an_open_enum_given_where_there_was_none_is_no_finding(tmp_path: Path) -> None:
    found = checks(tmp_path, query({"type": "string"}), query({"type": "string", "x-extensible-enum": ["a", "b"]}))
    assert found == []
