# The runtime clientgen copies, unchanged, into every client it generates. Do not edit.
"""Pages of list operations, and iterators over all their items, fetched as needed.

`for item in client.x.list(): ...` walks every page; `page.data` is one page; `page.iter_pages()` walks pages.
"""

from __future__ import annotations

from typing import Any, AsyncIterator, Generator, Generic, Iterator, List, Mapping, TypeVar

from ._base_client import AsyncAPIClient, Endpoint, RequestOptions, SyncAPIClient

__all__ = ["AsyncPage", "AsyncPaginator", "SyncPage"]

ItemT = TypeVar("ItemT")


class _Page(Generic[ItemT]):
    """One page: the parsed response, its items, and how to ask for the next one."""

    def __init__(self, endpoint: Endpoint[Any], response: Any, call: Mapping[str, Any]) -> None:
        assert endpoint.page is not None
        self._endpoint = endpoint
        self._call = call
        offset_name, limit_name, items_name, meta_name, total_name = endpoint.page
        self.response = response
        self.data: List[ItemT] = list(getattr(response, items_name, None) or [])
        self.meta: Any = getattr(response, meta_name, None)
        query = call.get("query") or {}
        self._offset = _number(
            getattr(self.meta, offset_name, None), _number(query.get(offset_name), 0)
        )
        self._limit = _number(
            getattr(self.meta, limit_name, None), _number(query.get(limit_name), None)
        )
        self._total = _number(getattr(self.meta, total_name, None), None)
        self._offset_name = offset_name

    @property
    def request_id(self) -> str | None:
        value: str | None = getattr(self.response, "request_id", None)
        return value

    def has_next_page(self) -> bool:
        if not self.data:
            return False
        if self._total is not None:
            return bool(self._offset + len(self.data) < self._total)
        return self._limit is None or len(self.data) >= int(self._limit)

    def _next_call(self) -> dict[str, Any]:
        query = dict(self._call.get("query") or {})
        query[self._offset_name] = self._offset + len(self.data)
        return {**self._call, "query": query}

    def __repr__(self) -> str:
        return f"{type(self).__name__}(items={len(self.data)}, offset={self._offset}, total={self._total})"


def _number(value: Any, default: Any) -> Any:
    return value if isinstance(value, int) and not isinstance(value, bool) else default


class SyncPage(_Page[ItemT]):
    """A page of results; iterating it yields the items of this page and of every page after it."""

    def __init__(self, client: SyncAPIClient, endpoint: Endpoint[Any], **call: Any) -> None:
        super().__init__(endpoint, client.request(endpoint, **call), call)
        self._client = client

    def next_page(self) -> SyncPage[ItemT]:
        return SyncPage(self._client, self._endpoint, **self._next_call())

    def iter_pages(self) -> Iterator[SyncPage[ItemT]]:
        page: SyncPage[ItemT] = self
        while True:
            yield page
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
    ) -> None:
        super().__init__(endpoint, response, call)
        self._client = client

    async def next_page(self) -> AsyncPage[ItemT]:
        call = self._next_call()
        return AsyncPage(
            self._client, self._endpoint, await self._client.request(self._endpoint, **call), call
        )

    async def iter_pages(self) -> AsyncIterator[AsyncPage[ItemT]]:
        page: AsyncPage[ItemT] = self
        while True:
            yield page
            if not page.has_next_page():
                return
            page = await page.next_page()

    async def __aiter__(self) -> AsyncIterator[ItemT]:
        async for page in self.iter_pages():
            for item in page.data:
                yield item


class AsyncPaginator(Generic[ItemT]):
    """What an async list method returns: await it for the first page, or `async for` over every item."""

    def __init__(self, client: AsyncAPIClient, endpoint: Endpoint[Any], **call: Any) -> None:
        self._client = client
        self._endpoint = endpoint
        self._call = call

    async def _first(self) -> AsyncPage[ItemT]:
        response = await self._client.request(self._endpoint, **self._call)
        return AsyncPage(self._client, self._endpoint, response, self._call)

    def __await__(self) -> Generator[Any, None, AsyncPage[ItemT]]:
        return self._first().__await__()

    async def __aiter__(self) -> AsyncIterator[ItemT]:
        page = await self._first()
        async for item in page:
            yield item
