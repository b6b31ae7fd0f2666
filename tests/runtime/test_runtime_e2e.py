"""End-to-end tests of the generated Upvest client's runtime against FakeUpvest (a real HTTP server on 127.0.0.1).

Nothing is mocked: the client signs, authenticates, retries and paginates over real sockets, and the fake checks
every request with the independent signature verifier (tests/support/signing_verifier.py), the token's scopes and the
idempotency keys. Every test ends by asserting that the fake saw no internal error, no rejected signature and no
malformed request (fixture `make_server`).

The async client is driven with asyncio.run (pytest-asyncio is not installed). Backoffs are tiny and timeouts short
so the whole file runs in seconds.
"""

from __future__ import annotations

import asyncio
import email.utils
import fcntl
import importlib
import json
import logging
import os
import sys
import threading
import time
import traceback
import uuid
from pathlib import Path
from types import SimpleNamespace
from typing import Any, Callable, Iterator
from urllib.parse import parse_qs

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519

from conftest import OUTPUT, shared_spec
from fake_upvest import FakeUpvest
from signing_verifier import sign_request

pytestmark = pytest.mark.usefixtures("upvest_client_path")

WEBHOOK_URL = "https://tenant.example/webhooks/upvest"
ACCOUNT_ID = "9786f312-34f9-41b9-abd6-f2c2ff906d18"
ISIN = "US0378331005"
WEBHOOK_ID = "b23d470f-1610-47ae-905e-c7e120fe3990"
REAL_PACKAGE = "upvest_investment_api_client"  # the name clientgen gives it without configuration

NEW_USER = {
    "first_name": "Jane",
    "last_name": "Doe",
    "birth_date": "1990-01-01",
    "nationalities": ["DE"],
    "address": {"address_line1": "Torstrasse 1", "postcode": "10119", "city": "Berlin", "country": "DE"},
}


# --------------------------------------------------------------------------------------------------
# Fixtures and helpers
# --------------------------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """The client reads UPVEST_* variables: tests start without any."""
    for name in list(os.environ):
        if name.startswith("UPVEST_"):
            monkeypatch.delenv(name, raising=False)


@pytest.fixture(scope="session")
def up(upvest_client_path: Path) -> SimpleNamespace:
    """The generated package and the runtime modules the tests use."""
    package = importlib.import_module("upvest_investment_client")
    return SimpleNamespace(
        pkg=package,
        Client=package.Client,
        AsyncClient=package.AsyncClient,
        RetryPolicy=importlib.import_module("upvest_investment_client._retry").RetryPolicy,
        webhooks=importlib.import_module("upvest_investment_client.webhooks"),
        models=package.models,
    )


def _check_server(server: FakeUpvest) -> None:
    assert server.errors == [], "the fake server hit internal errors:\n" + "\n".join(server.errors)
    rejected = [
        (r.method, r.path, r.outcome, r.detail)
        for r in server.requests
        if r.outcome in ("signature_error", "bad_request")
        or (r.outcome == "pending" and r.fault != "delay")  # a delayed request may still be in the fake's hands
    ]
    assert rejected == [], f"the fake rejected requests: {rejected}"


@pytest.fixture
def make_server() -> Iterator[Callable[..., FakeUpvest]]:
    """Starts FakeUpvest servers (strict signature profile, nonces required and never reused by default)."""
    servers: list[FakeUpvest] = []

    def start(**kw: Any) -> FakeUpvest:
        kw.setdefault("strict_signature_components", True)
        kw.setdefault("require_nonce", True)
        kw.setdefault("reject_nonce_reuse", True)
        server = FakeUpvest(**kw).start()
        servers.append(server)
        return server

    yield start
    try:
        for server in servers:
            _check_server(server)
    finally:
        for server in servers:
            server.stop()


@pytest.fixture
def server(make_server: Callable[..., FakeUpvest]) -> FakeUpvest:
    return make_server()


@pytest.fixture
def make_client(up: SimpleNamespace) -> Iterator[Callable[..., Any]]:
    """Builds sync clients (or async ones with async_=True) for a server, with tiny backoffs; closes sync ones."""
    made: list[Any] = []

    def build(server: FakeUpvest, *, async_: bool = False, package: Any = None, **kw: Any) -> Any:
        pkg = package or up.pkg
        retry_module = importlib.import_module(pkg.__name__ + "._retry")
        kw.setdefault("retry", retry_module.RetryPolicy(initial_delay=0.01, max_delay=0.05, max_retry_after=5.0))
        kw.setdefault("key_id", server.client_key_id)
        kw.setdefault("private_key", server.client_private_key_pem)
        kw.setdefault("client_id", server.client_id)
        kw.setdefault("client_secret", server.client_secret)
        kw.setdefault("token_refresh_skew", 0.1)
        kw.setdefault("timeout", 10.0)
        client = (pkg.AsyncClient if async_ else pkg.Client)(base_url=server.base_url, **kw)
        if not async_:
            made.append(client)
        return client

    yield build
    for client in made:
        client.close()


@pytest.fixture
def client(server: FakeUpvest, make_client: Callable[..., Any]) -> Any:
    return make_client(server)


def api(server: FakeUpvest, method: str, path_prefix: str = "/") -> list[Any]:
    return server.api_requests(method, path_prefix)


def token_scope_sets(server: FakeUpvest) -> list[frozenset[str]]:
    return [frozenset(scope.split()) for scope, _ in server.token_requests]


def place_order(client: Any, user_id: str, **kw: Any) -> Any:
    return client.orders.place(
        user_id=user_id,
        account_id=ACCOUNT_ID,
        side="BUY",
        instrument_id=ISIN,
        order_type="MARKET",
        cash_amount="25.50",
        currency="EUR",
        **kw,
    )


def any_user_id(server: FakeUpvest) -> str:
    return next(iter(server.users))


def assert_every_request_verified(server: FakeUpvest) -> None:
    """Every request reached the fake signed, and the independent verifier accepted its signature."""
    assert server.requests
    for record in server.requests:
        assert record.signature is not None, (record.method, record.path, record.outcome, record.detail)
        assert record.headers.get("upvest-signature-version") == "15", (record.method, record.path)


# --------------------------------------------------------------------------------------------------
# Least privilege: one token per scope set, the narrowest the operation accepts
# --------------------------------------------------------------------------------------------------


def test_reads_use_a_read_token_and_creates_an_admin_token(server: FakeUpvest, client: Any) -> None:
    user_id = any_user_id(server)
    list(client.users.list())
    client.users.retrieve(user_id=user_id)
    created = client.users.create(body=NEW_USER)
    order = place_order(client, str(created.id))
    client.orders.retrieve(order_id=order.id)
    list(client.orders.list())

    scopes = {(r.method, r.path.split("/")[1], r.token_scopes) for r in server.api_requests()}
    assert scopes == {
        ("GET", "users", frozenset({"users:read"})),
        ("POST", "users", frozenset({"users:admin"})),
        ("POST", "orders", frozenset({"orders:admin"})),
        ("GET", "orders", frozenset({"orders:read"})),
    }
    # one token per scope set, each fetched once
    assert sorted(token_scope_sets(server), key=sorted) == sorted(
        [frozenset({s}) for s in ("users:read", "users:admin", "orders:admin", "orders:read")], key=sorted
    )
    assert all(r.outcome == "ok" for r in server.requests)


