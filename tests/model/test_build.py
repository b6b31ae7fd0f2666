"""Building the intermediate model: names, types, operations, de-duplication of inline schemas."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from generator import names
from generator.build import build
from generator.build.operations import method_name as _method_name
from generator.build.package import pep440
from generator.build.schemas import _is_decimal_pattern
from generator.config import Config, Names, load_config
from generator.diagnostics import SpecError
from generator.load import load, load_text
from generator.model import (
    AliasSchema,
    Api,
    ArrayType,
    EnumSchema,
    LiteralType,
    Nullable,
    ObjectSchema,
    Primitive,
    Ref,
    UnionType,
)

from conftest import GOLDEN, ROOT, UPVEST_SPEC


def api_of(spec: dict[str, Any], config: Config | None = None) -> Api:
    document = load_text(yaml.safe_dump(spec, sort_keys=False))
    api, _ = build(document, config or Config())
    return api


def minimal(paths: dict[str, Any], schemas: dict[str, Any] | None = None) -> dict[str, Any]:
    spec: dict[str, Any] = {"openapi": "3.0.3", "info": {"title": "T", "version": "1"}, "paths": paths}
    if schemas:
        spec["components"] = {"schemas": schemas}
    return spec


def json_response(schema: dict[str, Any], status: str = "200") -> dict[str, Any]:
    return {status: {"description": "ok", "content": {"application/json": {"schema": schema}}}}


def schema_named(api: Api, name: str) -> Any:
    return next(s for s in api.schemas if s.name == name)


@pytest.mark.parametrize(
    ("raw", "snake", "pascal"),
    [
        ("DateCreated", "date_created", "DateCreated"),
        ("account-group_id", "account_group_id", "AccountGroupId"),
        ("Order - Place - Request", "order_place_request", "OrderPlaceRequest"),
        ("2fa", "n2fa", "N2fa"),
        ("größe", "grosse", "Grosse"),
        ("HTTPServer", "http_server", "HttpServer"),
        ("", "value", "Model"),
    ],
)
def test_identifiers_from_spec_names(raw: str, snake: str, pascal: str) -> None:
    assert names.snake(raw) == snake
    assert names.pascal(raw) == pascal
    assert names.snake(raw).isidentifier() and names.pascal(raw).isidentifier()


def test_reserved_names_get_an_underscore_and_collisions_a_number() -> None:
    assert names.safe("class") == "class_"
    assert names.safe("self") == "self_"
    assert names.safe("options") == "options_"
    space = names.Namespace()
    assert [space.claim("date_created") for _ in range(3)] == ["date_created", "date_created_2", "date_created_3"]


@pytest.mark.parametrize(
    ("operation_id", "group", "expected"),
    [
        ("place_order", "Orders", "place"),
        ("list_orders", "Orders", "list"),
        ("retrieve_account_group", "Account Groups", "retrieve"),
        ("list_user_accounts", "Accounts", "list_user"),
        ("issue_token", "Access Tokens", "issue"),
        ("getThing", "misc", "get_thing"),
        ("orders", "Orders", "orders"),
    ],
)
def test_short_method_names(operation_id: str, group: str, expected: str) -> None:
    assert _method_name(operation_id, names.words(group), names.Namespace()) == expected


def test_short_method_name_falls_back_to_the_operation_id_when_taken() -> None:
    taken = names.Namespace({"list"})
    assert _method_name("list_orders", ["orders"], taken) == "list_orders"


@pytest.mark.parametrize(
    ("pattern", "decimal"),
    [
        (r"^[0-9]{0,63}(\.[0-9]{1,27})?$", True),
        (r"^-?[0-9]{1,9}(\.[0-9]{2})?$", True),
        (r"^(100|[0-9]{1,2}(\.[0-9]{1,5})?)$", True),
        (r"^[A-Z]{2}$", False),
        (r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$", False),
        (r"^([0-9]{8,15})?$", False),
        (r"^.*$", False),
        ("[unclosed", False),
    ],
)
def test_decimal_strings_are_recognised_by_their_pattern(pattern: str, decimal: bool) -> None:
    assert _is_decimal_pattern(pattern) is decimal


def test_pep440_versions() -> None:
    assert pep440("1.9.0") == "1.9.0"
    assert pep440("v2") == "2"
    assert pep440("2022-11-28") == "2022.11.28"
    assert pep440("beta") == "0.0.0"


def test_managed_headers_and_idempotency_key_are_not_parameters() -> None:
    headers = [
        {"name": n, "in": "header", "required": True, "schema": {"type": "string"}}
        for n in ("authorization", "signature", "Idempotency-Key", "x-trace")
    ]
    spec = minimal(
        {
            "/orders": {
                "post": {
                    "operationId": "place_order",
                    "tags": ["Orders"],
                    "parameters": headers,
                    "responses": {"202": {"description": "accepted"}},
                }
            }
        }
    )
    spec["components"] = {
        "securitySchemes": {
            "oauth": {
                "type": "oauth2",
                "flows": {
                    "clientCredentials": {"tokenUrl": "https://x.test/token", "scopes": {"orders:admin": "write"}}
                },
            }
        }
    }
    config = Config.of(managed_headers=("signature",))
    (operation,) = api_of(spec, config).operations
    assert [p.name for p in operation.parameters] == ["x-trace"]
    assert operation.idempotency_header == "idempotency-key"
    assert operation.managed_headers == ("authorization", "signature")


def test_identical_inline_schemas_share_one_model_and_same_titles_with_other_shapes_do_not() -> None:
    meta = {"title": "Meta", "type": "object", "properties": {"total": {"type": "integer"}}}
    other = {"title": "Meta", "type": "object", "properties": {"street": {"type": "string"}}}
    spec = minimal(
        {
            "/a": {
                "get": {
                    "operationId": "list_a",
                    "responses": json_response({"type": "object", "properties": {"meta": meta}}),
                }
            },
            "/b": {
                "get": {
                    "operationId": "list_b",
                    "responses": json_response(
                        {"type": "object", "properties": {"meta": dict(meta, description="doc differs")}}
                    ),
                }
            },
            "/c": {"get": {"operationId": "list_c", "responses": json_response(other)}},
        }
    )
    api = api_of(spec)
    metas = [
        s for s in api.schemas if isinstance(s, ObjectSchema) and s.name.endswith("Meta") or s.name == "ListCResponse"
    ]
    assert sorted(s.name for s in metas) == ["ListCResponse", "Meta"]
    # each operation's own response model (the two may be one class, by shape), whose `meta` is the one Meta
    returned = {o.operation_id: o.return_type for o in api.operations}
    for operation_id in ("list_a", "list_b"):
        response = returned[operation_id]
        assert isinstance(response, Ref), (operation_id, response)
        assert schema_named(api, response.name).fields[0].type == Ref("Meta"), operation_id


def test_upvest_style_types() -> None:
    amount = {"allOf": [{"type": "string", "pattern": r"^[0-9]{0,63}(\.[0-9]{1,27})?$"}, {"description": "Amount."}]}
    schema = {
        "title": "Order",
        "type": "object",
        "required": ["id"],
        "properties": {
            "id": {"type": "string", "format": "uuid"},
            "quantity": amount,
            "price": {"type": "string", "pattern": r"^[0-9]{1,63}(\.[0-9]{1,27})?$"},
            "created_at": {"type": "string", "format": "date-time"},
            "side": {"type": "string", "enum": ["BUY", "SELL"]},
            "kind": {"type": "string", "enum": ["ORDER"]},
            "parent": {"oneOf": [{"type": "string", "format": "uuid"}, {"type": "null"}]},
            "currency": {"type": "string", "format": "ISO4217"},
        },
    }
    api = api_of(minimal({"/o": {"get": {"operationId": "get_order", "responses": json_response(schema)}}}))
    order = schema_named(api, "Order")
    types = {f.name: f.type for f in order.fields}
    assert types["id"] == Primitive("uuid")
    # Upvest's pattern admits "" (its "not set"), which no Decimal holds
    assert types["quantity"] == UnionType((Primitive("decimal"), LiteralType(("",))))
    assert types["price"] == Primitive("decimal")
    assert types["created_at"] == Primitive("datetime")
    assert types["side"] == Ref("OrderSide") and isinstance(schema_named(api, "OrderSide"), EnumSchema)
    assert types["kind"] == Ref("OrderKind")  # open: a one-value enum may grow (currency: [EUR] today)
    assert types["parent"] == Nullable(Primitive("uuid"))
    assert types["currency"] == Primitive("str")
    assert {f.name for f in order.fields if f.required} == {"id"}


def test_parameter_enums_are_literals_and_a_oneof_path_parameter_is_a_union() -> None:
    parameters = [
        {
            "name": "instrument_id",
            "in": "path",
            "required": True,
            "schema": {
                "oneOf": [
                    {"type": "string", "pattern": "^[A-Z]{2}[A-Z0-9]{9}[0-9]$"},
                    {"type": "string", "format": "uuid"},
                ]
            },
        },
        {"name": "order", "in": "query", "schema": {"type": "string", "enum": ["ASC", "DESC"]}},
    ]
    api = api_of(
        minimal(
            {
                "/i/{instrument_id}": {
                    "get": {
                        "operationId": "retrieve_instrument",
                        "parameters": parameters,
                        "responses": {"200": {"description": "ok"}},
                    }
                }
            }
        )
    )
    path, order = api.operations[0].parameters
    assert path.type == UnionType((Primitive("str"), Primitive("uuid")))
    assert order.type == LiteralType(("ASC", "DESC"))


def test_reference_cycles_become_named_models() -> None:
    schemas = {
        "Tree": {
            "type": "object",
            "properties": {"children": {"type": "array", "items": {"$ref": "#/components/schemas/Tree"}}},
        },
        "Loop": {"$ref": "#/components/schemas/Loop"},
    }
    api = api_of(minimal({}, schemas))
    tree = schema_named(api, "Tree")
    assert tree.fields[0].type == ArrayType(Ref("Tree"))


def test_problem_responses_are_flagged_and_make_no_models() -> None:
    problem = {"title": "Error", "type": "object", "properties": {"title": {"type": "string"}}}
    responses = {
        "200": {"description": "ok"},
        "404": {"description": "nf", "content": {"application/problem+json": {"schema": problem}}},
    }
    api = api_of(minimal({"/x": {"get": {"operationId": "get_x", "responses": responses}}}))
    (operation,) = api.operations
    assert [r.problem for r in operation.responses] == [False, True]
    assert api.schemas == ()
    assert operation.return_type is None


def test_json_or_pdf_response_returns_either() -> None:
    responses = {
        "200": {
            "description": "r",
            "content": {
                "application/json": {
                    "schema": {"title": "Report", "type": "object", "properties": {"id": {"type": "string"}}}
                },
                "application/pdf": {"schema": {"type": "string", "format": "binary"}},
            },
        }
    }
    api = api_of(minimal({"/r": {"get": {"operationId": "get_report", "responses": responses}}}))
    assert api.operations[0].return_type == UnionType((Ref("Report"), Ref("BinaryContent")))


def test_object_request_bodies_are_flattened_unless_names_clash() -> None:
    body = {"content": {"application/json": {"schema": {"type": "object", "properties": {"name": {"type": "string"}}}}}}
    clash = [{"name": "name", "in": "query", "schema": {"type": "string"}}]
    api = api_of(
        minimal(
            {
                "/a": {
                    "post": {"operationId": "create_a", "requestBody": body, "responses": {"201": {"description": "c"}}}
                },
                "/b": {
                    "post": {
                        "operationId": "create_b",
                        "parameters": clash,
                        "requestBody": body,
                        "responses": {"201": {"description": "c"}},
                    }
                },
            }
        )
    )
    a, b = api.operations
    assert a.body is not None and a.body.fields is not None and a.body.fields[0].python_name == "name"
    assert b.body is not None and b.body.fields is None and b.body.python_name == "body"


def test_our_upvest_spec_builds_with_the_repository_config() -> None:
    api, diagnostics = build(load(UPVEST_SPEC), load_config(ROOT / "pyproject.toml"))
    assert [d for d in diagnostics if d.severity != "note"] == []
    assert len(api.operations) >= 27
    assert api.package.name == "upvest_investment_client"
    assert [s.name for s in api.servers] == ["sandbox", "live"]
    place = next(op for op in api.operations if op.operation_id == "place_order")
    assert (place.python_name, place.idempotency_header) == ("place", "idempotency-key")
    assert {"authorization", "signature", "signature-input", "upvest-client-id"} <= set(place.managed_headers)
    assert [r.schemes for r in place.security] == [(("oauth2", ("orders:admin",)),)]
    token = next(op for op in api.operations if op.operation_id == "issue_token")
    assert token.body is not None and token.body.kind == "form" and token.security == ()
    assert all(isinstance(s, (ObjectSchema, EnumSchema, AliasSchema)) for s in api.schemas)


def test_single_value_enums_that_tag_union_variants_are_literals() -> None:
    variant = lambda tag: {
        "type": "object",
        "required": ["kind"],
        "properties": {"kind": {"type": "string", "enum": [tag]}},
    }  # noqa: E731
    schemas = {
        "A": variant("a"),
        "B": variant("b"),
        "AorB": {
            "oneOf": [{"$ref": "#/components/schemas/A"}, {"$ref": "#/components/schemas/B"}],
            "discriminator": {"propertyName": "kind"},
        },
    }
    api = api_of(minimal({}, schemas))
    assert schema_named(api, "A").fields[0].type == LiteralType(("a",))
    tags = (("a", Ref("A")), ("b", Ref("B")))  # the variants' own values; their schema names are not needed
    assert schema_named(api, "AorB").type == UnionType((Ref("A"), Ref("B")), "kind", tags)


@pytest.mark.parametrize("spec", [UPVEST_SPEC, *sorted(GOLDEN.glob("*.yaml"))], ids=lambda p: p.name)
def test_the_spec_is_freed_when_the_model_is_built(spec: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No cycle keeps the loaded document (and the spec it holds) alive after `build_api`: the pipeline pauses the
    cycle collector, so a cycle would keep it until black runs, or to the end of a regeneration."""
    import gc
    import weakref

    from generator import pipeline

    documents: list[weakref.ref[Any]] = []
    real_load = pipeline.load

    def load_watched(*args: Any, **kwargs: Any) -> Any:
        document = real_load(*args, **kwargs)
        documents.append(weakref.ref(document))
        return document

    monkeypatch.setattr(pipeline, "load", load_watched)
    gc.collect()
    enabled = gc.isenabled()
    gc.disable()
    try:
        api, _ = pipeline.build_api(spec, load_config(ROOT / "pyproject.toml") if spec == UPVEST_SPEC else Config())
        assert api.operations
        assert len(documents) == 1 and documents[0]() is None, "a reference cycle holds the document"
    finally:
        if enabled:
            gc.enable()


