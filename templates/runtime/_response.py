# The runtime clientgen copies, unchanged, into every client it generates. Do not edit.
"""Raw responses: `client.orders.with_raw_response.get(...)` returns the HTTP response beside the result."""

from __future__ import annotations

import contextvars
import functools
from typing import Awaitable, Callable, Generic, ParamSpec, TypeVar

import httpx

from ._config import REQUEST_ID_HEADER

__all__ = ["APIResponse", "to_raw_response_wrapper", "async_to_raw_response_wrapper"]

P = ParamSpec("P")
R = TypeVar("R")

#: While a raw-response wrapper runs, the client stores the HTTP response it received here.
_captured: contextvars.ContextVar[list[httpx.Response] | None] = contextvars.ContextVar(
    f"{__package__}_captured_response", default=None
)


def capture(response: httpx.Response) -> None:
    slot = _captured.get()
    if slot is not None:
        slot.append(response)


class APIResponse(Generic[R]):
    """An HTTP response and the result parsed from it."""

    def __init__(self, http_response: httpx.Response, parsed: R) -> None:
        self.http_response = http_response
        self._parsed = parsed

    @property
    def status_code(self) -> int:
        return self.http_response.status_code

    @property
    def headers(self) -> httpx.Headers:
        return self.http_response.headers

    @property
    def request_id(self) -> str | None:
        value: str | None = self.http_response.headers.get(REQUEST_ID_HEADER)
        return value

    def parse(self) -> R:
        """The result the plain method would have returned."""
        return self._parsed

    def __repr__(self) -> str:
        return f"APIResponse(status_code={self.status_code}, request_id={self.request_id!r})"


def to_raw_response_wrapper(func: Callable[P, R]) -> Callable[P, APIResponse[R]]:
    @functools.wraps(func)
    def wrapped(*args: P.args, **kwargs: P.kwargs) -> APIResponse[R]:
        slot: list[httpx.Response] = []
        token = _captured.set(slot)
        try:
            parsed = func(*args, **kwargs)
        finally:
            _captured.reset(token)
        return APIResponse(slot[-1], parsed)

    return wrapped


def async_to_raw_response_wrapper(
    func: Callable[P, Awaitable[R]],
) -> Callable[P, Awaitable[APIResponse[R]]]:
    @functools.wraps(func)
    async def wrapped(*args: P.args, **kwargs: P.kwargs) -> APIResponse[R]:
        slot: list[httpx.Response] = []
        token = _captured.set(slot)
        try:
            parsed = await func(*args, **kwargs)
        finally:
            _captured.reset(token)
        return APIResponse(slot[-1], parsed)

    return wrapped
