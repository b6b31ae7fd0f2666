"""Valid calls of an operation, made from the spec: its examples first, else values its schemas accept.

`Samples(document).arguments(operation)` finds keyword arguments for the generated method of an operation of the
model that the spec says are valid: each parameter (optional query parameters too) and the request body take the
spec's example when it has one, else a value made from the schema (an enum's first value, a fixed value per
format, a sample string that its pattern matches, required properties only, one item per array). `typed` gives a
value the Python type the generated method is annotated with (`uuid.UUID`, `decimal.Decimal`, `datetime.date`),
as a user would pass it; `source` writes it as a Python expression, for the tests `generate` writes.

The generated tests call every operation with these values against a mock server of the spec (Prism), which
checks every request; `tests/runtime/test_contract.py` does the same for this repository's own tests.
"""

from __future__ import annotations

import copy
import datetime as dt
import decimal
import math
import re
import uuid
from dataclasses import dataclass
from typing import Any

from generator import model
from generator.load import Document, Location

SAMPLE_UUID = "9786f312-34f9-41b9-abd6-f2c2ff906d18"
#: Strings tried, in order, for a string schema with a pattern: the first one the pattern matches is used.
PATTERN_SAMPLES = (
    "10.50",
    "DE",
    "US0378331005",
    SAMPLE_UUID,
    f"urn:uuid:{SAMPLE_UUID}",
    "isin:US0378331005",
    "1m",
    "123456789",
    "12345678",
    "ABC123",
    "COBADEFFXXX",
    "DE89370400440532013000",
    "DE8937**********3000",
    "2024-01-15",
    "Bearer token",
    "sample",
    "a",
    "A",
    "1",
)
FORMAT_SAMPLES = {
    "uuid": SAMPLE_UUID,
    "date": "2024-01-15",
    "date-time": "2024-01-15T10:30:00Z",
    "time": "10:30:00Z",
    "email": "jane.doe@example.com",
    "url": "https://tenant.example/webhooks",
    "uri": "https://tenant.example/webhooks",
    "hostname": "tenant.example",
    "ipv4": "192.0.2.1",
    "ipv6": "2001:db8::1",
    "ISO4217": "EUR",
}
_DEPTH = 24


class NoSample(Exception):
    """The schema asks for something no sample fits (a pattern none of PATTERN_SAMPLES matches, a schema that
    requires itself)."""


