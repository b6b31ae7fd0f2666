# The runtime clientgen copies, unchanged, into every client it generates. Do not edit.
"""Raw responses: `client.orders.with_raw_response.get(...)` returns the HTTP response beside the result, and
`client.reports.with_streaming_response.retrieve(...)` gives the response before its body is read.
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import os
from typing import (
    Any,
    AsyncIterator,
    Awaitable,
    Callable,
    Generic,
    Iterator,
    ParamSpec,
    TypeVar,
)

import httpx

from ._config import REQUEST_ID_HEADER

__all__ = [
    "APIResponse",
    "AsyncStreamedAPIResponse",
    "StreamedAPIResponse",
    "async_to_raw_response_wrapper",
    "async_to_streamed_response_wrapper",
    "to_raw_response_wrapper",
    "to_streamed_response_wrapper",
]

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


@contextlib.contextmanager
def capturing() -> Iterator[list[httpx.Response]]:
    """The HTTP responses of the calls made inside the block (a page reads its `Link` header), passed on to
    an outer `with_raw_response` too."""
    slot: list[httpx.Response] = []
    token = _captured.set(slot)
    try:
        yield slot
    finally:
        _captured.reset(token)
        for response in slot:
            capture(response)


class _ResponseView:
    """What every response wrapper shows of its HTTP response."""

    http_response: httpx.Response

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

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(status_code={self.status_code}, request_id={self.request_id!r})"
        )


class APIResponse(_ResponseView, Generic[R]):
    """An HTTP response and the result parsed from it."""

    def __init__(self, http_response: httpx.Response, parsed: R) -> None:
        self.http_response = http_response
        self._parsed = parsed

    def parse(self) -> R:
        """The result the plain method would have returned."""
        return self._parsed


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


#: Set by a streaming-response wrapper for the one call it makes: the client hands that call's response over
#: unread (`Streamed`) instead of reading and parsing it.
_stream_next: contextvars.ContextVar[bool] = contextvars.ContextVar(
    f"{__package__}_stream_next", default=False
)


def take_stream_request() -> bool:
    """Whether the call starting now is to be streamed (asked once: the token fetch it may need is not)."""
    if not _stream_next.get():
        return False
    _stream_next.set(False)
    return True


class Streamed(Exception):
    """How the client hands a streamed call's success response, unread, to the wrapper that asked for it,
    through whatever the method does with a result (a page, say)."""

    def __init__(self, response: httpx.Response, parse: Callable[[httpx.Response], Any]) -> None:
        super().__init__("a streamed response")
        self.response = response
        self.parse = parse


class _StreamedBase(_ResponseView):
    def __init__(
        self, http_response: httpx.Response, parse: Callable[[httpx.Response], Any]
    ) -> None:
        self.http_response = http_response
        self._parse = parse


class StreamedAPIResponse(_StreamedBase, Generic[R]):
    """A success response whose body has not been read: read it a chunk at a time, write it to a file, or
    `parse()` it into what the plain method returns. Valid inside its `with` block."""

    def iter_bytes(self, chunk_size: int | None = None) -> Iterator[bytes]:
        return self.http_response.iter_bytes(chunk_size)

    def iter_text(self, chunk_size: int | None = None) -> Iterator[str]:
        return self.http_response.iter_text(chunk_size)

    def iter_lines(self) -> Iterator[str]:
        return self.http_response.iter_lines()

    def read(self) -> bytes:
        return self.http_response.read()

    def write_to_file(self, path: str | os.PathLike[str]) -> None:
        """Write the body to `path` as it arrives."""
        with open(path, "wb") as out:
            for chunk in self.http_response.iter_bytes():
                out.write(chunk)

    def parse(self) -> R:
        """The result the plain method returns (a list method: its first page's response), read now."""
        self.http_response.read()
        return self._parse(self.http_response)  # type: ignore[no-any-return]

    def close(self) -> None:
        self.http_response.close()


class AsyncStreamedAPIResponse(_StreamedBase, Generic[R]):
    """`StreamedAPIResponse` for `AsyncClient`: `async for chunk in response.iter_bytes()`, and awaits."""

    def iter_bytes(self, chunk_size: int | None = None) -> AsyncIterator[bytes]:
        return self.http_response.aiter_bytes(chunk_size)

    def iter_text(self, chunk_size: int | None = None) -> AsyncIterator[str]:
        return self.http_response.aiter_text(chunk_size)

    def iter_lines(self) -> AsyncIterator[str]:
        return self.http_response.aiter_lines()

    async def read(self) -> bytes:
        return await self.http_response.aread()

    async def write_to_file(self, path: str | os.PathLike[str]) -> None:
        """Write the body to `path` as it arrives (the writes block: files are local)."""
        with open(path, "wb") as out:
            async for chunk in self.http_response.aiter_bytes():
                out.write(chunk)

    async def parse(self) -> R:
        await self.http_response.aread()
        return self._parse(self.http_response)  # type: ignore[no-any-return]

    async def close(self) -> None:
        await self.http_response.aclose()


class _StreamedCall(Generic[R]):
    """What a streaming-response method returns: `with` it to get the response, unread."""

    def __init__(self, call: Callable[[], R]) -> None:
        self._call = call
        self._response: StreamedAPIResponse[R] | None = None

    def __enter__(self) -> StreamedAPIResponse[R]:
        token = _stream_next.set(True)
        try:
            self._call()
        except Streamed as streamed:
            self._response = StreamedAPIResponse(streamed.response, streamed.parse)
            return self._response
        finally:
            _stream_next.reset(token)
        raise RuntimeError("the call returned without a response to stream")

    def __exit__(self, *exc_info: object) -> None:
        if self._response is not None:
            self._response.close()


class _AsyncStreamedCall(Generic[R]):
    """`_StreamedCall` for `AsyncClient`: `async with` it."""

    def __init__(self, call: Callable[[], Awaitable[R]]) -> None:
        self._call = call
        self._response: AsyncStreamedAPIResponse[R] | None = None

    async def __aenter__(self) -> AsyncStreamedAPIResponse[R]:
        token = _stream_next.set(True)
        try:
            await self._call()
        except Streamed as streamed:
            self._response = AsyncStreamedAPIResponse(streamed.response, streamed.parse)
            return self._response
        finally:
            _stream_next.reset(token)
        raise RuntimeError("the call returned without a response to stream")

    async def __aexit__(self, *exc_info: object) -> None:
        if self._response is not None:
            await self._response.close()


def to_streamed_response_wrapper(func: Callable[P, R]) -> Callable[P, _StreamedCall[R]]:
    @functools.wraps(func)
    def wrapped(*args: P.args, **kwargs: P.kwargs) -> _StreamedCall[R]:
        return _StreamedCall(functools.partial(func, *args, **kwargs))

    return wrapped


def async_to_streamed_response_wrapper(
    func: Callable[P, Awaitable[R]],
) -> Callable[P, _AsyncStreamedCall[R]]:
    @functools.wraps(func)
    def wrapped(*args: P.args, **kwargs: P.kwargs) -> _AsyncStreamedCall[R]:
        return _AsyncStreamedCall(functools.partial(func, *args, **kwargs))

    return wrapped