def test_tokens_are_cached_per_scope_set(server: FakeUpvest, client: Any) -> None:
    user_id = any_user_id(server)
    client.users.retrieve(user_id=user_id)
    client.users.list().data
    client.users.retrieve(user_id=user_id)
    assert token_scope_sets(server) == [frozenset({"users:read"})]
    tokens = {r.headers["authorization"] for r in server.api_requests()}
    assert len(tokens) == 1


def test_fixed_scopes_option_uses_one_scope_set_for_everything(
    server: FakeUpvest, make_client: Callable[..., Any]
) -> None:
    client = make_client(server, scopes=["users:admin", "orders:admin"])
    user_id = any_user_id(server)
    list(client.users.list())
    client.users.retrieve(user_id=user_id)
    place_order(client, user_id)
    list(client.orders.list())
    assert token_scope_sets(server) == [frozenset({"users:admin", "orders:admin"})]
    assert {r.token_scopes for r in server.api_requests()} == {frozenset({"users:admin", "orders:admin"})}


# --------------------------------------------------------------------------------------------------
# Signatures
# --------------------------------------------------------------------------------------------------


def test_every_request_is_signed_and_verified_independently(server: FakeUpvest, client: Any) -> None:
    user_id = any_user_id(server)
    list(client.users.list(limit=2, order="DESC"))
    client.users.retrieve(user_id=user_id)
    client.users.create(body=NEW_USER)
    client.users.offboard(user_id=user_id)

    assert_every_request_verified(server)
    assert all(r.outcome == "ok" for r in server.requests)
    token_requests = [r for r in server.requests if r.path == "/auth/token"]
    assert len(token_requests) == 2
    for record in token_requests:
        assert "authorization" not in record.headers
        assert "authorization" not in record.signature.components
        assert {"content-digest", "content-type", "content-length", "upvest-client-id"} <= set(
            record.signature.components
        )
    for record in server.api_requests():
        assert record.headers["authorization"].startswith("Bearer ")
        assert record.headers["upvest-client-id"] == server.client_id
        assert {"@method", "@path", "authorization", "upvest-client-id", "accept"} <= set(record.signature.components)
        assert record.signature.keyid == server.client_key_id
        assert record.signature.expires is not None and record.signature.expires > record.signature.created
    listed = api(server, "GET", "/users")[0]
    assert listed.query and "@query" in listed.signature.components
    created = api(server, "POST", "/users")[0]
    assert {"idempotency-key", "content-digest"} <= set(created.signature.components)
    nonces = [r.signature.nonce for r in server.requests]
    assert len(set(nonces)) == len(nonces)


def _pem(key: Any, password: bytes | None = None) -> bytes:
    encryption = serialization.BestAvailableEncryption(password) if password else serialization.NoEncryption()
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption)


@pytest.mark.parametrize("kind", ["ed25519", "p256", "p384"])
def test_signing_with_other_key_types(
    kind: str, make_server: Callable[..., FakeUpvest], make_client: Callable[..., Any]
) -> None:
    key = {
        "ed25519": ed25519.Ed25519PrivateKey.generate,
        "p256": lambda: ec.generate_private_key(ec.SECP256R1()),
        "p384": lambda: ec.generate_private_key(ec.SECP384R1()),
    }[kind]()
    key_id = f"tenant-{kind}-{uuid.uuid4()}"
    server = make_server(public_keys={key_id: key.public_key()})
    client = make_client(server, key_id=key_id, private_key=_pem(key))
    client.users.retrieve(user_id=any_user_id(server))
    client.users.create(body=NEW_USER)
    assert_every_request_verified(server)
    assert {r.signature.keyid for r in server.requests} == {key_id}
    assert all(r.outcome == "ok" for r in server.requests)


def test_encrypted_private_key_with_password(server: FakeUpvest, make_client: Callable[..., Any]) -> None:
    encrypted = _pem(server.client_private_key, b"correct horse battery")
    client = make_client(server, private_key=encrypted, private_key_password="correct horse battery")
    client.users.retrieve(user_id=any_user_id(server))
    assert_every_request_verified(server)
    assert all(r.outcome == "ok" for r in server.requests)


def test_wrong_private_key_password_is_a_clear_error_without_the_password(
    up: SimpleNamespace, server: FakeUpvest
) -> None:
    right, wrong = "right-" + uuid.uuid4().hex, "wrong-" + uuid.uuid4().hex  # in no source line of a traceback
    encrypted = _pem(server.client_private_key, right.encode())
    with pytest.raises(up.pkg.SignatureError) as caught:
        up.Client(
            base_url=server.base_url,
            client_id=server.client_id,
            client_secret=server.client_secret,
            key_id=server.client_key_id,
            private_key=encrypted,
            private_key_password=wrong,
        )
    text = "".join(traceback.format_exception(caught.value)) + repr(caught.value)
    assert "password" in str(caught.value).lower()
    assert wrong not in text
    assert right not in text
    for line in encrypted.decode().splitlines():
        if "-----" not in line:
            assert line not in text
    assert server.requests == []


# --------------------------------------------------------------------------------------------------
# Idempotency
# --------------------------------------------------------------------------------------------------


def test_creating_posts_send_a_uuid4_idempotency_key_per_call(server: FakeUpvest, client: Any) -> None:
    first = client.users.create(body=NEW_USER)
    second = client.users.create(body=NEW_USER)
    place_order(client, str(first.id))
    keys = [r.headers["idempotency-key"] for r in server.api_requests("POST")]
    assert len(keys) == 3 and len(set(keys)) == 3
    assert all(uuid.UUID(k).version == 4 for k in keys)
    assert first.id != second.id
    assert server.created_users == 2 and server.placed_orders == 1
    for record in server.api_requests("GET"):
        assert "idempotency-key" not in record.headers


@pytest.mark.parametrize("async_", [False, True], ids=["sync", "async"])
def test_lost_create_response_is_retried_with_the_same_key(
    async_: bool, server: FakeUpvest, make_client: Callable[..., Any]
) -> None:
    server.faults.add("POST", "/users", "reset", apply_before_fault=True)
    if async_:

        async def run() -> Any:
            async with make_client(server, async_=True) as client:
                return await client.users.create(body=NEW_USER)

        user = asyncio.run(run())
    else:
        user = make_client(server).users.create(body=NEW_USER)

    posts = api(server, "POST", "/users")
    assert [r.outcome for r in posts] == ["fault_reset_after_apply", "replayed"]
    assert posts[0].headers["idempotency-key"] == posts[1].headers["idempotency-key"]
    assert server.created_users == 1
    assert str(user.id) in server.users
    assert len(server.users) == 4  # 3 seeded + exactly one created


