"""The test kit every generated package ships (`<package>.testing.MockAPI`), used as its users would: a small
"application" written against our Upvest client, tested with the kit only, sync and async; a wrong argument in
the application is caught by the kit, naming the operation."""

from __future__ import annotations

import asyncio
import datetime
import decimal
import subprocess
import sys
import uuid

import pytest

from conftest import OUTPUT

if str(OUTPUT) not in sys.path:  # the committed client, imported as its users do (conftest's upvest_client_path)
    sys.path.insert(0, str(OUTPUT))

from upvest_investment_client import AsyncClient, Client, ConflictError, models  # noqa: E402
from upvest_investment_client.testing import MockAPI, MockAPIError  # noqa: E402

USER = uuid.UUID("05e7712e-ff8b-4f04-b733-6f75ececa702")
ACCOUNT = uuid.UUID("9786f312-34f9-41b9-abd6-f2c2ff906d18")
NOW = datetime.datetime(2024, 1, 15, 10, 30, tzinfo=datetime.timezone.utc)


# -- the application under test ---------------------------------------------------------------------------


def buy(client: Client, amount: str, isin: str = "US0378331005") -> uuid.UUID:
    """Buys `amount` euros of an instrument for the customer; the order's id."""
    order = client.orders.place(
        user_id=USER,
        account_id=ACCOUNT,
        cash_amount=decimal.Decimal(amount),
        currency="EUR",
        side="BUY",
        instrument_id=isin,
        instrument_id_type="ISIN",
        order_type="MARKET",
    )
    return order.id


async def buy_async(client: AsyncClient, amount: str) -> uuid.UUID:
    order = await client.orders.place(
        user_id=USER,
        account_id=ACCOUNT,
        cash_amount=decimal.Decimal(amount),
        currency="EUR",
        side="BUY",
        instrument_id="US0378331005",
        instrument_id_type="ISIN",
        order_type="MARKET",
    )
    return order.id


def open_orders(client: Client, limit: object) -> list[uuid.UUID]:
    page = client.orders.list(user_id=USER, limit=limit)  # type: ignore[arg-type]
    return [order.id for order in page.data]


def placed(order_id: uuid.UUID) -> models.Order:
    return models.Order(
        id=order_id,
        created_at=NOW,
        updated_at=NOW,
        user_id=USER,
        account_id=ACCOUNT,
        cash_amount=decimal.Decimal("100.00"),
        currency="EUR",
        side="BUY",
        instrument_id="US0378331005",
        instrument_id_type="ISIN",
        order_type="MARKET",
        status="NEW",
    )


# -- its tests, with the kit --------------------------------------------------------------------------------


def test_the_application_buys_and_the_call_is_recorded_with_its_body_parsed() -> None:
    order_id = uuid.uuid4()
    with MockAPI() as api:
        api.orders.place.returns(placed(order_id))
        assert buy(api.client, "100.00") == order_id
        [call] = api.orders.place.calls
        assert call.body.side == "BUY" and call.body.cash_amount == decimal.Decimal("100.00")
        assert isinstance(call.body, models.OrderPlaceRequest)
        assert api.calls == [call]


def test_the_async_application_is_tested_the_same_way() -> None:
    order_id = uuid.uuid4()
    with MockAPI() as api:
        api.orders.place.returns(placed(order_id))
        assert asyncio.run(buy_async(api.async_client, "250.00")) == order_id
        assert api.orders.place.calls[0].body.cash_amount == decimal.Decimal("250.00")


def test_an_error_the_api_answers_reaches_the_application() -> None:
    with MockAPI() as api:
        api.orders.place.raises(ConflictError, {"type": "about:blank", "title": "duplicate order", "status": 409})
        with pytest.raises(ConflictError) as caught:
            buy(api.client, "100.00")
        assert caught.value.status_code == 409


def test_a_wrong_argument_in_the_application_is_caught_naming_the_operation() -> None:
    with MockAPI() as api:
        meta = models.ListMeta(offset=0, limit=10, count=0, total_count=0, sort="created_at", order="ASC")
        api.orders.list.returns(models.OrdersListResponse(meta=meta, data=[]))
        assert open_orders(api.client, 10) == []
        assert api.orders.list.calls[0].query["limit"] == 10
        with pytest.raises(MockAPIError, match=r"orders\.list: the query parameter 'limit' = 'ten' is not a valid"):
            open_orders(api.client, "ten")


def test_a_body_missing_a_required_field_is_caught() -> None:
    with MockAPI() as api:
        api.orders.place.returns(placed(uuid.uuid4()))
        with pytest.raises(MockAPIError, match=r"orders\.place: the request body is not a valid OrderPlaceRequest"):
            api.client.orders.place(
                user_id=USER,
                account_id=ACCOUNT,
                currency="EUR",
                side="BUY",
                instrument_id="US0378331005",
                instrument_id_type="ISIN",
                order_type="MARKET",
                extra_body={"cash_amount": "not a number"},
            )


def test_a_call_nobody_stubbed_gets_the_specs_example_or_fails_naming_the_operation() -> None:
    with MockAPI() as api:
        cancelled = api.client.orders.cancel(order_id=uuid.uuid4())  # the spec has an example of its response
        assert str(cancelled.status) == "NEW"
        with pytest.raises(MockAPIError, match=r"orders\.retrieve was called, but nothing answers it"):
            api.client.orders.retrieve(order_id=uuid.uuid4())


def test_with_auth_every_call_carries_a_token_the_fake_issued_and_a_signature() -> None:
    with MockAPI(auth=True) as api:
        api.orders.place.returns(placed(uuid.uuid4()))
        buy(api.client, "100.00")
        assert api.fake.tokens_issued == 1
        request = api.orders.place.calls[0].request
        assert request.headers["authorization"] == "Bearer mock-token"
        assert {"signature", "signature-input"} <= set(request.headers)


def test_importing_the_package_does_not_import_the_kit() -> None:
    code = "import sys, upvest_investment_client; print('upvest_investment_client.testing' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], cwd=OUTPUT, capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"
