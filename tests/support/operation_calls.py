"""Valid calls of a generated client's operations, made from the spec: its examples first, else its schemas.

`OperationCalls(document_root)` finds, for an operation of the intermediate model, keyword arguments that the spec
says are valid: each parameter (optional query parameters too) and the request body take the spec's example when it
has one, else a value made from the schema (an enum's first value, a fixed value per format, a sample string that
matches the pattern, required properties only, one item per array). Values are given the Python types the
generated method is annotated with (`uuid.UUID`, `decimal.Decimal`, `datetime.date`, ...), as a user would pass
them.

`result_check(package, operation)` says which classes the call's result must be an instance of.
"""

from __future__ import annotations

import copy
import datetime as dt
import decimal
import re
import uuid
from typing import Any

from generator import model

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
)
FORMAT_SAMPLES = {
    "uuid": SAMPLE_UUID,
    "date": "2024-01-15",
    "date-time": "2024-01-15T10:30:00Z",
    "email": "jane.doe@example.com",
    "url": "https://tenant.example/webhooks/upvest",
    "uri": "https://tenant.example/webhooks/upvest",
    "ISO4217": "EUR",
}


class NoSample(Exception):
    """The schema asks for something no sample fits: add one to PATTERN_SAMPLES or FORMAT_SAMPLES."""


class OperationCalls:
    def __init__(self, root: dict[str, Any]) -> None:
        self.root = root

    # -- the spec ---------------------------------------------------------------------------------------

    def resolve(self, node: Any) -> Any:
        """Follows local `$ref`s (`#/components/...`)."""
        seen = 0
        while isinstance(node, dict) and isinstance(node.get("$ref"), str):
            ref = node["$ref"]
            if not ref.startswith("#/") or seen > 50:
                raise NoSample(f"cannot follow $ref {ref!r}")
            node = self.pointer(ref[1:])
            seen += 1
        return node

    def pointer(self, pointer: str) -> Any:
        node: Any = self.root
        for token in pointer.lstrip("/").split("/"):
            token = token.replace("~1", "/").replace("~0", "~")
            node = node[int(token)] if isinstance(node, list) else node[token]
        return node

    def raw_parameter(self, operation: model.Operation, parameter: model.Parameter) -> dict[str, Any]:
        path_item_pointer = operation.pointer.rsplit("/", 1)[0]
        candidates = [
            *self.pointer(operation.pointer).get("parameters", ()),
            *self.pointer(path_item_pointer).get("parameters", ()),
        ]
        for candidate in map(self.resolve, candidates):
            if candidate.get("name") == parameter.name and candidate.get("in") == parameter.location:
                return candidate
        raise NoSample(f"{operation.operation_id}: parameter {parameter.name!r} not found in the spec")

    # -- sample values ----------------------------------------------------------------------------------

    @staticmethod
    def example(node: dict[str, Any]) -> tuple[bool, Any]:
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

    def value(self, schema: Any, where: str = "") -> Any:
        """A value valid for `schema`: its example, else one made from its keywords."""
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
            return self.value(self.merged(schema), where)
        for key in ("oneOf", "anyOf"):
            if schema.get(key):
                variants = [self.resolve(v) for v in schema[key]]
                usable = [v for v in variants if not (isinstance(v, dict) and v.get("type") == "null")]
                return self.value(usable[0] if usable else variants[0], where)
        kind = schema.get("type")
        if isinstance(kind, list):
            kind = next((k for k in kind if k != "null"), "null")
        if kind is None:
            kind = "object" if "properties" in schema else "string"
        if kind == "object":
            properties = schema.get("properties", {})
            return {
                name: self.value(properties[name], f"{where}.{name}")
                for name in schema.get("required", ())
                if name in properties
            }
        if kind == "array":
            return [self.value(schema.get("items", {}), f"{where}[]")] * max(1, schema.get("minItems", 1))
        if kind == "integer":
            return self.number(schema, 1)
        if kind == "number":
            return self.number(schema, 1.5)
        if kind == "boolean":
            return schema.get("default", True)
        if kind == "null":
            return None
        return self.string(schema, where)

    @staticmethod
    def number(schema: dict[str, Any], fallback: int | float) -> int | float:
        if "default" in schema:
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
            if pattern and not re.search(pattern, candidate):
                continue
            if len(candidate) < schema.get("minLength", 0):
                candidate = candidate.ljust(schema["minLength"], "x")
            return candidate[: schema.get("maxLength", len(candidate))]
        raise NoSample(f"{where}: no sample string matches the pattern {pattern!r}; add one to PATTERN_SAMPLES")

    def merged(self, schema: dict[str, Any]) -> dict[str, Any]:
        """An `allOf` folded into one schema (properties and required lists joined)."""
        result: dict[str, Any] = {k: v for k, v in schema.items() if k != "allOf"}
        for part in schema["allOf"]:
            part = self.resolve(part)
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

    def arguments(self, operation: model.Operation, overrides: dict[str, Any] | None = None) -> dict[str, Any]:
        """Keyword arguments for the generated method of `operation`."""
        arguments: dict[str, Any] = {}
        for parameter in operation.parameters:
            raw = self.raw_parameter(operation, parameter)
            found, example = self.example(raw)
            if not found:
                found, example = self.example(self.resolve(raw.get("schema", {})))
            value = example if found else self.value(raw.get("schema", {}), f"{operation.operation_id}.{raw['name']}")
            if value is not None or isinstance(parameter.type, model.Nullable):
                arguments[parameter.python_name] = typed(parameter.type, value)
        if operation.body is not None:
            body = self.body_value(operation)
            if operation.body.fields is None:
                arguments[operation.body.python_name] = body
            else:
                for body_field in operation.body.fields:
                    value = body.get(body_field.name)
                    # a null the spec does not allow (an example that breaks its schema) is left out, as the
                    # generated method refuses None there
                    if body_field.name in body and (value is not None or isinstance(body_field.type, model.Nullable)):
                        arguments[body_field.python_name] = typed(body_field.type, value)
        for name, value in (overrides or {}).items():
            if value is None:  # an override of None leaves the argument out
                arguments.pop(name, None)
            else:
                arguments[name] = value
        return arguments

    def body_value(self, operation: model.Operation) -> Any:
        assert operation.body is not None
        request_body = self.resolve(self.pointer(operation.pointer).get("requestBody", {}))
        media = self.resolve(request_body.get("content", {}).get(operation.body.media_type, {}))
        found, example = self.example(media)
        return copy.deepcopy(example) if found else self.value(media.get("schema", {}), operation.operation_id)


