"""End-to-end tests of the generated Upvest client (output/upvest_investment_client).

Every call goes through the real client code down to httpx; respx replaces only the transport, so the tests
assert exactly what goes over the wire (method, URL, headers, body) and what comes back from a given response.
The async client is driven with asyncio.run (pytest-asyncio is not installed).
"""

from __future__ import annotations

import asyncio
import datetime
import decimal
import functools
import inspect
import re
import json
import uuid
from typing import Any
from urllib.parse import parse_qs

import httpx
import pytest
import respx

pytestmark = pytest.mark.usefixtures("upvest_client_path")

BASE_URL = "https://upvest.test.example"
TOKEN = "tok-SECRET-3f9a1c77"
REQUEST_ID = "fb20bd0a-5702-48b1-b3c9-e8b63df3c623"
OTHER_REQUEST_ID = "0b6bd7a4-54b8-4a57-9c4f-58e9a3b1c2d3"

ORDER_ID = "407b4924-bcbc-4bb0-9518-f265840723c8"
EXECUTION_ID = "3c1f6a5e-0d83-4c38-9a4e-7f7d2a9e1b10"
USER_ID = "05e7712e-ff8b-4f04-b733-6f75ececa702"
ACCOUNT_ID = "9786f312-34f9-41b9-abd6-f2c2ff906d18"
ACCOUNT_GROUP_ID = "3a3e572b-a73e-46b5-bb21-fd7b58314bc5"
REPORT_ID = "6f2b0a8e-5f8c-4c8e-a1a5-2d7f1e0c9b44"
WEBHOOK_ID = "b23d470f-1610-47ae-905e-c7e120fe3990"
CLIENT_ID = "1d769a10-def3-4569-b094-f07b1765b3cb"
KEY_ID = "e1a7c3d2-7b8f-4e5a-9c0d-1f2e3a4b5c6d"

TIMESTAMP = "2024-05-06T07:08:09Z"
UTC_TIMESTAMP = datetime.datetime(2024, 5, 6, 7, 8, 9, tzinfo=datetime.timezone.utc)

FORBIDDEN_PARAMETERS = {
    "signature",
    "signature_input",
    "authorization",
    "upvest_client_id",
    "idempotency_key",
    # Also managed by the transport per pyproject.toml [tool.clientgen] managed-headers:
    "upvest_signature_version",
    "upvest_api_version",
}
RESOURCES = {
    "access_tokens",
    "webhooks",
    "users",
    "account_groups",
    "accounts",
    "positions",
    "instruments",
    "orders",
    "reports",
    "fees",
}
#: Operations in paths of specs/upvest-investment-api.yaml (webhook events are not operations).
OPERATION_COUNT = 33


# --------------------------------------------------------------------------------------------------
# Fixtures and helpers
# --------------------------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """The client reads UPVEST_* variables; tests start without any."""
    for name in ("UPVEST_BASE_URL", "UPVEST_ENVIRONMENT", "UPVEST_ACCESS_TOKEN"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def up() -> Any:
    """The generated package, imported from output/ (put on sys.path by upvest_client_path)."""
    import upvest_investment_client

    return upvest_investment_client


@pytest.fixture
def client(up: Any) -> Any:
    # retries are tested on their own; here every mocked response is final
    with up.Client(base_url=BASE_URL, access_token=TOKEN, max_retries=0) as c:
        yield c


@pytest.fixture
def api() -> Any:
    """A respx router for BASE_URL; every route a test declares must be called."""
    with respx.mock(base_url=BASE_URL, assert_all_called=True) as router:
        yield router


def response_headers(request_id: str | None = REQUEST_ID, **extra: str) -> dict[str, str]:
    headers = dict(extra)
    if request_id is not None:
        headers["upvest-request-id"] = request_id
    return headers


def ok(body: Any, status: int = 200, request_id: str | None = REQUEST_ID) -> httpx.Response:
    return httpx.Response(status, json=body, headers=response_headers(request_id))


def empty(status: int, request_id: str | None = REQUEST_ID) -> httpx.Response:
    return httpx.Response(status, headers=response_headers(request_id))


def problem(
    status: int,
    *,
    title: str = "Something went wrong",
    detail: str = "Details of what went wrong",
    type_: str = "https://docs.upvest.co/errors/example",
    request_id: str | None = REQUEST_ID,
    body_request_id: str | None = None,
) -> httpx.Response:
    body: dict[str, Any] = {"type": type_, "status": status, "title": title, "detail": detail}
    if body_request_id is not None:
        body["request_id"] = body_request_id
    return httpx.Response(
        status,
        content=json.dumps(body).encode(),
        headers=response_headers(request_id, **{"content-type": "application/problem+json"}),
    )


def sent(route: respx.Route) -> httpx.Request:
    """The last request a route received."""
    assert route.called, "the route was not called"
    return route.calls.last.request


def sent_json(route: respx.Route) -> Any:
    request = sent(route)
    assert request.headers["content-type"] == "application/json"
    return json.loads(request.content)


def assert_uuid4(value: str) -> None:
    parsed = uuid.UUID(value)
    assert parsed.version == 4
    assert str(parsed) == value.lower()


def order_payload(**overrides: Any) -> dict[str, Any]:
    payload = {
        "id": ORDER_ID,
        "created_at": TIMESTAMP,
        "updated_at": "2024-05-06T09:08:09.250000+02:00",
        "user_id": USER_ID,
        "account_id": ACCOUNT_ID,
        "quantity": "10.50",
        "currency": "EUR",
        "side": "BUY",
        "instrument_id": "US0378331005",
        "instrument_id_type": "ISIN",
        "order_type": "LIMIT",
        "limit_price": "150.25",
        "expiry_date": "2024-12-31",
        "status": "FILLED",
        "fee": "1.00",
        "executions": [
            {
                "id": EXECUTION_ID,
                "order_id": ORDER_ID,
                "status": "SETTLED",
                "side": "BUY",
                "cash_amount": "1577.63",
                "share_quantity": "10.50",
                "price": "150.25",
                "currency": "EUR",
                "transaction_time": "2024-05-06T09:00:00Z",
                "settlement_date": "2024-05-08",
            }
        ],
    }
    payload.update(overrides)
    return payload


def user_byol_payload(**overrides: Any) -> dict[str, Any]:
    payload = {
        "id": USER_ID,
        "created_at": TIMESTAMP,
        "updated_at": TIMESTAMP,
        "first_name": "Jane",
        "last_name": "Doe",
        "salutation": "SALUTATION_FEMALE",
        "birth_date": "1990-01-01",
        "nationalities": ["DE"],
        "address": {
            "address_line1": "Main Street 1",
            "postcode": "10115",
            "city": "Berlin",
            "country": "DE",
        },
        "postal_address": None,
        "status": "ACTIVE",
    }
    payload.update(overrides)
    return payload


def user_tol_payload(**overrides: Any) -> dict[str, Any]:
    payload = user_byol_payload(
        email="jane@example.com",
        phone_number="4915112345678",
        fatca={"status": False, "confirmed_at": "2024-01-01T00:00:00Z"},
        terms_and_conditions={
            "consent_document_id": CLIENT_ID,
            "confirmed_at": "2024-01-01T00:00:00Z",
        },
    )
    payload.update(overrides)
    return payload


def report_payload(**overrides: Any) -> dict[str, Any]:
    payload = {
        "id": REPORT_ID,
        "created_at": TIMESTAMP,
        "user_id": USER_ID,
        "type": "BUY_ORDER",
        "substituted_report_id": None,
        "data": {"account": {"id": ACCOUNT_ID}},
    }
    payload.update(overrides)
    return payload


def webhook_payload(**overrides: Any) -> dict[str, Any]:
    payload = {
        "id": WEBHOOK_ID,
        "created_at": TIMESTAMP,
        "updated_at": TIMESTAMP,
        "title": "Orders",
        "url": "https://tenant.example/hooks/upvest",
        "enabled": True,
        "type": ["ORDER"],
        "config": {"delay": "5s", "max_package_size": 10240},
    }
    payload.update(overrides)
    return payload


def account_payload(**overrides: Any) -> dict[str, Any]:
    payload = {
        "id": ACCOUNT_ID,
        "created_at": TIMESTAMP,
        "updated_at": TIMESTAMP,
        "account_group_id": ACCOUNT_GROUP_ID,
        "type": "TRADING",
        "users": [{"id": USER_ID, "type": "OWNER"}],
        "account_number": 1,
        "name": "Main account",
        "status": "ACTIVE",
    }
    payload.update(overrides)
    return payload


JWKS = {"keys": [{"kid": KEY_ID, "kty": "EC", "crv": "P-521", "x": "AbC", "y": "dEf"}]}
TOKEN_RESPONSE = {
    "access_token": "eyJhbGciOi.payload.signature",
    "expires_in": 1800,
    "token_type": "bearer",
    "scope": "users:read accounts:read",
}
LIST_META = {"offset": 0, "limit": 100, "count": 2, "total_count": 2, "sort": "created_at", "order": "ASC"}

PLACE_ARGS: dict[str, Any] = {
    "user_id": uuid.UUID(USER_ID),
    "account_id": uuid.UUID(ACCOUNT_ID),
    "side": "BUY",
    "instrument_id": "US0378331005",
    "instrument_id_type": "ISIN",
    "order_type": "MARKET",
}


# --------------------------------------------------------------------------------------------------
# Client construction
# --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("environment", "server"),
    [("sandbox", "https://sandbox.upvest.co"), ("live", "https://api.upvest.co")],
)
def test_environment_selects_server(up: Any, environment: str, server: str) -> None:
    with respx.mock(assert_all_called=True) as router:
        route = router.get(f"{server}/auth/verify_keys").mock(return_value=ok(JWKS))
        with up.Client(environment=environment) as client:
            assert client.base_url == server
            client.webhooks.get_jwks()
    assert sent(route).url == f"{server}/auth/verify_keys"


