"""The webhooks pass: the deliveries the spec describes (`webhooks`, or `x-webhooks`), with their event models."""

from __future__ import annotations

from generator import names
from generator.build.common import Context, Hint, Run, is_json_media, text
from generator.build.schemas import Schemas
from generator.load import Location, escape_pointer_token
from generator.model import ArrayType, Type, Webhook
from generator.load import HTTP_METHODS


def webhooks(run: Run, schemas: Schemas) -> tuple[Webhook, ...]:
    """Named and converted by name, listed in the spec's order (as operations are). Their types carry
    provisional class names."""
    root = run.document.root
    key = "webhooks" if isinstance(root.get("webhooks"), dict) else "x-webhooks"
    raw = root.get(key)
    found: list[tuple[int, Webhook]] = []
    taken = names.Namespace(names.RESERVED)
    items = list(raw.items()) if isinstance(raw, dict) else []
    order = {str(name): index for index, (name, _) in enumerate(items)}
    for name, item in sorted(items, key=lambda entry: str(entry[0])):
        pointer = f"/{key}/{escape_pointer_token(name)}"
        item, where = run.follow(item, Location(run.document.main, pointer))
        if not isinstance(item, dict):
            continue
        for method in HTTP_METHODS:
            operation = item.get(method)
            if not isinstance(operation, dict):
                continue
            context = Context(
                where.file, f"{where.pointer}/{method}", Hint(f"{names.pascal(str(name), fallback='Webhook')}Event")
            )
            body, body_where = run.follow(
                operation.get("requestBody"), Location(context.file, f"{context.pointer}/requestBody")
            )
            type_: Type | None = None
            content = body.get("content") if isinstance(body, dict) else None
            if isinstance(content, dict) and content:
                media_type = next((m for m in content if is_json_media(str(m))), next(iter(content)))
                media = content[media_type] if isinstance(content[media_type], dict) else {}
                if "schema" in media:
                    context.file = body_where.file
                    context.pointer = f"{body_where.pointer}/content/{escape_pointer_token(media_type)}/schema"
                    type_ = schemas.convert(media["schema"], context)
            event_type, event_names = _events(run, schemas, type_)
            found.append(
                (
                    order[str(name)],
                    Webhook(
                        name=str(name),
                        python_name=taken.claim(names.safe(names.snake(str(name), fallback="webhook"))),
                        method=method.upper(),
                        description=text(operation.get("summary")) or text(operation.get("description")),
                        type=type_,
                        event_type=event_type,
                        event_names=event_names,
                    ),
                )
            )
    return tuple(webhook for _, webhook in sorted(found, key=lambda entry: entry[0]))


def _events(run: Run, schemas: Schemas, body: Type | None) -> tuple[Type | None, tuple[str, ...]]:
    """The event model of a delivery body (the body itself, or the items of a list in it) and its type names."""
    type_field = run.config.auth.webhook_type_field
    candidates: list[Type] = []
    schema = schemas.object_schema(body)
    if body is not None and schema is not None:
        candidates.append(body)
        candidates += [f.type.item for f in schema.fields if isinstance(f.type, ArrayType)]
    for candidate in candidates:
        event = schemas.object_schema(candidate)
        field = next((f for f in event.fields if f.name == type_field), None) if event else None
        if field is not None:
            return candidate, schemas.values_of(field.type)
    return body, ()