def test_lost_order_response_is_retried_without_placing_twice(server: FakeUpvest, client: Any) -> None:
    server.faults.add("POST", "/orders", "reset", apply_before_fault=True)
    server.faults.add("POST", "/orders", "status", status=503, apply_before_fault=True)
    order = place_order(client, any_user_id(server), client_reference="ref-1")
    posts = api(server, "POST", "/orders")
    assert [r.outcome for r in posts] == ["fault_reset_after_apply", "fault_status_after_apply", "replayed"]
    assert len({r.headers["idempotency-key"] for r in posts}) == 1
    assert server.placed_orders == 1
    assert list(server.orders) == [str(order.id)]


def test_caller_idempotency_key_is_used_for_every_attempt(server: FakeUpvest, client: Any) -> None:
    key = str(uuid.uuid4())
    server.faults.add("POST", "/users", "status", status=503, retry_after=0)
    client.users.create(body=NEW_USER, options={"idempotency_key": key})
    posts = api(server, "POST", "/users")
    assert [r.headers["idempotency-key"] for r in posts] == [key, key]
    # the same key again: the server replays, nothing is created twice
    client.users.create(body=NEW_USER, options={"idempotency_key": key})
    assert server.created_users == 1


def test_post_without_idempotency_key_is_not_retried_after_a_reset(
    up: SimpleNamespace, server: FakeUpvest, client: Any
) -> None:
    # POST /webhooks/{id}/test has no idempotency key in the spec: repeating it could repeat its effect
    server.faults.add("POST", "/webhooks/", "reset", times=3)
    with pytest.raises(up.pkg.APIConnectionError):
        client.webhooks.test(webhook_id=WEBHOOK_ID)
    posts = api(server, "POST", "/webhooks/")
    assert len(posts) == 1
    assert "idempotency-key" not in posts[0].headers
    server.faults.clear()


def test_post_without_idempotency_key_is_not_retried_after_503(
    up: SimpleNamespace, server: FakeUpvest, client: Any
) -> None:
    server.faults.add("POST", "/webhooks/", "status", status=503, retry_after=0, times=3)
    with pytest.raises(up.pkg.ServiceUnavailableError):
        client.webhooks.test(webhook_id=WEBHOOK_ID)
    assert len(api(server, "POST", "/webhooks/")) == 1
    server.faults.clear()


# --------------------------------------------------------------------------------------------------
# Retries
# --------------------------------------------------------------------------------------------------


def test_429_with_retry_after_zero_then_success(server: FakeUpvest, client: Any) -> None:
    server.faults.add("GET", "/users", "status", status=429, retry_after=0)
    users = client.users.list().data
    assert len(users) == 3
    gets = api(server, "GET", "/users")
    assert [(r.outcome, r.status) for r in gets] == [("fault_status", 429), ("ok", 200)]
    assert gets[0].signature is None and gets[1].signature is not None
    assert gets[0].headers["signature"] != gets[1].headers["signature"]  # each attempt is signed afresh


def test_503_twice_then_success(server: FakeUpvest, client: Any) -> None:
    user_id = any_user_id(server)
    server.faults.add("GET", "/users/", "status", status=503, times=2)
    user = client.users.retrieve(user_id=user_id)
    assert str(user.id) == user_id
    assert [r.status for r in api(server, "GET", "/users/")] == [503, 503, 200]


@pytest.mark.parametrize("where", ["client", "call"])
@pytest.mark.parametrize("status,error", [(429, "RateLimitError"), (503, "ServiceUnavailableError")])
def test_max_retries_zero_raises_at_once(
    where: str, status: int, error: str, up: SimpleNamespace, server: FakeUpvest, make_client: Callable[..., Any]
) -> None:
    server.faults.add("GET", "/users", "status", status=status, retry_after=0, times=5)
    client = make_client(server, max_retries=0) if where == "client" else make_client(server)
    options = {"max_retries": 0} if where == "call" else None
    with pytest.raises(getattr(up.pkg, error)) as caught:
        client.users.list(options=options)
    gets = api(server, "GET", "/users")
    assert len(gets) == 1
    assert caught.value.status_code == status
    assert caught.value.request_id == gets[0].request_id  # support asks for it
    server.faults.clear()


def test_retries_stop_after_max_retries(up: SimpleNamespace, server: FakeUpvest, client: Any) -> None:
    server.faults.add("GET", "/users", "status", status=502, times=10)
    with pytest.raises(up.pkg.BadGatewayError):
        client.users.list(options={"max_retries": 2})
    assert len(api(server, "GET", "/users")) == 3
    server.faults.clear()