def _reordered(spec: dict[str, Any]) -> dict[str, Any]:
    """The same spec with its paths, tags, component schemas and webhooks in reverse order."""
    copy = dict(spec)
    copy["paths"] = dict(reversed(list(spec["paths"].items())))
    if "tags" in spec:
        copy["tags"] = list(reversed(spec["tags"]))
    for key in ("x-webhooks", "webhooks"):
        if isinstance(spec.get(key), dict):
            copy[key] = dict(reversed(list(spec[key].items())))
    components = spec.get("components")
    if isinstance(components, dict) and isinstance(components.get("schemas"), dict):
        copy["components"] = {**components, "schemas": dict(reversed(list(components["schemas"].items())))}
    return copy


@pytest.mark.parametrize(
    "spec", ["specs/upvest-investment-api.yaml", "tests/golden/naming.yaml", "tests/golden/shapes.yaml", "upvest-real"]
)
def test_reordering_the_spec_changes_no_generated_name(spec: str, tmp_path: Path) -> None:
    """Names come from the spec's content, never from the order it lists things in: each generated module has
    the same lines (its statements may come in another order)."""
    from conftest import shared_spec
    from generator.pipeline import generate

    path = shared_spec("upvest/upvest-investment-api-1.9.0.yaml") if spec == "upvest-real" else ROOT / spec
    tree = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
    (tmp_path / "forward.yaml").write_text(yaml.safe_dump(tree, sort_keys=False), encoding="utf-8")
    (tmp_path / "reversed.yaml").write_text(yaml.safe_dump(_reordered(tree), sort_keys=False), encoding="utf-8")
    config = Config.of(package="order_check")
    forward = generate(tmp_path / "forward.yaml", config).files
    backward = generate(tmp_path / "reversed.yaml", config).files
    assert forward.keys() == backward.keys()
    for name in forward:
        if name.endswith(".py"):
            assert sorted(forward[name].splitlines()) == sorted(backward[name].splitlines()), name


