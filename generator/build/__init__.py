"""Building the intermediate model (`Api`) from a loaded `Document`, in passes.

Pure: reads the document, returns the model and the warnings about what it had to approximate. Each pass takes
what it reads and returns what it made; the order below is the only order they run in:

1. `security`: the security schemes, and the headers they set;
2. `schemas.Schemas`: the registry of classes, which converts schema nodes for the passes after it, each class
   under a provisional name; components are registered first;
3. `operations.collect`: groups, operations, parameters, bodies, responses (in an order of the spec's content);
4. `webhooks`; then the client settings (`operations.client_headers`); then the components nothing referred to;
5. `naming`: every class's real name, decided now that all are collected, and everything rewritten with it;
6. `operations.finish` (bodies flattened into arguments, paging), the key set and `Auth`.
"""

from __future__ import annotations

from generator.build import naming, operations
from generator.build.common import Run, text
from generator.build.package import package, servers
from generator.build.schemas import Schemas, TooDeep, break_alias_cycles
from generator.build.pagination import jwks_path
from generator.build.security import security
from generator.build.webhooks import webhooks
from generator.config import Config
from generator.diagnostics import Diagnostic, SpecError
from generator.infer import env_prefix, settle
from generator.load import Document
from generator.model import Api

__all__ = ["build"]


def build(document: Document, config: Config) -> tuple[Api, list[Diagnostic]]:
    """The intermediate model of a loaded document, and the warnings met on the way (with the notes of what the
    vendor profile and the spec settled in the configuration: `generator.infer.settle`).

    Raises SpecError (code `too-deep`, naming the schema where it happened) for schemas nested, inline or through
    `$ref`s, deeper than Python's stack allows.
    """
    config, notes = settle(document, config)
    run = Run(document, config)
    try:
        api = _build(run)
    except TooDeep as exc:
        message = "schemas nest too deeply here (inline or through $refs) to generate; flatten the nesting"
        raise SpecError([document.diagnostic("error", "too-deep", message, exc.location)]) from None
    return api, notes + run.diagnostics


def _build(run: Run) -> Api:
    info = run.document.root.get("info") or {}
    title = str(info.get("title", "API"))
    spec_version = str(info.get("version", ""))
    schemes = security(run)
    registry = Schemas(run)
    collected = operations.collect(run, registry, schemes)
    hooks = webhooks(run, registry)
    headers = operations.client_headers(run, registry, collected.headers, title, collected.count)
    registry.drain()

    roles = naming.role_names(collected.groups, registry.index, run.config.paging.items_field)
    renaming = naming.Naming(run, naming.class_names(run, registry.requests, registry.enum_uses, roles))
    for provisional, context in registry.cycles:
        message = f"schema '{renaming.name(provisional)}' is only a cycle of references; typed as Any"
        run.warn("ref-cycle", message, context)
    schemas = break_alias_cycles(run, [renaming.schema(s) for s in registry.schemas])
    del registry  # the classes under their provisional names
    index = {schema.name: schema for schema in schemas}
    groups = operations.finish(run, collected, renaming, index)
    del collected  # the operations with their provisional names
    renamed_hooks = tuple(renaming.webhook(w) for w in hooks)
    client_headers = tuple(renaming.client_header(h) for h in headers)
    del renaming  # and the rewrites' memo
    api_servers = servers(run)
    required = [operation.security for group in groups for operation in group.operations]
    taken = {name for header in headers for name in (header.python_name, header.env_var)}
    api_keys = schemes.api_keys(env_prefix(run.config, title), required, taken)
    run.warn_unused_names()
    return Api(
        title=title,
        version=spec_version,
        description=text(info.get("description")),
        servers=api_servers,
        groups=groups,
        schemas=tuple(schemas),
        security_schemes=schemes.schemes,
        webhooks=renamed_hooks,
        package=package(run, title, spec_version),
        auth=schemes.auth(run.config, api_servers, jwks_path(groups, index), api_keys),
        client_headers=client_headers,
        webhook_type_field=run.config.auth.webhook_type_field,
    )
