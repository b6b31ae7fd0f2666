"""The classes a call's result must be an instance of; the calls themselves are made by `generator.samples`
(the spec's examples first, else values its schemas accept), which `generate` also uses for the tests it writes.

`result_classes(package, type)` says which classes a result of that type of the model is an instance of.
"""

from __future__ import annotations

import datetime as dt
import decimal
import uuid
from typing import Any

from generator import model
from generator.samples import Samples as OperationCalls  # noqa: F401 - the name these tests use


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
