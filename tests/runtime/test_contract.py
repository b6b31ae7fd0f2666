"""Contract tests: every operation of the generated clients against Prism, which validates each request.

Prism (tests/support/prism_mock.py) serves the spec on 127.0.0.1 and checks every request the client sends, the token
request included: parameters, headers (`authorization`, `signature`, `signature-input`, `upvest-client-id` are
required by the spec), bodies and media types. A request it rejects fails the test with Prism's messages; the
response (generated from the response schema) must parse into the generated models, and the result must be of
the type the method is annotated with.

Calls are made from the spec's examples, else from its schemas (generator/samples.py), with every optional
query parameter given. The negative tests prove that a malformed request really fails this check.
"""

from __future__ import annotations

import asyncio
import importlib
import os
from pathlib import Path
from types import SimpleNamespace
from typing import Any, Callable, Iterator

import httpx
import pydantic
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from conftest import ROOT, SHARED_SPECS, UPVEST_SPEC, shared_spec
from generator.config import load_config
from generator.diff import load_api
from generator.load import load
from generator.model import Operation
from operation_calls import OperationCalls, result_classes
from prism_mock import PrismMock, ViolationLog
from test_runtime_e2e import REAL_PACKAGE, real  # noqa: F401 - the Upvest 1.9.0 client, generated once per session

REAL_SPEC_NAME = "upvest/upvest-investment-api-1.9.0.yaml"
CLIENT_ID = "2cbbd4d5-9b32-4e0e-9b8f-1b0c5bd8e3a1"
CLIENT_SECRET = "contract-client-secret"
KEY_ID = "contract-test-key"


def operation_ids(spec: Path) -> list[str]:
    """The operationIds of a spec, read at collection time (a missing shared spec gives one failing case)."""
    if not spec.is_file():
        return ["shared-spec-missing"]
    return [
        operation["operationId"]
        for item in load(spec).root["paths"].values()
        for method, operation in item.items()
        if method in ("get", "put", "post", "delete", "patch", "head", "options", "trace")
    ]


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """The client reads UPVEST_* variables: tests start without any."""
    for name in list(os.environ):
        if name.startswith("UPVEST_"):
            monkeypatch.delenv(name, raising=False)


@pytest.fixture(scope="session")
def signing_key() -> bytes:
    key = ec.generate_private_key(ec.SECP521R1())
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