def test_environments_mapping_lists_spec_servers(up: Any) -> None:
    assert up.ENVIRONMENTS == {"sandbox": "https://sandbox.upvest.co", "live": "https://api.upvest.co"}


def test_default_server_is_the_first_one(up: Any) -> None:
    with up.Client() as client:
        assert client.base_url == "https://sandbox.upvest.co"


def test_base_url_override_with_path_prefix(up: Any) -> None:
    with respx.mock(assert_all_called=True) as router:
        route = router.get(f"https://proxy.example/upvest/orders/{ORDER_ID}").mock(return_value=ok(order_payload()))
        with up.Client(base_url="https://proxy.example/upvest/", access_token=TOKEN) as client:
            assert client.base_url == "https://proxy.example/upvest"
            client.orders.retrieve(order_id=uuid.UUID(ORDER_ID))
    assert sent(route).url.raw_path == f"/upvest/orders/{ORDER_ID}".encode()


def test_base_url_argument_beats_environment_argument(up: Any) -> None:
    with up.Client(base_url="https://proxy.example", environment="live") as client:
        assert client.base_url == "https://proxy.example"


def test_env_base_url(up: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("UPVEST_BASE_URL", "https://from-env.example")
    with respx.mock(assert_all_called=True) as router:
        route = router.get("https://from-env.example/auth/verify_keys").mock(return_value=ok(JWKS))
        with up.Client() as client:
            assert client.base_url == "https://from-env.example"
            client.webhooks.get_jwks()
    assert route.call_count == 1


def test_env_environment(up: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("UPVEST_ENVIRONMENT", "live")
    with up.Client() as client:
        assert client.base_url == "https://api.upvest.co"


def test_env_access_token_is_sent_as_bearer(up: Any, api: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("UPVEST_ACCESS_TOKEN", "token-from-env")
    route = api.get(f"/orders/{ORDER_ID}").mock(return_value=ok(order_payload()))
    with up.Client(base_url=BASE_URL) as client:
        client.orders.retrieve(order_id=uuid.UUID(ORDER_ID))
    assert sent(route).headers["authorization"] == "Bearer token-from-env"


def test_arguments_beat_environment_variables(up: Any, api: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("UPVEST_BASE_URL", "https://from-env.example")
    monkeypatch.setenv("UPVEST_ENVIRONMENT", "live")
    monkeypatch.setenv("UPVEST_ACCESS_TOKEN", "token-from-env")
    route = api.get(f"/orders/{ORDER_ID}").mock(return_value=ok(order_payload()))
    with up.Client(base_url=BASE_URL, access_token=TOKEN) as client:
        assert client.base_url == BASE_URL
        client.orders.retrieve(order_id=uuid.UUID(ORDER_ID))
    assert sent(route).headers["authorization"] == f"Bearer {TOKEN}"


def test_environment_argument_beats_environment_variable(up: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("UPVEST_ENVIRONMENT", "sandbox")
    with up.Client(environment="live") as client:
        assert client.base_url == "https://api.upvest.co"


def test_environment_argument_beats_base_url_environment_variable(up: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    # resolve_base_url's own docstring: "from the arguments, then the environment variables".
    monkeypatch.setenv("UPVEST_BASE_URL", "https://from-env.example")
    with up.Client(environment="live") as client:
        assert client.base_url == "https://api.upvest.co"


def test_unknown_environment_argument_raises(up: Any) -> None:
    with pytest.raises(ValueError, match="staging"):
        up.Client(environment="staging")


def test_unknown_environment_variable_raises(up: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("UPVEST_ENVIRONMENT", "production")
    with pytest.raises(ValueError, match="production"):
        up.Client()
    with pytest.raises(ValueError, match="production"):
        up.AsyncClient()


def test_context_manager_closes_the_client(up: Any, api: Any) -> None:
    with up.Client(base_url=BASE_URL, access_token=TOKEN) as client:
        pass
    with pytest.raises(RuntimeError):  # httpx refuses to send on a closed client
        client.orders.retrieve(order_id=uuid.UUID(ORDER_ID))


def test_context_manager_leaves_a_given_http_client_open(up: Any, api: Any) -> None:
    route = api.get(f"/orders/{ORDER_ID}").mock(return_value=ok(order_payload()))
    http = httpx.Client()
    with up.Client(base_url=BASE_URL, access_token=TOKEN, http_client=http) as client:
        client.orders.retrieve(order_id=uuid.UUID(ORDER_ID))
    assert not http.is_closed
    assert route.call_count == 1
    http.close()


def test_async_context_manager_closes_the_client(up: Any, api: Any) -> None:
    async def main() -> None:
        async with up.AsyncClient(base_url=BASE_URL, access_token=TOKEN, max_retries=0) as client:
            pass
        with pytest.raises(RuntimeError):
            await client.orders.retrieve(order_id=uuid.UUID(ORDER_ID))

    asyncio.run(main())


def test_repr_hides_the_access_token(up: Any) -> None:
    with up.Client(base_url=BASE_URL, access_token=TOKEN) as client:
        assert TOKEN not in repr(client)
        assert TOKEN not in str(client)
        assert BASE_URL in repr(client)
    async_client = up.AsyncClient(base_url=BASE_URL, access_token=TOKEN, max_retries=0)
    assert TOKEN not in repr(async_client)


# --------------------------------------------------------------------------------------------------
# What goes over the wire
# --------------------------------------------------------------------------------------------------


def test_retrieve_order_request(up: Any, client: Any, api: Any) -> None:
    route = api.get(f"/orders/{ORDER_ID}").mock(return_value=ok(order_payload()))
    client.orders.retrieve(order_id=uuid.UUID(ORDER_ID))
    request = sent(route)
    assert request.method == "GET"
    assert str(request.url) == f"{BASE_URL}/orders/{ORDER_ID}"
    assert request.headers["authorization"] == f"Bearer {TOKEN}"
    assert request.headers["accept"] == "application/json"
    user_agent = request.headers["user-agent"]
    assert user_agent.startswith(f"upvest_investment_client/{up.__version__}")
    assert f"httpx/{httpx.__version__}" in user_agent
    assert "idempotency-key" not in request.headers
    assert "content-type" not in request.headers
    assert request.content == b""


def test_path_parameters_are_percent_encoded(client: Any, api: Any) -> None:
    route = api.route(method="GET").mock(
        return_value=ok(
            {
                "account_id": ACCOUNT_ID,
                "instrument": {"uuid": KEY_ID, "isin": "US0378331005"},
                "quantity": "1",
                "locked_for_trading": "0",
                "pending_settlement": "0",
                "available_for_trading": "1",
            }
        )
    )
    client.positions.retrieve(account_id=uuid.UUID(ACCOUNT_ID), instrument_id="urn:uuid:a/b c?d#e%f")
    assert sent(route).url.raw_path == (f"/accounts/{ACCOUNT_ID}/positions/urn:uuid:a%2Fb%20c%3Fd%23e%25f".encode())


def test_list_orders_query_parameters(up: Any, client: Any, api: Any) -> None:
    route = api.get("/orders").mock(return_value=ok({"meta": LIST_META, "data": [order_payload()]}))
    client.orders.list(
        user_id=uuid.UUID(USER_ID),
        status=up.models.OrderStatus.FILLED,
        offset=0,
        limit=50,
        sort="updated_at",
        order="DESC",
    )
    request = sent(route)
    assert request.url.path == "/orders"
    assert request.url.params.multi_items() == [
        ("user_id", USER_ID),
        ("status", "FILLED"),
        ("offset", "0"),
        ("limit", "50"),
        ("sort", "updated_at"),
        ("order", "DESC"),
    ]


def test_query_without_arguments_is_empty(client: Any, api: Any) -> None:
    route = api.get("/orders").mock(return_value=ok({"meta": LIST_META, "data": []}))
    client.orders.list()
    assert sent(route).url.query == b""


def test_query_dates_and_enum_literals(up: Any, client: Any, api: Any) -> None:
    route = api.get(f"/users/{USER_ID}/reports").mock(return_value=ok({"meta": LIST_META, "data": [report_payload()]}))
    client.reports.list(
        user_id=uuid.UUID(USER_ID),
        type="ANNUAL_TAX_STATEMENT",
        start_date=datetime.date(2024, 1, 1),
        end_date=datetime.date(2024, 12, 31),
    )
    assert sent(route).url.params.multi_items() == [
        ("type", "ANNUAL_TAX_STATEMENT"),
        ("start_date", "2024-01-01"),
        ("end_date", "2024-12-31"),
    ]


@pytest.mark.parametrize(("value", "wire"), [(True, "true"), (False, "false")])
def test_query_booleans(client: Any, api: Any, value: bool, wire: str) -> None:
    route = api.get("/instruments").mock(return_value=ok({"meta": LIST_META, "data": []}))
    client.instruments.list(fractional_trading=value, trading_status="ACTIVE")
    assert sent(route).url.params.multi_items() == [
        ("trading_status", "ACTIVE"),
        ("fractional_trading", wire),
    ]


def test_place_order_json_body(up: Any, client: Any, api: Any) -> None:
    route = api.post("/orders").mock(return_value=ok(order_payload(status="NEW"), status=202))
    client.orders.place(
        user_id=uuid.UUID(USER_ID),
        account_id=uuid.UUID(ACCOUNT_ID),
        side=up.models.OrderSide.SELL,
        instrument_id="US0378331005",
        instrument_id_type="ISIN",
        order_type="LIMIT",
        quantity=decimal.Decimal("10.50"),
        limit_price="150.25",
        expiry_date=datetime.date(2024, 12, 31),
        user_instrument_fit_acknowledgement=False,
    )
    request = sent(route)
    assert request.method == "POST"
    assert request.url.path == "/orders"
    assert request.headers["authorization"] == f"Bearer {TOKEN}"
    assert sent_json(route) == {
        "user_id": USER_ID,
        "account_id": ACCOUNT_ID,
        "side": "SELL",
        "instrument_id": "US0378331005",
        "instrument_id_type": "ISIN",
        "order_type": "LIMIT",
        "quantity": "10.50",
        "limit_price": "150.25",
        "expiry_date": "2024-12-31",
        "user_instrument_fit_acknowledgement": False,
    }


def test_place_order_omits_optional_arguments(client: Any, api: Any) -> None:
    route = api.post("/orders").mock(return_value=ok(order_payload(status="NEW"), status=202))
    client.orders.place(**PLACE_ARGS, cash_amount="1000.00")
    body = sent_json(route)
    assert body == {
        "user_id": USER_ID,
        "account_id": ACCOUNT_ID,
        "side": "BUY",
        "instrument_id": "US0378331005",
        "instrument_id_type": "ISIN",
        "order_type": "MARKET",
        "cash_amount": "1000.00",
    }
    for absent in ("quantity", "currency", "limit_price", "expiry_date", "client_reference"):
        assert absent not in body


def test_place_order_sends_required_constant_by_default(client: Any, api: Any) -> None:
    # instrument_id_type is required with the single value ISIN: callers need not repeat it.
    route = api.post("/orders").mock(return_value=ok(order_payload(status="NEW"), status=202))
    arguments = {k: v for k, v in PLACE_ARGS.items() if k != "instrument_id_type"}
    client.orders.place(**arguments, cash_amount="25")
    body = sent_json(route)
    assert body["instrument_id_type"] == "ISIN"
    assert "currency" not in body  # optional constant: left out when not given


def test_request_accepts_enum_values_the_client_does_not_know(client: Any, api: Any) -> None:
    route = api.post("/orders").mock(return_value=ok(order_payload(status="NEW"), status=202))
    client.orders.place(**{**PLACE_ARGS, "order_type": "STOP", "side": "SHORT"}, quantity="1")
    body = sent_json(route)
    assert (body["order_type"], body["side"]) == ("STOP", "SHORT")


@pytest.mark.parametrize("quantity", [decimal.Decimal("10.50"), "10.50"], ids=["decimal", "string"])
def test_decimal_quantity_keeps_its_digits(client: Any, api: Any, quantity: Any) -> None:
    route = api.post("/orders").mock(return_value=ok(order_payload(status="NEW"), status=202))
    client.orders.place(**PLACE_ARGS, quantity=quantity)
    assert sent_json(route)["quantity"] == "10.50"
    assert b'"quantity":"10.50"' in sent(route).content.replace(b" ", b"")


@pytest.mark.parametrize(
    "quantity",
    [decimal.Decimal("0.00000001"), "0.00000001", decimal.Decimal("1E+2")],
    ids=["decimal", "string", "positive-exponent"],
)
def test_small_decimal_quantity_is_not_scientific(client: Any, api: Any, quantity: Any) -> None:
    route = api.post("/orders").mock(return_value=ok(order_payload(status="NEW"), status=202))
    client.orders.place(**PLACE_ARGS, quantity=quantity)
    # The spec's decimal pattern is ^[0-9]+(\.[0-9]+)?$: no scientific notation.
    expected = "100" if quantity == decimal.Decimal("1E+2") else "0.00000001"
    assert sent_json(route)["quantity"] == expected


def test_idempotency_key_is_a_fresh_uuid4(client: Any, api: Any) -> None:
    route = api.post("/orders").mock(return_value=ok(order_payload(status="NEW"), status=202))
    client.orders.place(**PLACE_ARGS, cash_amount="10")
    client.orders.place(**PLACE_ARGS, cash_amount="10")
    keys = [call.request.headers["idempotency-key"] for call in route.calls]
    assert len(keys) == 2
    for key in keys:
        assert_uuid4(key)
    assert keys[0] != keys[1]


def test_caller_idempotency_key_is_used(client: Any, api: Any) -> None:
    route = api.post("/orders").mock(return_value=ok(order_payload(status="NEW"), status=202))
    client.orders.place(**PLACE_ARGS, cash_amount="10", options={"idempotency_key": "retry-key-42"})
    assert sent(route).headers.get_list("idempotency-key") == ["retry-key-42"]


def test_an_idempotency_key_for_an_operation_without_one_is_refused_before_sending(client: Any, api: Any) -> None:
    with pytest.raises(ValueError, match="takes no idempotency key"):
        client.orders.retrieve(order_id=uuid.UUID(ORDER_ID), options={"idempotency_key": "k-1"})
    assert api.calls.call_count == 0


CREATE_CALLS = [
    ("orders", "place", "/orders", dict(PLACE_ARGS, cash_amount="10")),
    (
        "accounts",
        "create",
        "/accounts",
        {"user_id": uuid.UUID(USER_ID), "account_group_id": uuid.UUID(ACCOUNT_GROUP_ID), "type": "TRADING"},
    ),
    ("account_groups", "create", "/account_groups", {"user_id": uuid.UUID(USER_ID), "type": "PERSONAL"}),
    ("webhooks", "create", "/webhooks", {"title": "All", "url": "https://tenant.example/hooks"}),
    (
        "fees",
        "create_collection",
        "/fees/collections",
        {
            "account_id": uuid.UUID(ACCOUNT_ID),
            "type": "SERVICE_FEE",
            "collection_amount": "2.50",
            "currency": "EUR",
            "period_start": datetime.date(2024, 1, 1),
            "period_end": datetime.date(2024, 3, 31),
        },
    ),
]


@pytest.mark.parametrize(("resource", "method", "path", "kwargs"), CREATE_CALLS, ids=[c[2] for c in CREATE_CALLS])
def test_every_create_operation_sends_an_idempotency_key(
    up: Any, client: Any, api: Any, resource: str, method: str, path: str, kwargs: dict[str, Any]
) -> None:
    # A 409 answer keeps the test independent of each operation's response shape; the request is what matters.
    route = api.post(path).mock(return_value=problem(409, title="Conflict"))
    with pytest.raises(up.ConflictError):
        getattr(getattr(client, resource), method)(**kwargs)
    request = sent(route)
    assert_uuid4(request.headers["idempotency-key"])
    assert request.headers["authorization"] == f"Bearer {TOKEN}"


def test_other_operations_send_no_idempotency_key(client: Any, api: Any) -> None:
    cancel = api.delete(f"/orders/{ORDER_ID}").mock(return_value=ok({"id": ORDER_ID, "status": "NEW"}, 202))
    update = api.patch(f"/accounts/{ACCOUNT_ID}").mock(return_value=ok(account_payload(name="Savings")))
    client.orders.cancel(order_id=uuid.UUID(ORDER_ID))
    client.accounts.update(account_id=uuid.UUID(ACCOUNT_ID), name="Savings")
    assert "idempotency-key" not in sent(cancel).headers
    assert "idempotency-key" not in sent(update).headers
    assert sent_json(update) == {"name": "Savings"}


def test_issue_token_sends_a_form_without_authorization(up: Any, client: Any, api: Any) -> None:
    route = api.post("/auth/token").mock(return_value=ok(TOKEN_RESPONSE))
    token = client.access_tokens.issue(
        client_id=uuid.UUID(CLIENT_ID),
        client_secret="s3cr3t&=+",
        grant_type="client_credentials",
        scope="users:read accounts:read",
    )
    request = sent(route)
    assert request.method == "POST"
    assert request.headers["content-type"] == "application/x-www-form-urlencoded"
    assert "authorization" not in request.headers
    assert "idempotency-key" not in request.headers
    assert parse_qs(request.content.decode("ascii"), strict_parsing=True) == {
        "client_id": [CLIENT_ID],
        "client_secret": ["s3cr3t&=+"],
        "grant_type": ["client_credentials"],
        "scope": ["users:read accounts:read"],
    }
    assert isinstance(token, up.models.AuthToken)
    assert token.access_token == "eyJhbGciOi.payload.signature"
    assert token.expires_in == 1800
    assert token.request_id == REQUEST_ID


def test_issue_token_grant_type_defaults_to_client_credentials(client: Any, api: Any) -> None:
    route = api.post("/auth/token").mock(return_value=ok(TOKEN_RESPONSE))
    client.access_tokens.issue(client_id=uuid.UUID(CLIENT_ID), client_secret="secret", scope="orders:read")
    assert parse_qs(sent(route).content.decode("ascii")) == {
        "client_id": [CLIENT_ID],
        "client_secret": ["secret"],
        "grant_type": ["client_credentials"],
        "scope": ["orders:read"],
    }


def test_get_jwks_sends_no_authorization(up: Any, client: Any, api: Any) -> None:
    route = api.get("/auth/verify_keys").mock(return_value=ok(JWKS))
    keys = client.webhooks.get_jwks()
    assert "authorization" not in sent(route).headers
    assert keys.keys[0].kid == uuid.UUID(KEY_ID)
    assert (keys.keys[0].kty, keys.keys[0].crv) == ("EC", "P-521")
    assert (keys.keys[0].x, keys.keys[0].y) == ("AbC", "dEf")
    assert keys.request_id == REQUEST_ID


def test_client_headers_go_on_every_request(up: Any, api: Any) -> None:
    jwks = api.get("/auth/verify_keys").mock(return_value=ok(JWKS))
    order = api.get(f"/orders/{ORDER_ID}").mock(return_value=ok(order_payload()))
    with up.Client(base_url=BASE_URL, access_token=TOKEN, headers={"Upvest-Client-Id": CLIENT_ID}) as client:
        client.webhooks.get_jwks()
        client.orders.retrieve(order_id=uuid.UUID(ORDER_ID))
    assert sent(jwks).headers["upvest-client-id"] == CLIENT_ID
    assert sent(order).headers["upvest-client-id"] == CLIENT_ID


def test_per_call_options_headers_query_and_timeout(client: Any, api: Any) -> None:
    route = api.get("/orders").mock(return_value=ok({"meta": LIST_META, "data": []}))
    client.orders.list(
        limit=5,
        options={"headers": {"X-Trace-Id": "trace-1"}, "query": {"debug": "yes"}, "timeout": 5.0},
    )
    request = sent(route)
    assert request.headers["x-trace-id"] == "trace-1"
    assert request.url.params.multi_items() == [("limit", "5"), ("debug", "yes")]
    assert request.extensions["timeout"] == {"connect": 5.0, "read": 5.0, "write": 5.0, "pool": 5.0}


def test_per_call_header_overrides_accept(client: Any, api: Any) -> None:
    route = api.get(f"/orders/{ORDER_ID}").mock(return_value=ok(order_payload()))
    client.orders.retrieve(order_id=uuid.UUID(ORDER_ID), options={"headers": {"Accept": "application/json; v=1"}})
    assert sent(route).headers.get_list("accept") == ["application/json; v=1"]


def test_default_and_client_timeouts(up: Any, client: Any, api: Any) -> None:
    route = api.get(f"/orders/{ORDER_ID}").mock(return_value=ok(order_payload()))
    client.orders.retrieve(order_id=uuid.UUID(ORDER_ID))
    assert sent(route).extensions["timeout"] == {"connect": 10.0, "read": 60.0, "write": 60.0, "pool": 60.0}
    with up.Client(base_url=BASE_URL, access_token=TOKEN, timeout=2.5) as quick:
        quick.orders.retrieve(order_id=uuid.UUID(ORDER_ID))
    assert sent(route).extensions["timeout"] == {"connect": 2.5, "read": 2.5, "write": 2.5, "pool": 2.5}


def test_webhook_update_sends_only_given_fields(client: Any, api: Any) -> None:
    route = api.patch(f"/webhooks/{WEBHOOK_ID}").mock(return_value=ok(webhook_payload(enabled=False)))
    result = client.webhooks.update(webhook_id=uuid.UUID(WEBHOOK_ID), enabled=False)
    assert sent(route).method == "PATCH"
    assert sent_json(route) == {"enabled": False}
    assert result.enabled is False


def test_webhook_create_body_with_enum_list_and_nested_dict(up: Any, client: Any, api: Any) -> None:
    route = api.post("/webhooks").mock(return_value=ok(webhook_payload(type=["ORDER", "USER"]), status=201))
    result = client.webhooks.create(
        title="Orders",
        url="https://tenant.example/hooks/upvest",
        type=[up.models.WebhookType.ORDER, "USER"],
        config={"delay": "5s"},
    )
    assert sent_json(route) == {
        "title": "Orders",
        "url": "https://tenant.example/hooks/upvest",
        "type": ["ORDER", "USER"],
        "config": {"delay": "5s"},
    }
    assert isinstance(result, up.models.Webhook)
    assert result.type == [up.models.WebhookType.ORDER, up.models.WebhookType.USER]


def test_create_user_body_from_dict(up: Any, client: Any, api: Any) -> None:
    route = api.post("/users").mock(return_value=ok(user_tol_payload()))
    result = client.users.create(
        body={
            "first_name": "Jane",
            "last_name": "Doe",
            "birth_date": datetime.date(1990, 1, 1),
            "nationalities": ["DE"],
            "address": {
                "address_line1": "Main Street 1",
                "postcode": "10115",
                "city": "Berlin",
                "country": "DE",
            },
            "email": "jane@example.com",
            "fatca": {
                "status": False,
                "confirmed_at": datetime.datetime(2024, 1, 1, tzinfo=datetime.timezone.utc),
            },
            "terms_and_conditions": {
                "consent_document_id": uuid.UUID(CLIENT_ID),
                "confirmed_at": datetime.datetime(2024, 1, 1, tzinfo=datetime.timezone.utc),
            },
        }
    )
    body = sent_json(route)
    assert body["birth_date"] == "1990-01-01"
    assert body["address"] == {
        "address_line1": "Main Street 1",
        "postcode": "10115",
        "city": "Berlin",
        "country": "DE",
    }
    assert datetime.datetime.fromisoformat(body["fatca"]["confirmed_at"].replace("Z", "+00:00")) == datetime.datetime(
        2024, 1, 1, tzinfo=datetime.timezone.utc
    )
    assert body["terms_and_conditions"]["consent_document_id"] == CLIENT_ID
    assert set(body) == {
        "first_name",
        "last_name",
        "birth_date",
        "nationalities",
        "address",
        "email",
        "fatca",
        "terms_and_conditions",
    }
    assert_uuid4(sent(route).headers["idempotency-key"])
    assert isinstance(result, up.models.UserTol)


def test_create_user_body_from_model(up: Any, client: Any, api: Any) -> None:
    route = api.post("/users").mock(return_value=ok(user_byol_payload()))
    body = up.models.UserByolCreateRequest(
        first_name="Jane",
        last_name="Doe",
        birth_date=datetime.date(1990, 1, 1),
        nationalities=["DE", "FR"],
        address=up.models.Address(address_line1="Main Street 1", postcode="10115", city="Berlin", country="DE"),
    )
    client.users.create(body=body)
    assert sent_json(route) == {
        "first_name": "Jane",
        "last_name": "Doe",
        "birth_date": "1990-01-01",
        "nationalities": ["DE", "FR"],
        "address": {"address_line1": "Main Street 1", "postcode": "10115", "city": "Berlin", "country": "DE"},
    }


# --------------------------------------------------------------------------------------------------
# Generated method signatures
# --------------------------------------------------------------------------------------------------


def _public_methods(resource: Any) -> dict[str, Any]:
    return {name: member for name, member in inspect.getmembers(resource, inspect.ismethod) if not name.startswith("_")}


def _resource_names(client_class: type) -> list[str]:
    return [name for name, value in vars(client_class).items() if isinstance(value, functools.cached_property)]


@pytest.mark.parametrize("client_class", ["Client", "AsyncClient"])
def test_no_method_takes_transport_headers_as_parameters(up: Any, client_class: str) -> None:
    cls = getattr(up, client_class)
    client = cls(base_url=BASE_URL, access_token=TOKEN)
    assert set(_resource_names(cls)) == RESOURCES
    checked = 0
    for resource_name in sorted(RESOURCES):
        for method_name, method in _public_methods(getattr(client, resource_name)).items():
            parameters = inspect.signature(method).parameters
            where = f"{client_class}.{resource_name}.{method_name}"
            assert not FORBIDDEN_PARAMETERS & set(parameters), where
            assert "options" in parameters, where
            assert all(p.kind is inspect.Parameter.KEYWORD_ONLY for p in parameters.values()), where
            # annotations users see (help(), hovers) name public things: `Order`, `uuid.UUID`, not `_models.Order`
            shown = [str(p.annotation) for p in parameters.values()] + [inspect.signature(method).return_annotation]
            assert not any(re.search(r"(?<![\w.])_\w+\.", text) for text in shown), (where, shown)
            # async list methods return an AsyncPaginator (awaitable, async-iterable) without being coroutines
            paginated = inspect.signature(method).return_annotation.startswith(("SyncPage[", "AsyncPaginator["))
            assert inspect.iscoroutinefunction(method) is (client_class == "AsyncClient" and not paginated), where
            checked += 1
    assert checked == OPERATION_COUNT
    if client_class == "Client":
        client.close()


@pytest.mark.parametrize("client_class", ["Client", "AsyncClient"])
def test_with_raw_response_offers_every_method(up: Any, client_class: str) -> None:
    client = getattr(up, client_class)(base_url=BASE_URL, access_token=TOKEN)
    for resource_name in RESOURCES:
        resource = getattr(client, resource_name)
        raw_names = {name for name in vars(resource.with_raw_response) if not name.startswith("_")}
        assert raw_names == set(_public_methods(resource)), resource_name


# --------------------------------------------------------------------------------------------------
# Responses
# --------------------------------------------------------------------------------------------------


def test_order_response_types(up: Any, client: Any, api: Any) -> None:
    api.get(f"/orders/{ORDER_ID}").mock(return_value=ok(order_payload()))
    order = client.orders.retrieve(order_id=uuid.UUID(ORDER_ID))
    assert isinstance(order, up.models.Order)
    assert order.request_id == REQUEST_ID
    assert order.id == uuid.UUID(ORDER_ID)
    assert isinstance(order.user_id, uuid.UUID)
    assert order.created_at == UTC_TIMESTAMP
    assert order.updated_at == UTC_TIMESTAMP + datetime.timedelta(milliseconds=250)
    assert order.updated_at.utcoffset() == datetime.timedelta(hours=2)
    assert isinstance(order.quantity, decimal.Decimal)
    assert str(order.quantity) == "10.50"
    assert order.limit_price == decimal.Decimal("150.25")
    assert order.fee == decimal.Decimal("1.00")
    assert order.cash_amount is None
    assert order.expiry_date == datetime.date(2024, 12, 31)
    assert order.status is up.models.OrderStatus.FILLED
    assert order.side is up.models.OrderSide.BUY
    (execution,) = order.executions
    assert isinstance(execution, up.models.OrderExecution)
    assert execution.id == uuid.UUID(EXECUTION_ID)
    assert execution.cash_amount == decimal.Decimal("1577.63")
    assert isinstance(execution.price, decimal.Decimal)
    assert execution.transaction_time == datetime.datetime(2024, 5, 6, 9, 0, tzinfo=datetime.timezone.utc)
    assert execution.settlement_date == datetime.date(2024, 5, 8)
    assert execution.status is up.models.OrderExecutionStatus.SETTLED


def test_list_response_meta_and_items(up: Any, client: Any, api: Any) -> None:
    api.get("/orders").mock(
        return_value=ok({"meta": LIST_META, "data": [order_payload(), order_payload(id=EXECUTION_ID)]})
    )
    page = client.orders.list()
    assert isinstance(page.response, up.models.OrdersListResponse)
    assert page.request_id == REQUEST_ID
    assert (page.meta.offset, page.meta.limit, page.meta.count, page.meta.total_count) == (0, 100, 2, 2)
    assert page.meta.order is up.models.ListMetaOrder.ASC
    assert [o.id for o in page.data] == [uuid.UUID(ORDER_ID), uuid.UUID(EXECUTION_ID)]


def test_unknown_fields_are_kept(client: Any, api: Any) -> None:
    payload = order_payload(new_top_level_field={"nested": [1, 2]})
    payload["executions"][0]["venue"] = "XETRA"
    api.get(f"/orders/{ORDER_ID}").mock(return_value=ok(payload))
    order = client.orders.retrieve(order_id=uuid.UUID(ORDER_ID))
    assert order.model_extra == {"new_top_level_field": {"nested": [1, 2]}}
    assert order.new_top_level_field == {"nested": [1, 2]}
    assert order.executions[0].venue == "XETRA"


def test_unknown_enum_values_are_accepted(up: Any, client: Any, api: Any) -> None:
    payload = order_payload(status="PARTIALLY_FILLED", cancellation_reason="CANCELLED_BY_MARKET_HALT")
    payload["executions"][0]["status"] = "REVERSED"
    api.get(f"/orders/{ORDER_ID}").mock(return_value=ok(payload))
    order = client.orders.retrieve(order_id=uuid.UUID(ORDER_ID))
    assert isinstance(order.status, up.models.OrderStatus)
    assert order.status.value == "PARTIALLY_FILLED"
    assert order.status == "PARTIALLY_FILLED"
    assert str(order.status) == "PARTIALLY_FILLED"
    assert order.cancellation_reason.value == "CANCELLED_BY_MARKET_HALT"
    assert order.executions[0].status.value == "REVERSED"
    # Known values still map to their members.
    assert order.side is up.models.OrderSide.BUY


def test_unknown_enum_value_in_a_list(up: Any, client: Any, api: Any) -> None:
    api.get(f"/webhooks/{WEBHOOK_ID}").mock(return_value=ok(webhook_payload(type=["ORDER", "TAX_EVENT"])))
    webhook = client.webhooks.retrieve(webhook_id=uuid.UUID(WEBHOOK_ID))
    assert [t.value for t in webhook.type] == ["ORDER", "TAX_EVENT"]
    assert webhook.type[0] is up.models.WebhookType.ORDER


def test_unknown_value_of_a_single_value_enum_is_accepted(client: Any, api: Any) -> None:
    payload = order_payload(currency="USD", instrument_id_type="WKN")
    payload["executions"][0]["currency"] = "USD"
    api.get(f"/orders/{ORDER_ID}").mock(return_value=ok(payload))
    order = client.orders.retrieve(order_id=uuid.UUID(ORDER_ID))
    assert order.currency == "USD"
    assert order.instrument_id_type == "WKN"
    assert order.executions[0].currency == "USD"


def test_unknown_enum_value_survives_serialisation(client: Any, api: Any) -> None:
    api.delete(f"/orders/{ORDER_ID}").mock(return_value=ok({"id": ORDER_ID, "status": "PARKED"}, status=202))
    result = client.orders.cancel(order_id=uuid.UUID(ORDER_ID))
    assert result.model_dump(mode="json") == {"id": ORDER_ID, "status": "PARKED"}


def test_json_body_without_content_type_is_parsed(up: Any, client: Any, api: Any) -> None:
    api.get(f"/orders/{ORDER_ID}").mock(
        return_value=httpx.Response(200, content=json.dumps(order_payload()).encode(), headers=response_headers())
    )
    order = client.orders.retrieve(order_id=uuid.UUID(ORDER_ID))
    assert isinstance(order, up.models.Order)
    assert order.request_id == REQUEST_ID


def test_response_without_request_id_header(client: Any, api: Any) -> None:
    api.get(f"/orders/{ORDER_ID}").mock(return_value=ok(order_payload(), request_id=None))
    assert client.orders.retrieve(order_id=uuid.UUID(ORDER_ID)).request_id is None


@pytest.mark.parametrize(
    ("payload", "variant"),
    [(user_byol_payload(), "UserByol"), (user_tol_payload(), "UserTol")],
    ids=["byol", "tol"],
)
def test_user_oneof_picks_the_matching_variant(up: Any, client: Any, api: Any, payload: dict, variant: str) -> None:
    api.get(f"/users/{USER_ID}").mock(return_value=ok(payload))
    user = client.users.retrieve(user_id=uuid.UUID(USER_ID))
    assert type(user) is getattr(up.models, variant)
    assert user.request_id == REQUEST_ID
    assert user.birth_date == datetime.date(1990, 1, 1)
    assert user.salutation is up.models.UserSalutation.SALUTATION_FEMALE
    assert user.postal_address is None


def test_tol_user_fields(up: Any, client: Any, api: Any) -> None:
    api.get(f"/users/{USER_ID}").mock(return_value=ok(user_tol_payload()))
    user = client.users.retrieve(user_id=uuid.UUID(USER_ID))
    assert user.email == "jane@example.com"
    assert user.fatca.status is False
    assert user.fatca.confirmed_at == datetime.datetime(2024, 1, 1, tzinfo=datetime.timezone.utc)
    assert user.terms_and_conditions.consent_document_id == uuid.UUID(CLIENT_ID)


def test_user_list_mixes_variants(up: Any, client: Any, api: Any) -> None:
    api.get("/users").mock(return_value=ok({"meta": LIST_META, "data": [user_tol_payload(), user_byol_payload()]}))
    page = client.users.list()
    assert [type(u).__name__ for u in page.data] == ["UserTol", "UserByol"]


@pytest.mark.parametrize(
    ("resource", "method", "http_method", "path", "status", "kwargs"),
    [
        ("users", "offboard", "DELETE", f"/users/{USER_ID}", 202, {"user_id": uuid.UUID(USER_ID)}),
        (
            "accounts",
            "closure",
            "DELETE",
            f"/accounts/{ACCOUNT_ID}",
            202,
            {"account_id": uuid.UUID(ACCOUNT_ID)},
        ),
        (
            "webhooks",
            "delete",
            "DELETE",
            f"/webhooks/{WEBHOOK_ID}",
            204,
            {"webhook_id": uuid.UUID(WEBHOOK_ID)},
        ),
        (
            "webhooks",
            "test",
            "POST",
            f"/webhooks/{WEBHOOK_ID}/test",
            202,
            {"webhook_id": uuid.UUID(WEBHOOK_ID)},
        ),
    ],
    ids=["offboard_user", "account_closure", "delete_webhook", "test_webhook"],
)
def test_responses_without_body_return_no_content(
    up: Any,
    client: Any,
    api: Any,
    resource: str,
    method: str,
    http_method: str,
    path: str,
    status: int,
    kwargs: dict,
) -> None:
    route = api.route(method=http_method, path=path).mock(return_value=empty(status))
    result = getattr(getattr(client, resource), method)(**kwargs)
    assert isinstance(result, up.NoContent)
    assert result.status_code == status
    assert result.request_id == REQUEST_ID
    assert result.headers["upvest-request-id"] == REQUEST_ID
    assert sent(route).headers["authorization"] == f"Bearer {TOKEN}"
    assert "content-type" not in sent(route).headers


def test_cancel_order_202_with_body(up: Any, client: Any, api: Any) -> None:
    api.delete(f"/orders/{ORDER_ID}").mock(return_value=ok({"id": ORDER_ID, "status": "NEW"}, status=202))
    result = client.orders.cancel(order_id=uuid.UUID(ORDER_ID))
    assert isinstance(result, up.models.OrderCancelResponse)
    assert result.id == uuid.UUID(ORDER_ID)
    assert result.status is up.models.OrderStatus.NEW
    assert result.request_id == REQUEST_ID


def test_retrieve_report_as_pdf(up: Any, client: Any, api: Any) -> None:
    pdf = b"%PDF-1.7\n\x00\xff binary \x89 data\n%%EOF"
    route = api.get(f"/reports/{REPORT_ID}").mock(
        return_value=httpx.Response(200, content=pdf, headers=response_headers(**{"content-type": "application/pdf"}))
    )
    result = client.reports.retrieve(report_id=uuid.UUID(REPORT_ID), accept="application/pdf")
    assert sent(route).headers.get_list("accept") == ["application/pdf"]
    assert isinstance(result, up.BinaryContent)
    assert isinstance(result, bytes)
    assert bytes(result) == pdf
    assert result.content_type == "application/pdf"
    assert result.request_id == REQUEST_ID


def test_retrieve_report_as_json(up: Any, client: Any, api: Any) -> None:
    route = api.get(f"/reports/{REPORT_ID}").mock(return_value=ok(report_payload()))
    result = client.reports.retrieve(report_id=uuid.UUID(REPORT_ID), accept="application/json")
    assert sent(route).headers.get_list("accept") == ["application/json"]
    assert isinstance(result, up.models.Report)
    assert result.type is up.models.ReportType.BUY_ORDER
    assert result.substituted_report_id is None
    assert result.data.account.id == uuid.UUID(ACCOUNT_ID)
    assert result.request_id == REQUEST_ID


def test_retrieve_report_without_accept_reads_json(up: Any, client: Any, api: Any) -> None:
    route = api.get(f"/reports/{REPORT_ID}").mock(return_value=ok(report_payload()))
    result = client.reports.retrieve(report_id=uuid.UUID(REPORT_ID))
    assert "application/json" in sent(route).headers["accept"]
    assert isinstance(result, up.models.Report)


def test_response_missing_a_required_field_raises_validation_error(up: Any, client: Any, api: Any) -> None:
    payload = order_payload()
    del payload["status"]
    api.get(f"/orders/{ORDER_ID}").mock(return_value=ok(payload))
    with pytest.raises(up.APIResponseValidationError) as caught:
        client.orders.retrieve(order_id=uuid.UUID(ORDER_ID))
    error = caught.value
    assert isinstance(error, up.Error)
    assert not isinstance(error, up.APIError)
    assert error.request_id == REQUEST_ID
    assert error.response.status_code == 200
    assert REQUEST_ID in str(error)
    assert "status" in str(error)
    assert TOKEN not in str(error)


def test_response_with_invalid_json_raises_validation_error(up: Any, client: Any, api: Any) -> None:
    api.get(f"/orders/{ORDER_ID}").mock(
        return_value=httpx.Response(
            200, content=b"{not json", headers=response_headers(**{"content-type": "application/json"})
        )
    )
    with pytest.raises(up.APIResponseValidationError) as caught:
        client.orders.retrieve(order_id=uuid.UUID(ORDER_ID))
    assert caught.value.request_id == REQUEST_ID
    assert REQUEST_ID in str(caught.value)


def test_response_without_expected_body_raises_validation_error(up: Any, client: Any, api: Any) -> None:
    api.get(f"/orders/{ORDER_ID}").mock(return_value=empty(200))
    with pytest.raises(up.APIResponseValidationError) as caught:
        client.orders.retrieve(order_id=uuid.UUID(ORDER_ID))
    assert caught.value.request_id == REQUEST_ID


def test_response_with_wrong_types_raises_validation_error(up: Any, client: Any, api: Any) -> None:
    api.get(f"/orders/{ORDER_ID}").mock(return_value=ok(order_payload(id="not-a-uuid")))
    with pytest.raises(up.APIResponseValidationError) as caught:
        client.orders.retrieve(order_id=uuid.UUID(ORDER_ID))
    assert caught.value.request_id == REQUEST_ID


# --------------------------------------------------------------------------------------------------
# Errors
# --------------------------------------------------------------------------------------------------

ERROR_CLASSES = [
    (400, "BadRequestError"),
    (401, "UnauthorizedError"),
    (403, "ForbiddenError"),
    (404, "NotFoundError"),
    (409, "ConflictError"),
    (422, "UnprocessableEntityError"),
    (429, "RateLimitError"),
    (500, "InternalServerError"),
    (503, "ServiceUnavailableError"),
]


@pytest.mark.parametrize(("status", "class_name"), ERROR_CLASSES, ids=[str(s) for s, _ in ERROR_CLASSES])
def test_error_status_raises_its_class(up: Any, client: Any, api: Any, status: int, class_name: str) -> None:
    api.delete(f"/orders/{ORDER_ID}").mock(
        return_value=problem(
            status,
            title="Order problem",
            detail=f"detail for {status}",
            type_=f"https://docs.upvest.co/errors/{status}",
        )
    )
    error_class = getattr(up, class_name)
    with pytest.raises(up.APIError) as caught:
        client.orders.cancel(order_id=uuid.UUID(ORDER_ID))
    error = caught.value
    assert type(error) is error_class
    assert issubclass(error_class, up.APIError)
    assert isinstance(error, up.Error)
    assert error.status_code == status
    assert error.request_id == REQUEST_ID
    assert isinstance(error.problem, up.Problem)
    assert error.problem.title == "Order problem"
    assert error.problem.detail == f"detail for {status}"
    assert error.problem.type == f"https://docs.upvest.co/errors/{status}"
    assert error.problem.status == status
    assert error.response.status_code == status
    message = str(error)
    assert str(status) in message
    assert REQUEST_ID in message
    assert TOKEN not in message
    assert TOKEN not in repr(error)


def test_error_request_id_falls_back_to_the_problem_body(up: Any, client: Any, api: Any) -> None:
    api.get(f"/orders/{ORDER_ID}").mock(return_value=problem(404, request_id=None, body_request_id=OTHER_REQUEST_ID))
    with pytest.raises(up.NotFoundError) as caught:
        client.orders.retrieve(order_id=uuid.UUID(ORDER_ID))
    assert caught.value.request_id == OTHER_REQUEST_ID
    assert caught.value.problem.request_id == OTHER_REQUEST_ID
    assert OTHER_REQUEST_ID in str(caught.value)


def test_error_request_id_header_wins_over_the_problem_body(up: Any, client: Any, api: Any) -> None:
    api.get(f"/orders/{ORDER_ID}").mock(return_value=problem(404, body_request_id=OTHER_REQUEST_ID))
    with pytest.raises(up.NotFoundError) as caught:
        client.orders.retrieve(order_id=uuid.UUID(ORDER_ID))
    assert caught.value.request_id == REQUEST_ID


def test_non_json_error_body(up: Any, client: Any, api: Any) -> None:
    api.get(f"/orders/{ORDER_ID}").mock(
        return_value=httpx.Response(
            500,
            content=b"<html>upstream exploded</html>",
            headers=response_headers(**{"content-type": "text/html"}),
        )
    )
    with pytest.raises(up.InternalServerError) as caught:
        client.orders.retrieve(order_id=uuid.UUID(ORDER_ID))
    error = caught.value
    assert error.problem is None
    assert error.status_code == 500
    assert error.request_id == REQUEST_ID
    assert error.body == "<html>upstream exploded</html>"
    assert "500" in str(error) and REQUEST_ID in str(error)


def test_json_error_body_that_is_not_a_problem(up: Any, client: Any, api: Any) -> None:
    api.get(f"/orders/{ORDER_ID}").mock(return_value=ok(["unexpected", "list"], status=403))
    with pytest.raises(up.ForbiddenError) as caught:
        client.orders.retrieve(order_id=uuid.UUID(ORDER_ID))
    assert caught.value.problem is None
    assert caught.value.request_id == REQUEST_ID


def test_unlisted_status_raises_the_base_class(up: Any, client: Any, api: Any) -> None:
    api.get(f"/orders/{ORDER_ID}").mock(return_value=problem(418, title="Teapot"))
    with pytest.raises(up.APIError) as caught:
        client.orders.retrieve(order_id=uuid.UUID(ORDER_ID))
    assert type(caught.value) is up.APIError
    assert caught.value.status_code == 418


def test_connection_error(up: Any, client: Any, api: Any) -> None:
    api.get(f"/orders/{ORDER_ID}").mock(side_effect=httpx.ConnectError)
    with pytest.raises(up.APIConnectionError) as caught:
        client.orders.retrieve(order_id=uuid.UUID(ORDER_ID))
    error = caught.value
    assert not isinstance(error, up.APITimeoutError)
    assert isinstance(error.__cause__, httpx.ConnectError)
    assert error.request.url == f"{BASE_URL}/orders/{ORDER_ID}"
    assert TOKEN not in str(error)


@pytest.mark.parametrize("exception", [httpx.ConnectTimeout, httpx.ReadTimeout])
def test_timeout_error(up: Any, client: Any, api: Any, exception: type[Exception]) -> None:
    api.get(f"/orders/{ORDER_ID}").mock(side_effect=exception)
    with pytest.raises(up.APITimeoutError) as caught:
        client.orders.retrieve(order_id=uuid.UUID(ORDER_ID))
    assert isinstance(caught.value, up.APIConnectionError)
    assert isinstance(caught.value.__cause__, exception)
    assert TOKEN not in str(caught.value)


# --------------------------------------------------------------------------------------------------
# Raw responses
# --------------------------------------------------------------------------------------------------


def test_raw_response_retrieve_order(up: Any, client: Any, api: Any) -> None:
    api.get(f"/orders/{ORDER_ID}").mock(
        return_value=httpx.Response(
            200, json=order_payload(), headers=response_headers(**{"x-ratelimit-remaining": "99"})
        )
    )
    raw = client.orders.with_raw_response.retrieve(order_id=uuid.UUID(ORDER_ID))
    assert isinstance(raw, up.APIResponse)
    assert raw.status_code == 200
    assert raw.headers["x-ratelimit-remaining"] == "99"
    assert raw.request_id == REQUEST_ID
    order = raw.parse()
    assert isinstance(order, up.models.Order)
    assert order.id == uuid.UUID(ORDER_ID)
    assert order.request_id == REQUEST_ID
    assert raw.http_response.request.headers["authorization"] == f"Bearer {TOKEN}"


def test_raw_response_get_jwks(up: Any, client: Any, api: Any) -> None:
    api.get("/auth/verify_keys").mock(return_value=ok(JWKS))
    raw = client.webhooks.with_raw_response.get_jwks()
    assert raw.status_code == 200
    assert raw.request_id == REQUEST_ID
    assert isinstance(raw.parse(), up.models.AuthVerificationKeys)


def test_raw_response_no_content(up: Any, client: Any, api: Any) -> None:
    api.delete(f"/users/{USER_ID}").mock(return_value=empty(202))
    raw = client.users.with_raw_response.offboard(user_id=uuid.UUID(USER_ID))
    assert raw.status_code == 202
    assert raw.request_id == REQUEST_ID
    assert isinstance(raw.parse(), up.NoContent)


def test_raw_response_still_raises_errors(up: Any, client: Any, api: Any) -> None:
    api.get(f"/orders/{ORDER_ID}").mock(return_value=problem(404))
    with pytest.raises(up.NotFoundError):
        client.orders.with_raw_response.retrieve(order_id=uuid.UUID(ORDER_ID))


# --------------------------------------------------------------------------------------------------
# AsyncClient
# --------------------------------------------------------------------------------------------------


def run_async(up: Any, body: Any, **client_kwargs: Any) -> Any:
    """Runs `await body(client)` with a fresh AsyncClient inside asyncio.run."""

    async def main() -> Any:
        kwargs = {"base_url": BASE_URL, "access_token": TOKEN, "max_retries": 0, **client_kwargs}
        async with up.AsyncClient(**kwargs) as client:
            return await body(client)

    return asyncio.run(main())


def test_async_retrieve_order(up: Any, api: Any) -> None:
    route = api.get(f"/orders/{ORDER_ID}").mock(return_value=ok(order_payload()))
    order = run_async(up, lambda c: c.orders.retrieve(order_id=uuid.UUID(ORDER_ID)))
    assert isinstance(order, up.models.Order)
    assert order.quantity == decimal.Decimal("10.50")
    assert order.request_id == REQUEST_ID
    request = sent(route)
    assert request.headers["authorization"] == f"Bearer {TOKEN}"
    assert request.headers["accept"] == "application/json"


def test_async_place_order(up: Any, api: Any) -> None:
    route = api.post("/orders").mock(return_value=ok(order_payload(status="NEW"), status=202))
    order = run_async(
        up,
        lambda c: c.orders.place(
            **PLACE_ARGS,
            quantity=decimal.Decimal("10.50"),
            client_reference="ref-1",
            options={"idempotency_key": "k-1"},
        ),
    )
    assert order.status is up.models.OrderStatus.NEW
    assert sent(route).headers["idempotency-key"] == "k-1"
    assert sent_json(route) == {
        "user_id": USER_ID,
        "account_id": ACCOUNT_ID,
        "side": "BUY",
        "instrument_id": "US0378331005",
        "instrument_id_type": "ISIN",
        "order_type": "MARKET",
        "quantity": "10.50",
        "client_reference": "ref-1",
    }


def test_async_generated_idempotency_key(up: Any, api: Any) -> None:
    route = api.post("/accounts").mock(return_value=ok(account_payload()))
    account = run_async(
        up,
        lambda c: c.accounts.create(
            user_id=uuid.UUID(USER_ID), account_group_id=uuid.UUID(ACCOUNT_GROUP_ID), type="TRADING"
        ),
    )
    assert_uuid4(sent(route).headers["idempotency-key"])
    assert sent_json(route) == {"user_id": USER_ID, "account_group_id": ACCOUNT_GROUP_ID, "type": "TRADING"}
    assert account.account_number == 1


def test_async_issue_token_without_authorization(up: Any, api: Any) -> None:
    route = api.post("/auth/token").mock(return_value=ok(TOKEN_RESPONSE))
    token = run_async(
        up,
        lambda c: c.access_tokens.issue(
            client_id=uuid.UUID(CLIENT_ID),
            client_secret="secret",
            grant_type="client_credentials",
            scope="orders:read",
        ),
    )
    assert "authorization" not in sent(route).headers
    assert parse_qs(sent(route).content.decode())["grant_type"] == ["client_credentials"]
    assert token.scope == "users:read accounts:read"


def test_async_error(up: Any, api: Any) -> None:
    api.get(f"/orders/{ORDER_ID}").mock(return_value=problem(429, title="Slow down"))
    with pytest.raises(up.RateLimitError) as caught:
        run_async(up, lambda c: c.orders.retrieve(order_id=uuid.UUID(ORDER_ID)))
    assert caught.value.status_code == 429
    assert caught.value.problem.title == "Slow down"
    assert caught.value.request_id == REQUEST_ID


def test_async_no_content(up: Any, api: Any) -> None:
    api.delete(f"/accounts/{ACCOUNT_ID}").mock(return_value=empty(202))
    result = run_async(up, lambda c: c.accounts.closure(account_id=uuid.UUID(ACCOUNT_ID)))
    assert isinstance(result, up.NoContent)
    assert (result.status_code, result.request_id) == (202, REQUEST_ID)


def test_async_report_pdf(up: Any, api: Any) -> None:
    api.get(f"/reports/{REPORT_ID}").mock(
        return_value=httpx.Response(
            200, content=b"%PDF-1.4", headers=response_headers(**{"content-type": "application/pdf"})
        )
    )
    result = run_async(up, lambda c: c.reports.retrieve(report_id=uuid.UUID(REPORT_ID), accept="application/pdf"))
    assert isinstance(result, up.BinaryContent)
    assert (bytes(result), result.content_type, result.request_id) == (
        b"%PDF-1.4",
        "application/pdf",
        REQUEST_ID,
    )


def test_async_raw_response(up: Any, api: Any) -> None:
    api.get(f"/orders/{ORDER_ID}").mock(return_value=ok(order_payload()))
    raw = run_async(up, lambda c: c.orders.with_raw_response.retrieve(order_id=uuid.UUID(ORDER_ID)))
    assert isinstance(raw, up.APIResponse)
    assert raw.status_code == 200
    assert raw.request_id == REQUEST_ID
    assert raw.headers["upvest-request-id"] == REQUEST_ID
    assert isinstance(raw.parse(), up.models.Order)
    assert raw.parse().id == uuid.UUID(ORDER_ID)


def test_async_timeout(up: Any, api: Any) -> None:
    api.get(f"/orders/{ORDER_ID}").mock(side_effect=httpx.ConnectTimeout)
    with pytest.raises(up.APITimeoutError):
        run_async(up, lambda c: c.orders.retrieve(order_id=uuid.UUID(ORDER_ID)))


def test_async_connection_error(up: Any, api: Any) -> None:
    api.get(f"/orders/{ORDER_ID}").mock(side_effect=httpx.ConnectError)
    with pytest.raises(up.APIConnectionError) as caught:
        run_async(up, lambda c: c.orders.retrieve(order_id=uuid.UUID(ORDER_ID)))
    assert not isinstance(caught.value, up.APITimeoutError)


def test_async_response_validation_error(up: Any, api: Any) -> None:
    api.get(f"/users/{USER_ID}").mock(return_value=ok({"id": USER_ID}))
    with pytest.raises(up.APIResponseValidationError) as caught:
        run_async(up, lambda c: c.users.retrieve(user_id=uuid.UUID(USER_ID)))
    assert caught.value.request_id == REQUEST_ID


def test_async_concurrent_raw_responses_keep_their_own_response(up: Any, api: Any) -> None:
    api.get(f"/orders/{ORDER_ID}").mock(return_value=ok(order_payload(), request_id=REQUEST_ID))
    api.get(f"/users/{USER_ID}").mock(return_value=ok(user_byol_payload(), request_id=OTHER_REQUEST_ID))

    async def both(c: Any) -> Any:
        return await asyncio.gather(
            c.orders.with_raw_response.retrieve(order_id=uuid.UUID(ORDER_ID)),
            c.users.with_raw_response.retrieve(user_id=uuid.UUID(USER_ID)),
        )

    order_raw, user_raw = run_async(up, both)
    assert order_raw.request_id == REQUEST_ID
    assert isinstance(order_raw.parse(), up.models.Order)
    assert user_raw.request_id == OTHER_REQUEST_ID
    assert isinstance(user_raw.parse(), up.models.UserByol)


def test_async_raw_response_no_content(up: Any, api: Any) -> None:
    api.delete(f"/webhooks/{WEBHOOK_ID}").mock(return_value=empty(204))
    raw = run_async(up, lambda c: c.webhooks.with_raw_response.delete(webhook_id=uuid.UUID(WEBHOOK_ID)))
    assert raw.status_code == 204
    assert raw.request_id == REQUEST_ID
    assert isinstance(raw.parse(), up.NoContent)