class Samples:
    """Sample values for the operations of one spec."""

    def __init__(self, document: Document) -> None:
        self.document = document

    # -- the spec ---------------------------------------------------------------------------------------

    def resolve(self, node: Any) -> Any:
        """Follows `$ref`s (to any file the spec's references reached)."""
        return self.document.follow(node, Location(self.document.main, ""))[0] if isinstance(node, dict) else node

    def operation(self, operation: model.Operation) -> tuple[dict[str, Any], Location]:
        """The operation as the spec writes it, and where (its path item may be in another file)."""
        location = self.document.locate(operation.method, operation.pointer, operation.path)
        node = self.document.node(location)
        return (node if isinstance(node, dict) else {}), location

    def raw_parameter(self, operation: model.Operation, parameter: model.Parameter) -> dict[str, Any]:
        """The parameter as the spec writes it (the operation's own, else its path item's)."""
        node, location = self.operation(operation)
        item = self.document.node(Location(location.file, location.pointer.rsplit("/", 1)[0]))
        candidates = [
            *(node.get("parameters") or ()),
            *((item if isinstance(item, dict) else {}).get("parameters") or ()),
        ]
        for candidate in map(self.resolve, candidates):
            if candidate.get("name") == parameter.name and candidate.get("in") == parameter.location:
                return candidate  # type: ignore[no-any-return]
        raise NoSample(f"{operation.operation_id}: parameter {parameter.name!r} not found in the spec")

    # -- sample values ----------------------------------------------------------------------------------

    @staticmethod
    def example(node: dict[str, Any]) -> tuple[bool, Any]:
        """The node's example (`example`, the first of `examples`): (found, value)."""
        if "example" in node:
            return True, node["example"]
        examples = node.get("examples")
        if isinstance(examples, dict) and examples:
            first = next(iter(examples.values()))
            if isinstance(first, dict) and "value" in first:
                return True, first["value"]
        if isinstance(examples, list) and examples:
            return True, examples[0]
        return False, None

    def value(self, schema: Any, where: str = "", depth: int = 0) -> Any:
        """A value valid for `schema`: its example, else one made from its keywords."""
        if depth > _DEPTH:
            raise NoSample(f"{where}: the schema requires itself; no finite sample satisfies it")
        schema = self.resolve(schema)
        if not isinstance(schema, dict):
            return "sample"
        found, example = self.example(schema)
        if found:
            return copy.deepcopy(example)
        if "const" in schema:
            return schema["const"]
        if schema.get("enum"):
            default = schema.get("default")
            return default if default in schema["enum"] else schema["enum"][0]
        if "allOf" in schema:
            return self.value(self.merged(schema), where, depth + 1)
        for key in ("oneOf", "anyOf"):
            if schema.get(key):
                variants = [self.resolve(v) for v in schema[key]]
                usable = [v for v in variants if not (isinstance(v, dict) and v.get("type") == "null")]
                return self.value(usable[0] if usable else variants[0], where, depth + 1)
        kind = schema.get("type")
        if isinstance(kind, list):
            kind = next((k for k in kind if k != "null"), "null")
        if kind is None:
            kind = "object" if "properties" in schema else "string"
        if kind == "object":
            properties = schema.get("properties", {})
            return {
                name: self.value(properties[name], f"{where}.{name}", depth + 1)
                for name in schema.get("required", ())
                if name in properties
            }
        if kind == "array":
            item = self.value(schema.get("items", {}), f"{where}[]", depth + 1)
            return [copy.deepcopy(item) for _ in range(max(1, schema.get("minItems", 1)))]
        if kind == "integer":
            return int(self.number(schema, 1))
        if kind == "number":
            return self.number(schema, 1.5)
        if kind == "boolean":
            return schema.get("default", True)
        if kind == "null":
            return None
        return self.string(schema, where)

    @staticmethod
    def number(schema: dict[str, Any], fallback: int | float) -> int | float:
        if isinstance(schema.get("default"), (int, float)) and not isinstance(schema["default"], bool):
            return schema["default"]  # type: ignore[no-any-return]
        value = schema.get("minimum", fallback)
        maximum = schema.get("maximum")
        return min(value, maximum) if maximum is not None else value  # type: ignore[no-any-return]

    @staticmethod
    def string(schema: dict[str, Any], where: str) -> str:
        pattern = schema.get("pattern")
        candidates: list[str] = []
        if schema.get("format") in FORMAT_SAMPLES:
            candidates.append(FORMAT_SAMPLES[schema["format"]])
        if pattern:
            candidates += PATTERN_SAMPLES
        if isinstance(schema.get("default"), str):
            candidates.insert(0, schema["default"])
        candidates.append("sample")
        for candidate in candidates:
            try:
                if pattern and not re.search(pattern, candidate):
                    continue
            except re.error:
                break  # a pattern Python cannot read (ECMA-262 only): no sample can be checked against it
            if len(candidate) < schema.get("minLength", 0):
                candidate = candidate.ljust(schema["minLength"], "x")
            return candidate[: schema.get("maxLength", len(candidate))]
        raise NoSample(f"{where}: no sample string matches the pattern {pattern!r}")

    def merged(self, schema: dict[str, Any]) -> dict[str, Any]:
        """An `allOf` folded into one schema (properties and required lists joined)."""
        result: dict[str, Any] = {k: v for k, v in schema.items() if k != "allOf"}
        for part in schema["allOf"]:
            part = self.resolve(part)
            if not isinstance(part, dict):
                continue
            if "allOf" in part:
                part = self.merged(part)
            for key, value in part.items():
                if key == "properties":
                    result.setdefault("properties", {}).update(value)
                elif key == "required":
                    result["required"] = [*result.get("required", ()), *value]
                else:
                    result.setdefault(key, value)
        return result

    # -- calls ------------------------------------------------------------------------------------------

    def wire_arguments(self, operation: model.Operation) -> list[tuple[str, model.Type, Any]]:
        """(argument, type, value as JSON has it) for the generated method of `operation`, in the method's order:
        its parameters, then its body (one argument, or one per body field)."""
        arguments: list[tuple[str, model.Type, Any]] = []
        for parameter in operation.parameters:
            raw = self.raw_parameter(operation, parameter)
            found, example = self.example(raw)
            if not found:
                found, example = self.example(self.resolve(raw.get("schema", {})))
            value = example if found else self.value(raw.get("schema", {}), f"{operation.operation_id}.{raw['name']}")
            if value is not None or isinstance(parameter.type, model.Nullable):
                arguments.append((parameter.python_name, parameter.type, value))
        if operation.body is not None:
            body = self.body_value(operation)
            if operation.body.fields is None:
                arguments.append((operation.body.python_name, operation.body.type, body))
            else:
                for body_field in operation.body.fields:
                    value = body.get(body_field.name) if isinstance(body, dict) else None
                    # a null the spec does not allow (an example that breaks its schema) is left out, as the
                    # generated method refuses None there
                    present = isinstance(body, dict) and body_field.name in body
                    if present and (value is not None or isinstance(body_field.type, model.Nullable)):
                        arguments.append((body_field.python_name, body_field.type, value))
        return arguments

    def arguments(self, operation: model.Operation, overrides: dict[str, Any] | None = None) -> dict[str, Any]:
        """Keyword arguments for the generated method of `operation`, as Python values."""
        arguments = {name: typed(type_, value) for name, type_, value in self.wire_arguments(operation)}
        for name, value in (overrides or {}).items():
            if value is None:  # an override of None leaves the argument out
                arguments.pop(name, None)
            else:
                arguments[name] = value
        return arguments

    def response_example(self, operation: model.Operation) -> tuple[bool, Any]:
        """The spec's example of the operation's first success response with a JSON body: (found, value)."""
        responses = self.resolve(self.operation(operation)[0].get("responses", {}))
        for status in sorted(str(s) for s in responses if str(s).startswith("2")):
            response = self.resolve(responses.get(status, responses.get(int(status)) if status.isdigit() else None))
            for media_type, media in (response.get("content") or {}).items() if isinstance(response, dict) else ():
                if "json" not in str(media_type):
                    continue
                media = self.resolve(media)
                found, example = self.example(media)
                if not found:
                    found, example = self.example(self.resolve(media.get("schema", {})))
                if found:
                    return True, copy.deepcopy(example)
            return False, None
        return False, None

    def body_value(self, operation: model.Operation) -> Any:
        assert operation.body is not None
        request_body = self.resolve(self.operation(operation)[0].get("requestBody", {}))
        media = self.resolve(request_body.get("content", {}).get(operation.body.media_type, {}))
        found, example = self.example(media)
        return copy.deepcopy(example) if found else self.value(media.get("schema", {}), operation.operation_id)


