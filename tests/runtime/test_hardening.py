"""Issue 18's defects of the generated client, each reproduced against FakeUpvest (a real server on 127.0.0.1):
redirects, secrets read from files, responses nested too deeply.

The fixtures (`up`, `make_server`, `make_client`) are test_runtime_e2e's: every test ends with the fake's own
checks (no internal error, no rejected signature).
"""

from __future__ import annotations

import asyncio
import base64
import importlib
import re
import time
from typing import Any, Callable

import httpx
import pytest

from fake_upvest import FakeUpvest
from signing_verifier import sign_request, verify_request
from test_runtime_e2e import make_client, make_server, up  # noqa: F401 - fixtures

pytestmark = pytest.mark.usefixtures("upvest_client_path")


def _list_users(client: Any, asynchronous: bool) -> Any:
    if not asynchronous:
        return client.users.list()

    async def run() -> Any:
        async with client:
            return await client.users.list()

    return asyncio.run(run())


def _http(asynchronous: bool) -> Any:
    """A caller's own HTTP client that follows redirects."""
    return httpx.AsyncClient(follow_redirects=True) if asynchronous else httpx.Client(follow_redirects=True)


# -- redirects: never followed, whatever client is passed in --------------------------------------------------


@pytest.mark.parametrize("asynchronous", [False, True], ids=["sync", "async"])
def test_a_redirected_token_request_is_not_replayed_elsewhere(
    up: Any, make_server: Callable[..., FakeUpvest], make_client: Callable[..., Any], asynchronous: bool
) -> None:
    server, elsewhere = make_server(), make_server()
    server.faults.add("POST", "/auth/token", "status", status=307, headers={"location": elsewhere.token_url})
    client = make_client(server, async_=asynchronous, http_client=_http(asynchronous))
    with pytest.raises(up.pkg.RedirectError) as caught:
        _list_users(client, asynchronous)
    assert elsewhere.requests == []  # the client secret never left for the other origin
    message = str(caught.value)
    assert "307" in message and "/auth/token" in message and elsewhere.token_url in message
    assert server.client_secret not in message and caught.value.status_code == 307
    assert [r.path for r in server.requests] == ["/auth/token"]  # and nothing was retried


@pytest.mark.parametrize("asynchronous", [False, True], ids=["sync", "async"])
def test_a_redirected_call_is_an_error_not_a_request_to_the_new_location(
    up: Any, make_server: Callable[..., FakeUpvest], make_client: Callable[..., Any], asynchronous: bool
) -> None:
    server, elsewhere = make_server(), make_server()
    server.faults.add("GET", "/users", "status", status=302, headers={"location": elsewhere.base_url + "/users"})
    client = make_client(server, async_=asynchronous, http_client=_http(asynchronous))
    with pytest.raises(up.pkg.RedirectError) as caught:
        _list_users(client, asynchronous)
    assert elsewhere.requests == []  # neither the token nor the signed request went there
    assert caught.value.status_code == 302 and caught.value.location == elsewhere.base_url + "/users"
    assert isinstance(caught.value, up.pkg.APIError)


# -- credentials read from files with their line end: refused at construction, never shown --------------------


@pytest.mark.parametrize("setting", ["client_secret", "client_id", "access_token", "key_id"])
@pytest.mark.parametrize("value", ["s3cret-value\n", "s3cret-value\r\n", " s3cret-value", "s3cret\x00value"])
def test_a_credential_with_a_line_end_is_refused_at_construction(
    up: Any, monkeypatch: pytest.MonkeyPatch, setting: str, value: str
) -> None:
    with pytest.raises(ValueError, match=f"{setting}=") as caught:
        up.Client(base_url="http://127.0.0.1:9", **{setting: value})
    assert "s3cret" not in str(caught.value) and "strip it" in str(caught.value)
    if "\x00" in value:
        return  # no environment variable holds one
    variable = f"UPVEST_{setting.upper()}"
    monkeypatch.setenv(variable, value)
    with pytest.raises(ValueError, match=variable) as caught:
        up.Client(base_url="http://127.0.0.1:9")
    assert "s3cret" not in str(caught.value)


def test_a_credential_with_inner_spaces_is_taken_as_it_is(up: Any) -> None:
    client = up.Client(base_url="http://127.0.0.1:9", client_id="an id", client_secret="a secret with spaces")
    assert client.client_id == "an id"


