# The runtime clientgen copies, unchanged, into every client it generates. Do not edit.
"""Base classes of the generated models, and the problem document of error responses.

It imports pydantic, so the rest of the runtime imports it only where a model is needed (a body to
validate or parse), never with the package.
"""

from __future__ import annotations

import enum
from typing import Any

import pydantic

__all__ = ["BaseModel", "OpenEnum", "OpenIntEnum", "Problem"]


class BaseModel(pydantic.BaseModel):
    """A model of the API: keeps fields it does not know (the API adds fields between versions)."""

    model_config = pydantic.ConfigDict(
        extra="allow",
        validate_by_name=True,
        validate_by_alias=True,
        serialize_by_alias=True,
        protected_namespaces=(),
    )

    _request_id: str | None = pydantic.PrivateAttr(default=None)

    @property
    def request_id(self) -> str | None:
        """The request id of the response this model was read from (quote it to support)."""
        return self._request_id


class OpenEnum(str, enum.Enum):
    """A string enum that also accepts values it does not list: the API adds values between versions."""

    @classmethod
    def _missing_(cls, value: object) -> Any:
        if not isinstance(value, str):
            return None
        member = str.__new__(cls, value)
        member._name_ = value
        member._value_ = value
        return cls._value2member_map_.setdefault(value, member)

    def __str__(self) -> str:
        return str(self.value)


class OpenIntEnum(int, enum.Enum):
    """An integer enum that also accepts values it does not list."""

    @classmethod
    def _missing_(cls, value: object) -> Any:
        if not isinstance(value, int) or isinstance(value, bool):
            return None
        member = int.__new__(cls, value)
        member._name_ = f"VALUE_{value}"
        member._value_ = value
        return cls._value2member_map_.setdefault(value, member)

    def __str__(self) -> str:
        return str(self.value)


class Problem(pydantic.BaseModel):
    """An RFC 9457 problem document (`application/problem+json`), as error responses carry it."""

    model_config = pydantic.ConfigDict(extra="allow")

    type: str | None = None
    status: int | None = None
    title: str | None = None
    detail: str | None = None
    instance: str | None = None
    request_id: str | None = None