def test_a_schema_key_that_is_its_own_class_name_keeps_it() -> None:
    """`Pet`, `PET` and `pet` all make the class name Pet: the key spelled so gets it, whatever their order."""
    for order in (["PET", "pet", "Pet"], ["Pet", "pet", "PET"]):
        schemas = {
            key: {"type": "object", "properties": {key.lower() + str(i): {"type": "string"}}}
            for i, key in enumerate(order)
        }
        document = load_text(yaml.safe_dump(minimal({}, schemas), sort_keys=False))
        api, _ = build(document, Config())
        by_pointer = {s.pointer: s.name for s in api.schemas}
        assert by_pointer["/components/schemas/Pet"] == "Pet", by_pointer


def test_the_naming_pass_names_inline_classes_after_the_real_name_of_the_class_around_them() -> None:
    """Class names are decided after every schema is collected: an inline class takes the configured name of the
    component around it (`Order` renamed `Purchase` gives `PurchaseCurrency`), and `names.fields` and
    `names.enum-members`, keyed on such derived names, still apply."""
    schemas = {
        "Order": {
            "type": "object",
            "properties": {
                "currency": {"type": "object", "properties": {"code": {"type": "string"}}},
                "side": {"type": "string", "enum": ["BUY", "SELL"]},
            },
        }
    }
    document = load_text(yaml.safe_dump(minimal({}, schemas), sort_keys=False))
    config = Config(
        names=Names(
            models=(("Order", "Purchase"),),
            fields=(("PurchaseCurrency.code", "iso_code"),),
            enum_members=(("PurchaseSide.BUY", "LONG"),),
        )
    )
    api, diagnostics = build(document, config)
    by_name = {schema.name: schema for schema in api.schemas}
    assert set(by_name) == {"Purchase", "PurchaseCurrency", "PurchaseSide"}
    currency = by_name["PurchaseCurrency"]
    assert isinstance(currency, ObjectSchema) and [f.python_name for f in currency.fields] == ["iso_code"]
    side = by_name["PurchaseSide"]
    assert isinstance(side, EnumSchema) and [m.name for m in side.members] == ["LONG", "SELL"]
    purchase = by_name["Purchase"]
    assert isinstance(purchase, ObjectSchema)
    assert [f.type for f in purchase.fields] == [Ref("PurchaseCurrency"), Ref("PurchaseSide")]
    assert not [d for d in diagnostics if d.code == "names-unused"]


