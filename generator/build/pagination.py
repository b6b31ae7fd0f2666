"""Paging and key-set discovery: what the build works out from operations once their classes have real names."""

from __future__ import annotations

from generator import names
from generator.build.common import array_item, object_schema
from generator.config import Config
from generator.model import ArrayType, Group, Operation, Pagination, Schema


def pagination(config: Config, operation: Operation, index: dict[str, Schema]) -> Pagination | None:
    """Offset/limit paging, when the operation takes both parameters and answers with a page envelope."""
    if config.paging.style == "none" or operation.method != "GET":
        return None
    query = {p.name for p in operation.parameters if p.location == "query"}
    if not {config.paging.offset_param, config.paging.limit_param} <= query:
        return None
    page = object_schema(operation.return_type, index)
    if page is None:
        return None
    by_name = {f.name: f for f in page.fields}
    items = by_name.get(config.paging.items_field)
    item_type = array_item(items.type) if items is not None else None
    if items is None or item_type is None or config.paging.meta_field not in by_name:
        return None
    return Pagination(
        offset_param=config.paging.offset_param,
        limit_param=config.paging.limit_param,
        items_field=items.python_name,
        meta_field=by_name[config.paging.meta_field].python_name,
        total_field=names.snake(config.paging.total_field),
        item_type=item_type,
    )


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
