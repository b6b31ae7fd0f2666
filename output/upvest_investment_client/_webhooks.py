# The runtime clientgen copies, unchanged, into every client it generates. Do not edit.
"""Webhook deliveries: verify their signatures with the API's keys, and parse their events into models.

The generated `webhooks` module binds this to one API: which model parses which event type (`EVENT_MODELS`),
and the `Event` union its verifiers return. Where the keys come from (an endpoint serving a JSON Web Key Set)
and the field naming an event's type are data in `_config.py`.
"""

from __future__ import annotations

import json
from typing import Any, Dict, Generic, List, Mapping, TypeVar

import httpx

from ._base_client import AsyncAPIClient, Endpoint, SyncAPIClient
from ._config import (
    WEBHOOK_KEYS_AUTHENTICATED,
    WEBHOOK_KEYS_PATH,
    WEBHOOK_KEYS_SCOPES,
    WEBHOOK_TYPE_FIELD,
)
from ._signing import PublicKey, SignatureError, public_key_from_jwk, verify_message
from ._types import BaseModel

__all__ = ["AsyncWebhookVerifier", "UnknownEvent", "WebhookVerifier", "parse_events"]

E = TypeVar("E")

#: The API's signing keys, when it serves them (a JSON Web Key Set).
_KEYS: Endpoint[Dict[str, Any]] | None = (
    Endpoint(
        "GET",
        WEBHOOK_KEYS_PATH,
        responses={"200": {"application/json": Dict[str, Any]}},
        scopes=WEBHOOK_KEYS_SCOPES,
        authenticated=WEBHOOK_KEYS_AUTHENTICATED,
    )
    if WEBHOOK_KEYS_PATH
    else None
)


class UnknownEvent(BaseModel):
    """An event of a type this client does not know; every field is kept."""


def parse_events(
    body: bytes | str | Mapping[str, Any] | List[Any], models: Mapping[str, Any]
) -> List[Any]:
    """The events of a delivery, in order, each parsed with the model of its type (`models`), else as an
    `UnknownEvent`; a delivery is one event, a list of them, or an object wrapping a list."""
    data = json.loads(body) if isinstance(body, (bytes, str)) else body
    if isinstance(data, Mapping) and WEBHOOK_TYPE_FIELD not in data:
        data = next((v for v in data.values() if isinstance(v, list)), [data])
    items = data if isinstance(data, list) else [data]
    events: List[Any] = []
    for item in items:
        model = models.get(str(item.get(WEBHOOK_TYPE_FIELD))) if isinstance(item, Mapping) else None
        events.append((model or UnknownEvent).model_validate(item))
    return events


def _keys_of(jwks: Dict[str, Any]) -> dict[str, PublicKey]:
    keys: dict[str, PublicKey] = {}
    for jwk in jwks.get("keys") or []:
        if isinstance(jwk, Mapping) and jwk.get("kid"):
            try:
                keys[str(jwk["kid"])] = public_key_from_jwk(jwk)
            except (SignatureError, KeyError, ValueError):
                continue  # a key of a kind we cannot use cannot have signed a delivery we accept
    return keys


class _Verifier(Generic[E]):
    def __init__(
        self, keys: Mapping[str, PublicKey] | None, max_age: int, models: Mapping[str, Any]
    ) -> None:
        self._keys: dict[str, PublicKey] = dict(keys or {})
        self.max_age = max_age
        self._models = models

    def _check(
        self, method: str, url: str | httpx.URL, headers: Mapping[str, str], body: bytes
    ) -> str | None:
        """The key id, when a known key verifies the delivery; None when its key id is unknown."""
        try:
            return verify_message(method, url, headers, body, self._keys, max_age=self.max_age)
        except SignatureError as error:
            if "unknown key id" not in str(error):
                raise
        return None

    def _verify_again(
        self, method: str, url: str | httpx.URL, headers: Mapping[str, str], body: bytes
    ) -> str:
        return verify_message(method, url, headers, body, self._keys, max_age=self.max_age)


class WebhookVerifier(_Verifier[E]):
    """Checks deliveries against the API's signing keys: those given, and (with a client, when the API serves
    them) those fetched from it, once and again for an unknown key id."""

    def __init__(
        self,
        client: SyncAPIClient | None = None,
        *,
        keys: Mapping[str, PublicKey] | None = None,
        max_age: int = 300,
        models: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(keys, max_age, models or {})
        self._client = client

    def _refresh(self) -> None:
        if self._client is not None and _KEYS is not None:
            self._keys.update(_keys_of(self._client.request(_KEYS)))

    def verify(
        self, *, method: str, url: str | httpx.URL, headers: Mapping[str, str], body: bytes
    ) -> str:
        """Raise SignatureError unless the delivery is signed by a known key; return the key id."""
        key_id = self._check(method, url, headers, body)
        if key_id is not None:
            return key_id
        self._refresh()
        return self._verify_again(method, url, headers, body)

    def unwrap(
        self, *, body: bytes, headers: Mapping[str, str], url: str | httpx.URL, method: str = "POST"
    ) -> List[E]:
        """Verify a delivery, then parse its events."""
        self.verify(method=method, url=url, headers=headers, body=body)
        return parse_events(body, self._models)


class AsyncWebhookVerifier(_Verifier[E]):
    """As `WebhookVerifier`, fetching keys with the async client."""

    def __init__(
        self,
        client: AsyncAPIClient | None = None,
        *,
        keys: Mapping[str, PublicKey] | None = None,
        max_age: int = 300,
        models: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(keys, max_age, models or {})
        self._client = client

    async def _refresh(self) -> None:
        if self._client is not None and _KEYS is not None:
            self._keys.update(_keys_of(await self._client.request(_KEYS)))

    async def verify(
        self, *, method: str, url: str | httpx.URL, headers: Mapping[str, str], body: bytes
    ) -> str:
        """Raise SignatureError unless the delivery is signed by a known key; return the key id."""
        key_id = self._check(method, url, headers, body)
        if key_id is not None:
            return key_id
        await self._refresh()
        return self._verify_again(method, url, headers, body)

    async def unwrap(
        self, *, body: bytes, headers: Mapping[str, str], url: str | httpx.URL, method: str = "POST"
    ) -> List[E]:
        """Verify a delivery, then parse its events."""
        await self.verify(method=method, url=url, headers=headers, body=body)
        return parse_events(body, self._models)