def test_warnings_written_before_naming_name_the_real_class() -> None:
    schemas = {"Loop": {"$ref": "#/components/schemas/Again"}, "Again": {"$ref": "#/components/schemas/Loop"}}
    document = load_text(yaml.safe_dump(minimal({}, schemas), sort_keys=False))
    api, diagnostics = build(document, Config())
    messages = sorted(d.message for d in diagnostics if d.code == "ref-cycle")
    assert messages and all("\x00" not in m for m in messages)
    assert any("'Again'" in m or "'Loop'" in m for m in messages), messages
    assert {s.name for s in api.schemas} <= {"Loop", "Again"}


def test_reordering_githubs_spec_changes_no_name() -> None:
    """GitHub's spec (1,223 operations, 969 component schemas, thousands of inline classes), its paths, tags,
    schemas and webhooks reversed: the same classes, resources, methods and fields (by the model: the whole
    generation twice would take a quarter of a minute)."""
    import json

    from conftest import shared_spec

    tree = json.loads(shared_spec("big-github-api.json").read_text(encoding="utf-8"))

    def names_of(spec: dict[str, Any]) -> tuple[set[Any], set[Any]]:
        api, _ = build(load_text(json.dumps(spec), "github.json"), Config())
        classes = {
            (s.name, tuple(f.python_name for f in s.fields) if isinstance(s, ObjectSchema) else ()) for s in api.schemas
        }
        methods = {
            (g.attribute, g.class_name, o.python_name, o.method, o.path) for g in api.groups for o in g.operations
        }
        return classes, methods

    forward, backward = names_of(tree), names_of(_reordered(tree))
    assert len(forward[0]) > 2000 and len(forward[1]) == 1223
    assert forward[0] == backward[0]
    assert forward[1] == backward[1]


