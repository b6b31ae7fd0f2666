"""API keys (header and query) and HTTP basic authentication, end to end through a generated client: the runtime's
`Credentials` (templates/runtime/_auth.py) chosen by the generated `_config.py` from the spec's security schemes."""

from __future__ import annotations

import base64
import logging
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml

from generator.config import Config
from generator.pipeline import generate
from generator.write import write

SCHEMES = {
    "key": {"type": "apiKey", "in": "header", "name": "X-Api-Key"},
    "query": {"type": "apiKey", "in": "query", "name": "api_key"},
    "basic": {"type": "http", "scheme": "basic"},
}


def spec(*schemes: str) -> dict[str, Any]:
    ok = {"200": {"description": "ok", "content": {"application/json": {"schema": {"type": "object"}}}}}
    return {
        "openapi": "3.0.3",
        "info": {"title": "Keys", "version": "1"},
        "servers": [{"url": "https://keys.example"}],
        "security": [{name: [] for name in schemes}],
        "paths": {
            "/things": {"get": {"operationId": "listThings", "responses": ok}},
            "/open": {"get": {"operationId": "open", "security": [], "responses": ok}},
        },
        "components": {"securitySchemes": {name: SCHEMES[name] for name in schemes}},
    }


def client_package(tmp_path: Path, name: str, *schemes: str) -> Any:
    (tmp_path / "api.yaml").write_text(yaml.safe_dump(spec(*schemes)), encoding="utf-8")
    write(generate(tmp_path / "api.yaml", Config.of(package=name)).files, tmp_path / "out")
    sys.path.insert(0, str(tmp_path / "out"))
    try:
        return __import__(name)
    finally:
        sys.path.remove(str(tmp_path / "out"))


def recording() -> tuple[list[httpx.Request], httpx.Client]:
    seen: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={})

    return seen, httpx.Client(transport=httpx.MockTransport(answer))


@pytest.fixture(autouse=True)
def _no_keys_in_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("KEYS_API_KEY", "KEYS_USERNAME", "KEYS_PASSWORD", "KEYS_ACCESS_TOKEN"):
        monkeypatch.delenv(name, raising=False)


def test_an_api_key_goes_in_its_header_and_query_on_authenticated_calls_only(tmp_path: Path) -> None:
    """One requirement needs both schemes: each is an argument of its own, named after its scheme (Appwrite's
    project id and key: tests/runtime/test_spec_quirks.py)."""
    package = client_package(tmp_path, "keys_both_client", "key", "query")
    seen, http = recording()
    client = package.Client(key="s3cret-key", query="s3cret-key", http_client=http)
    client.things.list()
    client.open.open()
    assert seen[0].headers["x-api-key"] == "s3cret-key" and seen[0].url.params["api_key"] == "s3cret-key"
    assert "x-api-key" not in seen[1].headers and "api_key" not in seen[1].url.params  # security: []
    assert "s3cret-key" not in repr(client) and "s3cret-key" not in repr(client._credentials)


def test_the_api_key_comes_from_the_environment_too(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    package = client_package(tmp_path, "keys_env_client", "key")
    monkeypatch.setenv("KEYS_API_KEY", "from-env")
    seen, http = recording()
    package.Client(http_client=http).things.list()
    assert seen[0].headers["x-api-key"] == "from-env" and "api_key" not in seen[0].url.params


def test_basic_authentication_unless_a_bearer_token_is_given(tmp_path: Path) -> None:
    package = client_package(tmp_path, "keys_basic_client", "basic")
    seen, http = recording()
    package.Client(username="ann", password="pa:ss", http_client=http).things.list()
    assert seen[0].headers["authorization"] == "Basic " + base64.b64encode(b"ann:pa:ss").decode()
    package.Client(username="ann", password="pa:ss", access_token="tok", http_client=http).things.list()
    assert seen[1].headers["authorization"] == "Bearer tok"
    package.Client(username="ann", http_client=http).things.list()  # no password: nothing to send
    assert "authorization" not in seen[2].headers


def test_basic_credentials_win_over_an_authorization_header_of_the_callers(tmp_path: Path) -> None:
    package = client_package(tmp_path, "keys_basic_header_client", "basic")
    seen, http = recording()
    client = package.Client(username="u", password="p", headers={"Authorization": "Custom z"}, http_client=http)
    client.things.list()
    client.things.list(options={"headers": {"authorization": "Custom y"}})
    expected = "Basic " + base64.b64encode(b"u:p").decode()
    assert [r.headers["authorization"] for r in seen] == [expected, expected]


def test_a_package_ships_the_signing_and_webhook_runtime_only_when_it_needs_them(tmp_path: Path) -> None:
    """They import cryptography, which only those packages depend on: every module of the others imports."""
    (tmp_path / "api.yaml").write_text(yaml.safe_dump(spec("key")), encoding="utf-8")
    files = generate(tmp_path / "api.yaml", Config.of(package="plain_client")).files
    assert "plain_client/_signing.py" not in files and "plain_client/_webhooks.py" not in files
    assert "cryptography" not in files["pyproject.toml"]


def test_keys_and_passwords_with_a_line_end_are_refused_before_any_call(tmp_path: Path) -> None:
    (tmp_path / "keys").mkdir()
    (tmp_path / "basic").mkdir()
    keys = client_package(tmp_path / "keys", "keys_line_end_client", "key")
    seen, http = recording()
    with pytest.raises(ValueError, match="api_key") as caught:
        keys.Client(api_key="s3cret-key\n", http_client=http)
    assert "s3cret" not in str(caught.value)
    basic = client_package(tmp_path / "basic", "basic_line_end_client", "basic")
    with pytest.raises(ValueError, match="password") as caught:
        basic.Client(username="user", password="s3cret pass\n", http_client=http)
    assert "s3cret" not in str(caught.value)
    basic.Client(username="user", password=" s3cret pass ", http_client=http)  # spaces may belong to a password
    assert seen == []


def test_an_api_key_in_the_query_is_redacted_from_httpx_logs(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    package = client_package(tmp_path, "keys_logged_client", "query")
    seen, http = recording()
    client = package.Client(api_key="s3cret-key+/=", http_client=http)
    with caplog.at_level(logging.DEBUG):
        client.things.list(extra_query={"other": "kept"})
    assert seen[0].url.params["api_key"] == "s3cret-key+/="  # sent as it is
    lines = [r.getMessage() for r in caplog.records if r.name.startswith(("httpx", "httpcore"))]
    assert any("api_key=REDACTED" in line and "other=kept" in line for line in lines), lines
    assert "s3cret" not in caplog.text and "s3cret" not in "".join(lines)
