"""The oasdiff check fixtures (checks.yaml): one pair of specs per check, made from a fragment put in its place.

Each entry names the check id it exercises, the place its fragments go (`at`, one of `PLACES`), the fragment of
the old spec and of the new one (`old`, `new`; null: absent), and optionally `components` (for both specs),
`openapi` (the version, 3.1.0 unless given), a deprecation `policy` (`stable`, `beta` days) and `today`. The
severity expected is oasdiff's level (ERR and WARN breaking, INFO compatible) unless `expect` says otherwise, and
then `why` must say why. An entry with `skip` documents a check that cannot happen to a spec clientgen accepts.
Used by tests/diff/test_checks.py and by tests/diff_coverage.py.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Callable

import yaml

from generator.config import Config
from generator.diff import Report, diff, load_version
from generator.diff.wire import Policy, catalog

FIXTURES = Path(__file__).with_name("checks.yaml")
OK = {"200": {"description": "ok"}}


def _operation(**fields: Any) -> dict[str, Any]:
    return {"operationId": "listItems", "responses": copy.deepcopy(OK), **fields}


def _query(fragment: Any) -> dict[str, Any]:
    parameters = [] if fragment is None else [{"name": "q", "in": "query", "schema": fragment}]
    return {"/items": {"get": _operation(parameters=parameters)}}


def _query_object(fragment: Any) -> dict[str, Any]:
    schema = {"type": "object", "properties": {"p": fragment}}
    return {"/items": {"get": _operation(parameters=[{"name": "q", "in": "query", "schema": schema}])}}


def _header(fragment: Any) -> dict[str, Any]:
    parameters = [] if fragment is None else [{"name": "X-Filter", "in": "header", "schema": fragment}]
    return {"/items": {"get": _operation(parameters=parameters)}}


def _header_object(fragment: Any) -> dict[str, Any]:
    schema = {"type": "object", "properties": {"p": fragment}}
    return _header(schema)


def _parameters(fragment: Any) -> dict[str, Any]:
    return {"/items": {"get": _operation(parameters=fragment or [])}}


def _path_parameters(fragment: Any) -> dict[str, Any]:
    item: dict[str, Any] = {"get": _operation()}
    if fragment is not None:
        item["parameters"] = fragment
    return {"/items": item}


def _body(fragment: Any) -> dict[str, Any]:
    body = {"required": True, "content": {"application/json": {"schema": fragment}}}
    return {"/items": {"post": _operation(operationId="addItem", requestBody=body)}}


def _body_property(fragment: Any) -> dict[str, Any]:
    return _body({"type": "object", "properties": {"p": fragment}})


def _request_body(fragment: Any) -> dict[str, Any]:
    operation = _operation(operationId="addItem")
    if fragment is not None:
        operation["requestBody"] = fragment
    return {"/items": {"post": operation}}


def _response(fragment: Any) -> dict[str, Any]:
    ok = {"description": "ok", "content": {"application/json": {"schema": fragment}}}
    return {"/items": {"get": _operation(responses={"200": ok})}}


def _response_property(fragment: Any) -> dict[str, Any]:
    return _response({"type": "object", "required": ["p"], "properties": {"p": fragment}})


def _response_optional_property(fragment: Any) -> dict[str, Any]:
    return _response({"type": "object", "properties": {"p": fragment}})


def _response_header(fragment: Any) -> dict[str, Any]:
    ok: dict[str, Any] = {"description": "ok"}
    if fragment is not None:
        ok["headers"] = {"X-Rate": fragment}
    return {"/items": {"get": _operation(responses={"200": ok})}}


def _responses(fragment: Any) -> dict[str, Any]:
    return {"/items": {"get": _operation(responses=fragment)}}


def _operation_at(fragment: Any) -> dict[str, Any]:
    """The GET operation of /items, beside a POST that always stays (so the path stays)."""
    item: dict[str, Any] = {"post": _operation(operationId="addItem")}
    if fragment is not None:
        item["get"] = {**_operation(), **fragment}
    return {"/items": item}


def _paths(fragment: Any) -> dict[str, Any]:
    return fragment or {}


PLACES: dict[str, Callable[[Any], dict[str, Any]]] = {
    "query": _query,
    "query-object": _query_object,
    "header": _header,
    "header-object": _header_object,
    "parameters": _parameters,
    "path-parameters": _path_parameters,
    "body": _body,
    "body-property": _body_property,
    "request-body": _request_body,
    "response": _response,
    "response-property": _response_property,
    "response-optional-property": _response_optional_property,
    "response-header": _response_header,
    "responses": _responses,
    "operation": _operation_at,
    "paths": _paths,
}


@dataclass(frozen=True)
class Check:
    """One entry of checks.yaml."""

    id: str
    at: str
    old: Any
    new: Any
    expect: str
    why: str = ""
    skip: str = ""
    components: Any = None
    root: Any = None
    openapi: str = "3.1.0"
    policy: Policy = Policy()

    def spec(self, fragment: Any, root: Any) -> dict[str, Any]:
        document: dict[str, Any] = {
            "openapi": self.openapi,
            "info": {"title": "Checks", "version": "1"},
            "paths": PLACES[self.at](copy.deepcopy(fragment)),
        }
        if self.components is not None:
            document["components"] = copy.deepcopy(self.components)
        document.update(copy.deepcopy(root or {}))
        return document

    def report(self, folder: Path, *, reverse: bool = False) -> Report:
        """The report of this pair (NEW to OLD when `reverse`), the specs written in `folder`."""
        root = self.root if isinstance(self.root, dict) and "old" not in self.root else None
        old_root = self.root.get("old") if isinstance(self.root, dict) and "old" in self.root else root
        new_root = self.root.get("new") if isinstance(self.root, dict) and "new" in self.root else root
        old, new = folder / "old.json", folder / "new.json"
        old.write_text(json.dumps(self.spec(self.old, old_root)), encoding="utf-8")
        new.write_text(json.dumps(self.spec(self.new, new_root)), encoding="utf-8")
        first, second = load_version(old, Config()), load_version(new, Config())
        return diff(second, first, self.policy) if reverse else diff(first, second, self.policy)


def level_severity(check: str) -> str:
    """The severity oasdiff's level stands for: ERR and WARN breaking, INFO compatible."""
    return "breaking" if catalog().get(check) in ("ERR", "WARN") else "compatible"


def load_checks() -> list[Check]:
    entries = yaml.safe_load(FIXTURES.read_text(encoding="utf-8"))
    checks: list[Check] = []
    for entry in entries:
        policy = entry.get("policy") or {}
        today = entry.get("today")
        checks.append(
            Check(
                id=entry["id"],
                at=entry.get("at", "paths"),
                old=entry.get("old"),
                new=entry.get("new"),
                expect=entry.get("expect") or level_severity(entry["id"]),
                why=entry.get("why", ""),
                skip=entry.get("skip", ""),
                components=entry.get("components"),
                root=entry.get("root"),
                openapi=str(entry.get("openapi", "3.1.0")),
                policy=Policy(
                    deprecation_days_beta=policy.get("beta", 0),
                    deprecation_days_stable=policy.get("stable", 0),
                    today=today if isinstance(today, date) else date(2026, 1, 1),
                ),
            )
        )
    return checks