def test_spec_text_that_looks_like_a_provisional_name_is_only_text() -> None:
    """Names are provisional until the naming pass; a spec's text holding the same characters changes nothing."""
    schemas = {"Odd": {"type": "object", "properties": {"a": {"type": "\x009999\x00"}, "b": {"type": "\x000\x00"}}}}
    api, diagnostics = build(load_text(yaml.safe_dump(minimal({}, schemas)), "odd.yaml"), Config())
    assert [s.name for s in api.schemas] == ["Odd"]
    assert sorted(d.message for d in diagnostics if d.code == "schema-type") == [
        "unknown schema type '\x000\x00'; typed as Any",
        "unknown schema type '\x009999\x00'; typed as Any",
    ]


def test_a_schema_named_like_a_runtime_class_gets_another_name() -> None:
    schemas = {"UnknownVariant": {"type": "object", "properties": {"a": {"type": "string"}}}}
    assert [s.name for s in api_of(minimal({}, schemas)).schemas] == ["UnknownVariant2"]


def test_default_is_the_success_only_when_it_is_the_only_response() -> None:
    error = {"description": "e", "content": {"application/json": {"schema": {"type": "object"}}}}
    both = {"get": {"operationId": "a", "responses": {"404": error, "default": error}}}
    alone = {"get": {"operationId": "b", "responses": {"default": error}}}
    api = api_of(minimal({"/a": both, "/b": alone}))
    by_id = {o.operation_id: o for o in api.operations}
    assert by_id["a"].success_responses == () and [r.status for r in by_id["b"].success_responses] == ["DEFAULT"]


