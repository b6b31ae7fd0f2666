# The runtime clientgen copies, unchanged, into every client it generates. Do not edit.
"""Authentication: credentials a request carries (an API key, HTTP basic), and OAuth2 client-credentials
tokens, one per scope set, cached, refreshed before expiry, fetched once at a time.

A bearer token (fetched, or given as `access_token=`) is the `authorization` header; `Credentials` add what
else the API's security schemes ask for, after it.
"""

from __future__ import annotations

import base64
import logging
import threading
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Awaitable, Callable

import httpx

if TYPE_CHECKING:
    import asyncio

__all__ = ["ApiKey", "BasicAuth", "Credentials", "TokenCache", "choose_scopes", "scope_key"]

#: A request's query parameters, as the transport sends them.
Params = list[tuple[str, Any]]


class Credentials:
    """What a request carries to authenticate itself, besides a bearer token."""

    #: whether these credentials are the `authorization` header, which a bearer token takes instead
    authorization = False

    def apply(self, headers: dict[str, str], params: Params) -> Params:
        """Add the credentials to a request's headers (in place) and query parameters (returned)."""
        raise NotImplementedError


class ApiKey(Credentials):
    """An API key, in a header or a query parameter (or both, as the security schemes say). A key in the query
    is redacted from the URLs httpx logs (`_RedactQuery`)."""

    def __init__(self, key: str, *, header: str | None, query: str | None) -> None:
        self._key, self._header, self._query = key, header, query
        if query:
            _RedactQuery.install(query)

    def __repr__(self) -> str:  # never the key
        return f"ApiKey(header={self._header!r}, query={self._query!r})"

    def apply(self, headers: dict[str, str], params: Params) -> Params:
        if self._header:
            headers[self._header] = self._key
        return [*params, (self._query, self._key)] if self._query else params


class _RedactQuery(logging.Filter):
    """Rewrites httpx's `HTTP Request: GET https://...?api_key=... "HTTP/1.1 200 OK"` lines (INFO) with the
    value of each query parameter that carries an API key replaced by REDACTED. One filter on httpx's logger,
    for every parameter name a client of this package sends a key in."""

    _names: set[str] = set()
    _lock = threading.Lock()

    @classmethod
    def install(cls, name: str) -> None:
        with cls._lock:
            if not cls._names:
                logging.getLogger("httpx").addFilter(cls())
            cls._names.add(name)

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple) and any(
            isinstance(arg, httpx.URL) for arg in record.args
        ):
            record.args = tuple(
                self._redacted(arg) if isinstance(arg, httpx.URL) else arg for arg in record.args
            )
        return True

    def _redacted(self, url: httpx.URL) -> httpx.URL:
        for name in self._names & set(url.params.keys()):
            url = url.copy_set_param(name, "REDACTED")
        return url


class BasicAuth(Credentials):
    """HTTP basic authentication: the `authorization` header (unless the request has a bearer token)."""

    authorization = True

    def __init__(self, username: str, password: str) -> None:
        pair = f"{username}:{password}".encode("utf-8")
        self._value = "Basic " + base64.b64encode(pair).decode("ascii")

    def __repr__(self) -> str:  # never the password
        return "BasicAuth()"

    def apply(self, headers: dict[str, str], params: Params) -> Params:
        headers["authorization"] = self._value
        return params


#: Fetches a token for a space-separated scope string; returns (access token, lifetime in seconds).
Fetch = Callable[[str], "tuple[str, float]"]
AsyncFetch = Callable[[str], Awaitable["tuple[str, float]"]]


def scope_key(scopes: tuple[str, ...]) -> str:
    """The scope parameter of a token request, and the cache key of its token."""
    return " ".join(sorted(set(scopes)))


def choose_scopes(alternatives: tuple[tuple[str, ...], ...]) -> tuple[str, ...]:
    """The narrowest alternative an operation accepts: fewest scopes, then `:read` before others.

    Operations that read list `x:read` and `x:admin` as alternatives; least privilege takes `x:read`.
    """
    if not alternatives:
        return ()

    def rank(alternative: tuple[str, ...]) -> tuple[int, int]:
        return len(alternative), sum(not scope.endswith(":read") for scope in alternative)

    return min(alternatives, key=rank)


@dataclass
class _Token:
    value: str
    refresh_at: float  # time.monotonic() after which the token is renewed


class TokenCache:
    """Tokens by scope set. Holds tokens only in memory; its repr shows scope sets, never tokens."""

    def __init__(self, refresh_skew: float = 60.0) -> None:
        self.refresh_skew = refresh_skew
        self._tokens: dict[str, _Token] = {}
        self._guard = threading.Lock()
        self._thread_locks: dict[str, threading.Lock] = {}
        self._async_locks: dict[str, asyncio.Lock] = {}

    def __repr__(self) -> str:
        return f"TokenCache(scope_sets={sorted(self._tokens)!r})"

    def _fresh(self, key: str) -> str | None:
        token = self._tokens.get(key)
        if token is not None and time.monotonic() < token.refresh_at:
            return token.value
        return None

    def _store(self, key: str, value: str, lifetime: float) -> str:
        # renew after `lifetime - skew`, but never sooner than half the lifetime (short-lived tokens)
        early = min(self.refresh_skew, lifetime / 2)
        self._tokens[key] = _Token(value, time.monotonic() + max(lifetime - early, 0.0))
        return value

    def invalidate(self, key: str, value: str) -> None:
        """Forget a token the server refused (expired or revoked), unless it was already replaced."""
        with self._guard:
            token = self._tokens.get(key)
            if token is not None and token.value == value:
                del self._tokens[key]

    def get(self, key: str, fetch: Fetch, wait: float | None = None) -> str:
        """A valid token for the scope set, fetching one (once, whatever the number of threads) when needed;
        `wait`: the most seconds to wait for another thread's fetch (TimeoutError)."""
        value = self._fresh(key)
        if value is not None:
            return value
        with self._guard:
            lock = self._thread_locks.setdefault(key, threading.Lock())
        if not lock.acquire(timeout=-1 if wait is None else max(0.0, wait)):
            raise TimeoutError("another call's token fetch took longer than this call's deadline")
        try:
            value = self._fresh(key)
            if value is not None:
                return value
            token, lifetime = fetch(key)
            return self._store(key, token, lifetime)
        finally:
            lock.release()

    async def aget(self, key: str, fetch: AsyncFetch, wait: float | None = None) -> str:
        """As `get`, for asyncio: concurrent tasks share one fetch per scope set."""
        # imported here, not at the top: a program using only the sync client never imports asyncio
        import asyncio

        value = self._fresh(key)
        if value is not None:
            return value
        lock = self._async_locks.setdefault(key, asyncio.Lock())
        try:
            await asyncio.wait_for(lock.acquire(), None if wait is None else max(0.0, wait))
        except asyncio.TimeoutError:
            raise TimeoutError(
                "another call's token fetch took longer than this call's deadline"
            ) from None
        try:
            value = self._fresh(key)
            if value is not None:
                return value
            token, lifetime = await fetch(key)
            return self._store(key, token, lifetime)
        finally:
            lock.release()