# -- responses nested too deeply: an error of the package, with status and request id ------------------------

_DEEP = b"[" * 200_000 + b"]" * 200_000


@pytest.mark.parametrize("asynchronous", [False, True], ids=["sync", "async"])
@pytest.mark.parametrize("status", [200, 400])
def test_a_body_nested_too_deeply_is_a_package_error(
    up: Any,
    make_server: Callable[..., FakeUpvest],
    make_client: Callable[..., Any],
    asynchronous: bool,
    status: int,
) -> None:
    server = make_server()
    server.faults.add("GET", "/users", "body", status=status, content=_DEEP)
    client = make_client(server, async_=asynchronous)
    expected = up.pkg.APIResponseValidationError if status == 200 else up.pkg.BadRequestError
    with pytest.raises(expected) as caught:
        _list_users(client, asynchronous)
    assert caught.value.request_id  # both kinds of error carry it
    if status == 200:
        assert "nested too deeply" in str(caught.value) and caught.value.response.status_code == 200


def test_a_token_response_nested_too_deeply_is_an_authentication_error(
    up: Any, make_server: Callable[..., FakeUpvest], make_client: Callable[..., Any]
) -> None:
    server = make_server()
    server.faults.add("POST", "/auth/token", "body", content=_DEEP)
    with pytest.raises(up.pkg.AuthenticationError, match="nested too deeply"):
        make_client(server).users.list()


# -- webhook verification: keys that can be revoked, fetches that forged deliveries cannot multiply ----------

WEBHOOK_URL = "https://tenant.example/webhooks/upvest"
BODY = b'{"id": "e1", "type": "USER.CREATED", "object": {}}'


