# The runtime clientgen copies, unchanged, into every client it generates. Do not edit.
"""A sync call's deadline as a bound on every socket operation it makes, in the caller's thread.

A server that answers a few bytes at a time keeps each read under httpx's read timeout for as long as it likes;
a connection made through `_DeadlineBackend` gives each connect, read and write at most what is left of the
deadline of the call using it (`UNTIL`, set by `_base_client._send_within`). Imported by the first call, with
httpcore (which httpx imports then too).
"""

from __future__ import annotations

import contextvars
import time
from typing import Any

import httpcore
import httpx

__all__ = ["UNTIL", "bound_by_deadlines"]

#: when the current call's deadline passes (time.monotonic), while a sync send runs in this thread
UNTIL: contextvars.ContextVar[float | None] = contextvars.ContextVar("api_call_until", default=None)


def _left(timeout: float | None, error: type[Exception]) -> float | None:
    """A socket operation's timeout, no later than the current call's deadline (`error` once it has passed)."""
    until = UNTIL.get()
    if until is None:
        return timeout
    left = until - time.monotonic()
    if left <= 0:
        raise error("the call's deadline passed")
    return left if timeout is None else min(timeout, left)


class _DeadlineStream(httpcore.NetworkStream):
    """A connection whose every read and write ends by the deadline of the call using it: a server that
    answers a byte at a time keeps each read under the read timeout, not under the deadline."""

    def __init__(self, stream: httpcore.NetworkStream) -> None:
        self._stream = stream

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._stream.read(max_bytes, _left(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._stream.write(buffer, _left(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._stream.close()

    def start_tls(
        self,
        ssl_context: Any,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.NetworkStream:
        wrapped = self._stream.start_tls(
            ssl_context, server_hostname, _left(timeout, httpcore.ConnectTimeout)
        )
        return _DeadlineStream(wrapped)

    def get_extra_info(self, info: str) -> Any:
        return self._stream.get_extra_info(info)


class _DeadlineBackend(httpcore.NetworkBackend):
    """httpcore's network backend, its connections bounded by each call's deadline (`_DeadlineStream`); outside
    a call of this client (no deadline set) it behaves as the backend it wraps."""

    def __init__(self, backend: httpcore.NetworkBackend) -> None:
        self._backend = backend

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Any = None,
    ) -> httpcore.NetworkStream:
        stream = self._backend.connect_tcp(
            host, port, _left(timeout, httpcore.ConnectTimeout), local_address, socket_options
        )
        return _DeadlineStream(stream)

    def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Any = None
    ) -> httpcore.NetworkStream:
        stream = self._backend.connect_unix_socket(
            path, _left(timeout, httpcore.ConnectTimeout), socket_options
        )
        return _DeadlineStream(stream)

    def sleep(self, seconds: float) -> None:
        self._backend.sleep(seconds)


def bound_by_deadlines(http: httpx.Client) -> bool:
    """Whether calls through `http` are bounded by their deadlines within this thread: its transport is httpx's
    own, whose connection pool then connects through `_DeadlineBackend` (which changes nothing outside this
    client's calls), when it has no mounted transports and no connections yet. Otherwise the calls run in a
    helper thread (`_base_client._within`).
    """
    pool = getattr(getattr(http, "_transport", None), "_pool", None)
    backend = getattr(pool, "_network_backend", None)
    if isinstance(backend, _DeadlineBackend):
        return True
    if type(getattr(http, "_transport", None)) is not httpx.HTTPTransport or getattr(
        http, "_mounts", True
    ):
        return False  # another transport, or mounted ones (a proxy from the environment) calls may go through
    if not isinstance(pool, httpcore.ConnectionPool) or not isinstance(
        backend, httpcore.NetworkBackend
    ):
        return False
    if pool.connections:  # connections made before would not be bounded
        return False
    pool._network_backend = _DeadlineBackend(backend)
    return True
