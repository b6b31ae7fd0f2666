# The runtime clientgen copies, unchanged, into every client it generates. Do not edit.
"""Pages of list operations, and iterators over all their items, fetched as needed.

`for item in client.x.list(): ...` walks every page; `page.data` is one page; `page.iter_pages()` walks pages;
`page.has_next_page()` and `page.next_page()` move one at a time. How an operation pages is data in its
endpoint (`Endpoint.page`): by offset, page number, cursor (from a response field or the last item), a next-page
URL in the response, or the `Link` header. A server that answers the same next page twice ends the walk with
`PaginationError` instead of a loop.
"""

from __future__ import annotations

import re
from typing import Any, AsyncIterator, Generator, Generic, Iterator, List, Mapping, TypeVar

import httpx

from ._base_client import AsyncAPIClient, Endpoint, SyncAPIClient
from ._errors import PaginationError
from ._response import capturing

__all__ = ["AsyncPage", "AsyncPaginator", "SyncPage"]

ItemT = TypeVar("ItemT")
_LINK = re.compile(r"<([^>]*)>\s*((?:;\s*[^;,]*)*)")


class _Page(Generic[ItemT]):
    """One page: the parsed response, its items, and the call that fetches the next one (None: the last)."""

    def __init__(
        self,
        endpoint: Endpoint[Any],
        response: Any,
        call: Mapping[str, Any],
        http_response: httpx.Response | None,
    ) -> None:
        assert endpoint.page is not None
        self._endpoint = endpoint
        self._call = call
        self._spec = endpoint.page
        self.response = response
        items = (
            response
            if not self._spec.get("items")
            else getattr(response, self._spec["items"], None)
        )
        self.data: List[ItemT] = list(items or [])
        self.meta: Any = getattr(response, "meta", None)
        self._next = self._next_call(http_response) if self.data else None

    @property
    def request_id(self) -> str | None:
        value: str | None = getattr(self.response, "request_id", None)
        return value

    def has_next_page(self) -> bool:
        return self._next is not None

    def _next_call(self, http_response: httpx.Response | None) -> dict[str, Any] | None:
        spec = self._spec
        style = spec["style"]
        query = dict(self._call.get("query") or {})
        param, size_name = spec.get("param", ""), spec.get("size", "")
        size = _number(query.get(size_name), None) if size_name else None
        total = _number(_get(self.response, spec.get("total", ())), None)
        if style in ("offset", "page"):
            total_path = spec.get("total", ())
            meta = _get(self.response, total_path[:-1]) if len(total_path) > 1 else None
            if style == "offset":
                offset = _number(getattr(meta, param, None), _number(query.get(param), 0))
                size = _number(getattr(meta, size_name, None), size) if size_name else None
                more = (
                    offset + len(self.data) < total
                    if total is not None
                    else size is None or len(self.data) >= size
                )
                query[param] = offset + len(self.data)
            else:
                number = _number(query.get(param), 1)
                seen = (number - 1) * size + len(self.data) if size else None
                more = (
                    seen < total
                    if total is not None and seen is not None
                    else size is None or len(self.data) >= size
                )
                query[param] = number + 1
            return {**self._call, "query": query} if more else None
        if style == "cursor":
            if spec.get("has_more") and _get(self.response, spec["has_more"]) is False:
                return None
            if spec.get("item_cursor"):
                cursor = getattr(self.data[-1], spec["item_cursor"], None)
            else:
                cursor = _get(self.response, spec.get("next", ()))
            if cursor in (None, ""):
                return None
            query[param] = cursor
            return {**self._call, "query": query}
        if style == "next-url":
            url = _get(self.response, spec.get("next", ()))
        else:  # link
            url = (
                _next_link(http_response.headers.get("link", ""))
                if http_response is not None
                else None
            )
        if not url:
            return None
        if (
            http_response is not None
        ):  # relative to the page that gave it (RFC 3986), not to the base URL
            url = http_response.url.join(str(url))
        return {**self._call, "query": None, "url": str(url)}

    def _key(self, call: Mapping[str, Any]) -> str:
        """What makes a call fetch another page: its URL, or its query."""
        return repr(
            (
                call.get("url"),
                sorted((str(k), repr(v)) for k, v in (call.get("query") or {}).items()),
            )
        )

    def _check_advances(self, seen: set[str]) -> None:
        """Refuse a next page the walk asked for before, or a page that repeats the one before it (a server
        that ignores the offset or page number)."""
        if self._next is None:
            return
        key = self._key(self._next)
        items = (
            repr((len(self.data), _dump(self.data[0]), _dump(self.data[-1]))) if self.data else ""
        )
        if key in seen or (items and items in seen):
            raise PaginationError(
                f"{self._endpoint.method} {self._endpoint.path}: the API answered the same next page twice"
                f" ({key}); stopping instead of fetching it again"
            )
        seen.add(key)
        if items:
            seen.add(items)

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(items={len(self.data)}, has_next_page={self.has_next_page()})"
        )


