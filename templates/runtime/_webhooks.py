# The runtime clientgen copies, unchanged, into every client it generates. Do not edit.
"""Webhook deliveries: verify their signatures with the API's keys, and parse their events into models.

The generated `webhooks` module binds this to one API: which model parses which event type (`EVENT_MODELS`),
and the `Event` union its verifiers return. Where the keys come from (an endpoint serving a JSON Web Key Set)
and the field naming an event's type are data in `_config.py`.
"""

from __future__ import annotations

import json
import logging
import time
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

logger = logging.getLogger(__package__)

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


def _keys_of(jwks: Mapping[str, Any]) -> dict[str, PublicKey]:
    keys: dict[str, PublicKey] = {}
    for jwk in jwks.get("keys") or []:
        if isinstance(jwk, Mapping) and jwk.get("kid"):
            try:
                keys[str(jwk["kid"])] = public_key_from_jwk(jwk)
            except (SignatureError, KeyError, ValueError):
                continue  # a key of a kind we cannot use cannot have signed a delivery we accept
    return keys


class _Verifier(Generic[E]):
    """The keys a verifier trusts: those given, and those it fetched from the API (the set the API serves, as
    fetched last: a key the API stops listing stops verifying at the next fetch). It fetches when a delivery
    comes and its keys are older than `refresh_interval` seconds (or were never fetched), so at most once per
    interval, whatever forged deliveries ask for; a failed fetch keeps the keys fetched before."""

    def __init__(
        self,
        client: Any,
        keys: Mapping[str, PublicKey] | None,
        max_age: int,
        models: Mapping[str, Any],
        refresh_interval: float,
    ) -> None:
        self._client = client
        self._given: dict[str, PublicKey] = dict(keys or {})
        self._fetched: dict[str, PublicKey] = {}
        #: when keys were last asked of the API (time.monotonic), None before the first time
        self._asked_at: float | None = None
        self._failure: str | None = None
        self.max_age = max_age
        self.refresh_interval = refresh_interval
        self._models = models
        self._clock = time.monotonic

    @property
    def _keys(self) -> dict[str, PublicKey]:
        return {**self._fetched, **self._given}

    def _due(self) -> bool:
        """Whether to ask the API for its keys now (and note that it is being asked)."""
        if self._client is None or _KEYS is None:
            return False
        now = self._clock()
        if self._asked_at is not None and now - self._asked_at < self.refresh_interval:
            return False
        self._asked_at = now
        return True

    def _fetched_now(self, jwks: Any) -> None:
        self._fetched = _keys_of(jwks) if isinstance(jwks, Mapping) else {}
        self._failure = None

    def _fetch_failed(self, error: Exception) -> None:
        self._failure = f"{type(error).__name__}: {error}"
        logger.warning(
            "could not fetch the API's webhook keys (%s); using those fetched before", self._failure
        )

    def _verify(
        self, method: str, url: str | httpx.URL, headers: Mapping[str, str], body: bytes
    ) -> str:
        try:
            return verify_message(method, url, headers, body, self._keys, max_age=self.max_age)
        except SignatureError as error:
            if self._failure is not None and str(error).startswith("unknown key id"):
                raise SignatureError(
                    f"{error}; fetching the API's keys failed: {self._failure}"
                ) from None
            raise


#: how a fetch of the keys is made: once, without retries (a delivery should not wait), whatever fails caught
_FETCH_OPTIONS: Any = {"max_retries": 0}


class WebhookVerifier(_Verifier[E]):
    """Checks deliveries against the API's signing keys: those given, and (with a client, when the API serves
    them) those fetched from it, again when they are older than `refresh_interval` seconds. Everything wrong
    with a delivery, or with fetching the keys, raises `SignatureError`."""

    def __init__(
        self,
        client: SyncAPIClient | None = None,
        *,
        keys: Mapping[str, PublicKey] | None = None,
        max_age: int = 300,
        models: Mapping[str, Any] | None = None,
        refresh_interval: float = 60.0,
    ) -> None:
        super().__init__(client, keys, max_age, models or {}, refresh_interval)

    def verify(
        self, *, method: str, url: str | httpx.URL, headers: Mapping[str, str], body: bytes
    ) -> str:
        """Raise SignatureError unless the delivery is signed by a known key; return the key id."""
        if self._due():
            assert _KEYS is not None
            try:
                self._fetched_now(self._client.request(_KEYS, options=_FETCH_OPTIONS))
            except (
                Exception
            ) as error:  # noqa: BLE001 - any failure to fetch is reported as the signature's
                self._fetch_failed(error)
        return self._verify(method, url, headers, body)

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
        refresh_interval: float = 60.0,
    ) -> None:
        super().__init__(client, keys, max_age, models or {}, refresh_interval)

    async def verify(
        self, *, method: str, url: str | httpx.URL, headers: Mapping[str, str], body: bytes
    ) -> str:
        """Raise SignatureError unless the delivery is signed by a known key; return the key id."""
        if self._due():
            assert _KEYS is not None
            try:
                self._fetched_now(await self._client.request(_KEYS, options=_FETCH_OPTIONS))
            except Exception as error:  # noqa: BLE001 - as the sync verifier's
                self._fetch_failed(error)
        return self._verify(method, url, headers, body)

    async def unwrap(
        self, *, body: bytes, headers: Mapping[str, str], url: str | httpx.URL, method: str = "POST"
    ) -> List[E]:
        """Verify a delivery, then parse its events."""
        await self.verify(method=method, url=url, headers=headers, body=body)
        return parse_events(body, self._models)