@pytest.fixture(scope="session")
def ours(upvest_client_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[SimpleNamespace]:
    """Our spec: Prism serving it, the committed client (output/) and the model it was generated from."""
    config = load_config(ROOT / "pyproject.toml")
    with PrismMock(UPVEST_SPEC, log=tmp_path_factory.mktemp("prism") / "ours.log") as prism:
        yield SimpleNamespace(
            prism=prism,
            pkg=importlib.import_module("upvest_investment_client"),
            api=load_api(UPVEST_SPEC, config),
            calls=OperationCalls(load(UPVEST_SPEC)),
        )


@pytest.fixture(scope="session")
def upvest(real: SimpleNamespace, tmp_path_factory: pytest.TempPathFactory) -> Iterator[SimpleNamespace]:
    """Upvest's real 1.9.0 spec: Prism serving it, the client generated from it and its model."""
    spec = shared_spec(REAL_SPEC_NAME)
    config = load_config(ROOT / "pyproject.toml").merged(package=REAL_PACKAGE)
    with PrismMock(spec, log=tmp_path_factory.mktemp("prism") / "upvest.log") as prism:
        yield SimpleNamespace(prism=prism, pkg=real.pkg, api=load_api(spec, config), calls=OperationCalls(load(spec)))


class RequestRejected(AssertionError):
    """Prism found the request the client sent invalid for the spec."""


class ResponseNotParsed(AssertionError):
    """A response valid for the spec did not parse into the generated models."""


class RequestNotSent(AssertionError):
    """The client refused arguments that the spec says are valid."""


def find_operation(side: SimpleNamespace, operation_id: str) -> tuple[str, Operation]:
    for group in side.api.groups:
        for operation in group.operations:
            if operation.operation_id == operation_id:
                return group.attribute, operation
    raise AssertionError(f"operation {operation_id} is not in the generated client")


def call_operation(
    side: SimpleNamespace,
    operation_id: str,
    signing_key: bytes,
    overrides: dict[str, Any] | None = None,
    request_hook: Callable[[httpx.Request], None] | None = None,
) -> tuple[Any, Operation, ViolationLog]:
    """Calls one operation through the generated client against Prism; fails on any request Prism rejects."""
    attribute, operation = find_operation(side, operation_id)
    arguments = side.calls.arguments(operation, overrides)
    log = ViolationLog()
    hooks = log.hooks() | ({"request": [request_hook]} if request_hook else {})
    with (
        httpx.Client(event_hooks=hooks, timeout=30.0) as http,
        side.pkg.Client(
            base_url=side.prism.base_url,
            client_id=CLIENT_ID,
            client_secret=CLIENT_SECRET,
            key_id=KEY_ID,
            private_key=signing_key,
            max_retries=0,
            http_client=http,
        ) as client,
    ):
        method = getattr(getattr(client, attribute), operation.python_name)
        try:
            result = method(**arguments)
        except side.pkg.APIError as error:
            rejected = "\n".join(map(str, log.request_errors)) or "(no request violations reported)"
            raise RequestRejected(
                f"{operation_id}: {type(error).__name__} {error.status_code}; Prism rejected:\n{rejected}"
            ) from error
        except side.pkg.APIResponseValidationError as error:
            raise ResponseNotParsed(f"{operation_id}: {error}") from error
        except pydantic.ValidationError as error:
            raise RequestNotSent(f"{operation_id}: the client refused valid arguments {arguments}: {error}") from error
    if log.request_errors:
        raise RequestRejected(f"{operation_id}: Prism rejected:\n" + "\n".join(map(str, log.request_errors)))
    assert any(method == operation.method and status < 400 for method, _, status in log.exchanges), log.exchanges
    return result, operation, log


def assert_result_type(side: SimpleNamespace, operation: Operation, result: Any) -> None:
    """The response parsed into the generated models: the result has the type the method promises."""
    if operation.pagination is not None:
        assert isinstance(result.response, result_classes(side.pkg, operation.return_type)), type(result.response)
        items = result_classes(side.pkg, operation.pagination.item_type)
        assert result.data, f"{operation.operation_id}: the page has no items to check"
        assert all(isinstance(item, items) for item in result.data), [type(item) for item in result.data]
        return
    expected = result_classes(side.pkg, operation.return_type)
    assert isinstance(result, expected), f"{operation.operation_id}: {type(result)} is not one of {expected}"


# --------------------------------------------------------------------------------------------------
# Our spec: every operation
# --------------------------------------------------------------------------------------------------

#: Operations that fail because of a bug of the generator: operationId -> (the failure, what exactly is wrong).
OUR_BUGS: dict[str, tuple[type[AssertionError], str]] = {}


def operation_cases(spec: Path, bugs: dict[str, tuple[type[AssertionError], str]]) -> list[Any]:
    return [
        pytest.param(o, marks=pytest.mark.xfail(strict=True, raises=bugs[o][0], reason=bugs[o][1])) if o in bugs else o
        for o in operation_ids(spec)
    ]


@pytest.mark.parametrize("operation_id", operation_cases(UPVEST_SPEC, OUR_BUGS))
def test_our_spec_operation_is_accepted_by_prism(operation_id: str, ours: SimpleNamespace, signing_key: bytes) -> None:
    result, operation, _ = call_operation(ours, operation_id, signing_key)
    assert_result_type(ours, operation, result)


def test_report_as_pdf_is_binary_content(ours: SimpleNamespace, signing_key: bytes) -> None:
    result, _, log = call_operation(ours, "retrieve_report", signing_key, {"accept": "application/pdf"})
    assert isinstance(result, ours.pkg.BinaryContent)
    assert result.content_type.startswith("application/pdf")


def test_async_client_requests_are_accepted(ours: SimpleNamespace, signing_key: bytes) -> None:
    """The async client shares the request building; a few operations of each kind through it."""
    log = ViolationLog()
    cases = ["create_user", "list_orders", "place_order", "update_account", "cancel_order", "retrieve_report"]
    found = {operation_id: find_operation(ours, operation_id) for operation_id in cases}

    async def run() -> dict[str, Any]:
        results: dict[str, Any] = {}
        async with (
            httpx.AsyncClient(event_hooks=log.async_hooks(), timeout=30.0) as http,
            ours.pkg.AsyncClient(
                base_url=ours.prism.base_url,
                client_id=CLIENT_ID,
                client_secret=CLIENT_SECRET,
                key_id=KEY_ID,
                private_key=signing_key,
                max_retries=0,
                http_client=http,
            ) as client,
        ):
            for operation_id, (attribute, operation) in found.items():
                method = getattr(getattr(client, attribute), operation.python_name)
                results[operation_id] = await method(**ours.calls.arguments(operation))
        return results

    results = asyncio.run(run())
    assert not log.request_errors, "\n".join(map(str, log.request_errors))
    assert len([e for e in log.exchanges if e[0] != "POST" or "/auth/token" not in e[1]]) == len(cases)
    for operation_id, (_, operation) in found.items():
        result = results[operation_id]
        if operation.pagination is not None:
            result = result.response
        assert isinstance(result, result_classes(ours.pkg, operation.return_type)), (operation_id, type(result))


def test_every_operation_of_our_spec_is_called() -> None:
    config = load_config(ROOT / "pyproject.toml")
    generated = {operation.operation_id for operation in load_api(UPVEST_SPEC, config).operations}
    assert generated == set(operation_ids(UPVEST_SPEC))


# --------------------------------------------------------------------------------------------------
# The check cannot pass vacuously: malformed requests fail it
# --------------------------------------------------------------------------------------------------


def _drop_signature(request: httpx.Request) -> None:
    if request.url.path != "/auth/token":
        del request.headers["signature"]


@pytest.mark.parametrize(
    "operation_id, overrides, hook, message",
    [
        ("list_users", {"limit": 5000}, None, "limit must be <= 1000"),
        ("place_order", {"side": "HOLD"}, None, "side must be equal to one of the allowed values"),
        ("retrieve_user", {}, _drop_signature, "must have required property 'signature'"),
    ],
    ids=["query-out-of-range", "body-enum", "missing-signature-header"],
)
def test_a_malformed_request_fails_the_contract_check(
    operation_id: str,
    overrides: dict[str, Any],
    hook: Callable[[httpx.Request], None] | None,
    message: str,
    ours: SimpleNamespace,
    signing_key: bytes,
) -> None:
    with pytest.raises(RequestRejected, match="Prism rejected") as caught:
        call_operation(ours, operation_id, signing_key, overrides, hook)
    assert message in str(caught.value)


# --------------------------------------------------------------------------------------------------
# Upvest's real 1.9.0 spec
# --------------------------------------------------------------------------------------------------

#: none left: empty decimal strings (Upvest's pattern admits "") are typed `Decimal | Literal[""]`
UPVEST_BUGS: dict[str, tuple[type[AssertionError], str]] = {}


@pytest.mark.parametrize("operation_id", operation_cases(SHARED_SPECS / REAL_SPEC_NAME, UPVEST_BUGS))
def test_upvest_spec_operation_is_accepted_by_prism(
    operation_id: str, upvest: SimpleNamespace, signing_key: bytes
) -> None:
    result, operation, _ = call_operation(upvest, operation_id, signing_key)
    assert_result_type(upvest, operation, result)


def test_upvest_place_order_without_empty_decimals_is_accepted(upvest: SimpleNamespace, signing_key: bytes) -> None:
    """place_order's example without the empty limit_price and stop_price (see UPVEST_BUGS): the rest is valid."""
    result, operation, _ = call_operation(upvest, "place_order", signing_key, {"limit_price": None, "stop_price": None})
    assert_result_type(upvest, operation, result)


def test_upvest_spec_malformed_request_fails_the_contract_check(upvest: SimpleNamespace, signing_key: bytes) -> None:
    with pytest.raises(RequestRejected, match="Prism rejected") as caught:
        call_operation(upvest, "list_users", signing_key, {"limit": 5000})
    assert "limit must be <= 1000" in str(caught.value)