class VirtualClock:
    """The sync client's clock (its modules' `time`), with `monotonic` moved only by the `sleep`s it asks for,
    which are recorded instead of slept: the waits and the deadline arithmetic are exact, whatever the machine's
    load. Nothing else of the process is touched (`time.time`, for HTTP dates, is the real one)."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.waits: list[float] = []

    def monotonic(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.waits.append(seconds)
        self.now += seconds

    def module(self) -> SimpleNamespace:
        clock = SimpleNamespace(**{name: getattr(time, name) for name in dir(time) if not name.startswith("_")})
        clock.monotonic, clock.sleep = self.monotonic, self.sleep
        return clock


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> VirtualClock:
    virtual = VirtualClock()
    for module in ("_auth", "_base_client", "_deadline", "_retry"):  # every module that reads the monotonic clock
        monkeypatch.setattr(importlib.import_module(f"upvest_investment_client.{module}"), "time", virtual.module())
    return virtual


@pytest.fixture
def waits(clock: VirtualClock) -> list[float]:
    """The waits the sync client asks for between attempts, recorded instead of slept."""
    return clock.waits


@pytest.mark.parametrize("status", [408, 429, 500, 502, 503, 504])
def test_each_status_worth_another_try_is_retried(
    status: int, server: FakeUpvest, client: Any, waits: list[float]
) -> None:
    server.faults.add("GET", "/users", "status", status=status, retry_after=0)
    client.users.list()
    assert [r.status for r in api(server, "GET", "/users")] == [status, 200]


@pytest.mark.parametrize("status", [400, 409, 501, 505])
def test_other_statuses_are_final(
    status: int, up: SimpleNamespace, server: FakeUpvest, client: Any, waits: list[float]
) -> None:
    server.faults.add("GET", "/users", "status", status=status, retry_after=0)
    with pytest.raises(up.pkg.APIError) as caught:
        client.users.list()
    assert caught.value.status_code == status
    assert [r.status for r in api(server, "GET", "/users")] == [status]
    server.faults.clear()


def test_a_client_retries_three_times_unless_told_otherwise(
    up: SimpleNamespace, server: FakeUpvest, make_client: Callable[..., Any], waits: list[float]
) -> None:
    client = make_client(server, retry=up.RetryPolicy())  # the defaults, deadline and all
    server.faults.add("GET", "/users", "status", status=502, times=10)
    with pytest.raises(up.pkg.BadGatewayError):
        client.users.list()
    assert len(api(server, "GET", "/users")) == 4
    assert len(waits) == 3
    server.faults.clear()


@pytest.mark.parametrize(
    "header, expected",
    [("7", (7.0, 7.0)), ("0", (0.0, 0.0)), ("http-date", (28.0, 30.0))],
    ids=["seconds", "zero", "http-date"],
)
def test_retry_after_is_the_wait_asked_for(
    header: str,
    expected: tuple[float, float],
    up: SimpleNamespace,
    server: FakeUpvest,
    make_client: Callable[..., Any],
    waits: list[float],
) -> None:
    client = make_client(server, retry=up.RetryPolicy(initial_delay=0.01, max_delay=0.05, max_retry_after=60.0))
    value = email.utils.formatdate(time.time() + 30, usegmt=True) if header == "http-date" else header
    server.faults.add("GET", "/users", "status", status=429, retry_after=value)
    client.users.list()
    assert [r.status for r in api(server, "GET", "/users")] == [429, 200]
    assert len(waits) == 1 and expected[0] <= waits[0] <= expected[1], waits


@pytest.mark.parametrize("deadline", [120.0, None], ids=["deadline", "no-deadline"])
def test_garbage_retry_after_nan_falls_back_to_backoff(
    deadline: float | None, up: SimpleNamespace, server: FakeUpvest, make_client: Callable[..., Any]
) -> None:
    client = make_client(server, retry=up.RetryPolicy(initial_delay=0.01, max_delay=0.05, deadline=deadline))
    server.faults.add("GET", "/users", "status", status=503, retry_after="NaN")
    assert len(client.users.list().data) == 3
    assert [r.status for r in api(server, "GET", "/users")] == [503, 200]


def test_retry_after_is_capped_by_max_retry_after(
    up: SimpleNamespace, server: FakeUpvest, make_client: Callable[..., Any], waits: list[float]
) -> None:
    client = make_client(server, retry=up.RetryPolicy(initial_delay=0.01, max_delay=0.05, max_retry_after=0.1))
    server.faults.add("GET", "/users", "status", status=429, retry_after=3600)
    client.users.list()
    assert waits == [0.1]
    assert [r.status for r in api(server, "GET", "/users")] == [429, 200]


def test_a_retry_after_that_is_not_a_time_falls_back_to_the_backoff(
    up: SimpleNamespace, server: FakeUpvest, make_client: Callable[..., Any], waits: list[float]
) -> None:
    client = make_client(server, retry=up.RetryPolicy(initial_delay=0.01, max_delay=0.05, max_retry_after=60.0))
    server.faults.add("GET", "/users", "status", status=503, retry_after="NaN")
    client.users.list()
    assert len(waits) == 1 and 0.005 <= waits[0] <= 0.05, waits


def test_slow_responses_time_out_when_retries_are_exhausted(
    up: SimpleNamespace, server: FakeUpvest, client: Any
) -> None:
    user_id = any_user_id(server)
    client.users.retrieve(user_id=user_id)  # token fetched beforehand
    server.faults.add("GET", "/users/", "delay", seconds=0.6, times=3)
    with pytest.raises(up.pkg.APITimeoutError):
        client.users.retrieve(user_id=user_id, options={"timeout": 0.15, "max_retries": 2})
    assert len(api(server, "GET", "/users/")) == 1 + 3


def test_slow_response_then_fast_retry_succeeds(server: FakeUpvest, client: Any) -> None:
    user_id = any_user_id(server)
    server.faults.add("GET", "/users/", "delay", seconds=0.6)
    user = client.users.retrieve(user_id=user_id, options={"timeout": 0.2})
    assert str(user.id) == user_id
    assert len(api(server, "GET", "/users/")) == 2


def test_deadline_stops_retrying(up: SimpleNamespace, server: FakeUpvest, client: Any, clock: VirtualClock) -> None:
    client.users.list()  # token fetched beforehand
    server.faults.add("GET", "/users", "status", status=503, retry_after=0.2, times=50)
    with pytest.raises(up.pkg.ServiceUnavailableError):
        client.users.list(options={"max_retries": 50, "deadline": 0.5})
    # 0.2 s waited twice; a third wait would end past the deadline, so the third answer is the last
    assert clock.waits == [0.2, 0.2]
    assert len(api(server, "GET", "/users")) - 1 == 3
    server.faults.clear()


def test_deadline_bounds_a_slow_attempt(up: SimpleNamespace, server: FakeUpvest, client: Any) -> None:
    user_id = any_user_id(server)
    client.users.retrieve(user_id=user_id)
    held = server.faults.add("GET", "/users/", "delay", seconds=30.0)
    with pytest.raises(up.pkg.APITimeoutError, match="did not finish within its deadline of 0.4s"):
        client.users.retrieve(user_id=user_id, options={"deadline": 0.4})
    assert held.let_go == 0  # the call ended while the server still held its answer (30 s)
    held.release()


def test_a_deadline_of_none_lifts_the_clients_limit_for_one_call(
    up: SimpleNamespace, server: FakeUpvest, make_client: Callable[..., Any]
) -> None:
    client = make_client(server, retry=up.RetryPolicy(deadline=0.3))
    user_id = any_user_id(server)
    client.users.retrieve(user_id=user_id)  # token fetched beforehand
    server.faults.add("GET", "/users/", "delay", seconds=0.6, times=2)
    with pytest.raises(up.pkg.APIConnectionError):
        client.users.retrieve(user_id=user_id)  # the client's deadline cuts the slow attempt short
    user = client.users.retrieve(user_id=user_id, options={"deadline": None})
    assert str(user.id) == user_id


# --------------------------------------------------------------------------------------------------
# Tokens: expiry, refresh, sharing
# --------------------------------------------------------------------------------------------------


def test_expired_token_is_refreshed_transparently(server: FakeUpvest, client: Any) -> None:
    user_id = any_user_id(server)
    client.users.retrieve(user_id=user_id)
    server.expire_tokens()
    user = client.users.retrieve(user_id=user_id)
    assert str(user.id) == user_id
    gets = api(server, "GET", "/users/")
    assert [r.outcome for r in gets] == ["ok", "token_expired", "ok"]
    assert gets[1].headers["authorization"] != gets[2].headers["authorization"]
    assert token_scope_sets(server) == [frozenset({"users:read"})] * 2


def test_expire_token_fault_on_create_refreshes_and_creates_once(server: FakeUpvest, client: Any) -> None:
    client.users.create(body=NEW_USER)
    server.faults.add("POST", "/users", "expire_token")
    client.users.create(body=NEW_USER)
    posts = api(server, "POST", "/users")
    assert [r.outcome for r in posts] == ["ok", "token_expired", "ok"]
    assert posts[1].headers["idempotency-key"] == posts[2].headers["idempotency-key"]
    assert server.created_users == 2
    assert len(server.token_requests) == 2


def test_token_refused_twice_raises_instead_of_looping(up: SimpleNamespace, server: FakeUpvest, client: Any) -> None:
    user_id = any_user_id(server)
    client.users.retrieve(user_id=user_id)
    server.faults.add("GET", "/users/", "expire_token", times=2)
    with pytest.raises(up.pkg.UnauthorizedError) as caught:
        client.users.retrieve(user_id=user_id)
    assert caught.value.request_id
    assert len(api(server, "GET", "/users/")) == 3
    assert len(server.token_requests) == 2


def test_short_lived_token_is_renewed_before_it_expires(
    make_server: Callable[..., FakeUpvest], make_client: Callable[..., Any]
) -> None:
    server = make_server(token_ttl=1)
    client = make_client(server, token_refresh_skew=0.2)
    user_id = any_user_id(server)
    client.users.retrieve(user_id=user_id)
    time.sleep(0.9)
    client.users.retrieve(user_id=user_id)
    time.sleep(0.9)
    client.users.retrieve(user_id=user_id)
    outcomes = [r.outcome for r in server.api_requests()]
    assert outcomes == ["ok", "ok", "ok"], "a token was used after it expired"
    assert len(server.token_requests) == 3
    assert len({r.headers["authorization"] for r in server.api_requests()}) == 3


def test_200_concurrent_async_calls_share_one_token_fetch(server: FakeUpvest, make_client: Callable[..., Any]) -> None:
    user_ids = list(server.users)

    async def run() -> list[Any]:
        async with make_client(server, async_=True) as client:
            return await asyncio.gather(
                *(client.users.retrieve(user_id=user_ids[i % len(user_ids)]) for i in range(200))
            )

    users = asyncio.run(run())
    assert len(users) == 200
    assert {str(u.id) for u in users} == set(user_ids)
    assert token_scope_sets(server) == [frozenset({"users:read"})]
    assert len(server.api_requests()) == 200
    assert all(r.outcome == "ok" for r in server.requests)


def test_20_threads_share_one_token_fetch(server: FakeUpvest, client: Any) -> None:
    user_id = any_user_id(server)
    barrier = threading.Barrier(20)
    results: list[Any] = []
    failures: list[BaseException] = []

    def work() -> None:
        try:
            barrier.wait()
            for _ in range(3):
                results.append(client.users.retrieve(user_id=user_id))
        except BaseException as exc:  # noqa: BLE001 - reported below
            failures.append(exc)

    threads = [threading.Thread(target=work) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert failures == []
    assert len(results) == 60
    assert token_scope_sets(server) == [frozenset({"users:read"})]
    assert all(r.outcome == "ok" for r in server.requests)


# --------------------------------------------------------------------------------------------------
# Pagination
# --------------------------------------------------------------------------------------------------


def _offsets(server: FakeUpvest) -> list[tuple[int, int]]:
    out = []
    for record in api(server, "GET", "/users"):
        query = parse_qs(record.query)
        out.append((int(query.get("offset", ["0"])[0]), int(query["limit"][0])))
    return out


def test_iterating_a_list_walks_every_page(
    up: SimpleNamespace, make_server: Callable[..., FakeUpvest], make_client: Callable[..., Any]
) -> None:
    server = make_server(users=25)
    client = make_client(server)
    users = list(client.users.list(limit=10))
    assert len(users) == 25
    assert all(isinstance(u, up.models.UserByol) for u in users)
    assert [str(u.id) for u in users] == list(server.users)  # created_at order = insertion order
    assert _offsets(server) == [(0, 10), (10, 10), (20, 10)]
    assert len(server.token_requests) == 1


def test_page_object_and_iter_pages(make_server: Callable[..., FakeUpvest], make_client: Callable[..., Any]) -> None:
    server = make_server(users=25)
    client = make_client(server)
    page = client.users.list(limit=10)
    assert len(page.data) == 10
    assert page.has_next_page()
    assert page.meta.total_count == 25
    pages = list(page.iter_pages())
    assert [len(p.data) for p in pages] == [10, 10, 5]
    assert [p.has_next_page() for p in pages] == [True, True, False]
    assert len(api(server, "GET", "/users")) == 3  # the first page was not fetched again


def test_a_lists_raw_response_is_its_first_page_and_parses_to_the_pager(
    up: SimpleNamespace, make_server: Callable[..., FakeUpvest], make_client: Callable[..., Any]
) -> None:
    server = make_server(users=25)
    client = make_client(server)
    raw = client.users.with_raw_response.list(limit=10)
    assert isinstance(raw, up.pkg.APIResponse) and raw.status_code == 200 and raw.request_id
    query = parse_qs(raw.http_response.request.url.query.decode())
    assert query["limit"] == ["10"] and query.get("offset", ["0"]) == ["0"]  # the first page's request
    page = raw.parse()
    assert len(page.data) == 10 and page.has_next_page()
    assert len(list(page)) == 25  # iterating it fetches the later pages
    assert _offsets(server) == [(0, 10), (10, 10), (20, 10)]


def test_pagination_keeps_the_other_query_parameters_and_stops_on_an_exact_multiple(
    make_server: Callable[..., FakeUpvest], make_client: Callable[..., Any]
) -> None:
    server = make_server(users=20)
    client = make_client(server)
    users = list(client.users.list(limit=10, order="DESC", sort="created_at"))
    assert [str(u.id) for u in users] == list(reversed(list(server.users)))
    gets = api(server, "GET", "/users")
    assert len(gets) == 2  # no request for an empty third page
    for record in gets:
        query = parse_qs(record.query)
        assert query["order"] == ["DESC"] and query["sort"] == ["created_at"]


def test_async_pagination(
    up: SimpleNamespace, make_server: Callable[..., FakeUpvest], make_client: Callable[..., Any]
) -> None:
    server = make_server(users=25)

    async def run() -> tuple[list[Any], Any, list[int]]:
        async with make_client(server, async_=True) as client:
            items = [user async for user in client.users.list(limit=10)]
            page = await client.users.list(limit=10)
            sizes = [len(p.data) async for p in page.iter_pages()]
            return items, page, sizes

    items, page, sizes = asyncio.run(run())
    assert len(items) == 25 and len({str(u.id) for u in items}) == 25
    assert all(isinstance(u, up.models.UserByol) for u in items)
    assert len(page.data) == 10 and page.has_next_page()
    assert sizes == [10, 10, 5]
    assert _offsets(server)[:3] == [(0, 10), (10, 10), (20, 10)]


# --------------------------------------------------------------------------------------------------
# Webhooks
# --------------------------------------------------------------------------------------------------


def _user_event(server: FakeUpvest, type_: str = "USER.ACTIVATED") -> dict[str, Any]:
    return {
        "id": str(uuid.uuid4()),
        "created_at": "2024-05-06T07:08:09Z",
        "type": type_,
        "object": json.loads(json.dumps(next(iter(server.users.values())))),
        "webhook_id": WEBHOOK_ID,
    }


def _order_event(server: FakeUpvest) -> dict[str, Any]:
    order = server.add_order(cash_amount="100.25")
    return {
        "id": str(uuid.uuid4()),
        "created_at": "2024-05-06T07:08:10Z",
        "type": "ORDER.FILLED",
        "object": json.loads(json.dumps(order)),
        "webhook_id": WEBHOOK_ID,
    }


def _delivery(*events: dict[str, Any]) -> bytes:
    return json.dumps({"payload": list(events)}).encode()


def test_webhook_delivery_verifies_and_parses_into_typed_events(
    up: SimpleNamespace, server: FakeUpvest, client: Any
) -> None:
    body = _delivery(_user_event(server), _order_event(server))
    headers = server.sign_webhook(body, url=WEBHOOK_URL)
    verifier = client.webhook_verifier()
    events = verifier.unwrap(body=body, headers=headers, url=WEBHOOK_URL)
    assert [type(e).__name__ for e in events] == ["WebhookUserEvent", "WebhookOrderEvent"]
    assert up.webhooks.EVENT_MODELS["USER.ACTIVATED"] is up.models.WebhookUserEvent
    assert up.webhooks.EVENT_MODELS["ORDER.FILLED"] is up.models.WebhookOrderEvent
    user_event, order_event = events
    assert isinstance(user_event.object_, up.models.UserByol)
    assert str(user_event.object_.id) == next(iter(server.users))
    assert isinstance(order_event.object_, up.models.Order)
    assert str(order_event.object_.cash_amount) == "100.25"

    # a second delivery uses the keys fetched the first time
    body2 = _delivery(_user_event(server, "USER.CREATED"))
    assert (
        verifier.verify(method="POST", url=WEBHOOK_URL, headers=server.sign_webhook(body2, url=WEBHOOK_URL), body=body2)
        == server.webhook_key_id
    )
    key_fetches = api(server, "GET", "/auth/verify_keys")
    assert len(key_fetches) == 1
    assert key_fetches[0].signature is not None and key_fetches[0].outcome == "ok"


def test_async_webhook_verifier(up: SimpleNamespace, server: FakeUpvest, make_client: Callable[..., Any]) -> None:
    body = _delivery(_user_event(server))
    headers = server.sign_webhook(body, url=WEBHOOK_URL)

    async def run() -> list[Any]:
        async with make_client(server, async_=True) as client:
            verifier = client.webhook_verifier()
            first = await verifier.unwrap(body=body, headers=headers, url=WEBHOOK_URL)
            second = await verifier.unwrap(body=body, headers=headers, url=WEBHOOK_URL)
            return first + second

    events = asyncio.run(run())
    assert [type(e) for e in events] == [up.models.WebhookUserEvent] * 2
    assert len(api(server, "GET", "/auth/verify_keys")) == 1


@pytest.mark.parametrize("tamper", ["body", "path", "method", "no_signature", "no_signature_input", "unknown_key"])
def test_webhook_forgeries_are_refused(tamper: str, up: SimpleNamespace, server: FakeUpvest, client: Any) -> None:
    body = _delivery(_user_event(server))
    headers = server.sign_webhook(body, url=WEBHOOK_URL)
    url, method = WEBHOOK_URL, "POST"
    if tamper == "body":
        body = body.replace(b"USER.ACTIVATED", b"USER.OFFBOARDED")
    elif tamper == "path":
        url = "https://tenant.example/webhooks/other"
    elif tamper == "method":
        method = "PUT"
    elif tamper == "no_signature":
        del headers["signature"]
    elif tamper == "no_signature_input":
        del headers["signature-input"]
    else:
        intruder = ec.generate_private_key(ec.SECP521R1())
        headers = sign_request(
            "POST",
            WEBHOOK_URL,
            {"content-type": "application/json", "content-length": str(len(body))},
            body,
            private_key=intruder,
            keyid=str(uuid.uuid4()),
            components=["@method", "@path", "content-digest", "content-type", "content-length"],
        )
    verifier = client.webhook_verifier()
    with pytest.raises(up.pkg.SignatureError):
        verifier.unwrap(body=body, headers=headers, url=url, method=method)


def test_webhook_signed_with_a_second_published_key_verifies(
    up: SimpleNamespace, make_server: Callable[..., FakeUpvest], make_client: Callable[..., Any]
) -> None:
    server = make_server(webhook_keys=2)
    client = make_client(server)
    second_kid = list(server.webhook_private_keys)[1]
    body = _delivery(_user_event(server))
    headers = server.sign_webhook(body, url=WEBHOOK_URL, key_id=second_kid)
    assert client.webhook_verifier().verify(method="POST", url=WEBHOOK_URL, headers=headers, body=body) == second_kid


def test_stale_webhook_delivery_is_refused(up: SimpleNamespace, server: FakeUpvest, client: Any) -> None:
    body = _delivery(_user_event(server))
    headers = server.sign_webhook(body, url=WEBHOOK_URL, created=int(time.time()) - 3600, expires_in=7200)
    with pytest.raises(up.pkg.SignatureError):
        client.webhook_verifier(max_age=300).unwrap(body=body, headers=headers, url=WEBHOOK_URL)


def test_unknown_event_types_parse_as_unknown_event(up: SimpleNamespace, server: FakeUpvest, client: Any) -> None:
    future = {"id": str(uuid.uuid4()), "type": "WALLET.CREATED", "object": {"wallet": "w-1"}, "extra": [1, 2]}
    body = _delivery(_user_event(server), future)
    events = client.webhook_verifier().unwrap(
        body=body, headers=server.sign_webhook(body, url=WEBHOOK_URL), url=WEBHOOK_URL
    )
    assert isinstance(events[0], up.models.WebhookUserEvent)
    assert type(events[1]) is up.webhooks.UnknownEvent
    assert events[1].model_dump()["type"] == "WALLET.CREATED"
    assert events[1].model_dump()["extra"] == [1, 2]


# --------------------------------------------------------------------------------------------------
# Secrets stay out of logs, reprs, errors and generated files
# --------------------------------------------------------------------------------------------------


def _secret_strings(server: FakeUpvest, *extra: str) -> list[str]:
    secrets = [server.client_secret, *extra]
    pem = server.client_private_key_pem.decode()
    secrets += [line for line in pem.splitlines() if line and "-----" not in line]
    secrets += list(server.tokens)
    for record in server.requests:
        authorization = record.headers.get("authorization")
        if authorization:
            secrets.append(authorization.split(" ", 1)[1])
    assert len(secrets) > 5
    return secrets


def test_secrets_never_reach_logs_reprs_or_errors(
    up: SimpleNamespace, server: FakeUpvest, make_client: Callable[..., Any], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)  # root: the package logger, httpx and httpcore all record
    client = make_client(server)
    user_id = any_user_id(server)
    list(client.users.list(limit=2))  # token fetch + signed calls
    server.faults.add("GET", "/users/", "status", status=503, retry_after=0)
    client.users.retrieve(user_id=user_id)  # a retry
    server.expire_tokens()
    client.users.retrieve(user_id=user_id)  # a 401 and a refresh
    client.users.create(body=NEW_USER)

    wrong_secret = "wrong-secret-" + uuid.uuid4().hex
    bad = make_client(server, client_secret=wrong_secret)
    with pytest.raises(up.pkg.UnauthorizedError) as caught:
        bad.users.retrieve(user_id=user_id)

    assert any("token refused" in r.getMessage() for r in caplog.records), "the 401 refresh was not logged"
    assert any("retrying" in r.getMessage() for r in caplog.records), "the retry was not logged"
    assert any(r.name.startswith("httpx") for r in caplog.records)

    texts = []
    for record in caplog.records:
        texts.append(record.getMessage())
        texts.append(repr(record.args))
        if record.exc_info:
            texts.append("".join(traceback.format_exception(*record.exc_info)))
    texts += [repr(client), str(client), repr(bad)]
    texts += [str(caught.value), repr(caught.value), "".join(traceback.format_exception(caught.value))]
    haystack = "\n".join(texts)
    for secret in _secret_strings(server, wrong_secret):
        assert secret not in haystack, f"a secret leaked: {secret[:6]}..."


def test_secrets_are_not_in_generated_files(server: FakeUpvest, client: Any) -> None:
    client.users.create(body=NEW_USER)
    secrets = _secret_strings(server)
    for path in OUTPUT.rglob("*"):
        if path.is_file() and "__pycache__" not in path.parts:
            text = path.read_bytes().decode("utf-8", "replace")
            for secret in secrets:
                assert secret not in text, f"{path} contains a secret"


# --------------------------------------------------------------------------------------------------
# Upvest's real 1.9.0 spec, generated with no configuration at all, as a newcomer would, against the fake
# --------------------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def real(tmp_path_factory: pytest.TempPathFactory) -> SimpleNamespace:
    """The client `clientgen generate upvest.yaml -o client` makes of Upvest's published spec in an empty folder (no
    pyproject.toml, no clientgen.toml), generated once per test session (shared by xdist workers)."""
    import shutil
    import subprocess

    from generator.config import find_config

    spec = shared_spec("upvest/upvest-investment-api-1.9.0.yaml")
    base = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        base = base.parent
    folder = base / "zero-config-upvest"
    done = folder / ".generated"
    with open(base / "zero-config-upvest.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not done.exists():
            folder.mkdir(exist_ok=True)
            assert find_config(folder) is None, "the zero-configuration client must be generated without any"
            shutil.copy(spec, folder / "upvest.yaml")
            env = {k: v for k, v in os.environ.items() if k != "CLIENTGEN_DEBUG"}
            run = subprocess.run(
                [sys.executable, "-m", "generator", "generate", "upvest.yaml", "-o", "client"],
                cwd=folder,
                capture_output=True,
                text=True,
                env=env,
                timeout=600,
            )
            assert run.returncode == 0, run.stderr
            (folder / "generate.stderr").write_text(run.stderr)
            done.write_text("ok")
    target = folder / "client"
    if str(target) not in sys.path:
        sys.path.insert(0, str(target))
    package = importlib.import_module(REAL_PACKAGE)
    return SimpleNamespace(
        pkg=package,
        models=package.models,
        webhooks=importlib.import_module(REAL_PACKAGE + ".webhooks"),
        readme=(target / "README.md").read_text(encoding="utf-8"),
        stderr=(folder / "generate.stderr").read_text(),
    )


def test_real_spec_lists_users_across_pages(
    real: SimpleNamespace, make_server: Callable[..., FakeUpvest], make_client: Callable[..., Any]
) -> None:
    server = make_server(users=25)
    client = make_client(server, package=real.pkg)
    users = list(client.users.list(limit=10))
    assert len(users) == 25
    ids = [str(u["id"] if isinstance(u, dict) else u.id) for u in users]
    assert ids == list(server.users)
    assert _offsets(server) == [(0, 10), (10, 10), (20, 10)]
    assert_every_request_verified(server)


def test_real_spec_listed_users_are_typed(
    real: SimpleNamespace, make_server: Callable[..., FakeUpvest], make_client: Callable[..., Any]
) -> None:
    server = make_server(users=3)
    client = make_client(server, package=real.pkg)
    users = client.users.list().data
    assert len(users) == 3
    assert all(isinstance(u, real.models.UserByol) for u in users), [type(u).__name__ for u in users]


def test_real_spec_retrieve_and_create_with_a_lost_response(
    real: SimpleNamespace, server: FakeUpvest, make_client: Callable[..., Any]
) -> None:
    client = make_client(server, package=real.pkg)
    user_id = any_user_id(server)
    user = client.users.retrieve(user_id=user_id)
    assert isinstance(user, real.models.UserByol) and str(user.id) == user_id

    server.faults.add("POST", "/users", "reset", apply_before_fault=True)
    created = client.users.create(body=NEW_USER)
    posts = api(server, "POST", "/users")
    assert [r.outcome for r in posts] == ["fault_reset_after_apply", "replayed"]
    assert posts[0].headers["idempotency-key"] == posts[1].headers["idempotency-key"]
    assert uuid.UUID(posts[0].headers["idempotency-key"]).version == 4
    assert server.created_users == 1 and str(created.id) in server.users
    assert {r.token_scopes for r in posts} == {frozenset({"users:admin"})}
    assert_every_request_verified(server)


def test_real_spec_reads_use_least_privilege(
    real: SimpleNamespace, server: FakeUpvest, make_client: Callable[..., Any]
) -> None:
    client = make_client(server, package=real.pkg)
    client.users.retrieve(user_id=any_user_id(server))
    client.users.list().data
    assert token_scope_sets(server) == [frozenset({"users:read"})]


def test_real_spec_webhook_delivery(real: SimpleNamespace, server: FakeUpvest, make_client: Callable[..., Any]) -> None:
    client = make_client(server, package=real.pkg)
    event = _user_event(server, "USER.ACTIVATED")
    unknown = {"id": str(uuid.uuid4()), "type": "SOMETHING.NEW", "object": {}}
    body = _delivery(event, unknown)
    headers = server.sign_webhook(body, url=WEBHOOK_URL)
    verifier = client.webhook_verifier()
    events = verifier.unwrap(body=body, headers=headers, url=WEBHOOK_URL)
    model = real.webhooks.EVENT_MODELS["USER.ACTIVATED"]
    assert type(events[0]) is model
    assert isinstance(events[0].object_, real.models.UserByol)
    assert type(events[1]) is real.webhooks.UnknownEvent
    with pytest.raises(real.pkg.SignatureError):
        verifier.unwrap(body=body.replace(b"USER.ACTIVATED", b"USER.CREATED"), headers=headers, url=WEBHOOK_URL)
    assert len(api(server, "GET", "/auth/verify_keys")) == 1
    assert_every_request_verified(server)


def test_real_spec_generation_says_what_it_inferred(real: SimpleNamespace) -> None:
    notes = [line for line in real.stderr.splitlines() if ": note: " in line]
    assert any("vendor profile 'upvest'" in n and "matches *.upvest.co" in n for n in notes), notes
    assert any("header 'upvest-client-id' is declared by 94 of 94 operations" in n for n in notes), notes
    assert any("response header 'upvest-request-id' is declared by 905 of 905 responses" in n for n in notes)
    assert any("signed over @method, @path, @query, accept, authorization" in n for n in notes), notes


def test_real_spec_tenant_header_is_the_client_id_never_an_argument(real: SimpleNamespace) -> None:
    import inspect

    for method in (real.pkg.Client(base_url="http://127.0.0.1:9").users.retrieve, real.pkg.AsyncClient().orders.place):
        assert "upvest_client_id" not in inspect.signature(method).parameters


def test_real_spec_with_only_the_five_settings(real: SimpleNamespace, make_server: Callable[..., FakeUpvest]) -> None:
    """Only base_url, client_id, client_secret, key_id and private_key: every signature verified with Upvest's
    components, the version header, the tenant header, least-privilege tokens and request ids."""
    server = make_server(users=3)
    with real.pkg.Client(
        base_url=server.base_url,
        client_id=server.client_id,
        client_secret=server.client_secret,
        key_id=server.client_key_id,
        private_key=server.client_private_key_pem,
    ) as client:
        user_id = any_user_id(server)
        user = client.users.retrieve(user_id=user_id)
        created = client.webhooks.create(title="Orders", url=WEBHOOK_URL)
        page = client.webhooks.list()
    assert [str(w.id) for w in page.data] == [str(created.id)]
    requests = {(r.method, r.path): r for r in server.requests}
    assert user.request_id == requests[("GET", f"/users/{user_id}")].request_id
    assert page.request_id == requests[("GET", "/webhooks")].request_id
    post = requests[("POST", "/webhooks")]
    assert post.signature is not None
    assert set(post.signature.components) >= {
        "@method",
        "@path",
        "accept",
        "authorization",
        "content-length",
        "content-type",
        "content-digest",
        "upvest-client-id",
    }
    assert "@query" in requests[("GET", "/webhooks")].signature.components or not requests[("GET", "/webhooks")].query
    token = requests[("POST", "/auth/token")]
    assert "authorization" not in token.signature.components and "upvest-client-id" in token.signature.components
    assert {r.headers["upvest-client-id"] for r in server.requests} == {server.client_id}
    assert token_scope_sets(server) == [
        frozenset({"users:read"}),
        frozenset({"webhooks:admin"}),
        frozenset({"webhooks:read"}),
    ]
    assert_every_request_verified(server)


def test_real_spec_errors_carry_the_request_id(
    real: SimpleNamespace, server: FakeUpvest, make_client: Callable[..., Any]
) -> None:
    client = make_client(server, package=real.pkg)
    with pytest.raises(real.pkg.NotFoundError) as raised:
        client.users.retrieve(user_id=str(uuid.uuid4()))
    (miss,) = [r for r in api(server, "GET", "/users/") if r.outcome == "not_found"]
    assert raised.value.request_id == miss.request_id and raised.value.status_code == 404
    assert_every_request_verified(server)


def test_real_spec_async_pages_and_idempotent_retries(
    real: SimpleNamespace, make_server: Callable[..., FakeUpvest], make_client: Callable[..., Any]
) -> None:
    server = make_server(users=7)
    server.faults.add("POST", "/users", "reset", apply_before_fault=True)

    async def run() -> tuple[list[Any], Any]:
        async with make_client(server, package=real.pkg, async_=True) as client:
            users = [u async for u in await client.users.list(limit=3)]
            created = await client.users.create(body=NEW_USER)
            return users, created

    users, created = asyncio.run(run())
    assert len(users) == 7 and _offsets(server) == [(0, 3), (3, 3), (6, 3)]
    posts = api(server, "POST", "/users")
    assert [r.outcome for r in posts] == ["fault_reset_after_apply", "replayed"]
    assert posts[0].headers["idempotency-key"] == posts[1].headers["idempotency-key"]
    assert "idempotency-key" in posts[1].signature.components
    assert str(created.id) in server.users and server.created_users == 1
    assert_every_request_verified(server)


def test_real_spec_readme_examples_type_check(real: SimpleNamespace, tmp_path: Path) -> None:
    import subprocess

    from corpus import readme_block_modules

    for name, text in readme_block_modules(real.readme, REAL_PACKAGE).items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    project = Path(real.pkg.__file__).parent.parent
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--cache-dir",
            str(tmp_path / "cache"),
            *sorted(tmp_path.glob("*.py")),
        ],
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "MYPYPATH": str(project)},
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]


def test_real_spec_readme_examples_run_against_the_fake(
    real: SimpleNamespace, server: FakeUpvest, make_client: Callable[..., Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every Python block of the generated README runs, with the fake's address and credentials standing in for
    the README's placeholders, and the names its text says the reader supplies (a webhook delivery's)."""
    from corpus import python_blocks

    settings = {
        "base_url": server.base_url,
        "client_id": server.client_id,
        "client_secret": server.client_secret,
        "key_id": server.client_key_id,
        "private_key": server.client_private_key_pem,
    }

    class Client(real.pkg.Client):  # type: ignore[misc,name-defined]
        def __init__(self, **given: Any) -> None:
            assert set(given) <= {"environment", *settings}, given
            super().__init__(**settings)

    class AsyncClient(real.pkg.AsyncClient):  # type: ignore[misc,name-defined]
        def __init__(self, **given: Any) -> None:
            assert set(given) <= {"environment", *settings}, given
            super().__init__(**settings)

    original = real.pkg.Client
    monkeypatch.setattr(real.pkg, "Client", Client)
    monkeypatch.setattr(real.pkg, "AsyncClient", AsyncClient)
    body = _delivery(_user_event(server))
    blocks = python_blocks(real.readme)
    assert len(blocks) == 8  # use, pages, webhooks, request bodies, async, errors, raw responses, the test kit
    for number, block in enumerate(blocks, 1):
        namespace: dict[str, Any] = {
            "client": original(**settings),
            "request_url": WEBHOOK_URL,
            "request_headers": server.sign_webhook(body, url=WEBHOOK_URL),
            "raw_body": body,
        }
        try:
            exec(compile(block, f"README block {number}", "exec"), namespace)
        except Exception as exc:  # pragma: no cover - the message is the point
            raise AssertionError(f"README block {number} failed: {exc!r}\n{block}") from exc
        finally:
            namespace["client"].close()
    assert {(r.method, r.path) for r in server.requests} >= {("GET", "/webhooks"), ("POST", "/webhooks")}
    assert_every_request_verified(server)


def test_with_options_shares_connections_tokens_and_signing(server: FakeUpvest, client: Any) -> None:
    """Issue 17: `with_options` (or `copy`) gives a configured client that reuses the token the first fetched
    (no second token request), signs as it does, and adds its default headers to its own calls only."""
    user_id = any_user_id(server)
    client.users.retrieve(user_id=user_id)
    tenant = client.with_options(default_headers={"x-tenant": "t1"}, max_retries=0, timeout=5.0)
    assert type(tenant) is type(client) and tenant.retry.max_retries == 0 and tenant.timeout == 5.0
    assert tenant._http is client._http and tenant.users is not client.users
    tenant.users.retrieve(user_id=user_id)
    client.users.retrieve(user_id=user_id)
    gets = api(server, "GET", "/users/")
    assert [r.outcome for r in gets] == ["ok"] * 3
    assert [r.headers.get("x-tenant") for r in gets] == [None, "t1", None]
    assert len(server.token_requests) == 1
    tenant.close()  # the copy does not own the connections: the original still works
    client.users.retrieve(user_id=user_id)
    assert [r.outcome for r in api(server, "GET", "/users/")] == ["ok"] * 4