def typed(type_: model.Type, value: Any) -> Any:
    """`value` (as JSON has it) turned into the Python type the generated method is annotated with."""
    if value is None:
        return None
    if isinstance(type_, model.Nullable):
        return typed(type_.inner, value)
    if isinstance(type_, model.ArrayType) and isinstance(value, list):
        return [typed(type_.item, item) for item in value]
    if isinstance(type_, model.Primitive) and isinstance(value, str):
        convert = {
            "uuid": uuid.UUID,
            "decimal": decimal.Decimal,
            "date": dt.date.fromisoformat,
            "datetime": lambda text: dt.datetime.fromisoformat(text.replace("Z", "+00:00")),
        }.get(type_.kind)
        try:
            return convert(value) if convert else value
        except (ValueError, decimal.InvalidOperation):
            return value  # what the spec allows but the Python type cannot hold (e.g. "" for a decimal): as is
    return value


def result_classes(package: Any, type_: model.Type | None) -> tuple[type, ...]:
    """The classes a result of this type is an instance of (models, lists, primitives, NoContent)."""
    if type_ is None:
        return (package.NoContent,)
    if isinstance(type_, model.Ref):
        return (getattr(package, type_.name, None) or getattr(package.models, type_.name),)
    if isinstance(type_, model.UnionType):
        return tuple(cls for variant in type_.variants for cls in result_classes(package, variant))
    if isinstance(type_, model.Nullable):
        return (*result_classes(package, type_.inner), type(None))
    if isinstance(type_, model.ArrayType):
        return (list,)
    if isinstance(type_, model.MapType):
        return (dict,)
    if isinstance(type_, model.Primitive):
        return {
            "str": (str,),
            "int": (int,),
            "float": (float, int),
            "bool": (bool,),
            "decimal": (decimal.Decimal,),
            "date": (dt.date,),
            "datetime": (dt.datetime,),
            "uuid": (uuid.UUID,),
            "bytes": (bytes,),
        }[type_.kind]
    return (object,)
