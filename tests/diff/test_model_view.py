"""The generated-API view of `clientgen diff` on the spec shapes the fixture pairs leave out: webhook delivery
bodies, models renamed (or not) by their shape, servers and their order, declared scopes, the annotations of
models whose wire type stayed, and `load_api`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from generator.config import Config
from generator.diff import Report, diff, load_api, load_version, policy_of
from generator.diff.wire import Policy
from generator.diagnostics import SpecError

ORDER = {"type": "object", "required": ["id"], "properties": {"id": {"type": "string"}}}
REFUND = {"type": "object", "required": ["amount"], "properties": {"amount": {"type": "number"}}}


def document(
    schemas: dict[str, Any] | None = None,
    webhook: Any = None,
    servers: list[dict[str, Any]] | None = None,
    scopes: dict[str, str] | None = None,
    paths: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """A 3.1 spec: components, one webhook `orderEvent` whose delivery body is `webhook` (none when None), servers,
    an OAuth2 scheme declaring `scopes`, and `paths` (one GET /ping when None)."""
    spec: dict[str, Any] = {
        "openapi": "3.1.0",
        "info": {"title": "View", "version": "1"},
        "paths": paths
        or {"/ping": {"get": {"operationId": "ping", "responses": {"204": {"description": "no content"}}}}},
        "components": {"schemas": schemas or {}},
    }
    if webhook is not None:
        body = {"required": True, "content": {"application/json": {"schema": webhook}}}
        spec["webhooks"] = {"orderEvent": {"post": {"requestBody": body, "responses": {"200": {"description": "ok"}}}}}
    if servers is not None:
        spec["servers"] = servers
    if scopes is not None:
        flows = {"clientCredentials": {"tokenUrl": "https://auth.example.com/token", "scopes": scopes}}
        spec["components"]["securitySchemes"] = {"oauth": {"type": "oauth2", "flows": flows}}
    return spec


def report(tmp_path: Path, old: dict[str, Any], new: dict[str, Any]) -> Report:
    tmp_path.mkdir(parents=True, exist_ok=True)
    for side, spec in (("old", old), ("new", new)):
        (tmp_path / f"{side}.json").write_text(json.dumps(spec), encoding="utf-8")
    return diff(load_version(tmp_path / "old.json", Config()), load_version(tmp_path / "new.json", Config()))


def found(result: Report) -> list[tuple[str, str, str, str]]:
    """(id, severity, location, message) of every change, the models added left out."""
    return [(c.id, c.severity, c.location, c.message) for c in result.changes if c.id != "clientgen-model-added"]


def ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


# -- webhook delivery bodies ------------------------------------------------------------------------------------

PAYLOAD = "clientgen-webhook-payload-changed"
HOOK = "webhook orderEvent"
SCHEMAS = {"Order": ORDER, "Refund": REFUND}


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        pytest.param(
            ref("Order"),
            {"oneOf": [ref("Order"), ref("Refund")]},
            [(PAYLOAD, "breaking", "delivery body may also be Refund: Order -> Order | Refund")],
            id="a variant gained breaks readers",
        ),
        pytest.param(
            {"oneOf": [ref("Order"), ref("Refund")]},
            ref("Order"),
            [(PAYLOAD, "compatible", "delivery body is no longer Refund: Order | Refund -> Order")],
            id="a variant lost does not",
        ),
        pytest.param(
            ref("Order"),
            {"anyOf": [ref("Order"), {"type": "null"}]},
            [(PAYLOAD, "breaking", "delivery body became nullable: Order -> Order | None; it may now be null")],
            id="null allowed breaks readers",
        ),
        pytest.param(
            {"anyOf": [ref("Order"), {"type": "null"}]},
            ref("Order"),
            [(PAYLOAD, "compatible", "delivery body is no longer nullable: Order | None -> Order")],
            id="null no longer sent does not",
        ),
        pytest.param(
            {"anyOf": [ref("Order"), {"type": "null"}]},
            ref("Refund"),
            [
                (PAYLOAD, "breaking", "delivery body: Order | None -> Refund"),
                (PAYLOAD, "compatible", "delivery body is no longer nullable: Order | None -> Refund"),
            ],
            id="null dropped and the type replaced",
        ),
        pytest.param(
            {"type": "array", "items": ref("Order")},
            {"type": "array", "items": ref("Refund")},
            [(PAYLOAD, "breaking", "delivery body items: Order -> Refund")],
            id="array items",
        ),
        pytest.param(
            {"type": "object", "additionalProperties": ref("Order")},
            {"type": "object", "additionalProperties": {"oneOf": [ref("Order"), ref("Refund")]}},
            [(PAYLOAD, "breaking", "delivery body values may also be Refund: Order -> Order | Refund")],
            id="map values",
        ),
        pytest.param(
            {"type": "array", "items": ref("Order")},
            {"type": "object", "additionalProperties": ref("Order")},
            [(PAYLOAD, "breaking", "delivery body: List[Order] -> Dict[str, Order]")],
            id="a list that became a map",
        ),
        pytest.param(
            {"type": "object", "additionalProperties": ref("Order")},
            {"type": "array", "items": ref("Order")},
            [(PAYLOAD, "breaking", "delivery body: Dict[str, Order] -> List[Order]")],
            id="a map that became a list",
        ),
        pytest.param(
            {"oneOf": [ref("Order"), {"type": "string"}]},
            {"oneOf": [ref("Refund"), {"type": "string"}]},
            [(PAYLOAD, "breaking", "delivery body: Order | str -> Refund | str")],
            id="a variant replaced by another",
        ),
        pytest.param(ref("Order"), ref("Order"), [], id="the same"),
    ],
)
def test_a_webhook_delivery_body_change_is_judged_for_the_code_reading_it(
    tmp_path: Path, old: Any, new: Any, expected: list[tuple[str, str, str]]
) -> None:
    result = report(tmp_path, document(SCHEMAS, old), document(SCHEMAS, new))
    assert [(i, s, m) for i, s, where, m in found(result) if where == HOOK] == expected


def test_a_webhook_added_or_removed(tmp_path: Path) -> None:
    added = report(tmp_path / "a", document(SCHEMAS), document(SCHEMAS, ref("Order")))
    assert found(added) == [("webhook-added", "compatible", HOOK, "new webhook 'orderEvent'")]
    removed = report(tmp_path / "r", document(SCHEMAS, ref("Order")), document(SCHEMAS))
    message = "webhook 'orderEvent' removed: its deliveries are no longer described"
    assert found(removed) == [("webhook-removed", "breaking", HOOK, message)]


# -- renames by shape -------------------------------------------------------------------------------------------

NULLABLE = {"type": "object", "properties": {"note": {"type": ["string", "null"]}}}
ITEMS = {"type": "object", "properties": {"tags": {"type": "array", "items": {"type": "string"}}}}
UNION = {"type": "object", "properties": {"value": {"oneOf": [{"type": "string"}, {"type": "integer"}]}}}


@pytest.mark.parametrize(
    ("old", "new", "renamed"),
    [
        pytest.param(ORDER, ORDER, True, id="an object of the same fields"),
        pytest.param(ORDER, {**ORDER, "required": []}, False, id="a field no longer required"),
        pytest.param(ORDER, REFUND, False, id="other fields"),
        pytest.param(ITEMS, ITEMS, True, id="an array field"),
        pytest.param(
            ITEMS,
            {"type": "object", "properties": {"tags": {"type": "array", "items": {"type": "integer"}}}},
            False,
            id="an array field of other items",
        ),
        pytest.param(
            {"type": "object", "properties": {"m": {"type": "object", "additionalProperties": {"type": "string"}}}},
            {"type": "object", "properties": {"m": {"type": "object", "additionalProperties": {"type": "string"}}}},
            True,
            id="a map field",
        ),
        pytest.param(UNION, UNION, True, id="a union field"),
        pytest.param(
            UNION,
            {"type": "object", "properties": {"value": {"oneOf": [{"type": "string"}, {"type": "boolean"}]}}},
            False,
            id="a union field of another variant",
        ),
        pytest.param(
            UNION,
            {
                "type": "object",
                "properties": {"value": {"oneOf": [{"type": "string"}, {"type": "integer"}, {"type": "boolean"}]}},
            },
            False,
            id="a union field of one more variant",
        ),
        pytest.param(
            {"type": "string", "enum": ["a", "b"]}, {"type": "string", "enum": ["b", "a"]}, True, id="an enum"
        ),
        pytest.param(
            {"type": "string", "enum": ["a", "b"]},
            {"type": "string", "enum": ["a", "c"]},
            False,
            id="an enum of other values",
        ),
        pytest.param(
            {"type": "array", "items": {"type": "string"}},
            {"type": "array", "items": {"type": "string"}},
            True,
            id="an alias",
        ),
        pytest.param(
            {"type": "array", "items": {"type": "string"}},
            {"type": "array", "items": {"type": "integer"}},
            False,
            id="an alias of another type",
        ),
        pytest.param(NULLABLE, NULLABLE, True, id="a nullable field"),
        pytest.param(
            NULLABLE,
            {"type": "object", "properties": {"note": {"type": ["integer", "null"]}}},
            False,
            id="a nullable field of another type",
        ),
        pytest.param({"type": "array", "items": {"type": "string"}}, ORDER, False, id="an alias that became an object"),
        pytest.param(ORDER, {"type": "array", "items": {"type": "string"}}, False, id="an object that became an alias"),
        pytest.param(ORDER, {"type": "string", "enum": ["a"]}, False, id="an object that became an enum"),
        pytest.param({"type": "string", "enum": ["a"]}, ORDER, False, id="an enum that became an object"),
    ],
)
def test_a_model_under_another_name_is_a_rename_only_when_its_shape_is_the_same(
    tmp_path: Path, old: Any, new: Any, renamed: bool
) -> None:
    def spec(name: str, schema: Any) -> dict[str, Any]:
        holder = {"type": "object", "properties": {"x": ref(name)}}
        return document({name: schema, "Holder": holder})

    result = report(tmp_path, spec("Before", old), spec("After", new))
    ids = {(c.id, c.location) for c in result.changes}
    if renamed:
        assert ("clientgen-model-renamed", "schema Before") in ids
        assert ("api-schema-removed", "schema Before") not in ids
    else:
        assert ("clientgen-model-renamed", "schema Before") not in ids
        assert ("api-schema-removed", "schema Before") in ids
        assert ("clientgen-model-added", "schema After") in ids


def test_a_rename_takes_the_model_of_the_same_shape_among_several_added(tmp_path: Path) -> None:
    old = document({"Before": ORDER})
    new = document({"Other": REFUND, "After": ORDER})
    result = report(tmp_path, old, new)
    message = "renamed to After (same shape): code naming models.Before must use models.After"
    assert ("clientgen-model-renamed", "breaking", "schema Before", message) in found(result)


def test_two_models_renamed_to_two_of_the_same_shape_are_paired_one_to_one(tmp_path: Path) -> None:
    result = report(tmp_path, document({"A1": ORDER, "B1": ORDER}), document({"A2": ORDER, "B2": ORDER}))
    renames = sorted(c.message.split()[2] for c in result.changes if c.id == "clientgen-model-renamed")
    assert renames == ["A2", "B2"]


# -- models whose wire type stayed -------------------------------------------------------------------------------


def test_only_the_field_whose_referenced_model_changed_is_reported(tmp_path: Path) -> None:
    def spec(values: list[str]) -> dict[str, Any]:
        holder = {
            "type": "object",
            "required": ["id"],
            "properties": {"id": {"type": "string"}, "note": {"type": "string"}, "side": ref("Side")},
        }
        ok = {"description": "ok", "content": {"application/json": {"schema": ref("Holder")}}}
        paths = {"/holder": {"get": {"operationId": "getHolder", "responses": {"200": ok}}}}
        return document({"Side": {"type": "string", "enum": values}, "Holder": holder}, paths=paths)

    result = report(tmp_path, spec(["buy", "sell"]), spec(["buy", "sell", "hold"]))
    assert [(i, s, where) for i, s, where, _ in found(result)] == [
        ("response-property-enum-value-added", "compatible", "schema Side")
    ]


# -- servers and declared scopes ------------------------------------------------------------------------------------


def servers(*pairs: tuple[str, str]) -> list[dict[str, Any]]:
    return [{"url": url, "description": f"{name} environment"} for name, url in pairs]


PROD, SANDBOX = ("production", "https://api.example.com"), ("sandbox", "https://sandbox.example.com")


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        pytest.param(
            [PROD, SANDBOX],
            [SANDBOX, PROD],
            [
                (
                    "clientgen-server-changed",
                    "breaking",
                    "the default server https://api.example.com is now https://sandbox.example.com",
                )
            ],
            id="reordered: the default changes",
        ),
        pytest.param(
            [PROD],
            [("live", PROD[1])],
            [
                (
                    "clientgen-server-changed",
                    "breaking",
                    "environment 'production' (https://api.example.com) is now called 'live'",
                )
            ],
            id="renamed at the same URL",
        ),
        pytest.param(
            [PROD, SANDBOX],
            [PROD],
            [("clientgen-server-removed", "breaking", "environment 'sandbox' (https://sandbox.example.com) removed")],
            id="removed",
        ),
        pytest.param(
            [PROD],
            [PROD, SANDBOX],
            [("clientgen-server-added", "compatible", "new environment 'sandbox' (https://sandbox.example.com)")],
            id="added",
        ),
        pytest.param(
            [PROD],
            [("production", "https://api2.example.com")],
            [
                (
                    "clientgen-server-changed",
                    "breaking",
                    "environment 'production': https://api.example.com -> https://api2.example.com; clients built before call the old URL",
                )
            ],
            id="moved",
        ),
    ],
)
def test_servers_are_environments_matched_by_name_then_url(
    tmp_path: Path, old: list[tuple[str, str]], new: list[tuple[str, str]], expected: list[tuple[str, str, str]]
) -> None:
    result = report(tmp_path, document(servers=servers(*old)), document(servers=servers(*new)))
    assert [(i, s, m) for i, s, where, m in found(result) if where == "servers"] == expected


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ({}, {"orders:read": "read"}, "'oauth': declared scopes none -> orders:read"),
        ({"orders:read": "read"}, {}, "'oauth': declared scopes orders:read -> none"),
        ({"orders:read": "read"}, {"orders:write": "write"}, "'oauth': declared scopes orders:read -> orders:write"),
    ],
)
def test_declared_scopes_changed_are_news(
    tmp_path: Path, old: dict[str, str], new: dict[str, str], message: str
) -> None:
    result = report(tmp_path, document(scopes=old), document(scopes=new))
    assert ("clientgen-security-scheme-scopes-changed", "compatible", "security", message) in found(result)


# -- load_api ----------------------------------------------------------------------------------------------------


def test_load_api_is_the_model_load_version_keeps(tmp_path: Path) -> None:
    (tmp_path / "spec.json").write_text(json.dumps(document(SCHEMAS, ref("Order"))), encoding="utf-8")
    api = load_api(tmp_path / "spec.json", Config())
    assert api == load_version(tmp_path / "spec.json", Config()).api
    assert [w.name for w in api.webhooks] == ["orderEvent"]


def test_load_api_strict_fails_on_a_warning(tmp_path: Path) -> None:
    spec = document({"Mixed": {"enum": ["a", 1]}})
    (tmp_path / "spec.json").write_text(json.dumps(spec), encoding="utf-8")
    assert load_api(tmp_path / "spec.json", Config()) is not None
    with pytest.raises(SpecError):
        load_api(tmp_path / "spec.json", Config(), strict=True)


MONEY = {
    "type": "object",
    "required": ["amount"],
    "properties": {"amount": {"type": "string"}, "currency": {"type": "string"}},
}
SIDE = {"type": "string", "enum": ["buy", "sell"]}


def test_a_reference_to_another_model_of_the_same_shape_changes_the_annotations(tmp_path: Path) -> None:
    """Money and Amount have the same shape and both stay: pointing at the other changes no byte on the wire, but
    every annotation naming it, and code building a Money where an Amount is now expected no longer type-checks."""

    def spec(money: str, side: str) -> dict[str, Any]:
        def ok(schema: Any) -> dict[str, Any]:
            return {"200": {"description": "ok", "content": {"application/json": {"schema": schema}}}}

        holder = {
            "type": "object",
            "required": ["total"],
            "properties": {"total": ref(money), "price": ref(money), "note": {"type": "string"}},
        }
        page = {"type": "object", "properties": {"data": {"type": "array", "items": ref(money)}}}
        paging = [{"name": name, "in": "query", "schema": {"type": "integer"}} for name in ("limit", "offset")]
        side_parameter = {"name": "side", "in": "query", "schema": ref(side)}
        paths = {
            "/money": {"get": {"operationId": "getMoney", "responses": ok(ref(money))}},
            "/holder": {
                "get": {"operationId": "getHolder", "parameters": [side_parameter], "responses": ok(ref("Holder"))}
            },
            "/totals": {"get": {"operationId": "getTotals", "responses": ok(ref("Totals"))}},
            "/pages": {"get": {"operationId": "listMoney", "parameters": paging, "responses": ok(page)}},
        }
        schemas = {
            "Money": MONEY,
            "Amount": MONEY,
            "Side": SIDE,
            "Direction": SIDE,
            "Holder": holder,
            "Totals": {"type": "array", "items": ref(money)},
        }
        return document(schemas, paths=paths)

    result = report(tmp_path, spec("Money", "Side"), spec("Amount", "Direction"))
    changed = "clientgen-annotation-changed"
    assert found(result) == [
        (changed, "breaking", "GET /money (getMoney)", "the method returns Amount instead of Money (same wire type)"),
        (
            changed,
            "breaking",
            "GET /holder (getHolder)",
            "the argument side: Side | str | NotGiven -> Direction | str | NotGiven (same wire type)",
        ),
        (
            changed,
            "breaking",
            "GET /pages (listMoney)",
            "the method returns SyncPage[Amount] instead of SyncPage[Money] (same wire type)",
        ),
        (changed, "breaking", "schema Holder", "the attribute total: Money -> Amount (same wire type)"),
        (changed, "breaking", "schema Holder", "the attribute price: Money | None -> Amount | None (same wire type)"),
        (
            changed,
            "breaking",
            "schema ListMoneyResponse",
            "the attribute data: List[Money] | None -> List[Amount] | None (same wire type)",
        ),
        (changed, "breaking", "schema Totals", "List[Money] -> List[Amount] (same wire type)"),
    ]


# -- more shapes of the generated-API view --------------------------------------------------------------------


def test_a_webhook_whose_delivery_loses_its_body(tmp_path: Path) -> None:
    old = document(SCHEMAS, ref("Order"))
    new = document(SCHEMAS, ref("Order"))
    del new["webhooks"]["orderEvent"]["post"]["requestBody"]
    result = report(tmp_path, old, new)
    assert [(i, s, m) for i, s, where, m in found(result) if where == HOOK] == [
        (PAYLOAD, "breaking", "delivery body: Order -> no body")
    ]


@pytest.mark.parametrize(
    ("old", "new"),
    [
        pytest.param(ORDER, {"type": "array", "items": {"type": "string"}}, id="an object that became an alias"),
        pytest.param({"type": "array", "items": {"type": "string"}}, ORDER, id="an alias that became an object"),
        pytest.param({"type": "string", "enum": ["a"]}, ORDER, id="an enum that became an object"),
    ],
)
def test_a_model_that_changes_kind_under_its_name_is_a_wire_change(tmp_path: Path, old: Any, new: Any) -> None:
    def spec(schema: Any) -> dict[str, Any]:
        ok = {"description": "ok", "content": {"application/json": {"schema": ref("Thing")}}}
        return document(
            {"Thing": schema}, paths={"/thing": {"get": {"operationId": "getThing", "responses": {"200": ok}}}}
        )

    result = report(tmp_path, spec(old), spec(new))
    assert [(i, s) for i, s, where, _ in found(result) if where == "schema Thing"][0] == (
        "response-body-type-changed",
        "breaking",
    )


def test_an_argument_annotation_change_is_found_by_the_wire_name_whatever_its_case(tmp_path: Path) -> None:
    def spec(side: str) -> dict[str, Any]:
        parameters = [
            {"name": "X-Side", "in": "header", "schema": ref(side)},
            {"name": "Side", "in": "query", "schema": ref(side)},
        ]
        operation = {"operationId": "getIt", "parameters": parameters, "responses": {"204": {"description": "none"}}}
        return document({"Side": SIDE, "Direction": SIDE}, paths={"/it": {"get": operation}})

    result = report(tmp_path, spec("Side"), spec("Direction"))
    assert [m for i, _, _, m in found(result) if i == "clientgen-annotation-changed"] == [
        "the argument x_side: Side | str | NotGiven -> Direction | str | NotGiven (same wire type)",
        "the argument side: Side | str | NotGiven -> Direction | str | NotGiven (same wire type)",
    ]


@pytest.mark.parametrize(
    ("before", "after", "expected"),
    [
        (True, False, [("compatible", "client setting x_tenant= became optional")]),
        (False, True, [("breaking", "client setting x_tenant= became required: calls without it are refused")]),
    ],
)
def test_a_client_setting_that_becomes_optional_or_required(
    tmp_path: Path, before: bool, after: bool, expected: list[tuple[str, str]]
) -> None:
    def spec(required: bool) -> dict[str, Any]:
        parameter = {"name": "X-Tenant", "in": "header", "required": required, "schema": {"type": "string"}}
        paths = {
            f"/r{index}": {
                "get": {
                    "operationId": f"get{index}",
                    "parameters": [parameter],
                    "responses": {"204": {"description": "none"}},
                }
            }
            for index in range(3)
        }
        return document(paths=paths)

    result = report(tmp_path, spec(before), spec(after))
    assert [(s, m) for _, s, where, m in found(result) if where == "client settings"] == expected


def test_the_policy_takes_the_command_lines_days_before_the_configurations() -> None:
    config = Config()
    assert policy_of(config) == Policy(0, 0)
    assert policy_of(config, stable=30) == Policy(deprecation_days_stable=30)
    assert policy_of(config, beta=7) == Policy(deprecation_days_beta=7)
    assert policy_of(config, beta=7, stable=30) == Policy(7, 30)
