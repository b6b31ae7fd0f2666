"""Issue 18's defects of the generated client, each reproduced against FakeUpvest (a real server on 127.0.0.1):
redirects, secrets read from files, responses nested too deeply.

The fixtures (`up`, `make_server`, `make_client`) are test_runtime_e2e's: every test ends with the fake's own
checks (no internal error, no rejected signature).
"""

from __future__ import annotations

import asyncio
from typing import Any, Callable

import httpx
import pytest

from fake_upvest import FakeUpvest
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
    assert "request id" in str(caught.value) or caught.value.request_id
    if status == 200:
        assert "nested too deeply" in str(caught.value) and caught.value.response.status_code == 200


def test_a_token_response_nested_too_deeply_is_an_authentication_error(
    up: Any, make_server: Callable[..., FakeUpvest], make_client: Callable[..., Any]
) -> None:
    server = make_server()
    server.faults.add("POST", "/auth/token", "body", content=_DEEP)
    with pytest.raises(up.pkg.AuthenticationError, match="nested too deeply"):
        make_client(server).users.list()
