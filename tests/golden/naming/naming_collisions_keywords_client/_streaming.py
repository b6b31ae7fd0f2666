# The runtime clientgen copies, unchanged, into every client it generates. Do not edit.
"""Responses read as they arrive: server-sent events and JSON lines (`Stream`, `AsyncStream`).

Server-sent events are decoded here as the WHATWG HTML standard describes them (lines split at CR, LF or CRLF
only; fields `event`, `data`, `id`, `retry`; comments; an event per blank line, none without data) rather than with a library: it is forty lines, and it keeps the
runtime's dependencies to httpx and pydantic. Each event's data is parsed into the model the spec gives it;
with none, the items are the `ServerSentEvent`s themselves. A `data` of `[DONE]` ends a stream, as many APIs
send it after their last event.
"""

from __future__ import annotations

import json
import re
from typing import Any, AsyncIterator, Callable, Generic, Iterator, TypeVar

import httpx

from ._errors import APIResponseValidationError

__all__ = ["AsyncStream", "ServerSentEvent", "Stream"]

ItemT = TypeVar("ItemT")
_DONE = "[DONE]"


class ServerSentEvent:
    """One event of a `text/event-stream` response."""

    __slots__ = ("event", "data", "id", "retry")

    def __init__(
        self,
        *,
        event: str = "message",
        data: str = "",
        id: str | None = None,
        retry: int | None = None,
    ) -> None:
        self.event = event
        self.data = data
        self.id = id
        self.retry = retry

    def json(self) -> Any:
        return json.loads(self.data)

    def __repr__(self) -> str:
        return f"ServerSentEvent(event={self.event!r}, data={self.data!r}, id={self.id!r}, retry={self.retry!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ServerSentEvent) and (
            (self.event, self.data, self.id, self.retry)
            == (other.event, other.data, other.id, other.retry)
        )

    __hash__ = None  # type: ignore[assignment]


class _EventDecoder:
    """Lines in, events out (one per blank line that ends a non-empty event)."""

    def __init__(self) -> None:
        self._event = ""
        self._data: list[str] = []
        self._id: str | None = None
        self._last_id: str | None = None
        self._retry: int | None = None

    def line(self, line: str) -> ServerSentEvent | None:
        if not line:
            if (
                not self._data
            ):  # the standard dispatches no event without data (an `event:` alone is dropped)
                self._event, self._retry = "", None
                return None
            event = ServerSentEvent(
                event=self._event or "message",
                data="\n".join(self._data),
                id=self._last_id,
                retry=self._retry,
            )
            self._event, self._data, self._retry = "", [], None
            return event
        if line.startswith(":"):
            return None  # a comment (often a keep-alive)
        name, _, value = line.partition(":")
        value = value[1:] if value.startswith(" ") else value
        if name == "event":
            self._event = value
        elif name == "data":
            self._data.append(value)
        elif name == "id" and "\0" not in value:
            self._last_id = value
        elif name == "retry" and value.isascii() and value.isdigit():
            self._retry = int(value)
        return None


class _LineSplitter:
    """Text in, lines out, split only at CR, LF or CRLF (as the standard says: a JSON string may hold U+2028,
    which `str.splitlines` would split at), a CR at the end of one chunk and an LF at the start of the next
    being one break."""

    def __init__(self) -> None:
        self._rest = ""

    def feed(self, text: str) -> Iterator[str]:
        text = self._rest + text
        body, held = (text[:-1], "\r") if text.endswith("\r") else (text, "")
        lines = re.split(r"\r\n|\r|\n", body)
        self._rest = lines.pop() + held  # the last line may go on in the next chunk
        return iter(lines)

    def end(self) -> Iterator[str]:
        """The last line, and the blank line that ends an event the stream ended without one."""
        rest, self._rest = self._rest.rstrip("\r"), ""
        return iter([rest, ""] if rest else [""])


class _Items(Generic[ItemT]):
    """What both streams share: the response, how an item is made, and closing."""

    def __init__(
        self,
        response: httpx.Response,
        kind: str,
        parse: Callable[[Any], ItemT] | None,
        request_id: str | None,
    ) -> None:
        self.response = response
        self.request_id = request_id
        self._kind = kind
        self._parse = parse

    def _events(self, lines: Iterator[str], decoder: _EventDecoder) -> Iterator[ItemT]:
        """The items the given lines complete (a stream's last lines may complete none)."""
        for line in lines:
            if self._kind == "events":
                event = decoder.line(line)
                if event is None:
                    continue
                if event.data == _DONE:
                    raise _Done
                yield self._item(event.data, event) if self._parse else event  # type: ignore[misc]
            elif line.strip():
                yield self._item(line, None)

    def _item(self, text: str, event: ServerSentEvent | None) -> Any:
        """One item parsed from its JSON text; an item that is not what the spec describes raises
        `APIResponseValidationError`, as a whole response would."""
        try:
            data = json.loads(text)
            return self._parse(data) if self._parse else data
        except (
            ValueError,
            RecursionError,
        ) as exc:  # not JSON (or too deep to read), or not the model
            # (pydantic's ValidationError is a ValueError)
            reason = (
                str(exc).splitlines()[0] if isinstance(exc, ValueError) else "nested too deeply"
            )
            raise APIResponseValidationError(
                f"a streamed item does not match the API description: {reason}",
                response=self.response,
                request_id=self.request_id,
            ) from None

    def __repr__(self) -> str:
        return f"{type(self).__name__}(status_code={self.response.status_code}, request_id={self.request_id!r})"


class _Done(Exception):
    """The `[DONE]` event: the stream is over."""


class Stream(_Items[ItemT]):
    """The items of a streamed response, parsed as they arrive: iterate it once; use it as a context manager,
    or call `close()`, to release the connection when you stop early."""

    def __iter__(self) -> Iterator[ItemT]:
        decoder = _EventDecoder()
        try:
            splitter = _LineSplitter()
            for text in self.response.iter_text():
                yield from self._events(splitter.feed(text), decoder)
            yield from self._events(splitter.end(), decoder)
        except _Done:
            pass
        finally:
            self.close()

    def close(self) -> None:
        self.response.close()

    def __enter__(self) -> Stream[ItemT]:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


class AsyncStream(_Items[ItemT]):
    """`Stream` for `AsyncClient`: `async for item in stream`, `async with stream`, `await stream.close()`."""

    async def __aiter__(self) -> AsyncIterator[ItemT]:
        decoder = _EventDecoder()
        try:
            splitter = _LineSplitter()
            async for text in self.response.aiter_text():
                for item in self._events(splitter.feed(text), decoder):
                    yield item
            for item in self._events(splitter.end(), decoder):
                yield item
        except _Done:
            pass
        finally:
            await self.close()

    async def close(self) -> None:
        await self.response.aclose()

    async def __aenter__(self) -> AsyncStream[ItemT]:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()