def test_a_reference_inside_a_nullable_schema_to_itself_is_nullable() -> None:
    schemas = {
        "Node": {
            "type": "object",
            "nullable": True,
            "required": ["next"],
            "properties": {"next": {"$ref": "#/components/schemas/Node"}},
        }
    }
    [node] = api_of(minimal({}, schemas)).schemas
    assert node.fields[0].type == Nullable(Ref("Node"))


def test_api_keys_and_client_settings_never_share_an_argument() -> None:
    spec = minimal(
        {
            f"/{name}": {
                "get": {
                    "operationId": name,
                    "parameters": [{"name": "tenant", "in": "header", "required": True, "schema": {"type": "string"}}],
                    "responses": {"204": {"description": "ok"}},
                }
            }
            for name in ("a", "b")
        }
    )
    spec["security"] = [{"tenant": [], "key": []}]
    spec["components"] = {
        "securitySchemes": {
            "tenant": {"type": "apiKey", "in": "header", "name": "x-tenant-key"},
            "key": {"type": "apiKey", "in": "header", "name": "x-key"},
        }
    }
    api = api_of(spec, Config.of(client_headers=("tenant",)))
    arguments = [h.python_name for h in api.client_headers] + [k.python_name for k in api.auth.api_keys]
    variables = [h.env_var for h in api.client_headers] + [k.env_var for k in api.auth.api_keys]
    assert len(arguments) == len(set(arguments)) == 3 and len(set(variables)) == 3