class _Clock:
    """time.monotonic for a verifier, moved by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _verifier(client: Any, clock: _Clock, **kw: Any) -> Any:
    verifier = client.webhook_verifier(**kw)
    verifier._clock = clock
    return verifier


def _key_fetches(server: FakeUpvest) -> int:
    return len(server.api_requests("GET", "/auth/verify_keys"))


def test_a_key_the_api_stops_listing_stops_verifying(
    up: Any, make_server: Callable[..., FakeUpvest], make_client: Callable[..., Any]
) -> None:
    server = make_server(webhook_keys=2)
    first, second = list(server.webhook_private_keys)
    clock = _Clock()
    verifier = _verifier(make_client(server), clock)
    signed_by_first = server.sign_webhook(BODY, url=WEBHOOK_URL, key_id=first)
    assert verifier.verify(method="POST", url=WEBHOOK_URL, headers=signed_by_first, body=BODY) == first
    del server.webhook_private_keys[first]  # revoked: the key set no longer lists it
    clock.now += 30  # within the interval: the keys fetched are trusted
    assert verifier.verify(method="POST", url=WEBHOOK_URL, headers=signed_by_first, body=BODY) == first
    assert _key_fetches(server) == 1
    clock.now += 31  # past it: fetched again, and the set replaced
    with pytest.raises(up.pkg.SignatureError, match="unknown key id"):
        verifier.verify(method="POST", url=WEBHOOK_URL, headers=signed_by_first, body=BODY)
    assert _key_fetches(server) == 2
    signed_by_second = server.sign_webhook(BODY, url=WEBHOOK_URL, key_id=second)
    assert verifier.verify(method="POST", url=WEBHOOK_URL, headers=signed_by_second, body=BODY) == second


@pytest.mark.parametrize("asynchronous", [False, True], ids=["sync", "async"])
def test_forged_key_ids_fetch_the_keys_at_most_once_per_interval(
    up: Any,
    make_server: Callable[..., FakeUpvest],
    make_client: Callable[..., Any],
    asynchronous: bool,
) -> None:
    server = make_server()
    clock = _Clock()
    intruder = FakeUpvest(webhook_keys=1)  # not started: only its keys, which the API never listed
    forged = [intruder.sign_webhook(BODY, url=WEBHOOK_URL) for _ in range(20)]

    async def run_async() -> list[Exception]:
        async with make_client(server, async_=True) as client:
            verifier = _verifier(client, clock, refresh_interval=60)
            errors = []
            for headers in forged:
                try:
                    await verifier.verify(method="POST", url=WEBHOOK_URL, headers=headers, body=BODY)
                except Exception as error:  # noqa: BLE001 - the test looks at which
                    errors.append(error)
            return errors

    if asynchronous:
        errors = asyncio.run(run_async())
    else:
        verifier = _verifier(make_client(server), clock, refresh_interval=60)
        errors = []
        for headers in forged:
            with pytest.raises(up.pkg.SignatureError) as caught:
                verifier.verify(method="POST", url=WEBHOOK_URL, headers=headers, body=BODY)
            errors.append(caught.value)
    assert len(errors) == 20 and all(type(e) is up.pkg.SignatureError for e in errors)
    assert _key_fetches(server) == 1


@pytest.mark.parametrize("asynchronous", [False, True], ids=["sync", "async"])
def test_a_failed_key_fetch_is_a_signature_error_at_once(
    up: Any,
    make_server: Callable[..., FakeUpvest],
    make_client: Callable[..., Any],
    asynchronous: bool,
) -> None:
    server = make_server()
    server.faults.add("GET", "/auth/verify_keys", "status", status=503, times=5)
    headers = server.sign_webhook(BODY, url=WEBHOOK_URL)
    clock = _Clock()

    async def run_async() -> None:
        async with make_client(server, async_=True) as client:
            await _verifier(client, clock).verify(method="POST", url=WEBHOOK_URL, headers=headers, body=BODY)

    with pytest.raises(up.pkg.SignatureError, match="fetching the API's keys failed: ServiceUnavailableError"):
        if asynchronous:
            asyncio.run(run_async())
        else:
            _verifier(make_client(server), clock).verify(method="POST", url=WEBHOOK_URL, headers=headers, body=BODY)
    assert _key_fetches(server) == 1  # not retried: a delivery does not wait for the API


def _tampered(headers: dict[str, str], how: str) -> dict[str, str]:
    changed = dict(headers)
    if how == "created-not-a-number":
        changed["signature-input"] = re.sub(r"created=\d+", "created=abc", changed["signature-input"])
    elif how == "expires-a-string":
        changed["signature-input"] = re.sub(r"expires=\d+", 'expires="soon"', changed["signature-input"])
    elif how == "signature-not-base64":
        changed["signature"] = "sig1=:not base64!:"
    elif how == "signature-bad-padding":  # base64 characters, but not base64 (binascii.Error)
        changed["signature"] = "sig1=:abc:"
    elif how == "signature-input-garbage":
        changed["signature-input"] = 'sig1=("@method" ;;;'
    elif how == "digest-garbage":
        changed["content-digest"] = "sha-512=:%%%:"
    elif how == "huge-created":
        changed["signature-input"] = re.sub(r"created=\d+", "created=" + "9" * 20, changed["signature-input"])
    elif how == "second-signature-forged":  # the first verifies; the one after it must be checked too
        label_input = changed["signature-input"].split("=", 1)[1]
        changed["signature-input"] += f", sig2={label_input}"
        changed["signature"] += ", sig2=:" + base64.b64encode(b"\x00" * 132).decode() + ":"
    return changed


@pytest.mark.parametrize(
    "how",
    [
        "created-not-a-number",
        "expires-a-string",
        "signature-not-base64",
        "signature-bad-padding",
        "signature-input-garbage",
        "digest-garbage",
        "huge-created",
        "second-signature-forged",
    ],
)
def test_everything_wrong_with_a_delivery_is_a_signature_error(
    up: Any, make_server: Callable[..., FakeUpvest], make_client: Callable[..., Any], how: str
) -> None:
    server = make_server()
    verifier = make_client(server).webhook_verifier()
    headers = server.sign_webhook(BODY, url=WEBHOOK_URL)
    assert verifier.verify(method="POST", url=WEBHOOK_URL, headers=headers, body=BODY)  # untampered: fine
    with pytest.raises(up.pkg.SignatureError):
        verifier.verify(method="POST", url=WEBHOOK_URL, headers=_tampered(headers, how), body=BODY)


def test_an_emptied_body_does_not_pass_for_the_one_signed(
    up: Any, make_server: Callable[..., FakeUpvest], make_client: Callable[..., Any]
) -> None:
    server = make_server()
    verifier = make_client(server).webhook_verifier()
    body = b"x" * 51
    headers = server.sign_webhook(body, url=WEBHOOK_URL)
    with pytest.raises(up.pkg.SignatureError, match="content-digest does not match"):
        verifier.verify(method="POST", url=WEBHOOK_URL, headers=headers, body=b"")


def test_a_second_valid_signature_verifies_and_a_label_picks_one(
    up: Any, make_server: Callable[..., FakeUpvest], make_client: Callable[..., Any]
) -> None:
    server = make_server(webhook_keys=2)
    first, second = list(server.webhook_private_keys)
    one = server.sign_webhook(BODY, url=WEBHOOK_URL, key_id=first)
    other = sign_request(
        "POST",
        WEBHOOK_URL,
        {"content-type": "application/json", "content-length": str(len(BODY))},
        BODY,
        private_key=server.webhook_private_keys[second],
        keyid=second,
        components=["@method", "@path", "content-digest", "content-type", "content-length"],
        label="proxy",
    )
    both = dict(one)
    both["signature-input"] += ", " + other["signature-input"]
    both["signature"] += ", " + other["signature"]
    signing = importlib.import_module(up.pkg.__name__ + "._signing")
    keys = server.webhook_public_keys
    assert signing.verify_message("POST", WEBHOOK_URL, both, BODY, keys) == first
    assert signing.verify_message("POST", WEBHOOK_URL, both, BODY, keys, label="proxy") == second
    with pytest.raises(up.pkg.SignatureError, match="no signature labelled"):
        signing.verify_message("POST", WEBHOOK_URL, one, BODY, keys, label="proxy")


# -- signature headers are RFC 8941 structured fields ----------------------------------------------------------


@pytest.mark.parametrize("key_id", ['key "quoted"', "back\\slash", 'both \\"'])
def test_a_key_id_with_quotes_or_backslashes_is_escaped_and_verifies_independently(up: Any, key_id: str) -> None:
    from cryptography.hazmat.primitives.asymmetric import ec

    signing = importlib.import_module(up.pkg.__name__ + "._signing")
    private = ec.generate_private_key(ec.SECP521R1())
    signer = signing.Signer(key_id=key_id, private_key=private, components=("@method", "@path", "content-digest"))
    request = httpx.Request("POST", "https://api.example/users", content=b'{"a": 1}')
    signer.sign(request)
    verified = verify_request(
        "POST", str(request.url), dict(request.headers), b'{"a": 1}', {key_id: private.public_key()}
    )
    assert verified.keyid == key_id
    # and the client's own verifier reads it back
    assert (
        signing.verify_message("POST", request.url, request.headers, b'{"a": 1}', {key_id: private.public_key()})
        == key_id
    )


@pytest.mark.parametrize("key_id", ["", "tab\there", "line\nbreak", "caf\u00e9"])
def test_a_key_id_a_structured_field_cannot_hold_is_refused(up: Any, key_id: str) -> None:
    from cryptography.hazmat.primitives.asymmetric import ec

    signing = importlib.import_module(up.pkg.__name__ + "._signing")
    with pytest.raises(up.pkg.SignatureError, match="printable ASCII"):
        signing.Signer(key_id=key_id, private_key=ec.generate_private_key(ec.SECP256R1()), components=("@method",))


# -- deadlines: a call, its token fetch and its retries end within the deadline ------------------------------


@pytest.mark.parametrize("asynchronous", [False, True], ids=["sync", "async"])
def test_the_token_fetch_spends_the_calls_deadline_and_retries(
    up: Any,
    make_server: Callable[..., FakeUpvest],
    make_client: Callable[..., Any],
    asynchronous: bool,
) -> None:
    server = make_server()
    held = server.faults.add("POST", "/auth/token", "status", status=503, after=30.0, times=10)
    client = make_client(server, async_=asynchronous, retry=up.RetryPolicy(max_retries=0, deadline=1.0))
    with pytest.raises(up.pkg.APITimeoutError, match="fetching a token did not finish within the deadline"):
        _list_users(client, asynchronous)
    # it used to wait for the answer (30 s here), then retry 3 times: the fetch had a policy of its own
    assert held.let_go == 0  # the call ended while the server still held the token endpoint's answer
    assert [r.path for r in server.requests] == ["/auth/token"]  # no retry: max_retries=0 holds for it too


# -- pagination: a server that does not advance stops the walk -------------------------------------------------


@pytest.mark.parametrize("asynchronous", [False, True], ids=["sync", "async"])
def test_a_server_echoing_offset_zero_stops_the_walk_with_an_error(
    up: Any, make_server: Callable[..., FakeUpvest], make_client: Callable[..., Any], asynchronous: bool
) -> None:
    import json

    server = make_server()
    server.seed_users(5)
    first = server._paginate(list(server.users.values()), {"offset": "0", "limit": "2"}, ("created_at",), set())
    server.faults.add("GET", "/users", "body", content=json.dumps(first).encode(), times=50)
    client = make_client(server, async_=asynchronous)

    async def walk_async() -> list[Any]:
        async with client:
            return [user async for user in client.users.list(limit=2)]

    with pytest.raises(up.pkg.PaginationError, match="same next page|same page"):
        if asynchronous:
            asyncio.run(walk_async())
        else:
            list(client.users.list(limit=2))
    assert len(server.api_requests("GET", "/users")) <= 3  # it used to ask for ever


def test_headers_beyond_ascii_and_a_broken_url_are_handled_as_a_verifier_should(
    up: Any, make_server: Callable[..., FakeUpvest], make_client: Callable[..., Any]
) -> None:
    server = make_server()
    verifier = make_client(server).webhook_verifier()
    headers = server.sign_webhook(BODY, url=WEBHOOK_URL)
    with_latin1 = {**headers, "user-agent": "caf\u00c3\u00a9 client"}  # UTF-8 bytes as a framework decodes them
    assert verifier.verify(method="POST", url=WEBHOOK_URL, headers=with_latin1, body=BODY)
    with pytest.raises(up.pkg.SignatureError):
        verifier.verify(method="POST", url="http://[::1/webhooks", headers=headers, body=BODY)


def test_a_call_waiting_for_another_calls_token_fetch_keeps_its_own_deadline(
    up: Any, make_server: Callable[..., FakeUpvest], make_client: Callable[..., Any]
) -> None:
    import threading

    server = make_server()
    held = server.faults.add("POST", "/auth/token", "delay", seconds=30.0)
    client = make_client(server)
    first = threading.Thread(target=lambda: client.users.list())  # fetches the token, slowly, without a deadline
    first.start()
    for _ in range(1000):  # until the first call's token request has reached the server, which holds it
        if server.requests:
            break
        time.sleep(0.01)
    assert server.requests, "the first call's token request never reached the server"
    with pytest.raises(up.pkg.APITimeoutError, match="token fetch"):
        client.users.list(options={"deadline": 0.5})
    assert held.let_go == 0  # it ended while the first call's fetch was still held, not when that fetch ended
    held.release()
    first.join()
    assert [r.path for r in server.requests].count("/auth/token") == 1  # the second call waited for the first's


def test_unpadded_byte_sequences_are_read_and_a_component_covered_twice_is_refused(
    up: Any, make_server: Callable[..., FakeUpvest], make_client: Callable[..., Any]
) -> None:
    server = make_server()
    verifier = make_client(server).webhook_verifier()
    headers = server.sign_webhook(BODY, url=WEBHOOK_URL)
    label, value = headers["signature"].split("=", 1)
    unpadded = dict(headers, signature=f"{label}={value.rstrip(':').rstrip('=')}:")
    assert verifier.verify(method="POST", url=WEBHOOK_URL, headers=unpadded, body=BODY)  # RFC 8941 allows it
    twice = dict(
        headers, **{"signature-input": headers["signature-input"].replace('("@method"', '("@method" "@method"')}
    )
    with pytest.raises(up.pkg.SignatureError, match="covered twice"):
        verifier.verify(method="POST", url=WEBHOOK_URL, headers=twice, body=BODY)


def test_a_timeout_the_async_send_raises_itself_is_not_taken_for_the_deadline(up: Any) -> None:
    base = importlib.import_module(up.pkg.__name__ + "._base_client")

    async def fails() -> None:
        raise TimeoutError("a timeout of the transport's own")

    async def run() -> None:
        await base._awithin(time.monotonic() + 30, fails())

    with pytest.raises(TimeoutError, match="transport's own"):
        asyncio.run(run())