def _dump(item: Any) -> Any:
    dump = getattr(item, "model_dump", None)
    return dump() if callable(dump) else item


def _get(value: Any, path: Any) -> Any:
    for name in path:
        if value is None:
            return None
        value = value.get(name) if isinstance(value, Mapping) else getattr(value, name, None)
    return value


def _number(value: Any, default: Any) -> Any:
    return value if isinstance(value, int) and not isinstance(value, bool) else default


def _next_link(header: str) -> str | None:
    """The `rel="next"` target of an RFC 8288 `Link` header."""
    for match in _LINK.finditer(header):
        for parameter in match.group(2).split(";"):
            name, _, value = parameter.strip().partition("=")
            if name.strip().lower() == "rel" and "next" in value.strip().strip('"').lower().split():
                return match.group(1)
    return None


class SyncPage(_Page[ItemT]):
    """A page of results; iterating it yields the items of this page and of every page after it."""

    def __init__(self, client: SyncAPIClient, endpoint: Endpoint[Any], **call: Any) -> None:
        with capturing() as responses:
            response = client.request(endpoint, **call)
        super().__init__(endpoint, response, call, responses[-1] if responses else None)
        self._client = client

    def next_page(self) -> SyncPage[ItemT]:
        if self._next is None:
            raise PaginationError("this is the last page: has_next_page() is False")
        return SyncPage(self._client, self._endpoint, **self._next)

    def iter_pages(self) -> Iterator[SyncPage[ItemT]]:
        page: SyncPage[ItemT] = self
        seen = {self._key(self._call)}
        while True:
            yield page
            page._check_advances(seen)
            if not page.has_next_page():
                return
            page = page.next_page()

    def __iter__(self) -> Iterator[ItemT]:
        for page in self.iter_pages():
            yield from page.data


class AsyncPage(_Page[ItemT]):
    """A page of results of the async client."""

    def __init__(
        self,
        client: AsyncAPIClient,
        endpoint: Endpoint[Any],
        response: Any,
        call: Mapping[str, Any],
        http_response: httpx.Response | None = None,
    ) -> None:
        super().__init__(endpoint, response, call, http_response)
        self._client = client

    async def next_page(self) -> AsyncPage[ItemT]:
        if self._next is None:
            raise PaginationError("this is the last page: has_next_page() is False")
        return await _fetch(self._client, self._endpoint, self._next)

    async def iter_pages(self) -> AsyncIterator[AsyncPage[ItemT]]:
        page: AsyncPage[ItemT] = self
        seen = {self._key(self._call)}
        while True:
            yield page
            page._check_advances(seen)
            if not page.has_next_page():
                return
            page = await page.next_page()

    async def __aiter__(self) -> AsyncIterator[ItemT]:
        async for page in self.iter_pages():
            for item in page.data:
                yield item


async def _fetch(
    client: AsyncAPIClient, endpoint: Endpoint[Any], call: Mapping[str, Any]
) -> AsyncPage[Any]:
    with capturing() as responses:
        response = await client.request(endpoint, **call)
    return AsyncPage(client, endpoint, response, call, responses[-1] if responses else None)


class AsyncPaginator(Generic[ItemT]):
    """What an async list method returns: await it for the first page, or `async for` over every item."""

    def __init__(self, client: AsyncAPIClient, endpoint: Endpoint[Any], **call: Any) -> None:
        self._client = client
        self._endpoint = endpoint
        self._call = call

    async def _first(self) -> AsyncPage[ItemT]:
        return await _fetch(self._client, self._endpoint, self._call)

    def __await__(self) -> Generator[Any, None, AsyncPage[ItemT]]:
        return self._first().__await__()

    async def __aiter__(self) -> AsyncIterator[ItemT]:
        page = await self._first()
        async for item in page:
            yield item