def test_an_enum_that_properties_of_one_name_share_is_named_after_the_property() -> None:
    """Issue 16's rules: the property's name behind the words every class using it begins with; a general
    property name alone (`type`) keeps the first place's name; the same values under another property are
    another class (editing one is no rename of the other)."""
    currency = {"type": "string", "enum": ["EUR", "USD"]}
    direction = {"type": "string", "enum": ["BUY", "SELL"]}
    kind = {"type": "string", "enum": ["A", "B"]}
    schemas = {
        "Order": {"type": "object", "properties": {"currency": currency, "side": direction, "type": kind}},
        "FeeCollection": {"type": "object", "properties": {"currency": currency}},
        "OrderCreateRequest": {"type": "object", "properties": {"side": direction}},
        "Transfer": {"type": "object", "properties": {"direction": direction}},
        "Report": {"type": "object", "properties": {"type": kind}},
    }
    api = api_of(minimal({}, schemas))
    fields = {(s.name, f.name): f.type for s in api.schemas if isinstance(s, ObjectSchema) for f in s.fields}
    assert fields[("Order", "currency")] == fields[("FeeCollection", "currency")] == Ref("Currency")
    assert fields[("Order", "side")] == fields[("OrderCreateRequest", "side")] == Ref("OrderSide")
    assert fields[("Transfer", "direction")] == Ref("TransferDirection")  # same values, another property
    assert fields[("Order", "type")] == fields[("Report", "type")] == Ref("OrderType")


def test_an_inline_list_item_is_named_after_what_the_list_lists() -> None:
    """Issue 16: the item of a list (in a page or answered as an array) takes the singular of what the list's
    operationId lists, when its single reads agree and all sit in one resource; else it is named by where it
    sits. Reordering the paths changes no name."""

    def item(*extra: str) -> dict[str, Any]:
        properties = {"id": {"type": "string"}, "name": {"type": "string"}}
        properties.update({key: {"type": "object", "properties": {"code": {"type": "string"}}} for key in extra})
        return {"type": "object", "properties": properties}

    def get(operation_id: str, schema: dict[str, Any], tag: str) -> dict[str, Any]:
        return {"get": {"operationId": operation_id, "tags": [tag], "responses": json_response(schema)}}

    page = {"type": "object", "properties": {"meta": {"type": "object"}, "data": {"type": "array", "items": item()}}}
    widget = item("owner")
    widget["properties"]["size"] = {"type": "integer"}
    gadget = item("maker")
    taken = item("rating")
    paths = {
        "/instruments": get("list_instruments", page, "instruments"),
        "/instruments/{id}": get("retrieve_instrument", item(), "instruments"),
        "/direct_debits": get("list_direct_debits", {"type": "array", "items": item("mandate")}, "payments"),
        "/widgets": get("list_widgets", {"type": "array", "items": widget}, "widgets"),
        "/widgets/{id}": get("retrieve_gadget", widget, "widgets"),  # disagrees: named by where it sits
        "/gadgets": get("listGadgets", {"type": "array", "items": gadget}, "gadgets"),
        "/other/gadgets": get("search_gadgets", {"type": "array", "items": gadget}, "other"),  # two resources
        "/ratings": get("list_ratings", {"type": "array", "items": taken}, "ratings"),
    }
    for path in ("/instruments/{id}", "/widgets/{id}"):
        paths[path]["get"]["parameters"] = [
            {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}
        ]
    schemas = {"Rating": {"type": "object", "properties": {"stars": {"type": "integer"}}}}
    expected = {
        ("instruments", "list"): "Instrument",
        ("instruments", "retrieve"): "Instrument",
        ("payments", "list_direct_debits"): "DirectDebit",
        ("widgets", "list"): "ListWidgetsResponseItem",
        ("gadgets", "list"): "ListGadgetsResponseItem",
        ("ratings", "list"): "ListRatingsResponseItem",  # Rating is a component's
    }
    for order in (paths, dict(reversed(paths.items()))):
        api = api_of(minimal(order, schemas))
        returned: dict[tuple[str, str], Any] = {}
        for group in api.groups:
            for operation in group.operations:
                type_ = operation.return_type
                schema = schema_named(api, type_.name) if isinstance(type_, Ref) else None
                if isinstance(schema, ObjectSchema) and schema.fields[-1].name == "data":
                    type_ = schema.fields[-1].type
                returned[(group.name, operation.python_name)] = type_.item if isinstance(type_, ArrayType) else type_
        assert {key: returned[key] for key in expected} == {key: Ref(name) for key, name in expected.items()}
        assert schema_named(api, "DirectDebit").fields[-1].type == Ref("DirectDebitMandate")


