"""Paging and key-set discovery: what the build works out from operations once their classes have real names."""

from __future__ import annotations

from dataclasses import replace
from typing import Iterator

from generator.build.common import array_item, object_schema
from generator.config import Config
from generator.model import (
    ArrayType,
    Field,
    Group,
    Nullable,
    ObjectSchema,
    Operation,
    Pagination,
    Primitive,
    Schema,
    Type,
)

#: names of request parameters and response fields, compared without case, `_` or `-`
_ITEMS = ("data", "items", "results", "records", "entries", "values", "elements", "content", "objects", "list")
_CURSOR_PARAMS = frozenset(
    {"cursor", "pagetoken", "nexttoken", "continuationtoken", "after", "pagecursor", "nextcursor", "marker"}
)
_NEXT_CURSORS = frozenset(
    {"nextcursor", "nextpagetoken", "nexttoken", "continuationtoken", "cursor", "endcursor", "after", "nextmarker"}
)
_NEXT_URLS = frozenset({"next", "nextpage", "nextpageurl", "nextpageuri", "nexturl", "nexturi", "nextlink"})
_HAS_MORE = frozenset({"hasmore", "hasnextpage", "hasnext", "more"})
_TOTALS = frozenset({"totalcount", "total", "totalitems", "totalresults", "count"})
_PAGE_PARAMS = frozenset({"page", "pagenumber", "pageno"})
_SIZE_PARAMS = frozenset({"perpage", "pagesize", "size", "limit", "pagelength", "maxresults"})
#: objects a page keeps its paging fields in
_CONTAINERS = frozenset({"meta", "metadata", "pagination", "paging", "links", "responsemetadata", "pageinfo", "page"})


def _key(name: str) -> str:
    return name.lower().replace("_", "").replace("-", "")


def pagination(
    config: Config, operation: Operation, index: dict[str, Schema], wanted: str | None = None
) -> Pagination | None:
    """How a GET operation pages, from its parameters and its response, when it answers with a list or a page
    of one: the first of `Pagination`'s styles it fits, in the order offset, link, cursor, next URL, page
    number; `wanted` (the configuration's choice for it) instead, when it fits that one."""
    if wanted == "none" or config.paging.style == "none" or operation.method != "GET":
        return None
    candidates = list(_candidates(config, operation, index))
    if wanted is not None:
        return next((c for c in candidates if c.style == wanted), candidates[0] if candidates else None)
    if config.paging.style == "offset":
        return next((c for c in candidates if c.style == "offset"), None)
    return candidates[0] if candidates else None


def _candidates(config: Config, operation: Operation, index: dict[str, Schema]) -> Iterator[Pagination]:
    returned = operation.return_type
    page = object_schema(returned, index)
    item_type = array_item(returned) if page is None and returned is not None else None
    items_field = ""
    if page is not None:
        arrays = {f.name: f for f in page.fields if array_item(f.type) is not None}
        wanted = [config.paging.items_field, *_ITEMS]
        items = next((arrays[n] for n in wanted if n in arrays), None) or (
            next(iter(arrays.values())) if len(arrays) == 1 else None
        )
        if items is None:
            return
        items_field, item_type = items.python_name, array_item(items.type)
    if item_type is None:
        return
    query = {p.name: p for p in operation.parameters if p.location == "query"}
    by_key = {_key(name): name for name in query}
    size = next((by_key[k] for k in sorted(_SIZE_PARAMS) if k in by_key), "")
    total = _field(page, index, _TOTALS)
    found = Pagination("offset", item_type, items_field)
    if {config.paging.offset_param, config.paging.limit_param} <= set(query):
        offset_total = _field(page, index, {_key(config.paging.total_field)}, config.paging.meta_field) or total
        yield replace(
            found, param=config.paging.offset_param, size_param=config.paging.limit_param, total_field=offset_total
        )
    headers = {h for r in operation.success_responses for h in r.headers}
    if "link" in headers:
        yield replace(found, style="link", size_param=size)
    has_more = _field(page, index, _HAS_MORE)
    item = object_schema(item_type, index)
    if "startingafter" in by_key and has_more and item is not None and any(f.name == "id" for f in item.fields):
        cursor_item = next(f.python_name for f in item.fields if f.name == "id")
        yield replace(
            found,
            style="cursor",
            param=by_key["startingafter"],
            size_param=size,
            has_more_field=has_more,
            cursor_item_field=cursor_item,
        )
    cursor_param = next((by_key[k] for k in sorted(_CURSOR_PARAMS) if k in by_key), "")
    next_cursor = _field(page, index, _NEXT_CURSORS)
    if not (cursor_param and next_cursor) and "page" in by_key and query[by_key["page"]].type == Primitive("str"):
        # a page parameter that takes text is a cursor (Stripe's search: page and next_page)
        cursor_param, next_cursor = by_key["page"], _field(page, index, _NEXT_CURSORS | {"nextpage"})
    if cursor_param and next_cursor:
        yield replace(
            found, style="cursor", param=cursor_param, size_param=size, next_field=next_cursor, has_more_field=has_more
        )
    next_url = _field(page, index, _NEXT_URLS, href=True)
    if next_url:
        yield replace(found, style="next-url", size_param=size, next_field=next_url)
    page_param = next((by_key[k] for k in sorted(_PAGE_PARAMS) if k in by_key), "")
    if page_param:
        yield replace(found, style="page", param=page_param, size_param=size, total_field=total)