_CONVERSIONS: dict[str, Any] = {
    "uuid": uuid.UUID,
    "decimal": decimal.Decimal,
    "date": dt.date.fromisoformat,
    "datetime": lambda text: dt.datetime.fromisoformat(text.replace("Z", "+00:00")),
}


def typed(type_: model.Type, value: Any) -> Any:
    """`value` (as JSON has it) turned into the Python type the generated method is annotated with."""
    if value is None:
        return None
    if isinstance(type_, model.Nullable):
        return typed(type_.inner, value)
    if isinstance(type_, model.ArrayType) and isinstance(value, list):
        return [typed(type_.item, item) for item in value]
    if isinstance(type_, model.Primitive) and isinstance(value, str):
        convert = _CONVERSIONS.get(type_.kind)
        try:
            return convert(value) if convert else value
        except (ValueError, decimal.InvalidOperation):
            return value  # what the spec allows but the Python type cannot hold (e.g. "" for a decimal): as is
    return value


#: how a value the generated method takes as a Python type is written in the generated tests' samples.json:
#: {"$clientgen": kind, "value": text}, turned back by the tests (`kind` is a Primitive kind of the model)
TAG = "$clientgen"


def tagged(type_: model.Type, value: Any) -> Any:
    """`value` (as JSON has it) for samples.json: where the generated method takes a UUID, a decimal, a date or
    a date-time, a tagged text the tests turn into one (`typed` in JSON)."""
    if value is None:
        return None
    if isinstance(type_, model.Nullable):
        return tagged(type_.inner, value)
    if isinstance(type_, model.ArrayType) and isinstance(value, list):
        return [tagged(type_.item, item) for item in value]
    if isinstance(type_, model.Primitive) and isinstance(value, str) and type_.kind in _CONVERSIONS:
        if typed(type_, value) is value:  # what the Python type cannot hold: sent as it is
            return value
        return {TAG: type_.kind, "value": value}
    if isinstance(value, float) and not math.isfinite(value):
        raise NoSample(f"{value!r} has no JSON form")
    return value


@dataclass(frozen=True)
class SampleCall:
    """A call of one operation for the generated tests: its keyword arguments as samples.json holds them
    (`tagged`), or why no valid call could be made from the spec (`problem`)."""

    arguments: dict[str, Any]
    problem: str = ""
    #: the spec's example of the success response (the test kit answers a call nobody stubbed with it)
    response: tuple[bool, Any] = (False, None)


def sample_calls(api: model.Api, document: Document) -> dict[str, SampleCall]:
    """A sample call of every operation, by its pointer."""
    samples = Samples(document)
    calls: dict[str, SampleCall] = {}
    for operation in api.operations:
        try:
            response = samples.response_example(operation)
        except Exception:  # a sample is a convenience: no example, whatever the spec holds
            response = (False, None)
        try:
            arguments = {name: tagged(type_, value) for name, type_, value in samples.wire_arguments(operation)}
        except Exception as problem:  # said in the operation's generated test, which fails with it
            calls[operation.pointer] = SampleCall({}, f"no valid call could be made from the spec: {problem}", response)
            continue
        calls[operation.pointer] = SampleCall(arguments, response=response)
    return calls