def test_paging_styles_are_found_and_configured_per_operation(tmp_path: Path) -> None:
    """Issue 17: `pagination = "auto"` finds each list operation's style; `paging-operations` overrides one
    (`none`, or another style it fits), warns when the spec does not give a style what it reads, and warns of
    an entry that names no operation; a style that is not one is refused."""

    def listing(operation_id: str, parameters: list[str], headers: dict[str, Any] | None = None) -> dict[str, Any]:
        response = json_response(
            {"type": "array", "items": {"type": "object", "properties": {"id": {"type": "string"}}}}
        )
        if headers:
            response["200"]["headers"] = headers
        query = [{"name": n, "in": "query", "schema": {"type": "string"}} for n in parameters]
        return {"get": {"operationId": operation_id, "parameters": query, "responses": response}}

    spec = minimal(
        {
            "/a": listing("listLinked", ["page", "per_page"], {"Link": {"schema": {"type": "string"}}}),
            "/b": listing("listNumbered", ["page", "per_page"]),
            "/c": listing("listPlain", ["q"]),
        }
    )
    styles = lambda api: {o.operation_id: o.pagination.style if o.pagination else None for o in api.operations}
    document = load_text(yaml.safe_dump(spec, sort_keys=False))
    api, diagnostics = build(document, Config())
    assert styles(api) == {"listLinked": "link", "listNumbered": "page", "listPlain": None}
    assert [d.message.split(" (")[0] for d in diagnostics if d.code == "paging"] == [
        "1 list operation page by the Link header",
        "1 list operation page by page number",
    ]
    config_file = tmp_path / "clientgen.toml"
    config_file.write_text(
        '[paging-operations]\nlistLinked = "page"\nlistNumbered = "none"\nlistPlain = "cursor"\nnoSuchOp = "link"\n'
    )
    api, diagnostics = build(document, load_config(config_file))
    assert styles(api) == {"listLinked": "page", "listNumbered": None, "listPlain": None}
    codes = [(d.code, d.message.split(":")[1].strip()) for d in diagnostics if d.severity == "warning"]
    assert ("paging-unavailable", "'listPlain' cannot page by cursor") in codes
    assert ("paging-unused", "'noSuchOp' matches no operation; the entry is not used") in codes
    config_file.write_text('[paging-operations]\nlistLinked = "sideways"\n')
    with pytest.raises(SpecError, match="must be one of offset, page, cursor, next-url, link, none"):
        load_config(config_file)


def test_an_integer_next_page_is_a_page_number_not_a_url() -> None:
    """A review finding: `{items, next_page: integer}` was read as a next-page URL (`.../v1/2` requested)."""
    schema = {
        "type": "object",
        "properties": {
            "items": {"type": "array", "items": {"type": "object", "properties": {"id": {"type": "string"}}}},
            "next_page": {"type": "integer"},
        },
    }
    operation = {
        "operationId": "listThings",
        "parameters": [{"name": "page", "in": "query", "schema": {"type": "integer"}}],
        "responses": json_response(schema),
    }
    [listing] = api_of(minimal({"/things": {"get": operation}})).operations
    assert listing.pagination is not None and listing.pagination.style == "page"


def test_resource_classes_of_tags_never_collide() -> None:
    """Tags "Users" and "Async Users" both made `AsyncUsers` (the first's async class, the second's sync one),
    and "Users With Raw Response" made `UsersWithRawResponse` twice: every class a resource module defines is
    unique, and a plain name keeps its class where it can."""
    ok = {"200": {"description": "ok"}}
    paths = {
        f"/{index}": {"get": {"operationId": f"op{index}", "tags": [tag], "responses": ok}}
        for index, tag in enumerate(["Async Users", "Users", "Users With Raw Response", "Async Async Users"])
    }
    api = api_of({"openapi": "3.0.3", "info": {"title": "T", "version": "1"}, "paths": paths})
    classes = [
        f"{prefix}{group.class_name}{suffix}"
        for group in api.groups
        for prefix in ("", "Async")
        for suffix in ("", "WithRawResponse", "WithStreamingResponse")
    ]
    assert len(classes) == len(set(classes)), sorted(classes)
    by_tag = {group.name: group.class_name for group in api.groups}
    assert by_tag["Users"] == "Users" and by_tag["Async Users"] == "AsyncUsers2"
