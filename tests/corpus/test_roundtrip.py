"""Round trip on real specs: every operation of five corpus specs besides Upvest's, called through a client generated
from the spec against a Prism mock of it (tests/support/prism_mock.py), which validates each request.

Chosen for what they exercise: Box (296 operations; multipart uploads, path keys with fragments, many nullable
schemas), SumUp (OAuth2 and bearer, problem documents), Adyen Checkout (3.1, large oneOf request bodies, API keys),
openapi-python-client's 3.0 baseline (every parameter style and quirk its authors test) and OpenAPI's petstore.

Each spec's operations that do not round-trip are listed in KNOWN with their cause; the test fails when one more
fails (a regression) and when one of them passes (the list must shrink with the fix). Arguments come from the spec's
examples, else its schemas (generator/samples.py). Fails (never skips) when ../shared is missing.
"""

from __future__ import annotations

import importlib
import inspect
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest

from conftest import shared_spec
from generator.config import Config
from generator.diff import load_api
from generator.load import load
from generator.pipeline import generate
from generator.write import write
from operation_calls import OperationCalls
from prism_mock import PrismMock, ViolationLog

pytestmark = pytest.mark.corpus

PRISM_MULTIPART = "Prism reads every multipart part as text, so the JSON part of an object property fails its check"
FRAGMENT = (
    "the path key's fragment is not sent (issue 16), so Prism answers with the other operation of the same path,"
    " whose body this operation's model rightly refuses; the real API tells them apart by a header"
)
STR_BINARY = "the sample is text for a binary body, which the client takes as bytes only (uploads: issue 17)"
SAMPLE = "the sample value made from the schema does not satisfy it (generator/samples.py)"

#: spec -> (package name, {operationId: why it does not round-trip})
KNOWN: dict[str, tuple[str, dict[str, str]]] = {
    "big-box.json": (
        "box_round_trip_client",
        {
            "post_files_id_content": PRISM_MULTIPART,
            "post_files_content": PRISM_MULTIPART,
            "put_files_upload_sessions_id": STR_BINARY,
            "get_search": SAMPLE + ": Prism refuses the sample query's ranges",
            "get_shared_items#app_items": FRAGMENT,
            "post_invites": SAMPLE + ": actionable_by lacks its required id",
        },
    ),
    "fin-sumup.json": (
        "sumup_round_trip_client",
        {"CreateReaderTerminate": "Prism cannot make a response: the spec's 202 application/json has no schema"},
    ),
    "fin-adyen-checkout-v71.json": (
        "adyen_round_trip_client",
        {
            "post-validateShopperId": SAMPLE + ": no sample for the pattern 'payTo|upi_collect'",
            "post-payments": SAMPLE + ": paymentMethod matches more than one oneOf branch",
        },
    ),
    "opc-e2e-baseline_openapi_3.0.json": (
        "opc_baseline_round_trip_client",
        {
            "getUserList": SAMPLE + ": the required lists hold only null, which a query string cannot carry (the"
            " client leaves nulls out of query lists; it sent the text 'None' before)",
            "upload_file_tests_upload_post": PRISM_MULTIPART,
            "octet_stream_tests_octet_stream_post": STR_BINARY,
            "content_type_override": STR_BINARY,
            "defaults_tests_defaults_post": SAMPLE + ": Prism refuses the query the defaults make",
        },
    ),
    "oai-v3.0-petstore-expanded.yaml": ("petstore_round_trip_client", {}),
}
#: constructor arguments that satisfy Prism's security checks (it checks that credentials are present)
CREDENTIALS = {"access_token": "token", "api_key": "key", "username": "user", "password": "secret"}


def call_every_operation(spec: Path, package_name: str, folder: Path) -> tuple[int, dict[str, str]]:
    """(operations that round-tripped, {operationId: what failed}) for one spec."""
    config = Config.of(package=package_name)
    write(generate(spec, config).files, folder)
    sys.path.insert(0, str(folder))
    try:
        package = importlib.import_module(package_name)
    finally:
        sys.path.remove(str(folder))
    api = load_api(spec, config)
    calls = OperationCalls(load(spec))
    accepted = inspect.signature(package.Client.__init__).parameters
    credentials = {name: value for name, value in CREDENTIALS.items() if name in accepted}
    passed, failed = 0, {}
    with PrismMock(spec, log=folder / "prism.log") as prism:
        for group in api.groups:
            for operation in group.operations:
                log = ViolationLog()
                try:
                    arguments = calls.arguments(operation)
                    with (
                        httpx.Client(event_hooks=log.hooks(), timeout=30.0) as http,
                        package.Client(
                            base_url=prism.base_url, max_retries=0, http_client=http, **credentials
                        ) as client,
                    ):
                        getattr(getattr(client, group.attribute), operation.python_name)(**arguments)
                except Exception as error:  # noqa: BLE001 - every failure is reported with its operation
                    failed[operation.operation_id] = f"{type(error).__name__}: {error}"[:400]
                    continue
                if log.request_errors:
                    failed[operation.operation_id] = "Prism rejected: " + "; ".join(map(str, log.request_errors))[:400]
                else:
                    passed += 1
    return passed, failed


@pytest.mark.parametrize("name", sorted(KNOWN))
def test_every_operation_round_trips_through_prism(name: str, tmp_path: Path) -> None:
    package_name, known = KNOWN[name]
    passed, failed = call_every_operation(shared_spec(name), package_name, tmp_path)
    new = {operation: failed[operation] for operation in failed.keys() - known.keys()}
    fixed = sorted(known.keys() - failed.keys())
    assert not new, f"{name}: operations that no longer round-trip:\n" + "\n".join(f"{k}: {v}" for k, v in new.items())
    assert not fixed, f"{name}: these round-trip now; take them out of KNOWN: {fixed}"
    assert passed >= 4 and passed + len(failed) == len(
        load_api(shared_spec(name), Config.of(package=package_name)).operations
    )