def _field(
    page: ObjectSchema | None,
    index: dict[str, Schema],
    wanted: frozenset[str] | set[str],
    container: str = "",
    *,
    href: bool = False,
) -> tuple[str, ...]:
    """The attribute path of the first field named one of `wanted` (keys as `_key` makes them), on the page or
    in one of the objects it keeps paging fields in (`container`: that one only); a HAL link object's `href`
    when `href`. Empty when none."""
    if page is None:
        return ()
    for field in page.fields:
        if _key(field.name) in wanted and not container:
            return _leaf(field, index, href)
    for field in page.fields:
        inner = object_schema(_bare(field.type), index)
        if inner is None or (_key(field.name) not in _CONTAINERS if not container else field.name != container):
            continue
        for nested in inner.fields:
            if _key(nested.name) in wanted:
                found = _leaf(nested, index, href)
                if found:
                    return (field.python_name, *found)
    return ()


def _leaf(field: Field, index: dict[str, Schema], href: bool) -> tuple[str, ...]:
    """The path to a field's value: itself, or with `href` its link object's `href`; a next-page URL (`href`)
    must be text (an integer `next_page` is a page number)."""
    link = object_schema(_bare(field.type), index)
    if link is None:
        return (field.python_name,) if not href or _bare(field.type) == Primitive("str") else ()
    target = next((f for f in link.fields if f.name == "href"), None) if href else None
    return (field.python_name, target.python_name) if target is not None else ()


def _bare(type_: Type) -> Type:
    return type_.inner if isinstance(type_, Nullable) else type_


def paging_notes(found: list[tuple[str, str, str]]) -> list[tuple[str, str]]:
    """One note per style: how many list operations page so, with the first of them by operationId as the
    example (and where it is: the note's pointer). `found`: (style, operationId, pointer) per operation."""
    by_style: dict[str, list[tuple[str, str]]] = {}
    for style, operation, pointer in found:
        by_style.setdefault(style, []).append((operation, pointer))
    words = {
        "offset": "by offset and limit",
        "page": "by page number",
        "cursor": "by cursor",
        "next-url": "by a next-page URL in the response",
        "link": "by the Link header",
    }
    return [
        (
            f"{len(ops)} list operation{'s' if len(ops) > 1 else ''} page {words[style]} (e.g. {min(ops)[0]});"
            " set pagination (auto, offset, none) or paging-operations to change it",
            min(ops)[1],
        )
        for style, ops in sorted(by_style.items())
    ]


def jwks_path(groups: tuple[Group, ...], index: dict[str, Schema]) -> str | None:
    """A GET operation answering with a JSON Web Key Set (`keys`: objects with `kty`)."""
    for group in groups:
        for operation in group.operations:
            if operation.method != "GET" or any(p.required for p in operation.parameters):
                continue
            response = object_schema(operation.return_type, index)
            keys = next((f for f in response.fields if f.name == "keys"), None) if response else None
            if keys is not None and isinstance(keys.type, ArrayType):
                key = object_schema(keys.type.item, index)
                if key is not None and any(f.name == "kty" for f in key.fields):
                    return operation.path
    return None
