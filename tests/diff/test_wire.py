"""The wire view on the spec shapes a second reading found it wrong on: recursion outside components, path items in
other files, references out of components, cycles, `allOf` refactors, 3.1 `$ref` siblings, readOnly and writeOnly,
3.0 exclusive bounds, header `content`, formats, security that starts being required."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import yaml

from generator.config import Config
from generator.diff import diff, load_version

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


def checks(
    tmp_path: Path, old: dict[str, Any], new: dict[str, Any], files: dict[str, tuple[Any, Any]] | None = None
) -> list[tuple[str, str]]:
    """(check id, severity) of every change from OLD to NEW; `files` are other files of each side."""
    for side, document in (("old", old), ("new", new)):
        folder = tmp_path / side
        folder.mkdir(parents=True)
        (folder / "spec.json").write_text(json.dumps(document), encoding="utf-8")
        for name, pair in (files or {}).items():
            (folder / name).parent.mkdir(parents=True, exist_ok=True)
            (folder / name).write_text(yaml.safe_dump(pair[0 if side == "old" else 1]), encoding="utf-8")
    report = diff(
        load_version(tmp_path / "old" / "spec.json", Config()), load_version(tmp_path / "new" / "spec.json", Config())
    )
    return [(c.id, c.severity) for c in report.changes if not c.id.startswith("clientgen-model")]


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
